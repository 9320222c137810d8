"""A facilitator runs a matching over a theme, reviews the proposals and their explanations,
sends them; peers accept; the facilitator confirms, and the new alliance shows its members —
in a real browser."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import expect

from peerlearn.access.roles import Role
from peerlearn.conftest import TEST_PASSWORD, make_peer, make_user
from peerlearn.core.models import Country
from peerlearn.matchmaking.models import MatchingRun, Proposal, ProposalRole
from peerlearn.matchmaking.services import proposal_respond
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import statement_create
from tests.browser.checks import PageChecks

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THEME = "Revenue and public financial management"


@pytest.fixture
def revenue_peers(live_server: Any, settings: Any) -> SimpleNamespace:
    """Three counties that need help and three that have done it, and a facilitator."""
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"  # instant, and no model to load
    w = SimpleNamespace()
    needs = [
        ("achieng", "KE", "Market fees leak", "Cash collection of market fees leaks revenue."),
        ("baraka", "UG", "Outdated valuation roll", "Our property rates valuation roll is old."),
        ("chidi", "GH", "Audit backlog", "Revenue collectors' audits are years behind."),
    ]
    offers = [
        ("dora", "KE", "Market fees by mobile money", "We moved market fees to mobile money."),
        ("esi", "UG", "A new valuation roll", "We rebuilt the property rates valuation roll."),
        ("faith", "GH", "Risk-based audits", "Risk-based audit teams cleared the backlog."),
    ]
    w.peers = {}
    for model, rows in ((Challenge, needs), (Experience, offers)):
        for username, country, title, description in rows:
            organisation = organisation_create(
                name=f"{username.title()} County",
                type=OrganisationType.LOCAL_GOVERNMENT,
                country=Country.objects.get(code=country),
            )
            peer = make_peer(username, organisation)
            statement_create(
                model=model,
                peer=peer,
                theme="revenue-pfm",
                title=title,
                description=description,
            )
            w.peers[username] = peer
    w.facilitator = make_user("wanjiru", role=Role.FACILITATOR)
    return w


def sign_in(page: Any, username: str, checks: PageChecks | None = None) -> None:
    page.context.clear_cookies()
    if checks:
        checks.who = ""
    page.goto("/accounts/login/")
    if checks:
        checks.check()
        checks.who = username
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name=re.compile("Welcome")).wait_for()
    if checks:
        checks.check()


def test_the_rules_button_shows_rules_and_enter_runs_the_matching(
    page: Any, revenue_peers: SimpleNamespace
) -> None:
    """With JavaScript on, "Show the rules for this kind" (there for readers without it) shows
    the rules without checking the rest of the form; Enter in a field runs the matching."""
    sign_in(page, "wanjiru")
    page.goto("/matching/runs/new/")
    page.get_by_label("Pairs (Type I)").check()
    page.get_by_label("Seekers each provider can help").wait_for()
    with page.expect_response(re.compile(r"/matching/runs/new/$")) as shown:
        page.get_by_role("button", name="Show the rules for this kind").click()
    assert shown.value.status == 200
    page.get_by_label("Seekers each provider can help").wait_for()
    expect(page.locator("#error-summary")).to_have_count(0)
    page.get_by_label("Peers working on a theme").check()
    page.get_by_label(re.compile(r"^Theme")).select_option(label=THEME)
    page.get_by_label("Or name the new learning alliance").fill("Revenue pairs")
    page.get_by_label("Or name the new learning alliance").press("Enter")
    page.get_by_role("heading", name="3 proposals").wait_for(timeout=60_000)
    assert MatchingRun.objects.get().alliance_name == "Revenue pairs"


def test_facilitator_runs_reviews_and_confirms_a_matching(
    page: Any, checks: PageChecks, revenue_peers: SimpleNamespace
) -> None:
    """At 1280 px and at 390 px: the facilitator runs a matching, reads the summary, sends
    after confirming, follows the answer counts, and confirms a pair only once both
    accepted."""
    w = revenue_peers

    # Run: a pairs matching over the theme's peers.
    sign_in(page, "wanjiru", checks)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Matching").click()
    checks.check()
    page.get_by_role("link", name="Run a matching").first.click()
    # What to form first: choosing it brings that kind's rules in.
    page.get_by_label("Pairs (Type I)").check()
    page.get_by_label("Seekers each provider can help").wait_for()
    page.get_by_label("Peers working on a theme").check()
    page.get_by_label(re.compile(r"^Theme")).select_option(label=THEME)
    checks.check()
    page.get_by_label("Or name the new learning alliance").fill("Revenue pairs")
    # Tests run the matching inside the request (no worker), with the sentence model, which
    # the server process loads on its first run: allow it the navigation's time.
    page.get_by_role("button", name="Run the matching").click(timeout=60_000)

    # Review: three proposals, each with its reasons; peers see nothing yet.
    page.get_by_role("heading", name="3 proposals").wait_for()
    checks.check()
    # One line per proposal naming its two members, with its fit; each opens on demand.
    lines = page.locator("ol.proposal-list details.proposal > summary")
    expect(lines).to_have_count(3)
    for line in lines.all():
        assert re.search(r"\w+ and \w+$", line.locator("h3").inner_text())
        assert line.bounding_box()["height"] < 100  # a line or two, even at 390 px
    expect(lines.filter(has_text="Achieng")).to_contain_text(re.compile("fit: (strong|good|fair)"))
    amina_pair = page.locator("details.proposal", has_text="Achieng")
    expect(amina_pair.get_by_text("Dora can help Achieng")).to_be_hidden()
    amina_pair.locator("summary").click()
    assert "Dora can help Achieng" in amina_pair.inner_text()
    assert "shared working language: English" in amina_pair.inner_text()
    checks.check(again=True)  # with a proposal open
    assert "Peers see nothing yet" in page.content()
    run = MatchingRun.objects.get()
    assert run.proposals.count() == 3 and run.status == "draft"
    page.get_by_role("link", name="Send the proposals to the peers…").click()
    # A confirmation first, saying how many will be e-mailed.
    page.get_by_text("Send 3 proposals to 6 peers?").wait_for()
    checks.check()
    page.get_by_role("button", name="Send and e-mail 6 peers").click()
    page.get_by_text("The proposals were sent").wait_for()
    expect(page.locator(".facts .answers")).to_have_text(
        "0 accepted · 0 declined · 0 not now · 6 not answered"
    )
    checks.check(again=True)

    # Achieng accepts from her home page.
    proposal = Proposal.objects.get(
        run=run, members__peer=w.peers["achieng"], members__role=ProposalRole.SEEKER
    )
    sign_in(page, "achieng", checks)
    section = page.locator("section", has=page.get_by_role("heading", name="Proposed matches"))
    section.get_by_role("button", name="Accept").click()
    page.get_by_text("You accepted.").wait_for()
    checks.check(again=True)

    # The facilitator sees the answers come in, and cannot confirm the pair yet.
    sign_in(page, "wanjiru", checks)
    counts = "1 accepted · 0 declined · 0 not now · 5 not answered"
    matching = page.locator("section", has=page.get_by_role("heading", name="Matching"))
    expect(matching.locator(".answers")).to_have_text(counts)
    page.goto(f"/matching/runs/{run.id}/")
    expect(page.locator(".facts .answers")).to_have_text(counts)
    checks.check()
    page.goto(f"/matching/proposals/{proposal.id}/")
    expect(page.get_by_text("1 accepted · ")).to_be_visible()
    expect(page.get_by_text("Not answered yet: Dora")).to_be_visible()
    checks.check()
    page.get_by_label("Name of the new learning alliance").fill("Market fee pair")
    page.get_by_role("button", name="Confirm and form the alliance").click()
    expect(
        page.get_by_text("1 of 2 members accepted; this matching needs at least 2")
    ).to_be_visible()
    checks.check()
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and proposal.alliance is None

    # Dora accepts from the proposal page.
    sign_in(page, "dora", checks)
    page.get_by_role("link", name=re.compile("proposal 1|proposal 2|proposal 3")).first.click()
    expect(page.get_by_text("Why these peers")).to_be_visible()
    checks.check()
    # htmx is loaded (a deferred script: it may run after the first content shows).
    page.wait_for_function("typeof window.htmx === 'object'")
    page.get_by_role("button", name="Accept").click()
    # With htmx only the answer is replaced; without it the page reloads: both show this.
    page.locator("#answer").get_by_text("Accepted", exact=True).wait_for()
    checks.check(again=True)
    # Another pair answers through the services: one accepts, one declines.
    other = Proposal.objects.get(
        run=run, members__peer=w.peers["baraka"], members__role=ProposalRole.SEEKER
    )
    proposal_respond(proposal=other, peer=w.peers["baraka"], answer="accept")
    proposal_respond(
        proposal=other, peer=w.peers["esi"], answer="decline", decline_reason="no_time"
    )

    # Confirm: both accepted, the facilitator forms the alliance.
    sign_in(page, "wanjiru", checks)
    page.goto(f"/matching/runs/{run.id}/")
    expect(page.locator(".facts .answers")).to_have_text(
        "3 accepted · 1 declined · 0 not now · 2 not answered"
    )
    checks.check(again=True)
    achieng = page.locator("details.proposal", has_text="Achieng")
    achieng.locator("summary").click()
    achieng.get_by_role("link", name="Review answers and confirm").click()
    expect(page.get_by_text("2 accepted · ")).to_be_visible()
    checks.check(again=True)
    page.get_by_label("Name of the new learning alliance").fill("Market fee pair")
    page.get_by_role("button", name="Confirm and form the alliance").click()

    page.get_by_role("heading", name="Market fee pair", level=1).wait_for()
    checks.check()
    members = page.locator("section", has=page.get_by_role("heading", name="Members"))
    text = members.inner_text()
    assert "Achieng" in text and "Dora" in text and "Wanjiru" in text
    assert "Baraka" not in text
    proposal.refresh_from_db()
    assert proposal.status == "confirmed" and proposal.alliance.name == "Market fee pair"
    assert proposal.alliance.type == "I"


def test_a_peer_declines_for_lack_of_time(
    page: Any, checks: PageChecks, revenue_peers: SimpleNamespace
) -> None:
    """At 1280 px and at 390 px: no excluded pair is created, and the partner reads
    "Not joining", never the reason."""
    from peerlearn.matchmaking.models import ExcludedPair
    from peerlearn.matchmaking.services import matching_run_create, matching_run_propose

    w = revenue_peers
    run = matching_run_propose(
        run=matching_run_create(
            created_by=w.facilitator,
            kind="pairs",
            source="theme",
            theme="revenue-pfm",
            alliance_name="Revenue pairs",
        )
    )
    proposal = Proposal.objects.get(
        run=run, members__peer=w.peers["achieng"], members__role=ProposalRole.SEEKER
    )
    partner = proposal.members.exclude(peer=w.peers["achieng"]).get().peer
    sign_in(page, "achieng", checks)
    page.goto(f"/matching/proposals/{proposal.id}/")
    expect(page.get_by_text("Members answer by")).to_be_visible()
    page.get_by_text("Decline this proposal").click()
    checks.check()  # with the reasons open
    # Declining without a reason: the error takes the focus and is in view (on a phone the
    # form's top, where htmx swaps the answer in, is far above the button).
    page.get_by_role("button", name="Decline", exact=True).click()
    error = page.locator("#id_decline_reason_error")
    expect(error).to_be_focused()
    expect(error).to_be_in_viewport()
    checks.check(again=True)
    page.get_by_label("I have no time for this").check()
    page.get_by_label("Anything to add (optional)").fill("Too busy this quarter")
    page.get_by_role("button", name="Decline", exact=True).click()
    page.locator("#answer").get_by_text("Declined", exact=True).wait_for()
    expect(page.get_by_text("Other members only read that you are not joining")).to_be_visible()
    checks.check(again=True)
    assert not ExcludedPair.objects.exists()

    sign_in(page, partner.user.username, checks)
    page.goto(f"/matching/proposals/{proposal.id}/")
    members = page.locator("section", has=page.get_by_role("heading", name="Who"))
    expect(members.get_by_text("Not joining")).to_be_visible()
    checks.check()
    assert "Declined" not in members.inner_text()
    assert "Too busy" not in page.content()
