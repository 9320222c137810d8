"""The facilitator's dashboard figures for many alliances at once, their values, and query
counts that do not grow with the data."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peerlearn.activities import services
from peerlearn.activities.selectors import (
    activity_kinds_by_alliance,
    activity_last_held_by_alliance,
    activity_next_by_alliance,
    feedback_summaries,
    member_last_engaged,
    milestones_overdue_by_alliance,
)
from peerlearn.activities.tests.world import held, schedule
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.tests.factories import (
    AllianceMembershipFactory,
    AllianceOrganisationFactory,
    LearningAllianceFactory,
)

pytestmark = pytest.mark.django_db

SELECTORS = (
    activity_next_by_alliance,
    activity_last_held_by_alliance,
    activity_kinds_by_alliance,
    milestones_overdue_by_alliance,
    member_last_engaged,
)


def test_values(aworld: SimpleNamespace) -> None:
    a = aworld.alliance.id
    past = held(aworld, kind="roundtable")
    older = schedule(aworld, days=-9, title="Older")
    services.attendance_record(activity=past, attended_ids=[aworld.peer_a.id])
    services.attendance_record(activity=older, attended_ids=[aworld.peer_a.id, aworld.peer_b.id])
    soon = schedule(aworld, days=2, title="Soon")
    schedule(aworld, days=9, title="Later")
    cancelled = schedule(aworld, days=1, title="Cancelled", kind="webinar")
    services.activity_cancel(activity=cancelled)
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="A"
    )
    action = services.plan_action_create(plan=plan, title="x", owner=None)
    today = timezone.localdate()
    services.milestone_create(action=action, title="late", due_on=today - dt.timedelta(days=1))
    services.milestone_create(action=action, title="late too", due_on=today - dt.timedelta(days=5))
    services.milestone_create(
        action=action, title="done", due_on=today - dt.timedelta(days=5), status="done"
    )
    services.milestone_create(action=action, title="future", due_on=today + dt.timedelta(days=5))
    ids = [a, aworld.other.id]

    assert activity_next_by_alliance(ids) == {a: soon}
    assert activity_last_held_by_alliance(ids) == {a: past.starts_at}
    assert activity_kinds_by_alliance(ids) == {a: {"workshop", "roundtable"}}
    assert milestones_overdue_by_alliance(ids) == {a: 2}
    assert member_last_engaged(ids) == {
        (a, aworld.peer_a.id): past.starts_at,
        (a, aworld.peer_b.id): older.starts_at,
    }
    assert feedback_summaries([past.id])[past.id].participants == 1  # one recorded absent


def _grow(aworld: SimpleNamespace, n: int) -> list[int]:
    """``n`` alliances, each with members, activities (held, attended, upcoming) and an
    overdue milestone."""
    ids = []
    for i in range(n):
        alliance = LearningAllianceFactory()
        AllianceMembershipFactory(
            alliance=alliance, user=aworld.facilitator, role=MemberRole.FACILITATOR
        )
        peer = AllianceMembershipFactory(alliance=alliance).user
        AllianceOrganisationFactory(alliance=alliance, organisation=aworld.county_a)
        past = held(aworld, alliance=alliance, participants=(), title=f"Held {i}")
        past.participations.create(user=peer, attended=True)
        schedule(aworld, alliance=alliance, participants=(), title=f"Next {i}", kind="webinar")
        plan = services.action_plan_create(
            alliance=alliance, organisation_id=aworld.county_a.id, title="P"
        )
        action = services.plan_action_create(plan=plan, title="x", owner=None)
        services.milestone_create(
            action=action, title="late", due_on=timezone.localdate() - dt.timedelta(days=3)
        )
        ids.append(alliance.id)
    return ids


def _queries(selector: Any, ids: list[int]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        result = selector(ids)
    return len(ctx.captured_queries), result


@pytest.mark.parametrize("selector", SELECTORS, ids=lambda s: s.__name__)
def test_query_counts_do_not_grow(aworld: SimpleNamespace, selector: Any) -> None:
    small = _grow(aworld, 2)
    n_small, found_small = _queries(selector, small)
    large = small + _grow(aworld, 12)
    n_large, found_large = _queries(selector, large)
    assert n_small == n_large <= 2
    assert len(found_large) > len(found_small) > 0


def test_the_alliance_pages_queries_do_not_grow(aworld: SimpleNamespace) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(aworld.facilitator)
    urls = [
        reverse("activities:alliance", args=[aworld.alliance.slug]),
        reverse("alliances:detail", args=[aworld.alliance.slug]),
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            past = held(aworld, title=f"Held {i}")
            services.feedback_submit(
                activity=past,
                author=aworld.peer_a,
                usefulness=4,
                relevance=4,
                trust=4,
                voice=4,
                intention=4,
            )
            schedule(aworld, title=f"Next {i}")

    add(2, 0)
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="A"
    )
    action = services.plan_action_create(plan=plan, title="x", owner=aworld.peer_a)
    services.milestone_create(
        action=action, title="late", due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    small = counts()
    add(10, 2)
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_b.id, title="B"
    )
    for i in range(5):
        action = services.plan_action_create(plan=plan, title=f"y{i}", owner=aworld.peer_b)
        services.milestone_create(
            action=action, title="late", due_on=timezone.localdate() - dt.timedelta(days=1)
        )
    assert counts() == small
