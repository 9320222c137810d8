"""Discussions: threads inside an alliance's safe space, and public topics.

*Reading.* A thread in an alliance is read by whoever is inside that alliance's safe space
(members in any role, the alliance's funders) and may see the alliance itself (a thread
stored at *private*, which the services never write, only by its creator). A thread with
no alliance is a *topic*: at *public* anyone reads it, at *platform* every signed-in user;
below platform it is a draft only its creator reads. Administrators read everything. A
post is as visible as its thread; the text of a post a moderator hid is read by the
thread's moderators and its author only, and a deleted post's by nobody.

*Writing.* Inside an alliance, whoever is inside starts threads and posts; topics are
opened by facilitators and administrators, and every signed-in reader posts in them. People
edit and delete their own posts (not once hidden).

*Moderating.* An alliance thread is moderated by the alliance's facilitators
(``alliances_managed_by``); a topic by the platform's facilitators; administrators moderate
both. Moderators hide posts, lock, pin and summarise threads. Any other signed-in reader
may report someone else's post to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_managed_by, alliances_visible_to
from peerlearn.access.base import (
    AccessDenied,
    NotFound,
    Viewer,
    has_role,
    inner_alliance_ids,
    is_platform_admin,
    is_signed_in,
    platform_admins,
)
from peerlearn.access.memo import remembered
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import LearningAlliance
    from peerlearn.discussions.models import Post, PostReport, Thread


def _topic_q(user: Viewer) -> Q:
    q = Q(alliance__isnull=True, visibility=Visibility.PUBLIC)
    if is_signed_in(user):
        q |= Q(alliance__isnull=True, visibility=Visibility.PLATFORM)
        q |= Q(alliance__isnull=True, created_by=user)
    return q


def _alliance_thread_q(user: Viewer) -> Q:
    if not is_signed_in(user):
        return Q(pk__in=[])
    inside = Q(alliance_id__in=inner_alliance_ids(user))
    inside &= Q(alliance_id__in=alliances_visible_to(user).values("id"))
    inside &= ~Q(visibility=Visibility.PRIVATE) | Q(created_by=user)
    return inside


@remembered
def threads_visible_to(user: Viewer) -> QuerySet[Thread]:
    from peerlearn.discussions.models import Thread

    qs = Thread.objects.all()
    if is_platform_admin(user):
        return qs
    return qs.filter(_topic_q(user) | _alliance_thread_q(user))


def access_thread(user: Viewer, thread_id: int) -> Thread:
    thread = threads_visible_to(user).select_related("alliance").filter(id=thread_id).first()
    if thread is None:
        raise NotFound(_("No such discussion."))
    return thread


def may_read_thread(user: Viewer, thread: Thread) -> bool:
    """Whether ``user`` (a reader, or someone a post mentions) may read the thread."""
    return threads_visible_to(user).filter(id=thread.id).exists()


def may_moderate_topics(user: Viewer) -> bool:
    """Facilitators and administrators open and moderate the platform's topics."""
    if is_platform_admin(user):
        return True
    return has_role(user, Role.FACILITATOR)


@remembered
def threads_moderated_by(user: Viewer) -> QuerySet[Thread]:
    """The visible threads the user moderates: those of the alliances they facilitate, and
    every topic for the platform's facilitators (everything, for administrators)."""
    qs = threads_visible_to(user)
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    q = Q(alliance_id__in=alliances_managed_by(user).values("id"))
    if has_role(user, Role.FACILITATOR):
        q |= Q(alliance__isnull=True)
    return qs.filter(q)


def can_moderate_thread(user: Viewer, thread: Thread) -> bool:
    return threads_moderated_by(user).filter(id=thread.id).exists()


def access_thread_for_moderation(user: Viewer, thread_id: int) -> Thread:
    thread = access_thread(user, thread_id)
    if can_moderate_thread(user, thread):
        return thread
    raise AccessDenied(_("Only the discussion's moderators may do this."))


def can_post_in(user: Viewer, thread: Thread) -> bool:
    """Signed-in readers post in topics; inside an alliance, whoever is inside it."""
    if not is_signed_in(user):
        return False
    if not may_read_thread(user, thread):
        return False
    if thread.alliance_id is None:
        return True
    if is_platform_admin(user):
        return True
    return thread.alliance_id in inner_alliance_ids(user)


def access_thread_for_posting(user: Viewer, thread_id: int) -> Thread:
    thread = access_thread(user, thread_id)
    if can_post_in(user, thread):
        return thread
    raise AccessDenied(_("Sign in as a member of the alliance to take part."))


def alliances_for_threads(user: Viewer) -> QuerySet[LearningAlliance]:
    """The alliances in which the user may start a thread: those whose inside they see."""
    qs = alliances_visible_to(user)
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    return qs.filter(id__in=inner_alliance_ids(user))


def access_alliance_for_threads(user: Viewer, slug: str) -> LearningAlliance:
    alliance = alliances_for_threads(user).filter(slug=slug).first()
    if alliance is None:
        raise NotFound(_("No such learning alliance."))
    return alliance


def posts_visible_to(user: Viewer) -> QuerySet[Post]:
    """Posts in the threads the user reads, hidden and deleted ones included (pages show
    them as such); read their text through :func:`post_text_shown_to`."""
    from peerlearn.discussions.models import Post

    qs = Post.objects.all()
    if is_platform_admin(user):
        return qs
    return qs.filter(thread_id__in=threads_visible_to(user).values("id"))


def posts_readable_by(user: Viewer) -> QuerySet[Post]:
    """Posts whose text the user reads: not deleted, and not hidden unless the user
    moderates the thread (for search, notices and the API's lists)."""
    qs = posts_visible_to(user).filter(deleted_at__isnull=True)
    if is_platform_admin(user):
        return qs
    moderated = threads_moderated_by(user).values("id")
    return qs.filter(Q(hidden_at__isnull=True) | Q(thread_id__in=moderated))


def post_text_shown_to(user: Viewer, post: Post, *, moderator: bool) -> bool:
    """Whether a page shows this post's text: ``moderator`` is the reader's
    :func:`can_moderate_thread` for the post's thread, computed once per page. A hidden
    post's author still reads what they wrote, beside the reason it was hidden."""
    if post.deleted_at is not None:
        return False
    if post.hidden_at is None:
        return True
    if is_signed_in(user) and post.author_id == user.id:
        return True
    return moderator


def can_report_post(user: Viewer, post: Post, *, moderator: bool) -> bool:
    """Whether the reader may report the post to the thread's moderators: a signed-in
    reader of someone else's post that is shown (moderators hide it themselves)."""
    if not is_signed_in(user):
        return False
    if moderator:
        return False
    if post.author_id == user.id:
        return False
    if post.deleted_at is not None:
        return False
    return post.hidden_at is None


def access_post_for_report(user: Viewer, post_id: int) -> Post:
    post = access_post(user, post_id)
    if post.deleted_at is not None or post.hidden_at is not None:
        raise NotFound(_("No such post."))
    if can_report_post(user, post, moderator=can_moderate_thread(user, post.thread)):
        return post
    raise AccessDenied(_("Only another reader may report a post; moderators hide it."))


def post_reports_for_moderation(user: Viewer) -> QuerySet[PostReport]:
    """The open reports on posts in the threads ``user`` moderates."""
    from peerlearn.discussions.models import PostReport

    return PostReport.objects.filter(
        resolved_at__isnull=True,
        post__deleted_at__isnull=True,
        post__thread_id__in=threads_moderated_by(user).values("id"),
    )


def thread_moderators_to_tell(thread: Thread) -> QuerySet[User]:
    """Whom a report on a post in ``thread`` is e-mailed to: the alliance's facilitators,
    or, for a platform topic, the platform's administrators (every facilitator moderates
    topics, and finds the report under "What needs you")."""
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import MemberRole

    if thread.alliance_id is None:
        return platform_admins()
    return User.objects.filter(
        is_active=True,
        alliance_memberships__alliance_id=thread.alliance_id,
        alliance_memberships__role=MemberRole.FACILITATOR,
    ).distinct()


def access_post(user: Viewer, post_id: int) -> Post:
    post = posts_visible_to(user).select_related("thread").filter(id=post_id).first()
    if post is None:
        raise NotFound(_("No such post."))
    return post


def access_post_for_edit(user: Viewer, post_id: int) -> Post:
    """One's own post, still shown: to edit or delete it."""
    post = access_post(user, post_id)
    if not is_signed_in(user):
        raise AccessDenied(_("Only its author may change a post."))
    if post.author_id != user.id:
        raise AccessDenied(_("Only its author may change a post."))
    if post.deleted_at is not None:
        raise NotFound(_("No such post."))
    if post.hidden_at is not None:
        raise AccessDenied(_("A moderator hid this post; it can no longer be changed."))
    return post


def access_post_for_moderation(user: Viewer, post_id: int) -> Post:
    post = access_post(user, post_id)
    if can_moderate_thread(user, post.thread):
        return post
    raise AccessDenied(_("Only the discussion's moderators may do this."))


def safe_space_readers(alliance: LearningAlliance) -> list[tuple[str, int]]:
    """Who reads an alliance's discussions, for the people who post there: its members
    counted by role, then the accounts of its funding organisations that are not members
    (inside the safe space by their organisation). Administrators, who read everything,
    are not counted."""
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import AllianceMembership, MemberRole

    by_role = {
        row["role"]: row["n"]
        for row in AllianceMembership.objects.filter(alliance=alliance)
        .order_by()
        .values("role")
        .annotate(n=Count("id"))
    }
    readers = [(str(label), by_role[role]) for role, label in MemberRole.choices if role in by_role]
    funders = (
        User.objects.filter(
            role=Role.FUNDER,
            organisation__in=alliance.funders.all(),
            is_active=True,
        )
        .exclude(alliance_memberships__alliance=alliance)
        .count()
    )
    if funders:
        readers.append((_("Funder staff, by their organisation"), funders))
    return readers
