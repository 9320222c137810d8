"""Pages and API share the access layer: what each viewer gets, and what they may do."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timezone import get_default_timezone

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.conftest import in_time_zone_of
from peerlearn.evidence import services
from peerlearn.evidence.models import DiaryEntry, Indicator, OutcomeStatement, ScorecardSheet
from peerlearn.evidence.principles import CODES
from peerlearn.evidence.services.results import computed_unit

from .conftest import TODAY, on_day

API = "/api/v1/evidence"


@pytest.fixture(autouse=True)
def _one_today_for_test_and_page() -> Iterator[None]:
    """The site's day is "today" for the test and for the pages it asks alike. A page
    reads it in its reader's zone (Nairobi's day turns three hours before UTC), so late
    in the UTC evening a round the test opens "tomorrow" would already be open on the
    page. Days read from a given moment keep the reader's zone."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        if value is None and timezone is None:
            return real(timezone=get_default_timezone())
        return real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


def client(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(getattr(user, "user", user))
    return c


@pytest.fixture
def chain(ev: SimpleNamespace) -> SimpleNamespace:
    ev.alliance_indicator = services.indicator_create(
        alliance=ev.public_alliance,
        created_by=ev.facilitator,
        level=4,
        result="More revenue",
        name="Alliance-only revenue figure",
        unit="KES",
        visibility=Visibility.ALLIANCE,
    )
    ev.public_indicator = services.indicator_create(
        alliance=ev.public_alliance,
        created_by=ev.facilitator,
        level=3,
        result="Cashless fees",
        name="Published cashless share",
        unit="%",
        visibility=Visibility.PUBLIC,
    )
    services.indicator_period_save(
        indicator=ev.alliance_indicator,
        saved_by=ev.facilitator,
        starts_on=TODAY,
        ends_on=TODAY,
        note="Secret period note",
    )
    return ev


def test_the_alliance_page_shows_what_the_viewer_may_see(chain: SimpleNamespace) -> None:
    url = f"/evidence/alliances/{chain.public_alliance.slug}/"
    anonymous = client().get(url).content.decode()
    assert "Published cashless share" in anonymous
    assert "Alliance-only revenue figure" not in anonymous
    assert "Add an indicator" not in anonymous
    member = client(chain.member_platform).get(url).content.decode()
    assert "Alliance-only revenue figure" in member
    assert "Add an indicator" not in member
    assert "Add an indicator" in client(chain.facilitator).get(url).content.decode()
    # Tables read on narrow screens.
    assert 'data-label="Indicator"' in member


def test_an_items_visibility_reads_no_wider_than_its_alliance(chain: SimpleNamespace) -> None:
    """A "public" indicator of an alliance only signed-in users see is refused; one chosen
    public while the alliance was public reaches signed-in users only once the alliance
    is narrowed, and says so."""
    fields = {
        "created_by": chain.facilitator,
        "level": 3,
        "result": "Cashless fees",
        "name": "Chosen public, alliance on the platform",
        "unit": "%",
        "visibility": Visibility.PUBLIC,
    }
    alliance = chain.platform_alliance
    with pytest.raises(ValidationError) as refused:
        services.indicator_create(alliance=alliance, **fields)
    assert refused.value.message_dict["visibility"] == [
        "The alliance is seen by signed-in users only: choose Platform or a narrower level."
    ]
    alliance.visibility = Visibility.PUBLIC
    alliance.save()
    indicator = services.indicator_create(alliance=alliance, **fields)
    alliance.visibility = Visibility.PLATFORM
    alliance.save()
    for url in (
        f"/evidence/alliances/{chain.platform_alliance.slug}/",
        f"/evidence/indicators/{indicator.id}/",
    ):
        assert client().get(url).status_code == 404
        page = client(chain.facilitator).get(url).content.decode()
        assert "Platform — signed-in users" in page, url
        assert (
            'Platform — signed-in users <small class="help">(chosen: Public — anyone; no '
            "wider than its alliance)</small>"
        ) in page, url
    # Changed, it keeps the level it reaches now, not the narrowest on offer.
    edit = client(chain.facilitator).get(f"/evidence/indicators/{indicator.id}/edit/")
    assert edit.context["form"]["visibility"].value() == "platform"
    assert '<option value="platform" selected>' in edit.content.decode()
    # Its forms offer no level wider than the alliance, and say why.
    for new in ("indicators", "outcomes", "rounds"):
        url = f"/evidence/alliances/{chain.platform_alliance.slug}/{new}/new/"
        form = client(chain.facilitator).get(url)
        assert [c[0] for c in form.context["form"].fields["visibility"].choices] == [
            "private",
            "alliance",
            "platform",
        ], new
        assert "is seen by signed-in users only: its results reach no further." in (
            form.content.decode()
        )
    # Where the alliance is public, the level chosen is the level shown.
    page = client().get(f"/evidence/indicators/{chain.public_indicator.id}/").content.decode()
    assert "Public — anyone" in page and "no wider than its alliance" not in page


def test_an_indicator_page_is_404_beyond_its_level(chain: SimpleNamespace) -> None:
    url = f"/evidence/indicators/{chain.alliance_indicator.id}/"
    assert client().get(url).status_code == 404
    assert client(chain.outsider).get(url).status_code == 404
    page = client(chain.member_platform).get(url)
    assert page.status_code == 200
    assert "Secret period note" in page.content.decode()
    assert "Record a period" not in page.content.decode()
    assert client(chain.member_platform).post(url, {}).status_code == 403


def test_a_facilitator_adds_an_indicator_and_sees_errors_by_the_field(
    chain: SimpleNamespace,
) -> None:
    url = f"/evidence/alliances/{chain.public_alliance.slug}/indicators/new/"
    assert client(chain.member_platform).get(url).status_code == 403
    c = client(chain.facilitator)
    data = {
        "level": 4,
        "result": "More revenue",
        "name": "Own-source revenue",
        "kind": "quantitative",
        "unit": "",
        "source": "manual",
        "visibility": "alliance",
    }
    bad = c.post(url, data)
    assert bad.status_code == 400
    assert "needs a unit" in bad.content.decode()
    assert c.post(url, {**data, "unit": "KES"}).status_code == 302
    assert Indicator.objects.filter(name="Own-source revenue").exists()
    # A computed count needs no unit from the facilitator: it counts what it computes.
    computed = {**data, "name": "Activities held", "source": "activities_held"}
    assert c.post(url, computed).status_code == 302
    assert Indicator.objects.get(name="Activities held").unit == "activities"
    with translation.override("fr"):
        assert computed_unit("distinct_participants", "") == "participants"
        assert computed_unit("total_attendance", "") == "présences"
    assert computed_unit("total_attendance", " visits ") == "visits"
    assert computed_unit("manual", "") == ""


def test_a_negative_share_is_refused_beside_its_field_on_the_page_and_in_the_api(
    chain: SimpleNamespace,
) -> None:
    """The published indicator's unit is "%": a share, from 0 to 100."""
    url = f"/evidence/indicators/{chain.public_indicator.id}/"
    period = {"starts_on": "2025-01-01", "ends_on": "2025-12-31", "target_value": "-5"}
    page = client(chain.facilitator).post(url, period)
    assert page.status_code == 400
    assert re.search(
        r'id="id_target_value_error">A share in per cent lies between 0 and 100',
        page.content.decode(),
    )
    api = _post(
        chain.facilitator,
        f"{API}/indicators/{chain.public_indicator.id}/periods",
        {**period, "target_value": 120},
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["body", "target_value"]
    assert "give a figure from 0 to 100" in api.json()["detail"][0]["msg"]
    assert not chain.public_indicator.periods.filter(starts_on="2025-01-01").exists()


def test_a_refused_period_opens_the_page_at_its_form(chain: SimpleNamespace) -> None:
    # Without JavaScript the error page would open at its top, the form far below.
    url = f"/evidence/indicators/{chain.alliance_indicator.id}/"
    c = client(chain.facilitator)
    assert f'action="{url}#record-h"' in c.get(url).content.decode()
    bad = c.post(url, {"starts_on": TODAY.isoformat(), "ends_on": ""})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="record-h"' in html and f'action="{url}#record-h"' in html
    # Once saved, the page opens at its confirmation, not at the form again.
    done = c.post(url, {"starts_on": TODAY.isoformat(), "ends_on": TODAY.isoformat()})
    assert done.status_code == 302 and done.url == f"{url}#messages"
    assert "The period is recorded." in c.get(url).content.decode()


def test_the_round_page_draws_the_radar_and_takes_a_scorecard(chain: SimpleNamespace) -> None:
    found = services.scorecard_round_create(
        alliance=chain.public_alliance,
        created_by=chain.facilitator,
        title="First round",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate(),
        visibility=Visibility.PUBLIC,
    )
    url = f"/evidence/rounds/{found.id}/"
    data = {"kind": "self", **{f"score_{c}": "4" for c in CODES}, "comment_trust": "Good"}
    assert client(chain.outsider).post(url, data).status_code == 403
    missing = client(chain.member_platform).post(url, {"kind": "self"})
    assert missing.status_code == 400
    # Every score is needed, said beside each, and none is marked "(optional)".
    shown = missing.content.decode()
    assert shown.count("Score this from 1 (not at all) to 5 (fully).") >= len(CODES)
    assert "(optional)</span></legend>" not in shown
    assert client(chain.member_platform).post(url, data).status_code == 302
    assert ScorecardSheet.objects.filter(round=found).count() == 1
    # Changing it starts from the answers given.
    again = client(chain.member_platform).get(url).content.decode()
    (four,) = re.findall(r'<input type="radio" name="score_trust"[^>]*value="4"[^>]*>', again)
    assert "checked" in four
    assert 'name="comment_trust" value="Good"' in again
    anonymous = client().get(url).content.decode()
    assert "<svg" in anonymous and "Importance of trust" in anonymous
    assert "Good" not in anonymous  # comments stay inside
    assert "Good" in client(chain.member_platform).get(url).content.decode()


def test_diary_pages(chain: SimpleNamespace) -> None:
    assert client().get("/evidence/diary/").status_code == 302
    c = client(chain.member_platform)
    response = c.post(
        "/evidence/diary/",
        {
            "kind": "learned",
            "title": "Sacco payments",
            "text": "They pay for members",
            "written_on": TODAY.isoformat(),
            "visibility": "private",
        },
    )
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(title="Sacco payments")
    assert c.get(f"/evidence/diary/{entry.id}/").status_code == 200
    assert client(chain.facilitator).get(f"/evidence/diary/{entry.id}/").status_code == 404
    assert "Sacco payments" in c.get("/evidence/diary/").content.decode()
    fragment = c.get("/evidence/diary/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="results"' in fragment and "<html" not in fragment


def test_a_diary_entry_cannot_be_dated_in_the_future(chain: SimpleNamespace) -> None:
    c = client(chain.member_platform)
    entry = {"kind": "learned", "title": "Ahead", "text": "Not yet.", "visibility": "private"}
    # "Today" is the writer's: pages run in their time zone (Nairobi's date turns three
    # hours before the site's).
    with in_time_zone_of(chain.member_platform.user):
        today = timezone.localdate()
    late = (today + dt.timedelta(days=30)).isoformat()
    response = c.post("/evidence/diary/", {**entry, "written_on": late})
    assert response.status_code == 400
    shown = response.content.decode()
    assert f"{date_format(today + dt.timedelta(days=30))} is still to come" in shown
    assert f"today ({date_format(today)}) or an earlier date" in shown
    assert not DiaryEntry.objects.filter(title="Ahead").exists()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()  # a writer east of the site's zone
    assert c.post("/evidence/diary/", {**entry, "written_on": tomorrow}).status_code == 302
    # A date far back is a slip of the keyboard; an entry past 20,000 characters is refused.
    ancient = c.post("/evidence/diary/", {**entry, "title": "Old", "written_on": "1901-01-01"})
    assert ancient.status_code == 400
    assert "is too far back: give the day it happened, from" in ancient.content.decode()
    long = c.post(
        "/evidence/diary/",
        {**entry, "title": "Long", "text": "x" * 20001, "written_on": today.isoformat()},
    )
    assert long.status_code == 400
    assert "Shorten this to 20000 characters or fewer (it has 20001)." in long.content.decode()
    assert not DiaryEntry.objects.filter(title__in=["Old", "Long"]).exists()


def test_an_end_before_its_start_is_named_beside_the_end_field(chain: SimpleNamespace) -> None:
    """The model's check constraints never answer in their own names."""
    from peerlearn.evidence.models import ScorecardRound

    c = client(chain.facilitator)
    page = c.post(
        reverse("evidence:round_new", args=[chain.public_alliance.slug]),
        {"title": "Mid-term", "opens_on": "2026-12-20", "closes_on": "2026-12-10",
         "visibility": "alliance"},
    )  # fmt: skip
    shown = page.content.decode()
    assert page.status_code == 400 and "Constraint" not in shown
    assert 'id="id_closes_on_error">A round closes on or after the day it opens.' in shown
    assert not ScorecardRound.objects.filter(title="Mid-term").exists()
    page = c.post(
        reverse("evidence:indicator", args=[chain.public_indicator.id]),
        {"starts_on": "2027-06-30", "ends_on": "2027-01-01"},
    )
    shown = page.content.decode()
    assert page.status_code == 400 and "Constraint" not in shown
    assert 'id="id_ends_on_error">The period must end on or after its start date.' in shown
    # A period still to come takes a target, not an actual value.
    later = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    page = c.post(
        reverse("evidence:indicator", args=[chain.public_indicator.id]),
        {"starts_on": later, "ends_on": later, "actual_value": "12"},
    )
    assert page.status_code == 400
    assert "This period has not begun" in page.content.decode()


def test_a_baseline_or_transfer_cannot_be_dated_in_the_future(chain: SimpleNamespace) -> None:
    from peerlearn.evidence.models import KnowledgeTransfer

    later = timezone.localdate() + dt.timedelta(days=400)
    with pytest.raises(ValidationError) as e:
        services.transfer_create(
            created_by=chain.facilitator,
            alliance=chain.private_alliance,
            practice="Seasonal ticket",
            origin_organisation=chain.county_b,
            origin_country=chain.county_b.country,
            adopters=[chain.county_a],
            transferred_on=later,
            status="considered",
            visibility=Visibility.PUBLIC,
        )
    assert "transferred_on" in e.value.message_dict
    assert not KnowledgeTransfer.objects.filter(practice="Seasonal ticket").exists()


def test_the_transfer_form_names_a_wrong_country_and_a_duplicate(chain: SimpleNamespace) -> None:
    """The browser walk: a Kenyan county given as a Ghanaian origin was saved and listed as
    "(Ghana)"; the same transfer entered twice was kept twice."""
    from peerlearn.evidence.models import KnowledgeTransfer

    c = client(chain.facilitator)
    url = reverse("evidence:transfer_new")
    data = {
        "alliance": "",
        "practice": "Seasonal bus-park ticket",
        "origin_organisation": chain.county_b.id,
        "origin_country": "GH",
        "adopters": [chain.county_a.id],
        "transferred_on": TODAY.isoformat(),
        "status": "adopted",
        "visibility": "public",
    }
    page = c.post(url, data)
    shown = page.content.decode()
    assert page.status_code == 400
    assert (
        'id="id_origin_country_error">Kisumu County is in Kenya: choose Kenya as the origin '
        "country" in shown
    )
    assert not KnowledgeTransfer.objects.exists()
    assert c.post(url, {**data, "origin_country": "KE"}).status_code == 302
    page = c.post(url, {**data, "origin_country": "KE"})
    shown = page.content.decode()
    assert page.status_code == 400
    assert 'id="id_practice_error">This transfer is already in the register: ' in shown
    assert KnowledgeTransfer.objects.count() == 1
    register = client().get("/evidence/").content.decode()
    assert "Kisumu County (Kenya)" in register and "(Ghana)" not in register


def test_the_transfer_form_takes_the_organisations_country_and_says_every_problem_at_once(
    chain: SimpleNamespace,
) -> None:
    from peerlearn.evidence.models import KnowledgeTransfer

    c = client(chain.facilitator)
    url = reverse("evidence:transfer_new")
    data = {
        "alliance": "",
        "practice": "Market-day receipts by SMS",
        "origin_organisation": chain.county_b.id,
        "origin_country": "GH",
        "adopters": [chain.county_a.id, chain.county_b.id],
        "transferred_on": TODAY.isoformat(),
        "status": "adopted",
        "visibility": "public",
    }
    page = c.post(url, data)
    shown = page.content.decode()
    # Both problems on the first answer, each beside its field.
    assert page.status_code == 400
    assert 'id="id_origin_country_error">Kisumu County is in Kenya' in shown
    assert 'id="id_adopters_error">The origin organisation cannot adopt its own practice' in shown
    assert not KnowledgeTransfer.objects.exists()
    # Left empty, the country is the origin organisation's.
    done = c.post(url, {**data, "origin_country": "", "adopters": [chain.county_a.id]})
    assert done.status_code == 302
    assert KnowledgeTransfer.objects.get().origin_country == chain.county_b.country


def test_insights_only_for_facilitators(chain: SimpleNamespace) -> None:
    assert client(chain.member_platform).post("/evidence/insights/", {}).status_code == 403
    assert (
        "Write an insight" in client(chain.facilitator).get("/evidence/insights/").content.decode()
    )


def test_an_insight_reads_as_formatted_text(chain: SimpleNamespace) -> None:
    """An insight is Markdown (a discussion's published summary is): its page shows the
    formatting, never the marks or an author's HTML, and the list shows the words alone."""
    shared = services.diary_entry_create(
        author=chain.member_platform.user,
        title="Shared",
        text="x",
        written_on=TODAY,
        alliance=chain.public_alliance,
        visibility=Visibility.PUBLIC,
    )
    insight = services.insight_create(
        created_by=chain.facilitator,
        title="What the pilots taught",
        text="# Lessons\n\n- **Mobile** receipts\n- Fewer [leaks](https://example.org)\n\n"
        "<script>alert(1)</script>",
        sources=[shared],
        alliance=chain.public_alliance,
        visibility=Visibility.PUBLIC,
    )
    page = client(chain.facilitator).get(f"/evidence/insights/{insight.id}/").content.decode()
    assert "<h3>Lessons</h3>" in page
    assert "<li><strong>Mobile</strong> receipts</li>" in page
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">leaks</a>' in page
    assert "**" not in page and "<script>alert" not in page
    listing = client(chain.facilitator).get("/evidence/insights/").content.decode()
    assert "Lessons Mobile receipts Fewer leaks" in " ".join(listing.split())
    assert "**Mobile**" not in listing


def test_index_shows_the_graph_and_its_table(chain: SimpleNamespace) -> None:
    services.transfer_create(
        created_by=chain.facilitator,
        alliance=chain.private_alliance,
        practice="Seasonal ticket",
        origin_organisation=chain.county_b,
        origin_country=chain.county_b.country,
        adopters=[chain.county_a],
        transferred_on=TODAY,
        status="adopted",
        visibility=Visibility.PUBLIC,
    )
    page = client().get("/evidence/").content.decode()
    assert "<svg" in page and 'class="flow-edges"' in page
    assert "Seasonal ticket" in page
    transfer_id = chain.private_alliance.transfers.get().id
    detail = client().get(f"/evidence/transfers/{transfer_id}/").content.decode()
    assert chain.private_alliance.name not in detail


# --- the API -------------------------------------------------------------------------------


def test_api_results_chain_by_viewer(chain: SimpleNamespace) -> None:
    url = f"{API}/alliances/{chain.public_alliance.slug}/results"
    assert client().get(url).status_code == 401

    def names(user: Any) -> set[str]:
        body = client(user).get(url).json()
        return {i["name"] for level in body["levels"] for i in level["indicators"]}

    assert names(chain.outsider) == {"Published cashless share"}
    assert names(chain.member_platform) == {
        "Published cashless share",
        "Alliance-only revenue figure",
    }
    r = client(chain.outsider).get(f"{API}/indicators/{chain.alliance_indicator.id}")
    assert r.status_code == 404


def _post(user: Any, url: str, body: dict[str, Any]) -> Any:
    return client(user).post(url, json.dumps(body), content_type="application/json")


def test_api_writes(chain: SimpleNamespace) -> None:
    url = f"{API}/alliances/{chain.public_alliance.slug}/outcomes"
    body = {
        "social_actor": "Kisumu revenue department",
        "change_kind": "practice",
        "description": "Seasonal tickets",
        "observed_on": "2026-01-10",
        "place": "Kisumu",
        "significance": "More revenue",
        "contribution": "Discussed in the alliance",
        "substantiation": "substantiated",
        "sdg_target": "16.6",
    }
    assert _post(chain.member_platform, url, body).status_code == 403
    bad = _post(chain.facilitator, url, body)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "substantiator"]
    made = _post(chain.facilitator, url, {**body, "substantiator": "Chief Officer"})
    assert made.status_code == 201, made.content
    assert made.json()["sdg_target"] == "16.6"
    assert OutcomeStatement.objects.count() == 1

    period = _post(
        chain.facilitator,
        f"{API}/indicators/{chain.public_indicator.id}/periods",
        {"starts_on": "2026-01-01", "ends_on": "2025-12-01"},
    )
    assert period.status_code == 422
    assert period.json()["detail"][0]["loc"] == ["body", "ends_on"]

    entry = _post(
        chain.member_platform,
        f"{API}/diary",
        {"title": "Learned", "text": "x", "written_on": "2026-05-01", "visibility": "alliance"},
    )
    assert entry.status_code == 201
    own = client(chain.member_platform).get(f"{API}/diary").json()
    assert own["count"] == 1 and own["items"][0]["title"] == "Learned"
    assert client(chain.outsider).get(f"{API}/diary").json()["count"] == 0
    insight = _post(
        chain.facilitator,
        f"{API}/insights",
        {"title": "An insight", "text": "x", "sources": [entry.json()["id"]]},
    )
    assert insight.status_code == 201, insight.content
    assert (
        _post(
            chain.member_platform, f"{API}/insights", {"title": "x", "text": "x", "sources": [1]}
        ).status_code
        == 422
    )


def test_api_scorecard_and_flow(chain: SimpleNamespace) -> None:
    today = timezone.localdate()
    made = _post(
        chain.facilitator,
        f"{API}/alliances/{chain.public_alliance.slug}/rounds",
        {"title": "First", "opens_on": str(today), "closes_on": str(today + dt.timedelta(days=14))},
    )
    assert made.status_code == 201
    round_id = made.json()["id"]
    sheet = {"kind": "self", "scores": [{"item": c, "score": 2, "comment": "c"} for c in CODES]}
    # The round is alliance-level: hidden from the outsider; the funder sees it, but only
    # members fill it in.
    assert _post(chain.outsider, f"{API}/rounds/{round_id}/sheets", sheet).status_code == 404
    chain.public_alliance.funders.add(chain.donor)
    assert _post(chain.funder, f"{API}/rounds/{round_id}/sheets", sheet).status_code == 403
    answer = _post(chain.member_platform, f"{API}/rounds/{round_id}/sheets", sheet)
    assert answer.status_code == 200
    assert answer.json()["overall"] == 2.0
    assert len(answer.json()["sheets"]) == 1
    flow = client(chain.outsider).get(f"{API}/knowledge-flow").json()
    assert flow == {"node_count": 0, "edges": []}
    assert client(chain.outsider).get(f"{API}/rounds/{round_id}").status_code == 404


def test_demo_evidence_is_idempotent(db: None) -> None:
    from peerlearn.accounts.models import User
    from peerlearn.demo.load import load_demo
    from peerlearn.evidence.demo import seed_demo
    from peerlearn.evidence.models import KnowledgeTransfer, ScorecardRound
    from peerlearn.evidence.selectors import scorecard_rounds

    today = dt.date(2026, 6, 1)
    load_demo(peers=0, today=today)
    counts = (Indicator.objects.count(), ScorecardSheet.objects.count())
    seed_demo(today)
    assert (Indicator.objects.count(), ScorecardSheet.objects.count()) == counts
    transfer = KnowledgeTransfer.objects.get()
    assert transfer.visibility == Visibility.PUBLIC
    assert OutcomeStatement.objects.count() == 2
    alliance = ScorecardRound.objects.select_related("alliance").first().alliance  # type: ignore[union-attr]
    facilitator = User.objects.get(username="facilitator")
    rounds = scorecard_rounds(reader=facilitator, alliance=alliance)
    assert len(rounds) == 2
    assert rounds[0].overall is not None and rounds[1].overall is not None
    assert rounds[1].overall > rounds[0].overall
    # Each scorecard was filled in while its round was open: a closed round's title can be
    # corrected without moving its dates.
    for found in ScorecardRound.objects.all():
        for sheet in found.sheets.all():
            assert found.opens_on <= timezone.localdate(sheet.submitted_at) <= found.closes_on
        services.scorecard_round_update(
            scorecard_round=found,
            updated_by=facilitator,
            title=f"{found.title} (corrected)",
            opens_on=found.opens_on,
            closes_on=found.closes_on,
            visibility=found.visibility,
        )
    # The knowledge-flow graph shows the demo's transfer to anyone, drawn and as a table.
    from peerlearn.evidence.selectors import knowledge_flow

    flow = knowledge_flow(reader=None)
    assert [(e.practice, e.source, e.target) for e in flow.edges] == [
        (transfer.practice, str(transfer.origin_organisation), str(a))
        for a in transfer.adopters.all()
    ]
    assert transfer.practice in flow.svg
    page = Client().get(reverse("evidence:index")).content.decode()
    assert "<svg" in page and transfer.practice in page


def test_api_lists_are_paged_and_filtered(chain: SimpleNamespace) -> None:
    services.transfer_create(
        created_by=chain.facilitator,
        alliance=chain.private_alliance,
        practice="Seasonal ticket",
        origin_organisation=chain.county_b,
        origin_country=chain.county_b.country,
        adopters=[chain.county_a],
        transferred_on=TODAY,
        status="adopted",
        visibility=Visibility.PUBLIC,
    )
    entry = services.diary_entry_create(
        author=chain.member_platform.user,
        title="Shared",
        text="x",
        written_on=TODAY,
        alliance=chain.public_alliance,
        visibility=Visibility.ALLIANCE,
    )
    services.insight_create(
        created_by=chain.facilitator,
        title="Open insight",
        text="x",
        sources=[entry],
        alliance=chain.public_alliance,
        visibility=Visibility.PUBLIC,
    )
    outsider = client(chain.outsider)
    transfers = outsider.get(f"{API}/transfers").json()
    assert transfers["count"] == 1
    # The transfer is public, its draft alliance is not named.
    assert transfers["items"][0]["alliance"] is None
    admin = client(chain.admin).get(f"{API}/transfers").json()
    assert admin["items"][0]["alliance"] == chain.private_alliance.slug
    insights = outsider.get(f"{API}/insights").json()
    assert insights["items"][0]["sources"] == []  # the source entry is alliance-only
    assert client(chain.member_platform).get(f"{API}/insights").json()["items"][0]["sources"] == [
        entry.id
    ]
    assert outsider.get(f"{API}/outcomes").json()["count"] == 0


def test_the_transfer_form_finds_organisations_by_name_with_their_country(
    world: SimpleNamespace,
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.facilitator)
    typed = client.post(
        "/evidence/transfers/new/", {"practice": "x", "origin_organisation__q": "county"}
    )
    assert typed.status_code == 400
    assert "Kisumu County — Kenya" in typed.content.decode()


def test_a_transfer_is_registered_from_the_alliances_evidence_page(world: SimpleNamespace) -> None:
    """The alliance's evidence page links its facilitators to the register's form with the
    alliance chosen; others get neither the link nor the alliance."""
    page = client(world.facilitator).get(f"/evidence/alliances/{world.inner.slug}/")
    link = f"/evidence/transfers/new/?alliance={world.inner.slug}"
    assert link in page.content.decode()
    form = client(world.facilitator).get(link).context["form"]
    assert form.initial["alliance"] == world.inner
    member = client(world.member_alliance.user)
    assert link not in member.get(f"/evidence/alliances/{world.inner.slug}/").content.decode()
    other = client(world.admin).get("/evidence/transfers/new/?alliance=no-such-alliance")
    assert other.context["form"].initial["alliance"] is None


@pytest.mark.parametrize("form", ["indicators/new", "outcomes/new", "rounds/new"])
def test_an_alliances_evidence_names_that_alliance_as_its_readers(
    world: SimpleNamespace, form: str
) -> None:
    """Not "members of my learning alliances": an indicator, outcome or round at alliance
    level is read inside its own alliance."""
    page = client(world.facilitator).get(f"/evidence/alliances/{world.inner.slug}/{form}/")
    html = page.content.decode()
    assert "Alliance — this alliance&#x27;s members, facilitators and funders" in html
    assert "members of my learning alliances" not in html


def test_the_author_changes_shares_and_deletes_a_diary_entry(ev: SimpleNamespace) -> None:
    """An entry written private is shared later from its page, and deleted after asking;
    nobody else may change it, and a date before its alliance starts is refused beside the
    date, with nothing saved."""
    author = ev.member_alliance.user
    entry = services.diary_entry_create(author=author, title="Mine", text="x", written_on=TODAY)
    page = client(author).get(f"/evidence/diary/{entry.id}/").content.decode()
    assert f"/evidence/diary/{entry.id}/edit/" in page and "Back to my diary" in page
    edit = f"/evidence/diary/{entry.id}/edit/"
    form = {
        "kind": entry.kind,
        "title": "Mine, shared",
        "text": "What the exchange visit taught us.",
        "written_on": TODAY.isoformat(),
        "alliance": ev.inner.id,
        "visibility": Visibility.ALLIANCE,
    }
    # Before the alliance starts: refused beside the date, nothing saved.
    ev.inner.starts_on = TODAY
    ev.inner.save(update_fields=["starts_on"])
    early = client(author).post(edit, {**form, "written_on": "1999-01-01"})
    assert early.status_code == 400
    assert early.context["form"].errors["written_on"] == [
        f"{ev.inner.name} starts on {date_format(TODAY, 'DATE_FORMAT')}: date the entry from "
        "then on, or choose no alliance."
    ]
    entry.refresh_from_db()
    assert entry.title == "Mine" and entry.visibility == Visibility.PRIVATE
    saved = client(author).post(edit, form)
    assert saved.status_code == 302 and saved["Location"] == f"/evidence/diary/{entry.id}/"
    entry.refresh_from_db()
    assert entry.visibility == Visibility.ALLIANCE and entry.alliance == ev.inner
    # A member of the alliance now reads it, and may neither change nor delete it.
    other = client(ev.member_platform.user)
    assert (
        "What the exchange visit taught us."
        in other.get(f"/evidence/diary/{entry.id}/").content.decode()
    )
    assert edit not in other.get(f"/evidence/diary/{entry.id}/").content.decode()
    assert other.post(edit, form).status_code == 403
    assert other.post(f"/evidence/diary/{entry.id}/delete/").status_code == 403
    assert client(ev.outsider.user).get(edit).status_code == 404
    # Deleting asks first.
    asked = client(author).get(f"/evidence/diary/{entry.id}/delete/")
    assert "Delete this diary entry?" in asked.content.decode()
    assert DiaryEntry.objects.filter(id=entry.id).exists()
    gone = client(author).post(f"/evidence/diary/{entry.id}/delete/")
    assert gone.status_code == 302 and not DiaryEntry.objects.filter(id=entry.id).exists()


def test_an_outcome_names_a_missing_substantiator_and_a_future_date_together(
    world: SimpleNamespace,
) -> None:
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client(world.facilitator).post(
        f"/evidence/alliances/{world.inner.slug}/outcomes/new/",
        {
            "social_actor": "Makueni County Treasury",
            "change_kind": "practice",
            "description": "Collects market fees by mobile money.",
            "observed_on": future,
            "place": "Makueni",
            "significance": "Less cash handled.",
            "contribution": "Learned from Kisumu.",
            "substantiation": "substantiated",
            "substantiator": "",
            "effect": "positive",
            "intended": "on",
            "visibility": Visibility.ALLIANCE,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["substantiator"] == [
        "Name who substantiated the outcome, or set the status to “not yet”."
    ]
    assert errors["observed_on"] == ["An outcome is harvested once it happened: use a past date."]
    assert not OutcomeStatement.objects.exists()


# --- a round's dates, and changing or deleting what was recorded -------------------------


def _round_of(w: SimpleNamespace, opens: dt.date, closes: dt.date, title: str = "A round") -> Any:
    """A public round of the public alliance, as if opened on its opening day."""
    with on_day(opens):
        return services.scorecard_round_create(
            alliance=w.public_alliance,
            created_by=w.facilitator,
            title=title,
            opens_on=opens,
            closes_on=closes,
            visibility=Visibility.PUBLIC,
        )


SHEET = {"kind": "self", **{f"score_{c}": "4" for c in CODES}}
API_SHEET = {"kind": "self", "scores": [{"item": c, "score": 3, "comment": ""} for c in CODES]}


def test_a_closed_or_coming_round_shows_why_instead_of_the_form(chain: SimpleNamespace) -> None:
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    closed = _round_of(chain, today - 10 * day, today - day, "Closed")
    coming = _round_of(chain, today + day, today + 3 * day, "Coming")
    member = client(chain.member_platform)
    for found, statement in (
        (closed, f"This round closed on {date_format(today - day)}: its scorecards are final."),
        (coming, f"This round opens on {date_format(today + day)}."),
    ):
        url = f"/evidence/rounds/{found.id}/"
        page = member.get(url)
        html = page.content.decode()
        assert statement in html
        assert page.context["form"] is None and 'name="score_trust"' not in html
        assert page.context["d"].can_fill_in is False
        refused = member.post(url, SHEET)
        assert refused.status_code == 400 and statement in refused.content.decode()
        assert 'name="score_trust"' not in refused.content.decode()
        # The API: 422, keyed by the date, for a member; 403 for a non-member who sees it.
        answer = _post(chain.member_platform, f"{API}/rounds/{found.id}/sheets", API_SHEET)
        assert answer.status_code == 422
        field = "closes_on" if found == closed else "opens_on"
        assert answer.json()["detail"][0]["loc"] == ["body", field]
        assert answer.json()["detail"][0]["msg"] == statement
        assert _post(chain.outsider, f"{API}/rounds/{found.id}/sheets", API_SHEET).status_code == (
            403
        )
        detail = client(chain.member_platform).get(f"{API}/rounds/{found.id}").json()
        assert detail["can_fill_in"] is False and detail["closed_statement"] == statement
    assert not ScorecardSheet.objects.exists()


def test_within_its_dates_a_member_changes_their_scorecard(chain: SimpleNamespace) -> None:
    today = timezone.localdate()
    found = _round_of(chain, today - dt.timedelta(days=2), today)  # its closing day
    url = f"/evidence/rounds/{found.id}/"
    member = client(chain.member_platform)
    assert member.get(url).context["d"].closed_statement == ""
    assert member.post(url, SHEET).status_code == 302
    assert "Change your scorecard" in member.get(url).content.decode()
    assert member.post(url, {**SHEET, "score_trust": "2"}).status_code == 302
    answer = _post(chain.member_platform, f"{API}/rounds/{found.id}/sheets", API_SHEET)
    assert answer.status_code == 200 and answer.json()["can_fill_in"] is True
    assert ScorecardSheet.objects.get().scores.get(item="trust").score == 3


def test_a_round_closing_in_the_past_is_refused_beside_its_field(chain: SimpleNamespace) -> None:
    url = f"/evidence/alliances/{chain.public_alliance.slug}/rounds/new/"
    today = timezone.localdate()
    response = client(chain.facilitator).post(
        url,
        {
            "title": "Late",
            "opens_on": (today - dt.timedelta(days=9)).isoformat(),
            "closes_on": (today - dt.timedelta(days=1)).isoformat(),
            "visibility": "alliance",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["closes_on"] == [
        "This closing date has passed: choose today or a later day to close the round."
    ]


def test_a_facilitator_changes_and_deletes_an_indicator_from_its_page(
    chain: SimpleNamespace,
) -> None:
    indicator = chain.alliance_indicator
    page = f"/evidence/indicators/{indicator.id}/"
    edit, delete = f"{page}edit/", f"{page}delete/"
    assert edit in client(chain.facilitator).get(page).content.decode()
    assert edit not in client(chain.member_platform).get(page).content.decode()
    assert client(chain.member_platform).get(edit).status_code == 403
    assert client(chain.member_platform).post(delete).status_code == 403
    assert client(chain.outsider).get(edit).status_code == 404
    c = client(chain.facilitator)
    form = c.get(edit)
    assert form.status_code == 200 and form.context["form"]["name"].value() == indicator.name
    data = {
        "level": 4,
        "result": "More revenue",
        "name": "Own-source revenue, corrected",
        "kind": "quantitative",
        "unit": "",
        "source": "manual",
        "visibility": "alliance",
    }
    bad = c.post(edit, data)
    assert bad.status_code == 400 and "needs a unit" in bad.content.decode()
    assert c.post(edit, {**data, "unit": "KES"}).url == page
    indicator.refresh_from_db()
    assert indicator.name == "Own-source revenue, corrected"
    asked = c.get(delete).content.decode()
    assert "Delete this indicator?" in asked
    assert "Its 1 recorded period, with its target and actual value, is deleted with it." in asked
    gone = c.post(delete)
    assert gone.url == f"/evidence/alliances/{chain.public_alliance.slug}/"
    assert not Indicator.objects.filter(id=indicator.id).exists()


def test_a_facilitator_records_a_substantiators_answer_and_deletes_an_outcome(
    chain: SimpleNamespace,
) -> None:
    outcome = services.outcome_create(
        alliance=chain.public_alliance,
        created_by=chain.facilitator,
        social_actor="Kisumu revenue department",
        change_kind="practice",
        description="Seasonal tickets",
        observed_on=TODAY,
        place="Kisumu",
        significance="More revenue",
        contribution="Discussed in the alliance",
        substantiator="Chief Officer",
        substantiation="pending",
        visibility=Visibility.PUBLIC,
    )
    page = f"/evidence/outcomes/{outcome.id}/"
    edit, delete = f"{page}edit/", f"{page}delete/"
    assert edit in client(chain.facilitator).get(page).content.decode()
    assert edit not in client().get(page).content.decode()
    assert client(chain.member_platform).get(edit).status_code == 403
    assert client(chain.member_platform).post(delete).status_code == 403
    c = client(chain.facilitator)
    form = c.get(edit)
    assert form.context["form"]["substantiation"].value() == "pending"
    assert "Who changed: the person, team or organisation" in form.content.decode()
    data = {
        "social_actor": "Kisumu revenue department",
        "change_kind": "practice",
        "description": "Seasonal tickets",
        "observed_on": TODAY.isoformat(),
        "place": "Kisumu",
        "significance": "More revenue",
        "contribution": "Discussed in the alliance",
        "substantiator": "",
        "substantiation": "substantiated",
        "effect": "positive",
        "intended": "on",
        "visibility": "public",
    }
    bad = c.post(edit, data)
    assert bad.status_code == 400 and "substantiator" in bad.context["form"].errors
    assert c.post(edit, {**data, "substantiator": "Chief Officer"}).url == page
    outcome.refresh_from_db()
    assert outcome.substantiation == "substantiated"
    assert "Substantiated" in c.get(page).content.decode()
    assert "Delete this outcome?" in c.get(delete).content.decode()
    assert c.post(delete).status_code == 302
    assert not OutcomeStatement.objects.exists()


def test_a_round_no_one_filled_in_is_deleted_and_one_with_scorecards_is_kept(
    chain: SimpleNamespace,
) -> None:
    today = timezone.localdate()
    empty = _round_of(chain, today, today, "Empty")
    filled = _round_of(chain, today, today, "Filled")
    assert client(chain.member_platform).post(
        f"/evidence/rounds/{filled.id}/", SHEET
    ).status_code == (302)
    c = client(chain.facilitator)
    assert (
        f"/evidence/rounds/{empty.id}/delete/"
        in c.get(f"/evidence/rounds/{empty.id}/").content.decode()
    )
    assert f"/evidence/rounds/{filled.id}/delete/" not in (
        c.get(f"/evidence/rounds/{filled.id}/").content.decode()
    )
    assert (
        client(chain.member_platform).post(f"/evidence/rounds/{empty.id}/delete/").status_code
        == 403
    )
    kept = c.get(f"/evidence/rounds/{filled.id}/delete/")
    assert kept.context["can_delete"] is False and "Delete the round" not in kept.content.decode()
    refused = c.post(f"/evidence/rounds/{filled.id}/delete/")
    assert refused.status_code == 400
    assert "1 scorecard is recorded in this round" in refused.content.decode()
    assert (
        "Delete this scorecard round?"
        in c.get(f"/evidence/rounds/{empty.id}/delete/").content.decode()
    )
    assert c.post(f"/evidence/rounds/{empty.id}/delete/").status_code == 302
    assert list(chain.public_alliance.scorecard_rounds.values_list("title", flat=True)) == [
        "Filled"
    ]


def test_api_changes_and_deletes_indicators_outcomes_and_rounds(chain: SimpleNamespace) -> None:
    url = f"{API}/indicators/{chain.public_indicator.id}"
    assert (
        client(chain.member_platform)
        .patch(url, json.dumps({"name": "x"}), content_type="application/json")
        .status_code
        == 403
    )
    c = client(chain.facilitator)
    changed = c.patch(url, json.dumps({"name": "Cashless share"}), content_type="application/json")
    assert changed.status_code == 200 and changed.json()["name"] == "Cashless share"
    assert changed.json()["unit"] == "%"  # left as it was
    wide = c.patch(
        f"{API}/indicators/{chain.alliance_indicator.id}",
        json.dumps({"unit": ""}),
        content_type="application/json",
    )
    assert wide.status_code == 422 and wide.json()["detail"][0]["loc"] == ["body", "unit"]
    assert client(chain.member_platform).delete(url).status_code == 403
    assert c.delete(url).status_code == 204
    assert not Indicator.objects.filter(id=chain.public_indicator.id).exists()

    made = _post(
        chain.facilitator,
        f"{API}/alliances/{chain.public_alliance.slug}/outcomes",
        {
            "social_actor": "Kisumu revenue department",
            "change_kind": "practice",
            "description": "Seasonal tickets",
            "observed_on": "2026-01-10",
            "place": "Kisumu",
            "significance": "More revenue",
            "contribution": "Discussed in the alliance",
            "substantiator": "Chief Officer",
            "substantiation": "pending",
            "sdg_target": "16.6",
        },
    ).json()
    outcome_url = f"{API}/outcomes/{made['id']}"
    answered = c.patch(
        outcome_url,
        json.dumps({"substantiation": "substantiated", "sdg_target": ""}),
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["substantiation"] == "substantiated"
    assert answered.json()["sdg_target"] is None
    assert answered.json()["social_actor"] == "Kisumu revenue department"
    assert client(chain.member_platform).delete(outcome_url).status_code == 403
    assert c.delete(outcome_url).status_code == 204

    today = timezone.localdate()
    filled = _round_of(chain, today, today, "Filled")
    _post(chain.member_platform, f"{API}/rounds/{filled.id}/sheets", API_SHEET)
    kept = c.delete(f"{API}/rounds/{filled.id}")
    assert kept.status_code == 422 and kept.json()["detail"][0]["loc"] == ["body", "round"]
    empty = _round_of(chain, today, today, "Empty")
    assert client(chain.member_platform).delete(f"{API}/rounds/{empty.id}").status_code == 403
    assert c.delete(f"{API}/rounds/{empty.id}").status_code == 204


def test_an_insight_reads_no_wider_than_its_alliance(chain: SimpleNamespace) -> None:
    alliance = chain.platform_alliance
    alliance.visibility = Visibility.PUBLIC
    alliance.save()
    insight = services.insight_create(
        created_by=chain.facilitator,
        title="Chosen public",
        text="x",
        sources=[],
        alliance=alliance,
        visibility=Visibility.PUBLIC,
        drawn_from_discussion=True,
    )
    alliance.visibility = Visibility.PLATFORM
    alliance.save()
    shown = (
        'Platform — signed-in users <small class="help">(chosen: Public — anyone; no '
        "wider than its alliance)</small>"
    )
    assert (
        shown in client(chain.facilitator).get(f"/evidence/insights/{insight.id}/").content.decode()
    )
    assert shown in client(chain.facilitator).get("/evidence/insights/").content.decode()
    assert client().get(f"/evidence/insights/{insight.id}/").status_code == 404


@pytest.mark.parametrize(
    ("who", "in_alliance", "may"),
    [
        ("facilitator", True, True),  # runs the alliance
        ("admin", True, True),
        ("other_facilitator", True, False),
        ("member_platform", True, False),  # a member, not a facilitator
        ("facilitator", False, True),  # recorded it, outside any alliance
        ("other_facilitator", False, False),
        ("admin", False, True),
    ],
)
def test_who_changes_or_deletes_a_transfer(
    chain: SimpleNamespace, who: str, in_alliance: bool, may: bool
) -> None:
    from peerlearn.conftest import make_user
    from peerlearn.evidence.models import KnowledgeTransfer

    chain.other_facilitator = make_user("other_fac", role=Role.FACILITATOR)
    transfer = services.transfer_create(
        created_by=chain.facilitator,
        alliance=chain.public_alliance if in_alliance else None,
        practice="Seasonal bus-park ticket",
        origin_organisation=chain.county_b,
        origin_country=chain.county_b.country,
        adopters=[chain.county_a],
        transferred_on=TODAY,
        status="considered",
        visibility=Visibility.PUBLIC,
    )
    c = client(getattr(chain, who))
    page = c.get(reverse("evidence:transfer", args=[transfer.id])).content.decode()
    edit = reverse("evidence:transfer_edit", args=[transfer.id])
    assert (edit in page) is may
    form = {
        "alliance": chain.public_alliance.id if in_alliance else "",
        "practice": "Seasonal bus-park ticket",
        "origin_organisation": chain.county_b.id,
        "origin_country": "",
        "adopters": [chain.county_a.id],
        "transferred_on": TODAY.isoformat(),
        "status": "adopted",
        "visibility": "public",
    }
    changed = c.post(edit, form)
    delete = c.post(reverse("evidence:transfer_delete", args=[transfer.id]))
    if not may:
        assert changed.status_code == 403 and delete.status_code == 403
        assert KnowledgeTransfer.objects.get().status == "considered"
        return
    # Saved unchanged but for its status: not a duplicate of itself.
    assert changed.status_code == 302
    assert delete.status_code == 302 and not KnowledgeTransfer.objects.exists()


def test_a_transfers_status_moves_on_and_its_page_says_so(chain: SimpleNamespace) -> None:
    transfer = services.transfer_create(
        created_by=chain.facilitator,
        alliance=chain.public_alliance,
        practice="Seasonal bus-park ticket",
        origin_organisation=chain.county_b,
        origin_country=chain.county_b.country,
        adopters=[chain.county_a],
        transferred_on=TODAY,
        status="considered",
        visibility=Visibility.PUBLIC,
    )
    c = client(chain.facilitator)
    edit = reverse("evidence:transfer_edit", args=[transfer.id])
    assert 'value="Seasonal bus-park ticket"' in c.get(edit).content.decode()
    bad = c.post(edit, {"practice": "", "status": "adopted"})
    assert bad.status_code == 400 and 'id="id_practice_error"' in bad.content.decode()
    saved = c.post(
        edit,
        {
            "alliance": chain.public_alliance.id,
            "practice": "Seasonal bus-park ticket",
            "origin_organisation": chain.county_b.id,
            "origin_country": "KE",
            "adopters": [chain.county_a.id],
            "transferred_on": TODAY.isoformat(),
            "status": "scaled",
            "visibility": "public",
        },
        follow=True,
    )
    page = saved.content.decode()
    assert "The transfer is saved." in page and "Scaled" in page
    gone = c.get(reverse("evidence:transfer_delete", args=[transfer.id])).content.decode()
    assert "leaves the knowledge-transfer register" in gone and "Keep it" in gone


def test_an_insight_is_changed_or_deleted_by_its_author(chain: SimpleNamespace) -> None:
    from peerlearn.conftest import make_user
    from peerlearn.evidence.models import Insight

    def entry(title: str) -> DiaryEntry:
        return services.diary_entry_create(
            author=chain.member_platform.user,
            title=title,
            text="x",
            written_on=TODAY,
            alliance=chain.public_alliance,
            visibility=Visibility.ALLIANCE,
        )

    first, second = entry("Market day"), entry("Bus park")
    insight = services.insight_create(
        created_by=chain.facilitator,
        title="Receipts by phone",
        text="Fewer leaks.",
        sources=[first, second],
        alliance=chain.public_alliance,
        visibility=Visibility.ALLIANCE,
    )
    # Its second source is no longer shared with the facilitator: a change keeps it.
    second.visibility = Visibility.PRIVATE
    second.save()
    edit = reverse("evidence:insight_edit", args=[insight.id])
    other = make_user("other_fac", role=Role.FACILITATOR)
    assert client(other).get(edit).status_code in (403, 404)
    c = client(chain.facilitator)
    page = c.get(reverse("evidence:insight", args=[insight.id])).content.decode()
    assert edit in page
    form = {
        "title": "Receipts by phone, two counties",
        "text": "Fewer leaks.",
        "alliance": chain.public_alliance.id,
        "sources": [first.id],
        "visibility": "public",
    }
    assert c.post(edit, form).status_code == 302
    insight.refresh_from_db()
    assert insight.title == "Receipts by phone, two counties"
    assert set(insight.sources.all()) == {first, second}
    delete = reverse("evidence:insight_delete", args=[insight.id])
    assert client(other).post(delete).status_code in (403, 404)
    assert c.post(delete).status_code == 302
    assert not Insight.objects.exists() and DiaryEntry.objects.filter(id=first.id).exists()


def test_a_round_is_changed_and_reopened_from_its_page_and_the_api(chain: SimpleNamespace) -> None:
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    found = _round_of(chain, today - 10 * day, today - day, "Baseline")
    page = f"/evidence/rounds/{found.id}/"
    edit = f"/evidence/rounds/{found.id}/edit/"
    c = client(chain.facilitator)
    assert edit in c.get(page).content.decode()
    assert edit not in client(chain.member_platform).get(page).content.decode()
    assert client(chain.member_platform).get(edit).status_code == 403
    form = c.get(edit)
    assert form.status_code == 200 and form.context["form"]["title"].value() == "Baseline"
    fields = {
        "title": "Baseline",
        "opens_on": found.opens_on.isoformat(),
        "closes_on": found.closes_on.isoformat(),
        "visibility": Visibility.PUBLIC,
    }
    # Its closing day passed, and it may stay: only the title changes.
    saved = c.post(edit, {**fields, "title": "Baseline (March)"}, follow=True)
    assert "The scorecard round is saved." in saved.content.decode()
    found.refresh_from_db()
    assert found.title == "Baseline (March)" and found.closes_on == today - day
    # Another day past is refused beside the field; nothing changes.
    refused = c.post(edit, {**fields, "closes_on": (today - 2 * day).isoformat()})
    assert refused.status_code == 400
    assert refused.context["form"].errors["closes_on"] == [
        "This closing date has passed: choose today or a later day to close the round."
    ]
    found.refresh_from_db()
    assert found.closes_on == today - day
    # Reopened by a later closing day: members fill it in again.
    assert c.post(edit, {**fields, "closes_on": (today + 3 * day).isoformat()}).status_code == 302
    assert client(chain.member_platform).post(page, SHEET).status_code == 302
    # The API changes only the fields given; a round cannot open after its first scorecard.
    api = f"{API}/rounds/{found.id}"
    assert (
        client(chain.member_platform)
        .patch(api, json.dumps({"title": "x"}), content_type="application/json")
        .status_code
        == 403
    )
    renamed = c.patch(api, json.dumps({"title": "Round one"}), content_type="application/json")
    assert renamed.status_code == 200 and renamed.json()["title"] == "Round one"
    assert renamed.json()["closes_on"] == (today + 3 * day).isoformat()
    # (Two days on: the scorecard's own day is read in its author's zone, maybe tomorrow.)
    late = c.patch(
        api,
        json.dumps({"opens_on": (today + 2 * day).isoformat()}),
        content_type="application/json",
    )
    assert late.status_code == 422 and late.json()["detail"][0]["loc"] == ["body", "opens_on"]


def test_api_changes_and_deletes_transfers_and_insights(chain: SimpleNamespace) -> None:
    transfer = services.transfer_create(
        created_by=chain.facilitator,
        alliance=chain.public_alliance,
        practice="Seasonal ticket",
        origin_organisation=chain.county_b,
        origin_country=chain.county_b.country,
        adopters=[chain.county_a],
        transferred_on=TODAY,
        status="considered",
        visibility=Visibility.PUBLIC,
    )
    url = f"{API}/transfers/{transfer.id}"

    def patch(who: Any, where: str, body: dict[str, Any]) -> Any:
        return client(who).patch(where, json.dumps(body), content_type="application/json")

    assert patch(chain.member_platform, url, {"status": "adopted"}).status_code == 403
    adopted = patch(chain.facilitator, url, {"status": "adopted"})
    assert adopted.status_code == 200
    assert adopted.json()["status"] == "adopted"
    assert adopted.json()["practice"] == "Seasonal ticket"  # left as it was
    assert [a["id"] for a in adopted.json()["adopters"]] == [chain.county_a.id]
    # The service's checks hold: the origin cannot adopt its own practice.
    own = patch(chain.facilitator, url, {"adopters": [chain.county_b.id]})
    assert own.status_code == 422
    assert patch(chain.facilitator, url, {"origin_country": "XX"}).status_code == 422
    assert client(chain.member_platform).delete(url).status_code == 403
    assert client(chain.facilitator).delete(url).status_code == 204

    entry = services.diary_entry_create(
        author=chain.member_platform.user,
        title="Shared",
        text="Seasonal tickets cut queues at the gate.",
        written_on=TODAY,
        alliance=chain.public_alliance,
        visibility=Visibility.ALLIANCE,
    )
    insight = services.insight_create(
        created_by=chain.facilitator,
        title="Tickets",
        text="Seasonal tickets work.",
        sources=[entry],
        alliance=chain.public_alliance,
        visibility=Visibility.ALLIANCE,
    )
    url = f"{API}/insights/{insight.id}"
    assert patch(chain.admin, url, {"title": "Tickets, a year on"}).status_code == 200
    assert patch(chain.member_platform, url, {"title": "Mine"}).status_code in (403, 404)
    changed = patch(chain.facilitator, url, {"text": "Seasonal tickets work for small traders."})
    assert changed.status_code == 200
    assert changed.json()["title"] == "Tickets, a year on"
    assert changed.json()["sources"] == [entry.id]  # kept when not given
    wide = patch(chain.facilitator, url, {"sources": [entry.id + 1000]})
    assert wide.status_code == 422 and wide.json()["detail"][0]["loc"] == ["body", "sources"]
    assert client(chain.facilitator).delete(url).status_code == 204
    assert DiaryEntry.objects.filter(id=entry.id).exists()


def test_a_patch_leaving_visibility_out_keeps_the_level_the_item_reaches(
    chain: SimpleNamespace,
) -> None:
    """An indicator saved public when its alliance was; the alliance narrowed since: a PATCH
    of its name alone is not refused as too wide, and keeps the level it reaches now."""
    indicator = chain.public_indicator
    assert indicator.visibility == Visibility.PUBLIC
    alliance = indicator.alliance
    alliance.visibility = Visibility.PLATFORM
    alliance.save(update_fields=["visibility"])
    renamed = client(chain.facilitator).patch(
        f"{API}/indicators/{indicator.id}",
        json.dumps({"name": "Cashless share, renamed"}),
        content_type="application/json",
    )
    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["visibility"] == Visibility.PLATFORM
