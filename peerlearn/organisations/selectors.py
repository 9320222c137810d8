"""Reading organisations. Organisations are not confidential; the people in them are, so
anything about their peers goes through the access layer."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from peerlearn.access.base import Viewer
from peerlearn.access.peers import peers_visible_to
from peerlearn.organisations.models import Organisation


@dataclass(frozen=True)
class OrganisationFilters:
    country: str = ""  # ISO alpha-2
    type: str = ""
    q: str = ""


def organisation_list(*, filters: OrganisationFilters) -> QuerySet[Organisation]:
    qs = Organisation.objects.select_related("country")
    if filters.country:
        qs = qs.filter(country_id=filters.country)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(acronym__iexact=filters.q))
    return qs.order_by("name", "id")


def organisation_visible_peer_count(*, user: Viewer, organisation: Organisation) -> int:
    """How many of the organisation's peers ``user`` may see."""
    return peers_visible_to(user).filter(user__organisation=organisation).count()
