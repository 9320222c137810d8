"""What the activities put on a person's "What needs you": an activity coming this week,
feedback on one they attended, their overdue milestones — and nothing once done."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from peerlearn.activities import services
from peerlearn.activities.models import MilestoneStatus
from peerlearn.activities.tests.world import held, schedule
from peerlearn.notifications.needs import needs_for

pytestmark = pytest.mark.django_db


def kinds(user: object, kind: str) -> list[str]:
    return [n.url for n in needs_for(user) if n.kind == kind]  # type: ignore[arg-type]


def test_an_activity_this_week_waits_for_its_participants(aworld: SimpleNamespace) -> None:
    w = aworld
    soon = schedule(w, days=2, participants=("peer_a",))
    schedule(w, days=20, title="Later", participants=("peer_a",))
    assert kinds(w.peer_a, "activity") == [reverse("activities:detail", args=[soon.id])]
    assert kinds(w.peer_b, "activity") == []


def test_feedback_waits_for_who_attended_until_given(aworld: SimpleNamespace) -> None:
    w = aworld
    activity = held(w, participants=("peer_a", "peer_b"))
    services.attendance_record(activity=activity, attended_ids=[w.peer_a.id])
    url = reverse("activities:feedback", args=[activity.id])
    assert kinds(w.peer_a, "feedback") == [url]
    assert kinds(w.peer_b, "feedback") == []  # did not attend
    services.feedback_submit(
        activity=activity, author=w.peer_a, usefulness=4, relevance=5, trust=4, voice=3, intention=5
    )
    assert kinds(w.peer_a, "feedback") == []


def test_an_overdue_milestone_waits_for_its_owner_until_done(aworld: SimpleNamespace) -> None:
    w = aworld
    organisation = w.peer_a.organisation
    plan = services.action_plan_create(
        alliance=w.alliance, organisation_id=organisation.id, title="Revenue plan"
    )
    action = services.plan_action_create(plan=plan, title="Pass the finance act", owner=w.peer_a)
    milestone = services.milestone_create(
        action=action, title="Bill tabled", due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    assert kinds(w.peer_a, "milestone") == [reverse("activities:plan", args=[plan.id])]
    assert kinds(w.peer_b, "milestone") == []
    services.milestone_update(milestone=milestone, status=MilestoneStatus.DONE, evidence_url="")
    assert kinds(w.peer_a, "milestone") == []
