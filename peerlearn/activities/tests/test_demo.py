"""The demo's part: held activities with attendance and feedback, one coming up, one plan
per county with one milestone overdue; loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from peerlearn.access.roles import Role
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.activities.demo import seed_demo
from peerlearn.activities.models import (
    ActionPlan,
    Activity,
    ActivityFeedback,
    ActivityParticipant,
    Milestone,
)
from peerlearn.activities.selectors import milestones_overdue_by_alliance
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.tests.factories import (
    AllianceMembershipFactory,
    AllianceOrganisationFactory,
    LearningAllianceFactory,
)
from peerlearn.demo.data import kenya
from peerlearn.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_seed_demo(db: Any) -> None:
    alliance = LearningAllianceFactory(slug=kenya.ALLIANCE_SLUG, name=kenya.ALLIANCE_NAME)
    AllianceMembershipFactory(
        alliance=alliance,
        user=UserFactory(role=Role.FACILITATOR),
        role=MemberRole.FACILITATOR,
    )
    for county in ("Makueni", "Kisumu"):
        org = OrganisationFactory(name=kenya.county_org(county))
        AllianceOrganisationFactory(alliance=alliance, organisation=org)
        for _ in range(3):
            AllianceMembershipFactory(alliance=alliance, user=UserFactory(organisation=org))
    today = timezone.localdate()
    seed_demo(today)
    counts = (
        Activity.objects.count(),
        ActivityFeedback.objects.count(),
        ActionPlan.objects.count(),
        Milestone.objects.count(),
    )
    seed_demo(today)
    assert counts == (
        Activity.objects.count(),
        ActivityFeedback.objects.count(),
        ActionPlan.objects.count(),
        Milestone.objects.count(),
    )
    now = timezone.now()
    assert Activity.objects.filter(starts_at__gt=now).count() == 1
    assert Activity.objects.filter(starts_at__lt=now).count() == 3
    assert ActivityParticipant.objects.filter(attended=True).exists()
    assert counts[1] > 0 and counts[2] == 2
    assert milestones_overdue_by_alliance([alliance.id]) == {alliance.id: 1}
    assert Activity.objects.filter(starts_at__lt=now - dt.timedelta(days=1)).count() == 3
