"""The API: the same boundaries as the pages, bounded inputs, and the shared read models."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from peerlearn.activities import services
from peerlearn.activities.models import Activity
from peerlearn.activities.tests.world import VIEWERS, held, schedule

pytestmark = pytest.mark.django_db

API = "/api/v1/activities"
READ = {"facilitator", "peer_a", "peer_b", "funder", "admin"}
MANAGE = {"facilitator", "admin"}
SCORES = {"usefulness": 5, "relevance": 4, "trust": 4, "voice": 3, "intention": 5}


def client_as(w: SimpleNamespace, name: str) -> Client:
    client = Client()
    if name != "anonymous":
        client.force_login(getattr(w, name))
    return client


def body(w: SimpleNamespace, **extra: object) -> dict[str, object]:
    starts = timezone.now() + dt.timedelta(days=5)
    return {
        "alliance": w.alliance.slug,
        "kind": "webinar",
        "title": "Webinar on e-payments",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=1)).isoformat(),
        "time_zone": "Africa/Nairobi",
        "link": "https://meet.example.org/w",
        "participants": [w.peer_a.id],
        "cost_amount": 120.5,
        "cost_currency": "USD",
        **extra,
    }


def expected(name: str, allowed: set[str], *, read: bool = True) -> set[int]:
    if name in allowed:
        return {200, 201}
    if name == "anonymous":
        return {401}
    return {403} if (name in READ and read) else {404}


@pytest.mark.parametrize("name", VIEWERS)
def test_reading(aworld: SimpleNamespace, name: str) -> None:
    activity = held(aworld)
    client = client_as(aworld, name)
    response = client.get(f"{API}/{activity.id}")
    assert response.status_code in expected(name, READ)
    listed = client.get(API, {"alliance": aworld.alliance.slug})
    if name in READ:
        assert [a["id"] for a in listed.json()["items"]] == [activity.id]
        assert response.json()["participants"][0]["name"]
    elif name != "anonymous":
        assert listed.json()["items"] == []
    feedback = client.get(f"{API}/{activity.id}/feedback")
    assert feedback.status_code in expected(name, MANAGE)


@pytest.mark.parametrize("name", VIEWERS)
def test_scheduling_and_changing(aworld: SimpleNamespace, name: str) -> None:
    client = client_as(aworld, name)
    response = client.post(API, body(aworld), content_type="application/json")
    # The alliance is visible on the platform: outsiders are refused, not misled.
    assert response.status_code in ({201} if name in MANAGE else {401, 403})
    if name not in MANAGE:
        assert not Activity.objects.exists()
        return
    data = response.json()
    assert data["time_zone"] == "Africa/Nairobi" and data["cost_amount"] == 120.5
    update = {k: v for k, v in body(aworld, title="Webinar, moved").items() if k != "alliance"}
    changed = client.put(f"{API}/{data['id']}", update, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["sequence"] == 1
    cancelled = client.post(f"{API}/{data['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"


@pytest.mark.parametrize("name", VIEWERS)
def test_changing_is_for_facilitators(aworld: SimpleNamespace, name: str) -> None:
    activity = held(aworld)
    client = client_as(aworld, name)
    response = client.put(
        f"{API}/{activity.id}/attendance",
        {"attended": [aworld.peer_a.id]},
        content_type="application/json",
    )
    assert response.status_code in expected(name, MANAGE)
    response = client.post(
        f"{API}/{activity.id}/outputs",
        {"title": "Report", "url": "https://example.org/r.pdf"},
        content_type="application/json",
    )
    assert response.status_code in expected(name, MANAGE)
    update = {k: v for k, v in body(aworld).items() if k != "alliance"}
    response = client.put(f"{API}/{activity.id}", update, content_type="application/json")
    assert response.status_code in expected(name, MANAGE)


@pytest.mark.parametrize("name", VIEWERS)
def test_feedback_is_for_participants(aworld: SimpleNamespace, name: str) -> None:
    activity = held(aworld)
    client = client_as(aworld, name)
    response = client.put(
        f"{API}/{activity.id}/feedback/mine",
        {**SCORES, "comment": "Good."},
        content_type="application/json",
    )
    assert response.status_code in expected(name, {"peer_a", "peer_b"})
    if name in {"peer_a", "peer_b"}:
        assert response.json()["my_feedback"]["comment"] == "Good."
        answers = client_as(aworld, "facilitator").get(f"{API}/{activity.id}/feedback").json()
        assert answers["summary"]["responses"] == 1 and answers["answers"][0]["author"] is None


@pytest.mark.parametrize("name", VIEWERS)
def test_action_plans(aworld: SimpleNamespace, name: str) -> None:
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Alpha plan"
    )
    action = services.plan_action_create(plan=plan, title="Ticket", owner=aworld.peer_a)
    milestone = services.milestone_create(
        action=action, title="Late step", due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    client = client_as(aworld, name)
    response = client.get(f"{API}/plans/{plan.id}")
    assert response.status_code in expected(name, READ)
    if name in READ:
        data = response.json()
        assert data["actions"][0]["milestones"][0]["overdue"] is True
        assert data["can_edit"] == (name in {"facilitator", "peer_a", "admin"})
    edit = {"facilitator", "peer_a", "admin"}
    response = client.patch(
        f"{API}/milestones/{milestone.id}", {"status": "done"}, content_type="application/json"
    )
    assert response.status_code in expected(name, edit)
    response = client.post(
        f"{API}/actions/{action.id}/milestones",
        {"title": "Next", "due_on": "2031-01-01"},
        content_type="application/json",
    )
    assert response.status_code in expected(name, edit)
    response = client.post(
        f"{API}/plans",
        {"alliance": aworld.alliance.slug, "organisation": aworld.county_b.id, "title": "Beta"},
        content_type="application/json",
    )
    assert response.status_code in (
        {201} if name in {"facilitator", "admin", "peer_b"} else {401, 403}
    )


def test_invalid_input_names_the_field(aworld: SimpleNamespace) -> None:
    client = client_as(aworld, "facilitator")
    for field, value in (
        ("title", "x" * 201),
        ("starts_at", "2030-01-01T09:00:00"),  # no offset
        ("participants", [0]),
        ("cost_amount", -1),
        ("kind", "party"),
    ):
        response = client.post(API, body(aworld, **{field: value}), content_type="application/json")
        assert response.status_code == 422, field
        assert ["body", field] == response.json()["detail"][0]["loc"][:2], field
    response = client.post(
        API, body(aworld, participants=[aworld.outsider.id]), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "participants"]


def test_implausible_dates_name_the_field(aworld: SimpleNamespace, mailoutbox: list) -> None:
    client = client_as(aworld, "facilitator")
    for starts_at, ends_at, field in (
        ("0001-01-01T00:00:00+03:00", "0001-01-01T01:00:00+03:00", "starts_at"),
        ("2030-01-01T09:00:00+03:00", "9999-12-31T23:00:00-05:00", "ends_at"),
    ):
        response = client.post(
            API,
            body(aworld, starts_at=starts_at, ends_at=ends_at),
            content_type="application/json",
        )
        assert response.status_code == 422, field
        assert response.json()["detail"][0]["loc"] == ["body", field]
    assert not Activity.objects.exists()
    assert mailoutbox == []
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Alpha plan"
    )
    action = services.plan_action_create(plan=plan, title="Ticket", owner=aworld.peer_a)
    response = client.post(
        f"{API}/actions/{action.id}/milestones",
        {"title": "Ancient", "due_on": "1900-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "due_on"]
    assert not action.milestones.exists()


def test_calendar_addresses(aworld: SimpleNamespace) -> None:
    client = client_as(aworld, "peer_a")
    first = client.get(f"{API}/calendar").json()
    assert aworld.alliance.slug in first["alliance_feed_urls"]
    second = client.post(f"{API}/calendar/token").json()
    assert second["feed_url"] != first["feed_url"]
    assert (
        client.put(
            f"{API}/calendar", {"time_zone": "Asia/Tokyo"}, content_type="application/json"
        ).json()["time_zone"]
        == "Asia/Tokyo"
    )
    assert (
        client.put(
            f"{API}/calendar", {"time_zone": "Nope/Nope"}, content_type="application/json"
        ).status_code
        == 422
    )


def test_upcoming_filter(aworld: SimpleNamespace) -> None:
    held(aworld)
    soon = schedule(aworld, title="Soon")
    client = client_as(aworld, "peer_a")
    items = client.get(API, {"upcoming": "true"}).json()["items"]
    assert [a["id"] for a in items] == [soon.id]
