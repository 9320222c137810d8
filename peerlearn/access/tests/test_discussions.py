"""Discussions: every kind of viewer against an alliance thread and a topic at every level
(read, post, moderate), and what they read of a hidden post."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.access.discussions import (
    access_post_for_edit,
    access_thread,
    access_thread_for_moderation,
    access_thread_for_posting,
    can_post_in,
    posts_readable_by,
    posts_visible_to,
    threads_visible_to,
)
from peerlearn.access.visibility import Visibility
from peerlearn.activities.tests.world import VIEWERS, build_world, who
from peerlearn.discussions import services
from peerlearn.discussions.models import Thread

pytestmark = pytest.mark.django_db

#: Inside the alliance's safe space (members in any role, its funder) and administrators.
INSIDE = {"facilitator", "peer_a", "peer_b", "funder", "admin"}
#: Who moderates the alliance's thread: its facilitators and administrators.
ALLIANCE_MODERATORS = {"facilitator", "admin"}
#: Who moderates topics: the platform's facilitators and administrators.
TOPIC_MODERATORS = {"facilitator", "other_facilitator", "admin"}
SIGNED_IN = set(VIEWERS) - {"anonymous"}
#: A topic's readers at each level: below platform it is its creator's draft.
TOPIC_READERS = {
    Visibility.PRIVATE: {"facilitator", "admin"},
    Visibility.ALLIANCE: {"facilitator", "admin"},
    Visibility.PLATFORM: SIGNED_IN,
    Visibility.PUBLIC: set(VIEWERS),
}


@pytest.fixture
def dworld(db: Any) -> SimpleNamespace:
    w = build_world()
    w.thread = services.thread_start(
        alliance=w.alliance, created_by=w.peer_a, title="Seasonal tickets", body="First."
    )
    w.post = services.post_create(thread=w.thread, author=w.peer_b, body="A reply.")
    return w


def _topic(w: SimpleNamespace, level: str) -> Thread:
    topic = services.topic_open(
        created_by=w.facilitator, title=f"Topic {level}", body="Open.", visibility=Visibility.PUBLIC
    )
    # Levels below platform are never chosen in the service; stored anyway, they stay drafts.
    Thread.objects.filter(id=topic.id).update(visibility=level)
    topic.refresh_from_db()
    return topic


@pytest.mark.parametrize("name", VIEWERS)
def test_an_alliance_thread_is_read_inside_the_alliance_only(
    dworld: SimpleNamespace, name: str
) -> None:
    user = who(dworld, name)
    inside = name in INSIDE
    assert threads_visible_to(user).filter(id=dworld.thread.id).exists() == inside
    assert posts_visible_to(user).filter(id=dworld.post.id).exists() == inside
    assert posts_readable_by(user).filter(id=dworld.post.id).exists() == inside
    if inside:
        assert access_thread(user, dworld.thread.id) == dworld.thread
        assert can_post_in(user, dworld.thread)
    else:
        with pytest.raises(NotFound):
            access_thread(user, dworld.thread.id)
        with pytest.raises(NotFound):
            access_thread_for_posting(user, dworld.thread.id)


@pytest.mark.parametrize("name", VIEWERS)
def test_an_alliance_thread_is_moderated_by_its_facilitators(
    dworld: SimpleNamespace, name: str
) -> None:
    user = who(dworld, name)
    if name in ALLIANCE_MODERATORS:
        assert access_thread_for_moderation(user, dworld.thread.id) == dworld.thread
    elif name in INSIDE:
        with pytest.raises(AccessDenied):
            access_thread_for_moderation(user, dworld.thread.id)
    else:
        with pytest.raises(NotFound):
            access_thread_for_moderation(user, dworld.thread.id)


@pytest.mark.parametrize("level", list(TOPIC_READERS))
@pytest.mark.parametrize("name", VIEWERS)
def test_a_topic_is_read_by_its_level(dworld: SimpleNamespace, name: str, level: str) -> None:
    topic = _topic(dworld, level)
    user = who(dworld, name)
    reads = name in TOPIC_READERS[level]
    assert threads_visible_to(user).filter(id=topic.id).exists() == reads
    assert can_post_in(user, topic) == (reads and name != "anonymous")
    if not reads:
        with pytest.raises(NotFound):
            access_thread(user, topic.id)
    elif name in TOPIC_MODERATORS:
        assert access_thread_for_moderation(user, topic.id) == topic
    else:
        with pytest.raises(AccessDenied):
            access_thread_for_moderation(user, topic.id)


@pytest.mark.parametrize("name", VIEWERS)
def test_a_hidden_posts_text_is_read_by_the_moderators_only(
    dworld: SimpleNamespace, name: str
) -> None:
    services.post_hide(post=dworld.post, moderator=dworld.facilitator, reason="Off topic")
    user = who(dworld, name)
    assert posts_readable_by(user).filter(id=dworld.post.id).exists() == (
        name in ALLIANCE_MODERATORS
    )


@pytest.mark.parametrize("name", VIEWERS)
def test_only_the_author_changes_a_post(dworld: SimpleNamespace, name: str) -> None:
    user = who(dworld, name)
    if name == "peer_b":
        assert access_post_for_edit(user, dworld.post.id) == dworld.post
    elif name in INSIDE:
        with pytest.raises(AccessDenied):
            access_post_for_edit(user, dworld.post.id)
    else:
        with pytest.raises(NotFound):
            access_post_for_edit(user, dworld.post.id)


@pytest.mark.parametrize("name", VIEWERS)
def test_an_alliance_thread_stored_private_is_its_creators_only(
    dworld: SimpleNamespace, name: str
) -> None:
    Thread.objects.filter(id=dworld.thread.id).update(visibility=Visibility.PRIVATE)
    user = who(dworld, name)
    assert threads_visible_to(user).filter(id=dworld.thread.id).exists() == (
        name in {"peer_a", "admin"}
    )
