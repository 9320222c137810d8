"""The demo's part: a pinned public topic with posts, and a summarised thread inside the
Kenyan alliance; seeding sends no e-mail, leaves no notice, and adds nothing the second
time."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.tests.factories import (
    AllianceMembershipFactory,
    LearningAllianceFactory,
)
from peerlearn.demo.data import kenya
from peerlearn.discussions.demo import THREAD_TITLE, TOPIC_TITLE, seed_demo
from peerlearn.discussions.models import Notice, Post, Thread

pytestmark = pytest.mark.django_db


def test_seed_demo_sends_nothing_and_runs_once(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    alliance = LearningAllianceFactory(slug=kenya.ALLIANCE_SLUG, name=kenya.ALLIANCE_NAME)
    facilitator = UserFactory(username="facilitator", role=Role.FACILITATOR)
    AllianceMembershipFactory(alliance=alliance, user=facilitator, role=MemberRole.FACILITATOR)
    for username in ("peer", "george.ouma", "lilian.odhiambo"):
        AllianceMembershipFactory(alliance=alliance, user=UserFactory(username=username))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo(timezone.localdate())
        counts = (Thread.objects.count(), Post.objects.count())
        seed_demo(timezone.localdate())
    assert counts == (Thread.objects.count(), Post.objects.count()) == (2, 6)
    assert mail.outbox == []
    assert not Notice.objects.exists()
    topic = Thread.objects.get(title=TOPIC_TITLE)
    assert topic.alliance is None and topic.visibility == Visibility.PUBLIC and topic.pinned
    thread = Thread.objects.get(title=THREAD_TITLE)
    assert thread.alliance == alliance and thread.summary
    # The topic's mention of @peer is a link to nobody without a profile, but is kept as text.
    assert "@peer" in topic.posts.last().body_html
