"""The demo's pre-assessment and strategy: Kenya's needs ranked into its four priorities, a
strategy mostly confirmed, and principle warnings on the dashboards."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.dashboards.selectors import facilitator_dashboard
from peerlearn.demo.data import kenya
from peerlearn.strategy.demo import seed_demo
from peerlearn.strategy.models import LearningNeed, PreAssessmentState, StrategyPart
from peerlearn.strategy.services import ranking_tally


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        call_command("demo", "--peers", "60", stdout=StringIO())
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def kenya_alliance() -> LearningAlliance:
    return LearningAlliance.objects.get(slug=kenya.ALLIANCE_SLUG)


def test_kenya_needs_are_grouped_and_ranked_into_its_priorities() -> None:
    alliance = kenya_alliance()
    assert alliance.pre_assessment.state == PreAssessmentState.CLOSED
    assert alliance.learning_needs.count() == 12
    assert not alliance.learning_needs.filter(group__isnull=True).exists()
    ranked = [group.title for group, _points, _firsts in ranking_tally(alliance=alliance)]
    assert ranked == [p.title for p in alliance.priorities.all()]
    assert ranked == [title for title, _d in kenya.PRIORITIES]


def test_kenya_strategy_is_mostly_confirmed_but_not_by_the_peer_account() -> None:
    parts = StrategyPart.objects.filter(alliance=kenya_alliance())
    assert parts.count() == len(kenya.PEOPLE) + 1
    assert parts.filter(confirmed_at__isnull=True).count() == 3
    mine = parts.get(member__username="peer")
    assert not mine.confirmed and mine.objectives.get().learn_from is not None
    assert all(p.expected_result for p in parts)


def test_the_dashboards_show_principle_warnings() -> None:
    facilitator = {
        r.alliance.slug: {w.code for w in r.warnings}
        for r in facilitator_dashboard(User.objects.get(username="facilitator"))
    }
    assert facilitator[kenya.ALLIANCE_SLUG] == {"peers_not_authorised"}
    admin = {
        r.alliance.slug: {w.code for w in r.warnings}
        for r in facilitator_dashboard(User.objects.get(username="admin"))
    }
    assert "strategy_unconfirmed" in admin["evidence-in-african-parliaments"]
    assert "no_expected_results" in admin["climate-finance-integrity"]


def test_seeding_again_adds_nothing() -> None:
    before = (LearningNeed.objects.count(), StrategyPart.objects.count())
    seed_demo(date.today())
    assert (LearningNeed.objects.count(), StrategyPart.objects.count()) == before
