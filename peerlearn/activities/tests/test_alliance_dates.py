"""An activity against its alliance's dates: a closed alliance schedules nothing new (it
records only what it held by its closing day), and an activity outside the alliance's
start and end dates is flagged, not refused."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from peerlearn.activities import services
from peerlearn.activities.models import Activity
from peerlearn.activities.tests.world import held, schedule

pytestmark = pytest.mark.django_db

REOPEN = "reopen the alliance first"


def _close(w: SimpleNamespace, *, days_ago: int = 0) -> None:
    w.alliance.closed_on = timezone.localdate() - dt.timedelta(days=days_ago)
    w.alliance.save(update_fields=["closed_on"])


def _facilitator(w: SimpleNamespace) -> Client:
    client = Client()
    client.force_login(w.facilitator)
    return client


def _form(days: float, title: str = "After the end") -> dict[str, Any]:
    starts = timezone.now().astimezone(dt.UTC) + dt.timedelta(days=days)
    return {
        "kind": "workshop",
        "title": title,
        "time_zone": "UTC",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }


# --- a closed alliance ---------------------------------------------------------------------


def test_a_closed_alliance_schedules_nothing_and_invites_nobody(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    _close(aworld)
    with django_capture_on_commit_callbacks(execute=True):
        for days in (3, -1 / 24):  # to come, and under way
            with pytest.raises(ValidationError) as refused:
                schedule(aworld, days=days, hours=3)
            (message,) = refused.value.message_dict["starts_at"]
            assert REOPEN in message and aworld.alliance.name in message
    assert not Activity.objects.exists() and mailoutbox == []


def test_a_closed_alliance_records_what_it_held_by_its_closing_day(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    _close(aworld, days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        before = held(aworld, title="Held before closing")  # two days ago
    assert before.over and mailoutbox == []
    # Held after it closed (but over): not this alliance's work until it is reopened.
    _close(aworld, days_ago=5)
    with pytest.raises(ValidationError) as refused:
        held(aworld, title="Held after closing")
    assert REOPEN in refused.value.message_dict["starts_at"][0]


def test_a_closed_alliance_moves_no_activity_into_the_future(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    past = held(aworld)
    _close(aworld)
    future = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        services.activity_update(
            activity=past, starts_at=future, ends_at=future + dt.timedelta(hours=1)
        )
    assert REOPEN in refused.value.message_dict["starts_at"][0]
    # Its record is still corrected (the times unchanged), without an e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(activity=past, title="Peer exchange (corrected)")
    past.refresh_from_db()
    assert past.title == "Peer exchange (corrected)" and past.starts_at < timezone.now()
    assert mailoutbox == []
    # Reopened, it schedules again.
    aworld.alliance.closed_on = None
    aworld.alliance.save(update_fields=["closed_on"])
    services.activity_update(
        activity=past, starts_at=future, ends_at=future + dt.timedelta(hours=1)
    )


def test_a_closed_alliance_pages_offer_no_scheduling_and_say_why(
    aworld: SimpleNamespace,
) -> None:
    _close(aworld)
    client = _facilitator(aworld)
    create = reverse("activities:create", args=[aworld.alliance.slug])
    for url in (
        reverse("activities:alliance", args=[aworld.alliance.slug]),
        reverse("alliances:detail", args=[aworld.alliance.slug]),
    ):
        page = client.get(url).content.decode()
        assert "Schedule an activity" not in page, url
        assert "it schedules no activities and invites nobody until it is reopened" in page
        # Offered once: the alliance's own page has its link already.
        assert page.count(reverse("alliances:reopen", args=[aworld.alliance.slug])) == 1, url
        assert "Record an activity it held by then" in page and create in page
    form = client.get(create).content.decode()
    assert "Here you record only an activity it held by that day." in form
    assert "Schedule and invite" not in form
    # Its heading says what it does now, and nothing of invitations.
    assert "<h1>Record an activity it held by then</h1>" in form
    assert "Schedule an activity" not in form and "e-mailed the invitation" not in form
    # A running alliance's pages offer it as before.
    aworld.alliance.closed_on = None
    aworld.alliance.save(update_fields=["closed_on"])
    page = client.get(reverse("activities:alliance", args=[aworld.alliance.slug])).content
    assert "Schedule an activity" in page.decode()


def test_the_form_refuses_a_new_activity_in_a_closed_alliance_by_the_field(
    aworld: SimpleNamespace, mailoutbox: list
) -> None:
    _close(aworld, days_ago=3)
    client = _facilitator(aworld)
    url = reverse("activities:create", args=[aworld.alliance.slug])
    response = client.post(url, {**_form(3), "participants": [aworld.peer_a.id]})
    assert response.status_code == 400
    assert REOPEN in response.content.decode()
    assert not Activity.objects.exists() and mailoutbox == []
    # Held before it closed: recorded.
    response = client.post(url, _form(-5, title="Held before"))
    assert response.status_code == 302
    assert Activity.objects.filter(title="Held before").exists()


def test_the_api_refuses_a_new_activity_in_a_closed_alliance_by_the_field(
    aworld: SimpleNamespace, mailoutbox: list
) -> None:
    _close(aworld)
    starts = timezone.now() + dt.timedelta(days=5)
    payload = {
        "alliance": aworld.alliance.slug,
        "kind": "webinar",
        "title": "Webinar after closing",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=1)).isoformat(),
        "participants": [aworld.peer_a.id],
    }
    client = _facilitator(aworld)
    response = client.post("/api/v1/activities", payload, content_type="application/json")
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "starts_at"] and REOPEN in error["msg"]
    assert not Activity.objects.exists() and mailoutbox == []
    # Held before it closed: recorded, inviting nobody.
    _close(aworld, days_ago=1)
    starts = timezone.now() - dt.timedelta(days=3)
    response = client.post(
        "/api/v1/activities",
        {
            **payload,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + dt.timedelta(hours=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and mailoutbox == []


# --- outside the alliance's dates ------------------------------------------------------------


def test_an_activity_outside_the_alliance_dates_is_flagged_not_refused(
    aworld: SimpleNamespace,
) -> None:
    today = timezone.localdate()
    aworld.alliance.starts_on = today + dt.timedelta(days=30)
    aworld.alliance.ends_on = today + dt.timedelta(days=60)
    aworld.alliance.save(update_fields=["starts_on", "ends_on"])
    early = schedule(aworld, days=3, title="Before the start")
    inside = schedule(aworld, days=40, title="Within")
    late = schedule(aworld, days=70, title="After the end")
    client = _facilitator(aworld)
    check = "Check its date."

    def page(activity: Any) -> str:
        return client.get(reverse("activities:detail", args=[activity.id])).content.decode()

    def api(activity: Any) -> Any:
        return client.get(f"/api/v1/activities/{activity.id}").json()["outside_alliance_dates"]

    starts = date_format(aworld.alliance.starts_on, "DATE_FORMAT")
    ends = date_format(aworld.alliance.ends_on, "DATE_FORMAT")
    assert f"This activity starts before the alliance does, on {starts}." in page(early)
    assert f"This activity ends after the alliance does, on {ends}." in page(late)
    assert check not in page(inside)
    assert (api(early), api(inside), api(late)) == ("before_start", None, "after_end")
    # A warning for those who can change it, not for its participants.
    peer = Client()
    peer.force_login(aworld.peer_a)
    assert check not in peer.get(reverse("activities:detail", args=[early.id])).content.decode()
    # Cancelled, it needs no checking.
    services.activity_cancel(activity=early)
    assert check not in page(early) and api(early) is None


def test_an_alliance_without_dates_flags_nothing(aworld: SimpleNamespace) -> None:
    activity = schedule(aworld, days=400)
    response = _facilitator(aworld).get(f"/api/v1/activities/{activity.id}")
    assert response.json()["outside_alliance_dates"] is None
