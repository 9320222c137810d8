"""Pairs of peers never proposed together."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.matchmaking.models import (
    ExcludedPair,
    ExclusionReason,
)
from peerlearn.peers.models import PeerProfile


@transaction.atomic
def excluded_pair_add(
    *,
    peer_a: PeerProfile,
    peer_b: PeerProfile,
    reason: str = ExclusionReason.CONFLICT,
    note: str = "",
    created_by: User | None = None,
) -> ExcludedPair:
    """Record that two peers must never be proposed together (a conflict of interest)."""
    if peer_a.id == peer_b.id:
        raise ValidationError({"peer_b": [_("Choose two different peers.")]})
    if reason not in ExclusionReason.values:
        raise ValidationError({"reason": [_("Choose declined, conflict or other.")]})
    low, high = sorted((peer_a.id, peer_b.id))
    if ExcludedPair.objects.filter(peer_a_id=low, peer_b_id=high).exists():
        raise ValidationError({"peer_b": [_("These two peers are already kept apart.")]})
    pair = ExcludedPair(
        peer_a_id=low, peer_b_id=high, reason=reason, note=note.strip(), created_by=created_by
    )
    pair.full_clean()
    pair.save()
    return pair


def excluded_pair_delete(*, pair: ExcludedPair) -> None:
    pair.delete()
