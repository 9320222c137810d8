"""Reading the registry through the access layer."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.base import Viewer, is_signed_in
from peerlearn.access.initiatives import initiatives_to_review, initiatives_visible_to
from peerlearn.access.peers import peers_visible_to
from peerlearn.alliances.models import AllianceOrganisation
from peerlearn.initiatives.models import Initiative, InitiativeStatus


@dataclass(frozen=True)
class InitiativeFilters:
    type: str = ""
    theme: str = ""
    country: str = ""  # ISO alpha-2
    region: str = ""  # M49 region or sub-region code
    implementer: int | None = None  # organisation id
    funder: int | None = None  # organisation id
    sdg_target: str = ""  # e.g. "16.6"
    status: str = ""  # InitiativeStatus; empty: published only
    q: str = ""

    def without_country(self) -> InitiativeFilters:
        return replace(self, country="")


def initiative_list(*, user: Viewer, filters: InitiativeFilters) -> QuerySet[Initiative]:
    """The registry entries ``user`` may see that pass ``filters``: published ones unless a
    status is asked for (a proposer's own proposals, the reviewers' queue)."""
    qs = initiatives_visible_to(user).filter(status=filters.status or InitiativeStatus.PUBLISHED)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.country:
        qs = qs.filter(countries__code=filters.country)
    if filters.region:
        qs = qs.filter(Q(countries__region=filters.region) | Q(countries__subregion=filters.region))
    if filters.implementer:
        qs = qs.filter(implementers__id=filters.implementer)
    if filters.funder:
        qs = qs.filter(funders__id=filters.funder)
    if filters.sdg_target:
        qs = qs.filter(sdg_targets__code=filters.sdg_target)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q) | qs.filter(summary__icontains=filters.q)
    return (
        Initiative.objects.filter(id__in=qs.values("id"))
        .prefetch_related("countries", "implementers", "funders", "themes", "sdg_targets")
        .order_by("name")
    )


def initiatives_proposed_by(*, user: Viewer) -> QuerySet[Initiative]:
    """The viewer's own proposals that are not published (waiting, or declined)."""
    if not is_signed_in(user):
        return Initiative.objects.none()
    return (
        initiatives_visible_to(user)
        .filter(proposed_by=user)
        .exclude(status=InitiativeStatus.PUBLISHED)
        .order_by("-created_at")
    )


def initiative_review_queue(*, user: Viewer) -> QuerySet[Initiative]:
    """The proposals waiting for review, the longest waiting first, each with
    ``proposed_on``: when it was proposed, or last proposed again."""
    return (
        initiatives_to_review(user)
        .select_related("proposed_by")
        .prefetch_related("countries", "implementers", "funders", "themes", "sdg_targets")
        .annotate(proposed_on=Coalesce("proposed_again_at", "created_at"))
        .order_by("proposed_on", "id")
    )


class MapMeasure(models.TextChoices):
    INITIATIVES = "initiatives", _("Initiatives")
    ALLIANCES = "alliances", _("Learning alliances")
    PEERS = "peers", _("Peers")


def country_counts(*, user: Viewer, measure: str, filters: InitiativeFilters) -> dict[str, int]:
    """How many initiatives, alliances or peers ``user`` may see in each country (ISO alpha-2).

    Initiatives follow every filter but the country (the map is how a country is chosen);
    alliances count by their member organisations' countries, following the type and theme;
    peers by their organisation's country, over every theme — counting peers by the themes
    of their statements would tell who wrote on a theme at a closed level."""
    if measure == MapMeasure.ALLIANCES:
        alliances = alliances_visible_to(user)
        if filters.type:
            alliances = alliances.filter(type=filters.type)
        if filters.theme:
            alliances = alliances.filter(theme__slug=filters.theme)
        alliance_rows = (
            AllianceOrganisation.objects.filter(alliance__in=alliances.values("id"))
            .values("organisation__country_id")
            .annotate(n=Count("alliance_id", distinct=True))
        )
        return {
            r["organisation__country_id"]: r["n"]
            for r in alliance_rows
            if r["organisation__country_id"]
        }
    if measure == MapMeasure.PEERS:
        peer_rows = (
            peers_visible_to(user)
            .values("user__organisation__country_id")
            .annotate(n=Count("id", distinct=True))
        )
        return {
            r["user__organisation__country_id"]: r["n"]
            for r in peer_rows
            if r["user__organisation__country_id"]
        }
    initiatives = initiative_list(user=user, filters=filters.without_country())
    rows = (
        Initiative.countries.through.objects.filter(initiative__in=initiatives.values("id"))
        .values("country_id")
        .annotate(n=Count("initiative_id", distinct=True))
    )
    return {r["country_id"]: r["n"] for r in rows}


def initiative_detail(*, user: Viewer, initiative: Initiative) -> Initiative:
    """The initiative with its relations; linked alliances only where ``user`` may see them."""
    return Initiative.objects.prefetch_related(
        "countries",
        "implementers",
        "funders",
        "themes",
        "links",
        "sdg_targets",
        Prefetch("alliances", queryset=alliances_visible_to(user).order_by("name")),
    ).get(id=initiative.id)
