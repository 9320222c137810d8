"""What the search box looks through: one :class:`Source` per kind of content.

Each source reads through the access layer (``queryset(user)`` returns only what that user
may see), so a search can never show more than the pages do. Another app adds its content
to search with a ``search_sources`` module holding ``SOURCES``: a list of sources, found in
``INSTALLED_APPS`` order like the demo's ``seed_demo``.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.base import Viewer
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.peers import challenges_visible_to, experiences_visible_to, peers_visible_to


@dataclass(frozen=True)
class Source:
    kind: str  # a stable key: "challenge", "alliance", ...
    label: str | Promise  # the heading of its results, plural
    queryset: Callable[[Viewer], QuerySet[Any]]  # what the user may see, ready to read
    title_field: str  # the field shown as the result's title (searched too)
    # Further fields searched; a related one by its path ("user__organisation__name"), which
    # the queryset must select_related so that reading it costs no query.
    text_fields: tuple[str, ...]
    url: Callable[[Any], str]
    subtitle: Callable[[Any], str] = lambda obj: ""
    # The text as a reader reads it, for the result's snippet: Markdown without its marks.
    plain: Callable[[str], str] = lambda text: text

    def title(self, obj: Model) -> str:
        return str(_read(obj, self.title_field))

    def _parts(self, obj: Model) -> list[str]:
        return [self.title(obj)] + [str(_read(obj, f) or "") for f in self.text_fields]

    def text(self, obj: Model) -> str:
        """The title and the text fields, as one text for the sentence encoder."""
        return ". ".join(p.strip() for p in self._parts(obj) if p and p.strip())

    def reading(self, obj: Model) -> str:
        """The title and the text fields as a reader reads them, for a result's snippet:
        each text field without its Markdown marks (a heading or a list starts a field, not
        the joined text), and no second full stop after a field that ends a sentence."""
        title, *texts = self._parts(obj)
        return _sentences([title, *(self.plain(t) for t in texts)])


def _read(obj: Any, path: str) -> Any:
    """A field's value, following a related path ("user__organisation__name"); None where a
    relation on the way is empty."""
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


def _sentences(parts: Iterable[str]) -> str:
    """The parts in one text, each ending a sentence: "Summary. Body", but "It works. Body"
    and "Why? Body" rather than "It works.. Body"."""
    out = ""
    for part in (" ".join(p.split()) for p in parts):
        if not part:
            continue
        if out:
            out += " " if out[-1] in ".!?…:;" else ". "
        out += part
    return out


def _statement_url(kind: str) -> Callable[[Any], str]:
    return lambda s: reverse("peers:profile", args=[s.peer_id]) + f"#{kind}-{s.id}"


def _published(user: Viewer) -> QuerySet[Any]:
    from peerlearn.initiatives.models import InitiativeStatus

    return initiatives_visible_to(user).filter(status=InitiativeStatus.PUBLISHED)


CORE_SOURCES = [
    Source(
        kind="peer",
        label=_("Peers"),
        queryset=lambda user: peers_visible_to(user).select_related("user", "user__organisation"),
        title_field="user__name",
        # The organisation too: "Makueni" finds the peers of the County Government of
        # Makueni (read through the select_related join, on PostgreSQL and SQLite alike).
        text_fields=("position", "user__organisation__name", "user__organisation__acronym", "bio"),
        url=lambda p: reverse("peers:profile", args=[p.id]),
        subtitle=lambda p: ", ".join(x for x in (p.position, str(p.user.organisation or "")) if x),
    ),
    Source(
        kind="challenge",
        label=_("Challenges"),
        queryset=lambda user: challenges_visible_to(user).select_related("peer__user", "theme"),
        title_field="title",
        text_fields=("description",),
        url=_statement_url("challenge"),
        subtitle=lambda s: f"{s.peer.user.name} · {s.theme.display_name}",
    ),
    Source(
        kind="experience",
        label=_("Experiences"),
        queryset=lambda user: experiences_visible_to(user).select_related("peer__user", "theme"),
        title_field="title",
        text_fields=("description",),
        url=_statement_url("experience"),
        subtitle=lambda s: f"{s.peer.user.name} · {s.theme.display_name}",
    ),
    Source(
        kind="alliance",
        label=_("Learning alliances"),
        queryset=lambda user: alliances_visible_to(user).select_related("theme"),
        title_field="name",
        text_fields=("purpose",),
        url=lambda a: reverse("alliances:detail", args=[a.slug]),
        subtitle=lambda a: a.theme.display_name,
    ),
    Source(
        kind="initiative",
        label=_("Initiatives"),
        queryset=_published,
        title_field="name",
        text_fields=("summary", "lessons"),
        url=lambda i: reverse("initiatives:detail", args=[i.slug]),
        subtitle=lambda i: i.get_type_display(),
    ),
]


@cache
def all_sources() -> tuple[Source, ...]:
    """The core sources, then those of the apps with a ``search_sources`` module."""
    found = list(CORE_SOURCES)
    for app in apps.get_app_configs():
        name = f"{app.name}.search_sources"
        if importlib.util.find_spec(name) is not None:
            found.extend(importlib.import_module(name).SOURCES)
    return tuple(found)


def source_kinds() -> list[tuple[str, str]]:
    return [(s.kind, str(s.label)) for s in all_sources()]
