"""Reading the registry through the access layer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.base import Viewer
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.initiatives.models import Initiative


@dataclass(frozen=True)
class InitiativeFilters:
    type: str = ""
    theme: str = ""
    country: str = ""
    q: str = ""


def initiative_list(*, user: Viewer, filters: InitiativeFilters) -> QuerySet[Initiative]:
    qs = initiatives_visible_to(user)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.country:
        qs = qs.filter(countries__code=filters.country)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q) | qs.filter(summary__icontains=filters.q)
    return (
        Initiative.objects.filter(id__in=qs.values("id"))
        .prefetch_related("countries", "implementers", "funders", "themes")
        .order_by("name")
    )


def initiative_detail(*, user: Viewer, initiative: Initiative) -> Initiative:
    """The initiative with its relations; linked alliances only where ``user`` may see them."""
    return Initiative.objects.prefetch_related(
        "countries",
        "implementers",
        "funders",
        "themes",
        "links",
        Prefetch("alliances", queryset=alliances_visible_to(user).order_by("name")),
    ).get(id=initiative.id)
