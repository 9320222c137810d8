"""Open data: what may leave the platform for anyone, in CSV, JSON and IATI.

Exactly what an anonymous visitor may see — the public level of each kind of content,
read through the same ``*_visible_to`` rules as the public pages — and nothing wider,
whoever runs the export.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.peers import challenges_visible_to, experiences_visible_to, peers_visible_to


def _anyone() -> AnonymousUser:
    return AnonymousUser()


def open_alliances() -> QuerySet[Any]:
    return alliances_visible_to(_anyone())


def open_initiatives() -> QuerySet[Any]:
    return initiatives_visible_to(_anyone())


def open_peers() -> QuerySet[Any]:
    return peers_visible_to(_anyone())


def open_challenges() -> QuerySet[Any]:
    return challenges_visible_to(_anyone())


def open_experiences() -> QuerySet[Any]:
    return experiences_visible_to(_anyone())


def open_alliance_priorities() -> QuerySet[Any]:
    """Priority reform areas are part of an alliance's description: those of open ones."""
    from peerlearn.alliances.models import AlliancePriority

    return AlliancePriority.objects.filter(alliance__in=open_alliances().values("id"))


def open_alliance_organisations() -> QuerySet[Any]:
    from peerlearn.alliances.models import AllianceOrganisation

    return AllianceOrganisation.objects.filter(alliance__in=open_alliances().values("id"))
