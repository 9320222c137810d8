"""Reading discussions: the read models pages and the API share, built on the access
layer. Permission flags and what each reader sees of a post are computed once, here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from peerlearn.access.base import Viewer, is_signed_in
from peerlearn.access.discussions import (
    alliances_for_threads,
    can_moderate_thread,
    can_post_in,
    can_report_post,
    may_moderate_topics,
    post_reports_for_moderation,
    post_text_shown_to,
    posts_visible_to,
    safe_space_readers,
    threads_visible_to,
)
from peerlearn.access.evidence import insights_visible_to
from peerlearn.discussions.models import Post, PostReport, Thread, ThreadFollow

if TYPE_CHECKING:
    from peerlearn.alliances.models import LearningAlliance


def _listed(qs: QuerySet[Thread]) -> QuerySet[Thread]:
    return (
        qs.select_related("created_by")
        .annotate(
            post_count=Count("posts", filter=Q(posts__deleted_at__isnull=True), distinct=True)
        )
        .order_by("-pinned", "-last_post_at", "-id")
    )


def topic_list(*, user: Viewer) -> QuerySet[Thread]:
    """The platform-wide topics the user reads, pinned first, then the liveliest."""
    return _listed(threads_visible_to(user).filter(alliance__isnull=True))


def alliance_thread_list(*, user: Viewer, alliance: LearningAlliance) -> QuerySet[Thread]:
    return _listed(threads_visible_to(user).filter(alliance=alliance))


@dataclass
class ShownPost:
    post: Post
    show_text: bool  # the reader sees its text
    mine: bool  # the reader wrote it (and may edit or delete it while it is shown)
    reason_shown: bool = False  # the reader reads why a moderator hid it
    reportable: bool = False  # the reader may report it to the moderators
    reported_by_me: bool = False  # the reader's report of it waits for the moderators
    report_kept: bool = False  # a moderator read the reader's report and kept it shown
    reports: list[str] = field(default_factory=list)  # open reports' reasons, for moderators


@dataclass
class ThreadDetail:
    thread: Thread
    posts: list[ShownPost]
    can_post: bool
    can_moderate: bool
    following: bool
    insight_shown: bool  # the reader may open the insight the summary became
    authors: dict[int, str] = field(default_factory=dict)
    #: Who reads an alliance's thread, by role (``access.discussions.safe_space_readers``).
    readers: list[tuple[str, int]] = field(default_factory=list)


def post_report_of(*, post: Post, reporter: Viewer) -> PostReport | None:
    """The reader's latest report of the post, open or handled (None if they made none)."""
    if not is_signed_in(reporter):
        return None
    return post.reports.filter(reporter_id=reporter.id).order_by("-created_at", "-id").first()


def thread_detail(*, user: Viewer, thread: Thread) -> ThreadDetail:
    """The thread as ``user`` reads it (the caller fetched it through ``access_thread``):
    a hidden post's text only for its moderators, a deleted one's for nobody."""
    moderator = can_moderate_thread(user, thread)
    posts = list(
        posts_visible_to(user)
        .filter(thread=thread)
        .select_related("author", "hidden_by", "reply_to__author")
        .order_by("created_at", "id")
    )
    reader_id = user.id if is_signed_in(user) else None
    reports: dict[int, list[str]] = {}
    if moderator:
        for post_id, reason in (
            post_reports_for_moderation(user)
            .filter(post__thread=thread)
            .order_by("created_at")
            .values_list("post_id", "reason")
        ):
            reports.setdefault(post_id, []).append(reason)
    # The reader's latest report of each post: still open (None), or handled (its date).
    mine_reported = dict(
        PostReport.objects.filter(reporter_id=reader_id, post__thread=thread)
        .order_by("created_at", "id")
        .values_list("post_id", "resolved_at")
        if reader_id is not None
        else []
    )
    shown = [
        ShownPost(
            post=p,
            show_text=post_text_shown_to(user, p, moderator=moderator),
            mine=reader_id is not None
            and p.author_id == reader_id
            and not p.deleted
            and not p.hidden,
            reason_shown=p.hidden
            and (moderator or (reader_id is not None and p.author_id == reader_id)),
            reportable=can_report_post(user, p, moderator=moderator) and p.id not in mine_reported,
            reported_by_me=p.id in mine_reported and mine_reported[p.id] is None,
            report_kept=mine_reported.get(p.id) is not None and not p.hidden,
            reports=reports.get(p.id, []),
        )
        for p in posts
    ]
    following = (
        reader_id is not None
        and ThreadFollow.objects.filter(thread=thread, user_id=reader_id).exists()
    )
    insight_shown = (
        thread.insight_id is not None
        and insights_visible_to(user).filter(id=thread.insight_id).exists()
    )
    return ThreadDetail(
        thread=thread,
        posts=shown,
        can_post=can_post_in(user, thread) and not thread.locked,
        can_moderate=moderator,
        following=following,
        insight_shown=insight_shown,
        readers=safe_space_readers(thread.alliance) if thread.alliance is not None else [],
    )


@dataclass
class AllianceSection:
    alliance: LearningAlliance
    threads: list[Thread]
    can_start: bool


def alliance_section(*, user: Viewer, alliance: LearningAlliance) -> AllianceSection | None:
    """The alliance page's discussions, for those inside it (else nothing)."""
    if not alliances_for_threads(user).filter(id=alliance.id).exists():
        return None
    threads = list(alliance_thread_list(user=user, alliance=alliance)[:5])
    return AllianceSection(alliance=alliance, threads=threads, can_start=True)


def can_open_topic(user: Viewer) -> bool:
    return may_moderate_topics(user)
