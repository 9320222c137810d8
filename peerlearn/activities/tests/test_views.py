"""The pages: who gets which answer on each, and the forms doing their work without
JavaScript."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peerlearn.activities import services
from peerlearn.activities.models import Activity, ActivityFeedback, MilestoneStatus
from peerlearn.activities.tests.world import VIEWERS, held, schedule
from peerlearn.conftest import in_time_zone_of

pytestmark = pytest.mark.django_db

READ = {"facilitator", "peer_a", "peer_b", "funder", "admin"}
MANAGE = {"facilitator", "admin"}


def client_as(w: SimpleNamespace, name: str) -> Client:
    client = Client()
    if name != "anonymous":
        client.force_login(getattr(w, name))
    return client


@pytest.fixture
def content(aworld: SimpleNamespace) -> SimpleNamespace:
    activity = held(aworld)
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Alpha plan"
    )
    action = services.plan_action_create(plan=plan, title="Seasonal ticket", owner=aworld.peer_a)
    late = services.milestone_create(
        action=action,
        title="Train the collectors",
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    return SimpleNamespace(activity=activity, plan=plan, action=action, milestone=late)


def expected(name: str, allowed: set[str]) -> set[int]:
    if name in allowed:
        return {200}
    if name == "anonymous":
        return {302, 404}
    return {403, 404} if name in READ else {404}


@pytest.mark.parametrize("name", VIEWERS)
def test_reading_pages(aworld: SimpleNamespace, content: SimpleNamespace, name: str) -> None:
    client = client_as(aworld, name)
    for url in (
        reverse("activities:detail", args=[content.activity.id]),
        reverse("activities:alliance", args=[aworld.alliance.slug]),
        reverse("activities:plan", args=[content.plan.id]),
    ):
        assert client.get(url).status_code in expected(name, READ), url


@pytest.mark.parametrize("name", VIEWERS)
def test_managing_pages(aworld: SimpleNamespace, content: SimpleNamespace, name: str) -> None:
    client = client_as(aworld, name)
    for url in (
        reverse("activities:edit", args=[content.activity.id]),
        reverse("activities:cancel", args=[content.activity.id]),
    ):
        assert client.get(url).status_code in expected(name, MANAGE), url
    # The alliance itself is visible on the platform: only managing it is refused.
    create = client.get(reverse("activities:create", args=[aworld.alliance.slug])).status_code
    assert create == 200 if name in MANAGE else create in {302, 403}
    response = client.post(reverse("activities:cancel", args=[content.activity.id]))
    cancelled = Activity.objects.get(id=content.activity.id).cancelled
    assert cancelled == (name in MANAGE), response.status_code


@pytest.mark.parametrize("name", VIEWERS)
def test_milestone_updates(aworld: SimpleNamespace, content: SimpleNamespace, name: str) -> None:
    client = client_as(aworld, name)
    client.post(
        reverse("activities:milestone_update", args=[content.milestone.id]),
        {"status": MilestoneStatus.DONE, "evidence_url": "https://example.org/proof"},
    )
    content.milestone.refresh_from_db()
    assert (content.milestone.status == MilestoneStatus.DONE) == (
        name in {"facilitator", "peer_a", "admin"}
    )


def test_a_refused_milestone_update_keeps_the_row_as_sent_with_its_error_beside_it(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    client = client_as(aworld, "facilitator")
    milestone = content.milestone
    response = client.post(
        reverse("activities:milestone_update", args=[milestone.id]),
        {"status": MilestoneStatus.DONE, "evidence_url": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    row = page[page.index(f'id="evidence_url-{milestone.id}"') - 1500 :]
    assert 'value="javascript:alert(1)"' in row[:2000]  # as typed, escaped by the template
    assert f'id="evidence_url-{milestone.id}_error"' in page
    assert f'href="#evidence_url-{milestone.id}"' in page  # the summary links to the field
    assert f'<option value="{MilestoneStatus.DONE}" selected>' in row
    milestone.refresh_from_db()
    assert milestone.status != MilestoneStatus.DONE and milestone.evidence_url != (
        "javascript:alert(1)"
    )


def test_the_form_of_an_activity_that_is_over_says_nobody_is_e_mailed(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    client = client_as(aworld, "facilitator")
    html = client.get(reverse("activities:edit", args=[content.activity.id])).content.decode()
    assert "This activity is over: changes correct its record, and nobody is e-mailed." in html
    assert "Save and tell the participants" not in html
    upcoming = schedule(aworld)
    html = client.get(reverse("activities:edit", args=[upcoming.id])).content.decode()
    assert "Save and tell the participants" in html and "nobody is e-mailed" not in html
    # A new activity may be recorded afterwards: the form says what happens then.
    html = client.get(reverse("activities:create", args=[aworld.alliance.slug])).content.decode()
    assert "An activity that is already over is recorded without invitations" in html


def test_scheduling_from_the_form_reads_times_in_the_activity_zone(
    aworld: SimpleNamespace, mailoutbox: list
) -> None:
    client = client_as(aworld, "facilitator")
    url = reverse("activities:create", args=[aworld.alliance.slug])
    page = client.get(url).content.decode()
    assert "Video conference" in page and "Peer review" in page
    response = client.post(
        url,
        {
            "kind": "roundtable",
            "title": "Roundtable on ticketing",
            "time_zone": "Africa/Nairobi",
            "starts_at": "2030-03-04T09:00",
            "ends_at": "2030-03-04T12:30",
            "place": "Nakuru",
            "participants": [aworld.peer_a.id, aworld.peer_b.id],
            "cost_amount": "2500",
            "cost_currency": "KES",
        },
    )
    activity = Activity.objects.get(title="Roundtable on ticketing")
    assert response.status_code == 302
    assert activity.starts_at == dt.datetime(2030, 3, 4, 6, 0, tzinfo=dt.UTC)
    assert activity.ends_at - activity.starts_at == dt.timedelta(hours=3, minutes=30)
    page = client.get(reverse("activities:detail", args=[activity.id])).content.decode()
    assert "Kenya — Nairobi" in page and "2,500.00 KES" in page
    # Shown in the activity's own zone as it was written, whatever the site's zone (UTC);
    # the day once when it starts and ends on the same day.
    shown = "March 4, 2030, 9 a.m. – 12:30 p.m. (Kenya — Nairobi)"
    assert shown in page


def test_an_invalid_form_shows_errors_by_the_field(aworld: SimpleNamespace) -> None:
    client = client_as(aworld, "facilitator")
    response = client.post(
        reverse("activities:create", args=[aworld.alliance.slug]),
        {
            "kind": "workshop",
            "title": "Backwards",
            "time_zone": "UTC",
            "starts_at": "2030-03-04T09:00",
            "ends_at": "2030-03-04T08:00",
        },
    )
    assert response.status_code == 400
    assert "end after it starts" in response.content.decode()
    assert not Activity.objects.filter(title="Backwards").exists()


def test_every_error_of_the_activity_form_shows_at_once(aworld: SimpleNamespace) -> None:
    response = client_as(aworld, "facilitator").post(
        reverse("activities:create", args=[aworld.alliance.slug]),
        {
            "kind": "workshop",
            "title": "Backwards",
            "time_zone": "UTC",
            "starts_at": "2030-03-04T09:00",
            "ends_at": "2030-03-04T08:00",
            "link": "not a link",
            "cost_amount": "1500",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a web address such as https://example.org" in page  # a field's own error
    assert "end after it starts" in page and "currency of the cost" in page  # and between them
    assert not Activity.objects.filter(title="Backwards").exists()


def test_the_currency_list_offers_money_in_circulation_named_in_the_reader_language(
    aworld: SimpleNamespace,
) -> None:
    client = client_as(aworld, "facilitator")
    url = reverse("activities:create", args=[aworld.alliance.slug])
    page = client.get(url).content.decode()
    offered = set(re.findall(r'<option value="([A-Z]{3})"', page))
    assert {"KES", "EUR", "USD", "XOF", "XAF"} <= offered
    # ISO 4217's codes for testing, no currency, metals, bond units and funds are no money.
    not_money = {"XTS", "XXX", "XAU", "XAG", "XPT", "XPD", "XBA", "XBB", "XBC", "XBD", "XDR"}
    assert not offered & (not_money | {"XSU", "XUA", "BOV", "CLF"})
    assert "KES — Kenyan Shilling" in page
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "KES — shilling kényan" in french and "Kenyan Shilling" not in french
    response = client.post(
        url,
        {
            "kind": "workshop",
            "title": "Paid in test money",
            "time_zone": "UTC",
            "starts_at": "2030-03-04T09:00",
            "ends_at": "2030-03-04T10:00",
            "cost_amount": "10",
            "cost_currency": "XTS",
        },
    )
    assert response.status_code == 400
    assert not Activity.objects.filter(title="Paid in test money").exists()


def test_a_cost_below_zero_and_its_missing_currency_are_named_together(
    aworld: SimpleNamespace,
) -> None:
    """A refused cost is still a cost: its missing currency is asked in the same round. A
    cost of nothing needs no currency."""
    url = reverse("activities:create", args=[aworld.alliance.slug])
    form = {
        "kind": "workshop",
        "title": "Costed",
        "time_zone": "UTC",
        "starts_at": "2030-03-04T09:00",
        "ends_at": "2030-03-04T10:00",
    }
    client = client_as(aworld, "facilitator")
    refused = client.post(url, {**form, "cost_amount": "-50"})
    assert refused.status_code == 400
    assert {"cost_amount", "cost_currency"} <= set(refused.context["form"].errors)
    free = client.post(url, {**form, "cost_amount": "0"})
    assert free.status_code == 302
    assert Activity.objects.filter(title="Costed").count() == 1


def test_a_date_the_form_cannot_read_says_how_to_write_it(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    response = client_as(aworld, "facilitator").post(
        reverse("activities:create", args=[aworld.alliance.slug]),
        {
            "kind": "workshop",
            "title": "Unreadable",
            "time_zone": "UTC",
            "starts_at": "next Tuesday",
            "ends_at": "2030-03-04 25:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("Enter a date and time such as 2027-03-14 09:30.") >= 2
    assert "Enter a valid date/time." not in page
    action = content.action
    response = client_as(aworld, "peer_a").post(
        reverse("activities:milestone_add", args=[action.id]),
        {"title": "Someday", "due_on": "31/12/2030x", "status": MilestoneStatus.NOT_STARTED},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a date such as 2027-03-14." in page
    assert "Enter a valid date." not in page


def test_the_reader_sees_times_in_their_own_zone(aworld: SimpleNamespace) -> None:
    activity = schedule(aworld)
    services.calendar_time_zone_set(user=aworld.peer_a, time_zone="Europe/Paris")
    page = client_as(aworld, "peer_a").get(reverse("activities:detail", args=[activity.id]))
    text = page.content.decode()
    assert "(Kenya — Nairobi)" in text and "Your time (France — Paris):" in text
    for zone, shown in (
        ("Africa/Nairobi", "{} – {} (Kenya — Nairobi)"),
        ("Europe/Paris", "{} – {}</span>"),
    ):
        local = [
            t.astimezone(zoneinfo.ZoneInfo(zone)) for t in (activity.starts_at, activity.ends_at)
        ]
        starts = date_format(local[0], "DATETIME_FORMAT")
        # The end's day is not repeated when it is the start's.
        same_day = local[0].date() == local[1].date()
        ends = date_format(local[1], "TIME_FORMAT" if same_day else "DATETIME_FORMAT")
        assert shown.format(starts, ends) in text, zone


def test_the_feedback_page_says_before_the_form_when_feedback_is_not_open(
    aworld: SimpleNamespace,
) -> None:
    coming = schedule(aworld)
    peer = client_as(aworld, "peer_a")
    page = peer.get(reverse("activities:feedback", args=[coming.id])).content.decode()
    assert "Feedback opens when the activity starts" in page
    assert "Send my feedback" not in page and "activity:" not in page
    # Its page counts no answers "of those who attended" before anyone could attend.
    detail = client_as(aworld, "facilitator").get(reverse("activities:detail", args=[coming.id]))
    assert "participants who attended answered" not in detail.content.decode()


def test_feedback_and_attendance_through_the_pages(aworld: SimpleNamespace) -> None:
    activity = held(aworld)
    peer = client_as(aworld, "peer_a")
    url = reverse("activities:feedback", args=[activity.id])
    assert peer.get(url).status_code == 200
    answers = {"usefulness": 5, "relevance": 4, "trust": 4, "voice": 3, "intention": 5}
    response = peer.post(url, {**answers, "comment": "Worth the trip.", "signed": ""})
    assert response.status_code == 302
    response = peer.post(url, {**answers, "trust": 5, "comment": "Worth the trip."})
    assert ActivityFeedback.objects.get(activity=activity).trust == 5
    assert peer.post(url, {"usefulness": 9}).status_code == 400
    # Not a participant: no form.
    assert client_as(aworld, "peer_a2").get(url).status_code == 403
    facilitator = client_as(aworld, "facilitator")
    facilitator.post(
        reverse("activities:attendance", args=[activity.id]), {"attended": [aworld.peer_a.id]}
    )
    page = facilitator.get(reverse("activities:detail", args=[activity.id])).content.decode()
    # The participant recorded as absent is asked nothing, and not counted.
    assert "1 of 1 participants who attended answered" in page
    absent = next(p for p in activity.participations.all() if p.user_id != aworld.peer_a.id)
    assert absent.attended is False
    assert client_as(aworld, absent.user.username).get(url).status_code == 403
    # Her unsigned comment is the only answer: whose it is would show, so it waits.
    assert "Worth the trip." not in page and "unsigned comments are withheld" in page
    assert aworld.peer_a.name not in page.split('id="feedback-h"')[1]
    alliance_page = facilitator.get(reverse("activities:alliance", args=[aworld.alliance.slug]))
    assert "1 / 1" in alliance_page.content.decode()
    # Another member sees neither the comment nor the figures.
    other = client_as(aworld, "peer_b").get(reverse("activities:detail", args=[activity.id]))
    assert "Worth the trip." not in other.content.decode()


def test_the_alliance_page_shows_the_section_to_insiders_only(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    upcoming = schedule(aworld, title="Coming roundtable")
    url = reverse("alliances:detail", args=[aworld.alliance.slug])
    inside = client_as(aworld, "peer_b").get(url).content.decode()
    assert "Coming roundtable" in inside
    assert "Train the collectors" in inside and "overdue" in inside
    assert reverse("activities:detail", args=[upcoming.id]) in inside
    outside = client_as(aworld, "outsider").get(url)
    assert outside.status_code == 200
    assert "Coming roundtable" not in outside.content.decode()
    assert "Train the collectors" not in outside.content.decode()


def test_tables_read_on_narrow_screens(aworld: SimpleNamespace, content: SimpleNamespace) -> None:
    client = client_as(aworld, "facilitator")
    for url in (
        reverse("activities:alliance", args=[aworld.alliance.slug]),
        reverse("activities:detail", args=[content.activity.id]),
        reverse("activities:plan", args=[content.plan.id]),
        reverse("activities:mine"),
    ):
        html = client.get(url).content.decode()
        cells = html.count("<td")
        labelled = html.count("<td data-label=")
        colspans = html.count("<td colspan=")
        assert cells == labelled + colspans, url


def test_plans_are_started_by_a_county_for_itself(aworld: SimpleNamespace) -> None:
    url = reverse("activities:plan_create", args=[aworld.alliance.slug])
    peer = client_as(aworld, "peer_b")
    page = peer.get(url).content.decode()
    assert aworld.county_b.name in page and aworld.county_a.name not in page
    response = peer.post(url, {"organisation": aworld.county_a.id, "title": "Not mine"})
    assert response.status_code == 400
    response = peer.post(url, {"organisation": aworld.county_b.id, "title": "Beta plan"})
    assert response.status_code == 302
    assert client_as(aworld, "funder").get(url).status_code == 404
    plan_url = response["Location"]
    peer.post(plan_url + "actions/", {"title": "New ticket", "owner": aworld.peer_b.id})
    assert "New ticket" in peer.get(plan_url).content.decode()


def test_calendar_page(aworld: SimpleNamespace) -> None:
    client = client_as(aworld, "peer_a")
    page = client.get(reverse("activities:calendar")).content.decode()
    token = services.calendar_settings_for(user=aworld.peer_a).feed_token
    assert token in page
    client.post(reverse("activities:calendar"), {"time_zone": "America/Lima"})
    assert services.calendar_settings_for(user=aworld.peer_a).time_zone == "America/Lima"
    assert client.post(reverse("activities:calendar"), {"time_zone": "Nope"}).status_code == 400


def test_every_page_shows_times_in_the_readers_zone(aworld: SimpleNamespace) -> None:
    """Until they choose one, a reader sees times in their country's zone when it has one
    only (Kenya), else the site's (the United States has several); every page names it."""
    from peerlearn.activities.models import time_zone_choices

    type(aworld.county_a).objects.filter(id=aworld.county_a.id).update(country_id="KE")
    type(aworld.county_b).objects.filter(id=aworld.county_b.id).update(country_id="US")
    aworld.peer_a.refresh_from_db()  # signs in with the organisation as it now is
    aworld.peer_b.refresh_from_db()

    def zone_line(client: Client) -> str:
        page = client.get(reverse("activities:mine")).content.decode()
        return page.split('<p class="time-zone">', 1)[1].split(" <a", 1)[0]

    kenyan, american = client_as(aworld, "peer_a"), client_as(aworld, "peer_b")
    assert zone_line(kenyan) == "Times are shown in Kenya — Nairobi."
    assert zone_line(american) == "Times are shown in UTC."
    assert '<p class="time-zone">' not in Client().get("/").content.decode()
    # The calendar page offers the zone in use, and opening it changes nothing.
    page = kenyan.get(reverse("activities:calendar")).content.decode()
    assert '<option value="Africa/Nairobi" selected>' in page
    assert services.calendar_settings_for(user=aworld.peer_a).time_zone == ""  # none chosen
    assert zone_line(kenyan) == "Times are shown in Kenya — Nairobi."
    # A choice applies at once, to every page.
    kenyan.post(reverse("activities:calendar"), {"time_zone": "America/Lima"})
    assert zone_line(kenyan) == "Times are shown in Peru — Lima."
    kenyan.post(reverse("activities:calendar"), {"time_zone": "America/New_York"})
    assert zone_line(kenyan) == "Times are shown in United States — New York."
    # The zones offered are those people live in: no old aliases, no backwards Etc/ offsets.
    offered = {value for value, _label in time_zone_choices()}
    assert {"Africa/Nairobi", "America/Lima", "UTC"} <= offered
    assert not {"Africa/Asmera", "Etc/GMT-7", "America/Argentina/ComodRivadavia"} & offered


def test_my_activities(aworld: SimpleNamespace, content: Any) -> None:
    schedule(aworld, title="Soon")
    page = client_as(aworld, "peer_b").get(reverse("activities:mine")).content.decode()
    assert "Soon" in page and content.activity.title in page
    assert (
        "Soon" not in client_as(aworld, "outsider").get(reverse("activities:mine")).content.decode()
    )


def test_my_activities_filter_with_and_without_htmx(aworld: SimpleNamespace) -> None:
    schedule(aworld, title="A roundtable", kind="roundtable")
    schedule(aworld, title="A webinar", kind="webinar")
    client = client_as(aworld, "peer_a")
    url = reverse("activities:mine")
    page = client.get(url, {"kind": "webinar"}).content.decode()
    assert "A webinar" in page and "A roundtable" not in page and "<h1>" in page
    fragment = client.get(url, {"kind": "roundtable"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "A roundtable" in text and "A webinar" not in text and "<h1>" not in text


def test_people_and_alliances_are_named_only_where_their_visibility_allows(
    aworld: SimpleNamespace,
) -> None:
    from peerlearn.access.visibility import Visibility

    activity = held(aworld, participants=("peer_a", "peer_b"))
    profile = aworld.peer_b.peer_profile
    profile.visibility = Visibility.PRIVATE
    profile.save()
    url = reverse("activities:detail", args=[activity.id])
    page = client_as(aworld, "peer_a").get(url).content.decode()
    assert aworld.peer_a.name in page and aworld.peer_b.name not in page
    assert "profile is not shared with you" in page
    assert aworld.peer_b.name in client_as(aworld, "peer_b").get(url).content.decode()
    api = client_as(aworld, "facilitator").get(f"/api/v1/activities/{activity.id}").json()
    assert {p["name"] for p in api["participants"]} == {aworld.peer_a.name, None}
    # A private alliance is named to its facilitators only, though members read inside it.
    aworld.alliance.visibility = Visibility.PRIVATE
    aworld.alliance.save()
    assert aworld.alliance.name not in client_as(aworld, "peer_a").get(url).content.decode()
    assert aworld.alliance.name in client_as(aworld, "facilitator").get(url).content.decode()


# --- implausible dates ---------------------------------------------------------------------


def _allowed_range() -> str:
    earliest = date_format(services.EARLIEST_DATE, "DATE_FORMAT")
    return f"from {earliest} to {date_format(services.latest_date(), 'DATE_FORMAT')}"


@pytest.mark.parametrize(
    ("time_zone", "starts_at", "ends_at", "errors"),
    [
        # Year 1 once overflowed when read in UTC: a 500, not an error by the field.
        ("Africa/Nairobi", "0001-01-01T00:00", "0001-01-01T01:00", ("start", "end")),
        ("Africa/Nairobi", "1999-01-01T09:00", "1999-01-01T12:00", ("start", "end")),
        ("America/Lima", "9999-12-31T09:00", "9999-12-31T23:00", ("start", "end")),
        ("UTC", "2030-03-04T09:00", "9999-12-31T23:00", ("end",)),
    ],
)
def test_the_activity_form_refuses_implausible_dates_by_the_field(
    aworld: SimpleNamespace,
    mailoutbox: list,
    django_capture_on_commit_callbacks: Any,
    time_zone: str,
    starts_at: str,
    ends_at: str,
    errors: tuple[str, ...],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(aworld, "facilitator").post(
            reverse("activities:create", args=[aworld.alliance.slug]),
            {
                "kind": "workshop",
                "title": "Out of time",
                "time_zone": time_zone,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "participants": [aworld.peer_a.id, aworld.peer_b.id],
            },
        )
    page = response.content.decode()
    assert response.status_code == 400
    for field, name in (("starts_at", "start"), ("ends_at", "end")):
        message = f"Set a{'n' if name == 'end' else ''} {name} date {_allowed_range()}."
        shown = f'id="id_{field}_error">{message}</p>'
        assert (shown in page) == (name in errors), field
    assert "end after it starts" not in page
    assert not Activity.objects.filter(title="Out of time").exists()
    assert mailoutbox == []


# --- the plan page's forms -----------------------------------------------------------------


def test_a_refused_milestone_keeps_what_was_typed_and_says_what_is_wrong(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    client = client_as(aworld, "peer_a")
    action = content.action
    response = client.post(
        reverse("activities:milestone_add", args=[action.id]),
        {
            "title": "Publish the survey",
            "due_on": "2030-05-01",
            "status": MilestoneStatus.IN_PROGRESS,
            "evidence_url": "not a link",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        f'id="id_a{action.id}_evidence_url_error">Enter a web address such as https://example.org.</p>'
        in page
    )
    assert "Give the milestone a title and a due date." not in page
    assert f'id="add-milestone-{action.id}" open>' in page
    assert 'value="Publish the survey"' in page and 'value="not a link"' in page
    assert 'value="2030-05-01"' in page
    assert f'<option value="{MilestoneStatus.IN_PROGRESS}" selected>' in page
    assert f'href="#id_a{action.id}_evidence_url"' in page  # the summary at the top
    assert not action.milestones.filter(title="Publish the survey").exists()


def test_a_milestone_due_on_an_implausible_date_is_refused_by_the_field(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    action = content.action
    response = client_as(aworld, "peer_a").post(
        reverse("activities:milestone_add", args=[action.id]),
        {"title": "Ancient", "due_on": "1900-01-01", "status": MilestoneStatus.NOT_STARTED},
    )
    page = response.content.decode()
    assert response.status_code == 400
    with in_time_zone_of(aworld.peer_a):  # the page's "today" is the reader's
        allowed = _allowed_range()
    error = f'id="id_a{action.id}_due_on_error">Set a due date {allowed}.</p>'
    assert error in page
    assert 'value="1900-01-01"' in page
    assert not action.milestones.filter(title="Ancient").exists()


def test_a_milestone_is_added_and_the_page_follows(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    client = client_as(aworld, "peer_a")
    response = client.post(
        reverse("activities:milestone_add", args=[content.action.id]),
        {
            "title": "Publish the survey",
            "due_on": "2030-05-01",
            "status": MilestoneStatus.NOT_STARTED,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:plan", args=[content.plan.id])
    assert content.action.milestones.filter(title="Publish the survey").exists()


def test_a_refused_action_keeps_what_was_typed_and_says_what_is_wrong(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    client = client_as(aworld, "peer_a")
    response = client.post(
        reverse("activities:action_add", args=[content.plan.id]),
        {"title": "", "owner": aworld.peer_b.id},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_title_error">Fill in this field: it is required.</p>' in page
    assert f'<option value="{aworld.peer_b.id}" selected>' in page
    assert "Name the action and choose its owner among the members." not in page
    response = client.post(
        reverse("activities:action_add", args=[content.plan.id]),
        {"title": "Print the tickets", "owner": aworld.outsider.id},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert '<p class="error" id="id_owner_error">' in page
    assert 'value="Print the tickets"' in page
    assert not content.plan.actions.filter(title="Print the tickets").exists()


def test_the_plan_page_forms_leave_checking_to_the_server(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    page = client_as(aworld, "peer_a").get(reverse("activities:plan", args=[content.plan.id]))
    forms = re.findall(r'<form method="post" action="/activities/[^>]*>', page.content.decode())
    assert len(forms) == 3  # a milestone's update, a new milestone, a new action
    assert all(" novalidate>" in form for form in forms), forms


# --- the alliance page ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(READ))
def test_the_plan_link_shows_only_to_those_who_may_start_one(
    aworld: SimpleNamespace, content: SimpleNamespace, name: str
) -> None:
    client = client_as(aworld, name)
    page = client.get(reverse("activities:alliance", args=[aworld.alliance.slug]))
    url = reverse("activities:plan_create", args=[aworld.alliance.slug])
    shown = f'href="{url}"' in page.content.decode()
    assert shown == (name != "funder")
    assert shown == (client.get(url).status_code == 200)


def test_unnamed_members_are_listed_after_the_named_ones_not_among_them(
    world: SimpleNamespace,
) -> None:
    """A member listed by number in its name's alphabetical place would hint at the name."""
    from peerlearn.accounts.models import User
    from peerlearn.activities.forms import PlanActionForm

    members = User.objects.filter(
        id__in=[world.outsider_public.user.id, world.member_private.user.id, world.facilitator.id]
    ).order_by("name")
    named = {world.outsider_public.user.id, world.facilitator.id}
    labels = [
        label
        for _value, label in PlanActionForm(members=members, named=named).fields["owner"].choices
    ][1:]
    assert labels == [
        "Facilitator",
        "Outsider Public",
        f"A member whose profile is not shared with you (no. {world.member_private.user.id})",
    ]


def test_a_refused_output_keeps_what_was_typed_beside_its_error(
    aworld: SimpleNamespace, content: SimpleNamespace
) -> None:
    client = client_as(aworld, "facilitator")
    url = reverse("activities:output_add", args=[content.activity.id])
    page = client.get(reverse("activities:detail", args=[content.activity.id])).content.decode()
    assert f'action="{url}#outputs-h"' in page  # without JavaScript, opens at the form
    response = client.post(url, {"title": "Workshop report", "url": "not a link"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Workshop report"' in page and 'value="not a link"' in page
    assert "Enter a web address such as https://example.org." in page and 'href="#id_url"' in page
    assert not content.activity.outputs.exists()
    assert client.post(url, {"title": "Workshop report", "url": "https://example.org/r"})[
        "Location"
    ] == reverse("activities:detail", args=[content.activity.id])
    assert content.activity.outputs.count() == 1


def test_time_zones_are_chosen_by_country_and_city_in_the_reader_language() -> None:
    from django.utils import translation

    from peerlearn.activities.models import time_zone_choices

    english = dict(time_zone_choices())
    assert english["Africa/Nairobi"] == "Kenya — Nairobi"
    assert english["America/Port_of_Spain"] == "Trinidad & Tobago — Port of Spain"
    with translation.override("fr"):
        french = time_zone_choices()
    assert dict(french)["America/New_York"] == "États-Unis — New York"
    labels = [label for _zone, label in french]
    assert labels[-1] == "UTC" and labels.index("Albanie — Tirana") < labels.index(
        "États-Unis — New York"
    )


def test_feedback_averages_show_once_enough_people_answered(aworld: SimpleNamespace) -> None:
    from peerlearn.access.activities import FEEDBACK_AVERAGES_FROM

    activity = held(aworld, participants=("peer_a", "peer_a2", "peer_b"))
    facilitator = client_as(aworld, "facilitator")
    page_url = reverse("activities:detail", args=[activity.id])
    api_url = f"/api/v1/activities/{activity.id}/feedback"
    scores = {"usefulness": 5, "relevance": 1, "trust": 4, "voice": 3, "intention": 5}
    services.feedback_submit(activity=activity, author=aworld.peer_a, **scores)
    # One answer: its scores would be hers, so neither the page nor the API shows them.
    page = facilitator.get(page_url).content.decode()
    assert "1 of 3 participants answered. Record who attended" in page
    assert (
        f"The averages and the unsigned comments are withheld until {FEEDBACK_AVERAGES_FROM} "
        "people have answered without signing"
    ) in page
    assert "Average (1–5)" not in page
    answers = facilitator.get(api_url).json()
    assert set(answers["summary"]["averages"].values()) == {None}
    assert answers["answers"][0]["relevance"] is None and answers["answers"][0]["author"] is None
    # A signed answer's scores are its author's to show.
    services.feedback_submit(activity=activity, author=aworld.peer_b, signed=True, **scores)
    signed = [a for a in facilitator.get(api_url).json()["answers"] if a["author"]]
    assert [a["relevance"] for a in signed] == [1]
    # Three answers, one signed: its scores beside the averages would leave the two unsigned
    # ones' sum, and one more unsigned answer would leave each of theirs. Still withheld.
    services.feedback_submit(activity=activity, author=aworld.peer_a2, **{**scores, "relevance": 4})
    page = facilitator.get(page_url).content.decode()
    assert "Average (1–5)" not in page and "are withheld until" in page
    assert set(facilitator.get(api_url).json()["summary"]["averages"].values()) == {None}
