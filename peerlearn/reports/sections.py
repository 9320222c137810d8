"""The report's seam: what a section is, and how apps contribute theirs.

Any installed app may add sections to the alliance progress report with a ``report``
module holding::

    def report_sections(alliance, audience, reader) -> list[Section]: ...

``audience`` is :attr:`Audience.PUBLIC` (outsiders: nothing of the safe space) or
:attr:`Audience.MEMBERS` (the alliance's safe space). ``reader`` is the viewer whose rights
the section must be read with — an anonymous user for the report of a public alliance, the
signed-in outsider for that of an alliance only signed-in users may see, the member for the
members' report (``selectors._content_reader``) — so a section built from the access
layer's ``*_visible_to(reader)`` querysets holds what that report may hold and nothing
more. Sections are ordered by ``order``; the core ones (:mod:`peerlearn.reports.report`)
use 10–30.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps as django_apps
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from peerlearn.access.base import Viewer
    from peerlearn.alliances.models import LearningAlliance

logger = logging.getLogger(__name__)


class Audience(StrEnum):
    PUBLIC = "public"
    MEMBERS = "members"


@dataclass(frozen=True)
class Chart:
    """A chart drawn on the server: its title (also the figure's caption) and its SVG."""

    title: str
    svg: SafeString
    description: str = ""

    @property
    def data_uri(self) -> str:
        from peerlearn.reports.charts import svg_data_uri

        return svg_data_uri(self.svg)


@dataclass(frozen=True)
class Table:
    """A table of a section. A cell is text, a number or a date: a page shows a date in
    the reader's language, a CSV file as ISO 8601 (2026-07-29), which spreadsheets read."""

    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


@dataclass(frozen=True)
class Section:
    """One part of a report. ``html`` is for a section that renders its own template
    (already escaped: a ``SafeString``); ``internal`` marks content from the alliance's
    safe space, which a public report never shows."""

    key: str
    title: str
    order: int = 100
    intro: str = ""
    facts: Sequence[tuple[str, str]] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()
    html: SafeString = field(default_factory=lambda: SafeString(""))
    internal: bool = False


SectionProvider = Callable[["LearningAlliance", Audience, "Viewer"], list[Section]]


def section_providers() -> list[SectionProvider]:
    """Each installed app's ``report.report_sections``, in ``INSTALLED_APPS`` order."""
    found = []
    for app in django_apps.get_app_configs():
        name = f"{app.name}.report"
        if not app.name.startswith("peerlearn.") or importlib.util.find_spec(name) is None:
            continue
        provider = getattr(importlib.import_module(name), "report_sections", None)
        if provider is not None:
            found.append(provider)
    return found


def collect_sections(
    alliance: LearningAlliance, audience: Audience, reader: Viewer
) -> list[Section]:
    """Every app's sections for this report, in order. A public report drops any section
    marked internal, whichever app made it."""
    sections: list[Section] = []
    for provider in section_providers():
        for section in provider(alliance, audience, reader):
            if audience == Audience.PUBLIC and section.internal:
                logger.warning("internal section %s left out of a public report", section.key)
                continue
            sections.append(section)
    return sorted(sections, key=lambda s: (s.order, s.key))
