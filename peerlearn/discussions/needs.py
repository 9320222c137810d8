"""What needs you, from discussions: posts that mention you (until you open the thread),
among those you may still read; and, for moderators, reported posts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.access.discussions import post_reports_for_moderation, posts_readable_by
from peerlearn.accounts.models import User
from peerlearn.discussions.models import Notice, NoticeKind
from peerlearn.notifications.needs import Need


def _mentions(user: User) -> Iterable[Need]:
    unseen = Notice.objects.filter(recipient=user, kind=NoticeKind.MENTION, seen_at__isnull=True)
    # Most people have no unseen mention: one plain query then, without building the
    # readable posts' rules.
    post_ids = list(unseen.values_list("post_id", flat=True))
    if not post_ids:
        return
    waiting = (
        unseen.filter(post__in=posts_readable_by(user).filter(id__in=post_ids))
        .select_related("post__thread", "post__author")
        .order_by("created_at")
    )
    for notice in waiting:
        post = notice.post
        yield Need(
            kind="mention",
            text=_("%(name)s mentioned you in “%(title)s”")
            % {"name": post.author or _("Someone"), "title": post.thread.title},
            url=reverse("discussions:thread", args=[post.thread_id]) + f"#post-{post.id}",
            since=notice.created_at,
        )


def _reports(user: User) -> Iterable[Need]:
    """Posts reported in the threads the user moderates, until one of them hides the post
    or keeps it."""
    first: dict[int, Any] = {}
    counts: dict[int, int] = {}
    reports = post_reports_for_moderation(user).select_related("post__thread", "post__author")
    for report in reports.order_by("created_at"):
        first.setdefault(report.post_id, report)
        counts[report.post_id] = counts.get(report.post_id, 0) + 1
    for post_id, report in first.items():
        post = report.post
        yield Need(
            kind="report",
            text=ngettext(
                "%(author)s’s post “%(excerpt)s” in “%(title)s” is reported (%(count)s "
                "report): hide it or keep it",
                "%(author)s’s post “%(excerpt)s” in “%(title)s” is reported (%(count)s "
                "reports): hide it or keep it",
                counts[post_id],
            )
            % {
                "author": post.author or _("A former member"),
                "excerpt": Truncator(strip_tags(post.body_html).strip()).words(8),
                "title": post.thread.title,
                "count": counts[post_id],
            },
            url=reverse("discussions:thread", args=[post.thread_id]) + f"#post-{post.id}",
            since=report.created_at,
        )


NEEDS: list[Callable[[User], Iterable[Need]]] = [_mentions, _reports]
