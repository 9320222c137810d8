"""Open calls, their applications, and the pairs kept apart."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from peerlearn.access.base import Viewer, profile_of
from peerlearn.access.matching import (
    can_manage_open_call,
    excluded_pairs_visible_to,
    open_calls_visible_to,
)
from peerlearn.access.peers import peers_visible_to
from peerlearn.matchmaking.models import (
    CallApplication,
    ExcludedPair,
    OpenCall,
)


def open_call_list(*, user: Viewer) -> QuerySet[OpenCall]:
    calls: QuerySet[OpenCall] = (
        open_calls_visible_to(user)
        .select_related("theme", "created_by")
        .annotate(n_applications=Count("applications", distinct=True))
        .order_by("-created_at", "-id")
    )
    return calls


@dataclass
class OpenCallDetail:
    """An open call as the viewer may see it and what they may do: the read model behind
    the call's page and ``GET /matching/calls/{id}``."""

    call: OpenCall
    is_open: bool
    manages: bool
    applied: bool
    can_apply: bool
    applications: list[CallApplication]  # for whoever manages the call, else empty


def open_call_detail(*, user: Viewer, call: OpenCall) -> OpenCallDetail:
    call = open_call_list(user=user).get(id=call.id)
    manages = can_manage_open_call(user, call)
    peer = profile_of(user)
    applied = peer is not None and call.applications.filter(peer=peer).exists()
    return OpenCallDetail(
        call=call,
        is_open=call.is_open,
        manages=manages,
        applied=applied,
        can_apply=peer is not None and not applied and call.is_open,
        applications=call_applications(user=user, call=call) if manages else [],
    )


def call_applications(*, user: Viewer, call: OpenCall) -> list[CallApplication]:
    """Applications to a call the user manages, each applicant only if visible to them."""
    return list(
        call.applications.filter(peer__in=peers_visible_to(user))
        .select_related("peer__user__organisation__country")
        .order_by("created_at", "id")
    )


def excluded_pair_list(*, user: Viewer) -> QuerySet[ExcludedPair]:
    return excluded_pairs_visible_to(user).select_related(
        "peer_a__user__organisation",
        "peer_b__user__organisation",
        "created_by",
        "source_proposal__run",
    )
