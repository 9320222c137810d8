"""Discussions in the header search: threads (their title and summary) and posts (their
text), each read through the access layer — a hidden post only by its moderators, a
deleted one by nobody."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerlearn.access.discussions import posts_readable_by, threads_visible_to
from peerlearn.core.markdown import plain
from peerlearn.search.sources import Source

SOURCES = [
    Source(
        kind="discussion",
        label=_("Discussions"),
        queryset=lambda user: threads_visible_to(user),
        title_field="title",
        text_fields=("summary",),
        url=lambda t: reverse("discussions:thread", args=[t.id]),
        plain=plain,
    ),
    Source(
        kind="post",
        label=_("Posts in discussions"),
        queryset=lambda user: posts_readable_by(user).select_related("thread", "author"),
        title_field="thread__title",
        text_fields=("body",),
        url=lambda p: reverse("discussions:thread", args=[p.thread_id]) + f"#post-{p.id}",
        subtitle=lambda p: str(p.author) if p.author else "",
        plain=plain,
    ),
]
