"""The peer picker: peers found by name as one types, only among those the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from peerlearn.access.peers import peers_visible_to
from peerlearn.core.pickers import PickerKind, folded, suggestions


def _search(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    q = Q()
    for word in text.split()[:6]:
        q &= Q(user__name__icontains=word)
    return queryset.filter(q).select_related("user__organisation").order_by("user__name", "id")


def _exact(peer: Any, text: str) -> bool:
    return folded(peer.user.name) == folded(text)


def _describe(peer: Any) -> str:
    organisation = peer.user.organisation
    return f"{peer.user.name} — {organisation}" if organisation else peer.user.name


PEERS = PickerKind(
    suggest_url="peers:suggestions",
    search=_search,
    exact=_exact,
    prompt=_("Find a peer by name"),
    describe=_describe,
)


def peer_suggestions(request: HttpRequest) -> HttpResponse:
    """Peers matching the text typed in a peer picker: only those the user may see."""
    return suggestions(request, kind=PEERS, queryset=peers_visible_to(request.user))
