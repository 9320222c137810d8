"""A learning alliance from its creation to Phase 4, "Learning applied at scale", walked
entirely through the web pages in Chromium at 1280 px, each step by the person who does it:

1. the facilitator starts the alliance and adds two peers from the directory;
2. answers the Learning Guide's pre-foundational questions;
3. pre-assessment: each peer names a learning need, the facilitator groups the needs by
   meaning and opens the ranking, each peer ranks the groups, the facilitator closes it and
   the top groups become the alliance's priorities;
4. learning strategy: the facilitator starts it, each peer fills in and confirms their part;
5. an activity, scheduled for yesterday, its attendance and its calendar file;
6. an action plan for a member organisation, with an action owned by a peer and a
   milestone that the peer marks done;
7. the facilitator moves the alliance stage by stage to Phase 4, with a reason each time;
8. what the alliance holds at the end, on its pages and in the database, and the
   facilitator's dashboard;
9. the facilitator closes the alliance with a note on what it achieved; then the key pages
   at 390 px do not scroll sideways.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from peerlearn.access.roles import Role
from peerlearn.activities.models import Activity, Milestone, MilestoneStatus
from peerlearn.alliances.checklists import questions_for
from peerlearn.alliances.models import AllianceStage, LearningAlliance, StageChange
from peerlearn.conftest import TEST_PASSWORD, make_peer, make_user
from peerlearn.core.models import Country
from peerlearn.matchmaking.embeddings import texts_encoder
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.strategy.models import PreAssessment, StrategyPart

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

ALLIANCE = "Coast Counties Revenue Alliance"
# The peers' needs: different enough that grouping them into two groups keeps them apart
# with either text encoder; each group is titled after its need.
NEED_KAZUNGU = "Market fees collected by mobile money"
NEED_WANJIRU = "Property rates valuation roll"
# Stage moves: the stage moved to, and the reason given.
MOVES = [
    (AllianceStage.FOUNDATIONAL, "The convening workshop in Kilifi was held."),
    (AllianceStage.SUSTAINED_CONTACT, "Both peers confirmed their learning strategy."),
    (AllianceStage.LEARNING_OUTCOMES, "The exchange visit took place and was attended."),
    (AllianceStage.APPLIED_AT_SCALE, "Kilifi's mobile money milestone is done."),
]


def sign_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()


def open_alliance(page: Any, alliance_name: str = ALLIANCE) -> None:
    page.goto("/alliances/")
    page.get_by_role("link", name=alliance_name).first.click()
    expect(page.get_by_role("heading", level=1, name=alliance_name)).to_be_visible()


def part_card(page: Any, member: str) -> Any:
    return page.locator("article.card").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{member}"))
    )


def test_alliance_from_creation_to_learning_applied_at_scale(
    page: Any, live_server: Any, browser: Any
) -> None:
    page.set_viewport_size(DESKTOP)
    ke = Country.objects.get(code="KE")
    kilifi = organisation_create(
        name="Kilifi County", type=OrganisationType.LOCAL_GOVERNMENT, country=ke
    )
    mombasa = organisation_create(
        name="Mombasa County", type=OrganisationType.LOCAL_GOVERNMENT, country=ke
    )
    make_peer("kazungu", kilifi)
    make_peer("wanjiru", mombasa)
    make_user("ruth", role=Role.FACILITATOR)

    # 1. The facilitator starts the alliance and adds the two peers from the directory.
    sign_in(page, "ruth")
    page.goto("/alliances/")
    page.get_by_role("link", name="Start a learning alliance").click()
    page.get_by_label("Name").fill(ALLIANCE)
    page.get_by_label("Theme").select_option("decentralisation")
    page.get_by_label("Purpose").fill("Raise own-source revenue in the coast counties.")
    # The languages picker: tick a suggestion, and a name typed in full is taken on saving.
    page.get_by_label("Add a language").fill("Engl")
    english = page.locator("#id_working_languages_suggestions").get_by_label("English")
    english.check()
    page.get_by_label("Add a language").fill("Swahili")
    page.get_by_label("Start date").fill("2026-01-15")
    page.get_by_role("button", name="Create the alliance").click()
    expect(page.get_by_role("heading", name=re.compile("Members of Coast"))).to_be_visible()
    for name in ("Kazungu", "Wanjiru"):
        page.get_by_label("Find people in the directory").fill(name[:4])
        add = page.get_by_role("button", name=f"Add {name}")
        expect(add).to_be_visible()
        add.click()
        expect(page.get_by_text(f"{name} is now a member, as Peer learner.")).to_be_visible()
    alliance = LearningAlliance.objects.get(name=ALLIANCE)
    assert set(alliance.memberships.values_list("user__username", flat=True)) >= {
        "kazungu",
        "wanjiru",
    }

    # 2. The pre-foundational questions of the Learning Guide, every one answered.
    page.get_by_role("link", name="Checklists").first.click()
    pre = questions_for(AllianceStage.PRE_ASSESSMENT)
    for q in pre:
        page.get_by_label(str(q.text)).fill(f"Our answer: {q.key}.")
    page.get_by_role("button", name="Save the answers").click()
    expect(page.get_by_text("The answers are saved.")).to_be_visible()
    expect(page.locator("#stage-0 .count")).to_have_text("0 questions open")

    # 3. Pre-assessment: each peer names a need.
    for username, need in (("kazungu", NEED_KAZUNGU), ("wanjiru", NEED_WANJIRU)):
        sign_in(page, username)
        open_alliance(page)
        page.get_by_role("link", name="Pre-assessment").first.click()
        if username == "kazungu":
            # Sent empty, the form comes back with its errors beside the fields (htmx swaps
            # the 400 answer) and nothing is added.
            page.get_by_role("button", name="Add", exact=True).click()
            expect(page.locator("#needs .field.invalid").first).to_be_visible()
            expect(page.locator("#needs p.error").first).to_contain_text(
                "Name the need in a few words."
            )
        page.get_by_label("Your challenge or learning need").fill(need)
        page.get_by_label("Say more").fill(f"What we would learn from our peers: {need.lower()}.")
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator("#needs").get_by_text(need, exact=True)).to_be_visible()

    # The facilitator groups the needs by meaning and opens the ranking.
    sign_in(page, "ruth")
    open_alliance(page)
    page.get_by_role("link", name="Pre-assessment").first.click()
    expect(page.get_by_text("2 needs")).to_be_visible()
    page.get_by_role("link", name="Group the needs").click()
    page.get_by_label("Number of groups").fill("2")
    page.get_by_role("button", name="Group the needs").click()
    expect(page.get_by_text("The needs are grouped into 2 groups")).to_be_visible()
    # Grouped with the encoder of texts: TF-IDF, or all-MiniLM-L6-v2 when installed.
    encoder = PreAssessment.objects.get(alliance=alliance).encoder
    assert encoder == texts_encoder().name
    grouped_by = f"grouped by meaning with the “{encoder}” text encoder"
    expect(page.get_by_text(grouped_by)).to_be_visible()
    page.get_by_role("link", name="Open the ranking").click()
    page.get_by_role("button", name="Open the ranking").click()
    expect(page.get_by_text("The ranking is open: members can rank the groups.")).to_be_visible()

    # Each peer ranks the groups: both put mobile money first.
    for username in ("kazungu", "wanjiru"):
        sign_in(page, username)
        open_alliance(page)
        page.get_by_role("link", name="Pre-assessment").first.click()
        page.get_by_role("link", name="Rank the groups").click()
        page.get_by_label(NEED_KAZUNGU).select_option("1")
        page.get_by_label(NEED_WANJIRU).select_option("2")
        page.get_by_role("button", name="Save my ranking").click()
        expect(page.get_by_text("Your ranking is saved")).to_be_visible()

    # The facilitator closes the ranking: the top groups become the priorities.
    sign_in(page, "ruth")
    open_alliance(page)
    page.get_by_role("link", name="Pre-assessment").first.click()
    expect(page.get_by_text("2 of 2 members ranked")).to_be_visible()
    page.get_by_role("link", name="Close the ranking").click()
    expect(page.get_by_label("How many priority reform areas to keep")).to_have_value("2")
    page.get_by_role("button", name="Close the ranking").click()
    expect(
        page.get_by_text("The ranking is closed: 2 priority reform areas are agreed.")
    ).to_be_visible()
    assert list(alliance.priorities.values_list("title", flat=True)) == [
        NEED_KAZUNGU,
        NEED_WANJIRU,
    ]

    # 4. Learning strategy: the facilitator starts it…
    page.get_by_role("link", name="Learning strategy").first.click()
    page.get_by_role("button", name="Add a part for every learner who has none").click()
    expect(page.get_by_text("2 members now have a part to fill in and confirm.")).to_be_visible()
    expect(page.get_by_text("0 of 2 parts confirmed.")).to_be_visible()

    # …and each peer fills in their part and confirms it.
    parts = {
        "kazungu": ("Kazungu", "Wanjiru", NEED_KAZUNGU, "Half the market fees paid by phone."),
        "wanjiru": ("Wanjiru", "Kazungu", NEED_WANJIRU, "An up-to-date valuation roll."),
    }
    for username, (name, teacher, topic, result) in parts.items():
        sign_in(page, username)
        open_alliance(page)
        page.get_by_role("link", name="Learning strategy").first.click()
        part_card(page, name).get_by_role("link", name="Edit").click()
        expect(
            page.get_by_role("heading", name=f"{name}'s part of the learning strategy")
        ).to_be_visible()
        page.get_by_label("Expected result for the home organisation").fill(result)
        page.get_by_label("What I learn").fill(f"How {teacher}'s county handles it")
        page.get_by_label("Shared topic").select_option(label=topic)
        page.get_by_label("From whom").select_option(label=teacher)
        page.get_by_label("Exchange visit").check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("Your part is saved. Confirm it when it is right.")).to_be_visible()
        card = part_card(page, name)
        expect(card.get_by_text(result)).to_be_visible()
        card.get_by_role("button", name="Confirm my part").click()
        expect(part_card(page, name).get_by_text("Confirmed", exact=True)).to_be_visible()
    assert StrategyPart.objects.filter(alliance=alliance, confirmed_at__isnull=False).count() == 2

    # 5. An activity: yesterday's exchange visit, its attendance and its calendar file.
    sign_in(page, "ruth")
    open_alliance(page)
    page.get_by_role("link", name="Activities and action plans").click()
    page.get_by_role("link", name="Schedule an activity").click()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    page.get_by_label("Kind").select_option("exchange_visit")
    page.get_by_label("Title").fill("Exchange visit to Kilifi market")
    page.get_by_label("Time zone").select_option("Africa/Nairobi")
    page.get_by_label("Starts").fill(f"{yesterday.isoformat()}T09:00")
    page.get_by_label("Ends").fill(f"{yesterday.isoformat()}T16:00")
    page.get_by_label("Place").fill("Kilifi county offices")
    for name in ("Kazungu", "Wanjiru"):
        expect(page.get_by_label(name)).to_be_checked()
    page.get_by_role("button", name="Schedule and invite").click()
    # Recorded once it is over: nobody is invited, and the page says what to do next.
    expect(
        page.get_by_text("The activity is recorded. It is over, so nobody is invited")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Exchange visit to Kilifi market")).to_be_visible()
    page.get_by_label("Kazungu").check()
    page.get_by_label("Wanjiru").check()
    page.get_by_label("Ruth").uncheck()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance recorded.")).to_be_visible()
    participants = page.get_by_role("table").first
    expect(participants.get_by_role("row", name=re.compile("Kazungu Yes"))).to_be_visible()
    expect(participants.get_by_role("row", name=re.compile("Wanjiru Yes"))).to_be_visible()
    ics_href = page.get_by_role("link", name="Add to my calendar (.ics)").get_attribute("href")
    ics = page.request.get(ics_href)
    assert ics.ok
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "Exchange visit to Kilifi market" in ics.text()
    activity = Activity.objects.get(alliance=alliance)
    attended = activity.participations.filter(attended=True)
    assert set(attended.values_list("user__username", flat=True)) == {"kazungu", "wanjiru"}

    # 6. An action plan for Kilifi County: an action owned by Kazungu, with a milestone.
    page.get_by_role("link", name=ALLIANCE).first.click()
    page.get_by_role("link", name="Start an action plan for a member organisation").click()
    page.get_by_label("Organisation").select_option(label="Kilifi County")
    page.get_by_label("Title").fill("Mobile money for market fees")
    page.get_by_label("Goal").fill("Half the market fees paid by phone within a year.")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", name="Mobile money for market fees")).to_be_visible()
    page.get_by_label(re.compile(r"^Action:?$")).fill("Pilot mobile payments at Kilifi market")
    page.get_by_label("Owner").select_option(label="Kazungu")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("Action added.")).to_be_visible()
    expect(page.get_by_text("Owner: Kazungu")).to_be_visible()
    page.get_by_text("Add a milestone").click()
    due = dt.date.today() + dt.timedelta(days=30)
    page.get_by_label(re.compile(r"^Milestone:?$")).fill("Pay bill number live at the market")
    page.get_by_label("Due on").fill(due.isoformat())
    page.get_by_label(re.compile(r"^Status:?$")).select_option("in_progress")
    page.get_by_role("button", name="Add the milestone").click()
    expect(page.get_by_text("Milestone added.")).to_be_visible()
    plan_url = page.url

    # The action's owner marks the milestone done.
    sign_in(page, "kazungu")
    open_alliance(page)
    page.get_by_role("link", name="Activities and action plans").click()
    page.get_by_role("link", name="Mobile money for market fees").click()
    row = page.get_by_role("row", name=re.compile("Pay bill number live"))
    row.get_by_label("Status").select_option("done")
    row.get_by_label("Evidence link").fill("https://kilifi.example.org/market-paybill")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Milestone updated.")).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("Pay bill number live")).get_by_label("Status")
    ).to_have_value("done")
    assert Milestone.objects.get(title="Pay bill number live at the market").status == (
        MilestoneStatus.DONE
    )

    # 7. The facilitator moves the alliance on, stage by stage, with a reason each time.
    sign_in(page, "ruth")
    for target, reason in MOVES:
        open_alliance(page)
        page.get_by_role("link", name=f"Move on to “{target.label}”").click()
        expect(page.get_by_role("heading", name=f"Move on to “{target.label}”?")).to_be_visible()
        page.get_by_label("Why now").fill(reason)
        confirm = page.get_by_label(
            "Move on although some of this stage's questions are still open"
        )
        if target == AllianceStage.FOUNDATIONAL:
            # Every pre-foundational question was answered: nothing to confirm.
            expect(confirm).to_have_count(0)
        else:
            expect(page.locator(".open-questions li").first).to_be_visible()
            confirm.check()
        page.get_by_role("button", name=f"Move on to “{target.label}”").click()
        expect(page.get_by_text(f"{ALLIANCE} is now at “{target.label}”")).to_be_visible()

    # The stage timeline shows every move, with its reason.
    history = page.locator("details").filter(has_text="Stage history")
    for target, reason in MOVES:
        expect(history.get_by_text(f"{target.label} (Ruth): {reason}")).to_be_visible()
    expect(page.locator(".stages [aria-current=step]")).to_have_text("Learning applied at scale")

    # 8. At the end: priorities, confirmed parts, attendance, the milestone, the stage.
    alliance.refresh_from_db()
    assert alliance.stage == AllianceStage.APPLIED_AT_SCALE
    assert [
        (c.to_stage, c.note)
        for c in StageChange.objects.filter(alliance=alliance, to_stage__gt=0).order_by("id")
    ] == [(t.value, r) for t, r in MOVES]
    priorities = page.get_by_role("region", name="Priority reform areas")
    expect(priorities.get_by_role("listitem")).to_have_count(2)
    expect(priorities.get_by_role("listitem").first).to_contain_text(NEED_KAZUNGU)
    page.get_by_role("link", name="Learning strategy").first.click()
    expect(page.get_by_text("2 of 2 parts confirmed.")).to_be_visible()
    expect(page.locator("article.card .tag", has_text="Confirmed")).to_have_count(2)
    page.goto(plan_url)
    expect(
        page.get_by_role("row", name=re.compile("Pay bill number live")).get_by_label("Status")
    ).to_have_value("done")
    page.goto(f"/activities/{activity.id}/")
    expect(page.get_by_role("row", name=re.compile("Kazungu Yes"))).to_be_visible()

    # The facilitator's dashboard lists the alliance, at Phase 4.
    page.goto("/facilitation/")
    dashboard_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=ALLIANCE))
    expect(dashboard_row).to_have_count(1)
    expect(dashboard_row).to_contain_text("Learning applied at scale")

    # 9. Its work done, the facilitator closes the alliance: a note is asked for first.
    open_alliance(page)
    page.get_by_role("link", name="Close the alliance").click()
    expect(page.get_by_role("heading", name=f"Close {ALLIANCE}?")).to_be_visible()
    page.get_by_role("button", name="Close the alliance").click()
    note_field = page.locator(".field.invalid").filter(has_text="Say what the alliance achieved")
    expect(note_field).to_have_count(1)
    page.get_by_label("What the alliance achieved, or why it stops").fill(
        "Kilifi collects market fees by mobile money; Kwale follows in March."
    )
    confirm = page.get_by_label("Close although some of this stage's questions are still open")
    if confirm.count():
        confirm.check()
    page.get_by_role("button", name="Close the alliance").click()
    expect(
        page.get_by_text(f"{ALLIANCE} is closed; its members are told by e-mail.")
    ).to_be_visible()
    expect(page.locator(".notice.closed")).to_contain_text("Kwale follows in March.")
    expect(page.get_by_role("link", name="Reopen the alliance")).to_be_visible()
    alliance.refresh_from_db()
    assert alliance.closed_on is not None

    # The key pages of the walk fit a 390 px phone screen, for the facilitator and a peer.
    slug = alliance.slug
    common = [
        f"/alliances/{slug}/",
        f"/alliances/{slug}/pre-assessment/",
        f"/alliances/{slug}/strategy/",
        f"/activities/alliance/{slug}/",
        f"/activities/{activity.id}/",
        plan_url,
    ]
    part_id = StrategyPart.objects.get(alliance=alliance, member__username="kazungu").id
    pages = {
        "ruth": [
            *common,
            f"/alliances/{slug}/checklist/",
            f"/alliances/{slug}/reopen/",
            "/facilitation/",
        ],
        "kazungu": [*common, f"/alliances/{slug}/strategy/parts/{part_id}/"],
    }
    overflowing = []
    page.set_viewport_size(PHONE)
    for username, urls in pages.items():
        sign_in(page, username)
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, (username, url)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                overflowing.append((username, url, width))
    assert overflowing == []
