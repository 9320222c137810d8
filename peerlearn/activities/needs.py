"""What the activities ask of a person (see ``notifications.needs``): an activity they take
part in within the next week, feedback on one they attended, and their overdue milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.activities import activities_visible_to, milestones_visible_to
from peerlearn.accounts.models import User
from peerlearn.activities.models import ActivityStatus, MilestoneStatus
from peerlearn.notifications.needs import Need

#: How far ahead an activity someone takes part in shows on "What needs you".
COMING_DAYS = 7
#: How long after an activity its participants are asked for feedback.
FEEDBACK_DAYS = 30


def _coming(user: User) -> Iterable[Need]:
    now = timezone.now()
    coming = (
        activities_visible_to(user)
        .filter(
            participations__user=user,
            status=ActivityStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(days=COMING_DAYS),
        )
        .order_by("starts_at")
    )
    for activity in coming:
        yield Need(
            kind="activity",
            text=_("Take part in “%(title)s”") % {"title": activity.title},
            url=reverse("activities:detail", args=[activity.id]),
            due=timezone.localdate(activity.starts_at),
        )


def _feedback(user: User) -> Iterable[Need]:
    now = timezone.now()
    held = (
        activities_visible_to(user)
        .filter(
            participations__user=user,
            participations__attended=True,
            status=ActivityStatus.SCHEDULED,
            starts_at__lte=now,
            starts_at__gte=now - dt.timedelta(days=FEEDBACK_DAYS),
        )
        .exclude(feedback__author=user)
        .order_by("starts_at")
    )
    for activity in held:
        yield Need(
            kind="feedback",
            text=_("Say how “%(title)s” went for you (five questions)") % {"title": activity.title},
            url=reverse("activities:feedback", args=[activity.id]),
            since=activity.starts_at,
        )


def _milestones(user: User) -> Iterable[Need]:
    overdue = (
        milestones_visible_to(user)
        .filter(action__owner=user, due_on__lt=timezone.localdate())
        .exclude(status__in=[MilestoneStatus.DONE, MilestoneStatus.DROPPED])
        .select_related("action")
        .order_by("due_on")
    )
    for milestone in overdue:
        yield Need(
            kind="milestone",
            text=_("Overdue milestone: %(title)s") % {"title": milestone.title},
            url=reverse("activities:plan", args=[milestone.action.plan_id]),
            due=milestone.due_on,
        )


NEEDS = [_coming, _feedback, _milestones]
