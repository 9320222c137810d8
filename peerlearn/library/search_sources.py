"""The case library in the header search: published cases and resources the searcher may
see, through the access layer. Their titles, summaries, lessons and descriptions are also
what the search by meaning encodes (``Source.text``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerlearn.access.base import Viewer
from peerlearn.core.markdown import plain
from peerlearn.library.selectors import published_cases, published_resources
from peerlearn.search.sources import Source


def _cases(user: Viewer) -> QuerySet[Any]:
    return published_cases(user)


def _resources(user: Viewer) -> QuerySet[Any]:
    return published_resources(user)


SOURCES = [
    Source(
        kind="case",
        label=_("Case studies"),
        queryset=_cases,
        title_field="title",
        text_fields=("summary", "body"),
        url=lambda c: reverse("library:case", args=[c.id]),
        subtitle=lambda c: str(_("Case study")),
        plain=plain,
    ),
    Source(
        kind="resource",
        label=_("Resources"),
        queryset=_resources,
        title_field="title",
        text_fields=("description",),
        url=lambda r: reverse("library:resource", args=[r.id]),
        subtitle=lambda r: str(r.get_type_display()),
    ),
]
