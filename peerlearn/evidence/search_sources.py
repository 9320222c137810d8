"""Insights in the header search: what facilitators drew from shared diary entries (and,
through discussions, a thread's published summary), each read through the access layer."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerlearn.access.evidence import insights_visible_to
from peerlearn.core.markdown import plain
from peerlearn.search.sources import Source

SOURCES = [
    Source(
        kind="insight",
        label=_("Insights"),
        queryset=lambda user: insights_visible_to(user).select_related("alliance"),
        title_field="title",
        text_fields=("text",),
        plain=plain,
        url=lambda i: reverse("evidence:insight", args=[i.id]),
        subtitle=lambda i: i.alliance.name if i.alliance_id else "",
    ),
]
