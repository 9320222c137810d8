"""Reading the case library through the access layer: one list of cases and resources
together, with filters and paging in a constant number of queries, and each item's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Prefetch, Q, QuerySet, Value

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.base import Viewer, is_signed_in
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.library import (
    cases_to_review,
    cases_visible_to,
    resources_to_review,
    resources_visible_to,
)
from peerlearn.core.models import Country, Theme
from peerlearn.initiatives.models import InitiativeStatus
from peerlearn.library.models import Case, ItemStatus, Resource, Tag

#: The ``type`` filter's value for case studies; any other is a resource type.
CASE = "case"


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    theme: str = ""  # theme slug
    tag: str = ""  # tag name
    type: str = ""  # CASE or a ResourceType
    country: str = ""  # ISO alpha-2: cases there, and the resources of those cases


def published_cases(user: Viewer) -> QuerySet[Case]:
    return cases_visible_to(user).filter(status=ItemStatus.PUBLISHED)


def published_resources(user: Viewer) -> QuerySet[Resource]:
    return resources_visible_to(user).filter(status=ItemStatus.PUBLISHED)


def _filtered_cases(user: Viewer, f: LibraryFilters) -> QuerySet[Case]:
    qs = published_cases(user)
    if f.theme:
        qs = qs.filter(themes__slug=f.theme)
    if f.tag:
        qs = qs.filter(tags__name=f.tag)
    if f.country:
        qs = qs.filter(countries__code=f.country)
    if f.q:
        qs = qs.filter(
            Q(title__icontains=f.q) | Q(summary__icontains=f.q) | Q(lessons__text__icontains=f.q)
        )
    return qs


def _filtered_resources(user: Viewer, f: LibraryFilters) -> QuerySet[Resource]:
    qs = published_resources(user)
    if f.type and f.type != CASE:
        qs = qs.filter(type=f.type)
    if f.theme:
        qs = qs.filter(themes__slug=f.theme)
    if f.tag:
        qs = qs.filter(tags__name=f.tag)
    if f.country:
        qs = qs.filter(case__countries__code=f.country)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q))
    return qs


def case_list(*, user: Viewer, filters: LibraryFilters) -> QuerySet[Case]:
    ids = _filtered_cases(user, filters).values("id")
    return (
        Case.objects.filter(id__in=ids)
        .prefetch_related("themes", "countries", "tags")
        .order_by("title", "id")
    )


def resource_list(*, user: Viewer, filters: LibraryFilters) -> QuerySet[Resource]:
    ids = _filtered_resources(user, filters).values("id")
    return (
        Resource.objects.filter(id__in=ids)
        .prefetch_related("themes", "tags")
        .order_by("title", "id")
    )


def library_rows(*, user: Viewer, filters: LibraryFilters) -> QuerySet[Any]:
    """Cases and resources together, by title: rows of ``kind``, ``id`` and ``title`` to
    page through; :func:`library_page_items` loads a page's objects."""
    parts: list[QuerySet[Any]] = []
    if filters.type in ("", CASE):
        parts.append(
            Case.objects.filter(id__in=_filtered_cases(user, filters).values("id"))
            .values("id", "title", kind=Value(CASE, output_field=CharField()))
            .order_by()
        )
    if filters.type != CASE:
        parts.append(
            Resource.objects.filter(id__in=_filtered_resources(user, filters).values("id"))
            .values("id", "title", kind=Value("resource", output_field=CharField()))
            .order_by()
        )
    first, *rest = parts
    rows = first.union(*rest) if rest else first
    return rows.order_by("title", "kind", "id")


def library_page_items(rows: list[dict[str, Any]]) -> list[Case | Resource]:
    """The objects of one page of :func:`library_rows`, in its order (two queries and
    their prefetches, whatever the page size)."""
    case_ids = [r["id"] for r in rows if r["kind"] == CASE]
    resource_ids = [r["id"] for r in rows if r["kind"] != CASE]
    cases = Case.objects.filter(id__in=case_ids).prefetch_related("themes", "countries", "tags")
    resources = Resource.objects.filter(id__in=resource_ids).prefetch_related("themes", "tags")
    found: dict[tuple[str, int], Any] = {(CASE, c.id): c for c in cases}
    found.update({("resource", r.id): r for r in resources})
    return [found[(r["kind"] if r["kind"] == CASE else "resource", r["id"])] for r in rows]


def filter_choices(user: Viewer) -> dict[str, QuerySet[Any]]:
    """Themes, tags and countries of what the reader may see: a tag or a country only on
    hidden items is never offered."""
    cases = published_cases(user).values("id")
    resources = published_resources(user).values("id")
    return {
        "themes": Theme.objects.filter(
            Q(library_cases__in=cases) | Q(library_resources__in=resources)
        ).distinct(),
        "tags": Tag.objects.filter(
            Q(library_cases__in=cases) | Q(library_resources__in=resources)
        ).distinct(),
        "countries": Country.objects.filter(library_cases__in=cases).distinct(),
    }


def case_detail(*, user: Viewer, case: Case) -> Case:
    """The case with its relations; its resources, initiative and alliance only where
    ``user`` may see them."""
    case = (
        Case.objects.select_related("author")
        .prefetch_related(
            "themes",
            "countries",
            "tags",
            "lessons",
            Prefetch(
                "resources",
                queryset=published_resources(user).prefetch_related("tags").order_by("title"),
                to_attr="visible_resources",
            ),
        )
        .get(id=case.id)
    )
    case.shown_initiative = (  # type: ignore[attr-defined]
        initiatives_visible_to(user)
        .filter(status=InitiativeStatus.PUBLISHED, id=case.initiative_id)
        .first()
        if case.initiative_id
        else None
    )
    case.shown_alliance = _shown_alliance(user, case.alliance_id)  # type: ignore[attr-defined]
    return case


def resource_detail(*, user: Viewer, resource: Resource) -> Resource:
    resource = (
        Resource.objects.select_related("author")
        .prefetch_related("themes", "tags")
        .get(id=resource.id)
    )
    resource.shown_case = (  # type: ignore[attr-defined]
        published_cases(user).filter(id=resource.case_id).first() if resource.case_id else None
    )
    resource.shown_alliance = _shown_alliance(user, resource.alliance_id)  # type: ignore[attr-defined]
    return resource


def _shown_alliance(user: Viewer, alliance_id: int | None) -> Any:
    if alliance_id is None:
        return None
    return alliances_visible_to(user).filter(id=alliance_id).first()


def my_submissions(*, user: Viewer) -> list[Case | Resource]:
    """The reader's own cases and resources that are not published (waiting, declined)."""
    if not is_signed_in(user):
        return []
    mine = Q(author=user) & ~Q(status=ItemStatus.PUBLISHED)
    items: list[Case | Resource] = [*cases_visible_to(user).filter(mine)]
    items += list(resources_visible_to(user).filter(mine))
    return sorted(items, key=lambda i: i.created_at, reverse=True)


def review_queue(*, user: Viewer) -> list[Case | Resource]:
    """Submissions waiting for ``user``'s review, oldest first."""
    items: list[Case | Resource] = [
        *cases_to_review(user).select_related("author", "alliance"),
        *resources_to_review(user).select_related("author", "alliance"),
    ]
    return sorted(items, key=lambda i: i.created_at)
