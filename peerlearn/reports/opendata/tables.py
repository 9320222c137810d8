"""The open data tables: what each holds, and writing them as CSV or JSON in constant memory.

Every table starts from the access layer's open querysets (:mod:`peerlearn.access.opendata`),
is read with ``.iterator(chunk_size=...)`` and written row by row, so 100,000 rows take the
memory of one chunk. Names of linked things (an alliance's initiative, a statement's
alliance) are looked up through the same open querysets, so a public record never names
something that is not public itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from peerlearn.access.opendata import (
    open_alliance_organisations,
    open_alliance_priorities,
    open_alliances,
    open_challenges,
    open_experiences,
    open_initiatives,
    open_peers,
)
from peerlearn.reports.models import PriorityAssessment
from peerlearn.reports.opendata.results import public_results, results_providers

CHUNK = 2000
#: Rows written before a chunk of text is handed on (to a file or an HTTP response).
FLUSH_EVERY = 500


@dataclass(frozen=True)
class OpenTable:
    name: str
    title: Any
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[dict[str, Any]]]


def _join(values: Iterable[Any]) -> str:
    return ";".join(str(v) for v in values)


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _open_alliance_slug(field: str) -> Subquery:
    return Subquery(open_alliances().filter(id=OuterRef(field)).values("slug")[:1])


def _alliance_rows() -> Iterator[dict[str, Any]]:
    qs: QuerySet[Any] = (
        open_alliances()
        .select_related("theme")
        .annotate(
            initiative_slug=Subquery(
                open_initiatives().filter(id=OuterRef("initiative_id")).values("slug")[:1]
            )
        )
        .prefetch_related("funders", "working_languages")
        .order_by("id")
    )
    for a in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": a.id,
            "slug": a.slug,
            "name": a.name,
            "theme": a.theme.slug,
            "type": a.type,
            "stage": a.stage,
            "stage_name": str(a.get_stage_display()),
            "purpose": a.purpose,
            "starts_on": _date(a.starts_on),
            "ends_on": _date(a.ends_on),
            "closed_on": _date(a.closed_on),
            "initiative": a.initiative_slug or "",
            "working_languages": _join(lang.code for lang in a.working_languages.all()),
            "funders": _join(o.name for o in a.funders.all()),
        }


def _organisation_rows() -> Iterator[dict[str, Any]]:
    qs = open_alliance_organisations().select_related("alliance", "organisation").order_by("id")
    for m in qs.iterator(chunk_size=CHUNK):
        yield {
            "alliance": m.alliance.slug,
            "organisation": m.organisation.name,
            "acronym": m.organisation.acronym,
            "type": m.organisation.type,
            "country": m.organisation.country_id or "",
            "joined_on": _date(m.joined_on),
        }


def _priority_rows() -> Iterator[dict[str, Any]]:
    latest = PriorityAssessment.objects.filter(
        priority=OuterRef("id"), alliance=OuterRef("alliance_id")
    ).order_by("-assessed_on", "-id")
    qs = (
        open_alliance_priorities()
        .select_related("alliance")
        .annotate(
            completion=Subquery(latest.values("completion")[:1]),
            early_results=Subquery(latest.values("early_results")[:1]),
            assessed_on=Subquery(latest.values("assessed_on")[:1]),
        )
        .order_by("alliance_id", "position", "id")
    )
    for p in qs.iterator(chunk_size=CHUNK):
        yield {
            "alliance": p.alliance.slug,
            "position": p.position,
            "title": p.title,
            "description": p.description,
            "completion": "" if p.completion is None else p.completion,
            "early_results": "" if p.early_results is None else p.early_results,
            "assessed_on": _date(p.assessed_on),
        }


def _initiative_rows() -> Iterator[dict[str, Any]]:
    qs = open_initiatives().prefetch_related("countries", "themes", "implementers", "funders")
    for i in qs.order_by("id").iterator(chunk_size=CHUNK):
        yield {
            "slug": i.slug,
            "name": i.name,
            "type": i.type,
            "countries": _join(c.code for c in i.countries.all()),
            "coverage": i.coverage,
            "themes": _join(t.slug for t in i.themes.all()),
            "implementers": _join(o.name for o in i.implementers.all()),
            "funders": _join(o.name for o in i.funders.all()),
            "summary": i.summary,
            "lessons": i.lessons,
            "started": i.started or "",
            "ended": i.ended or "",
        }


def _peer_rows() -> Iterator[dict[str, Any]]:
    qs = (
        open_peers()
        .select_related("user", "user__organisation")
        .prefetch_related("languages", Prefetch("reform_areas", to_attr="themes"))
        .order_by("id")
    )
    for p in qs.iterator(chunk_size=CHUNK):
        org = p.user.organisation
        yield {
            "id": p.id,
            "name": p.user.name,
            "position": p.position,
            "organisation": org.name if org else "",
            "country": (org.country_id or "") if org else "",
            "languages": _join(lang.code for lang in p.languages.all()),
            "reform_areas": _join(t.slug for t in p.themes),
            "reform_stage": p.reform_stage,
            "seniority": p.seniority,
            "about": p.bio,
        }


def _statement_rows(
    queryset: Callable[[], QuerySet[Any]],
) -> Callable[[], Iterator[dict[str, Any]]]:
    def rows() -> Iterator[dict[str, Any]]:
        qs = (
            queryset()
            .select_related("theme")
            .annotate(alliance_slug=_open_alliance_slug("alliance_id"))
            .order_by("id")
        )
        for s in qs.iterator(chunk_size=CHUNK):
            yield {
                "id": s.id,
                "peer": s.peer_id,
                "theme": s.theme.slug,
                "title": s.title,
                "description": s.description,
                "alliance": s.alliance_slug or "",
                "created_at": s.created_at.isoformat(),
            }

    return rows


def _result_rows() -> Iterator[dict[str, Any]]:
    providers = results_providers()
    if not providers:
        return
    for alliance in open_alliances().order_by("id").iterator(chunk_size=CHUNK):
        for result in public_results(alliance, providers):
            row: dict[str, Any] = dict.fromkeys(TABLES["results"].columns, "")
            row.update(alliance=alliance.slug, result=result.title, result_type=result.type)
            if not result.indicators:
                yield row
            for indicator in result.indicators:
                with_indicator = {
                    **row,
                    "indicator": indicator.title,
                    "measure": indicator.measure,
                    "baseline_year": indicator.baseline_year or "",
                    "baseline_value": indicator.baseline_value or "",
                }
                if not indicator.periods:
                    yield with_indicator
                for period in indicator.periods:
                    yield {
                        **with_indicator,
                        "period_start": _date(period.start),
                        "period_end": _date(period.end),
                        "target": period.target or "",
                        "actual": period.actual or "",
                    }


_STATEMENT_COLUMNS = ("id", "peer", "theme", "title", "description", "alliance", "created_at")

TABLES: dict[str, OpenTable] = {
    t.name: t
    for t in (
        OpenTable(
            "alliances",
            _("Public learning alliances"),
            (
                "id",
                "slug",
                "name",
                "theme",
                "type",
                "stage",
                "stage_name",
                "purpose",
                "starts_on",
                "ends_on",
                "closed_on",
                "initiative",
                "working_languages",
                "funders",
            ),
            _alliance_rows,
        ),
        OpenTable(
            "alliance_organisations",
            _("Their member organisations"),
            ("alliance", "organisation", "acronym", "type", "country", "joined_on"),
            _organisation_rows,
        ),
        OpenTable(
            "alliance_priorities",
            _("Their priority reform areas, with completion and early results"),
            (
                "alliance",
                "position",
                "title",
                "description",
                "completion",
                "early_results",
                "assessed_on",
            ),
            _priority_rows,
        ),
        OpenTable(
            "results",
            _("Their published results: indicators, baselines, targets and actuals"),
            (
                "alliance",
                "result",
                "result_type",
                "indicator",
                "measure",
                "baseline_year",
                "baseline_value",
                "period_start",
                "period_end",
                "target",
                "actual",
            ),
            _result_rows,
        ),
        OpenTable(
            "initiatives",
            _("The public initiatives registry"),
            (
                "slug",
                "name",
                "type",
                "countries",
                "coverage",
                "themes",
                "implementers",
                "funders",
                "summary",
                "lessons",
                "started",
                "ended",
            ),
            _initiative_rows,
        ),
        OpenTable(
            "peers",
            _("Public peer profiles"),
            (
                "id",
                "name",
                "position",
                "organisation",
                "country",
                "languages",
                "reform_areas",
                "reform_stage",
                "seniority",
                "about",
            ),
            _peer_rows,
        ),
        OpenTable(
            "challenges",
            _("Public challenges"),
            _STATEMENT_COLUMNS,
            _statement_rows(open_challenges),
        ),
        OpenTable(
            "experiences",
            _("Public experiences"),
            _STATEMENT_COLUMNS,
            _statement_rows(open_experiences),
        ),
    )
}


def stream_csv(table: OpenTable) -> Iterator[str]:
    """The table as CSV text, in pieces of about :data:`FLUSH_EVERY` rows."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(table.rows(), start=1):
        writer.writerow(row)
        if n % FLUSH_EVERY == 0:
            yield _take(buffer)
    if rest := _take(buffer):
        yield rest


def stream_json(table: OpenTable) -> Iterator[str]:
    """The table as one JSON array of objects, in pieces of about :data:`FLUSH_EVERY` rows."""
    buffer = io.StringIO()
    buffer.write("[")
    for n, row in enumerate(table.rows()):
        buffer.write(",\n" if n else "\n")
        buffer.write(json.dumps(row, ensure_ascii=False, default=str))
        if (n + 1) % FLUSH_EVERY == 0:
            yield _take(buffer)
    buffer.write("\n]\n")
    yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_stream(chunks: Iterable[str], out: IO[str]) -> None:
    for chunk in chunks:
        out.write(chunk)
