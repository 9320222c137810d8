"""The pool a facilitator may match: its candidates, read through the access layer, as the
matcher's records, with the pairs kept apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from peerlearn.access.base import Viewer
from peerlearn.access.matching import (
    peers_matchable_by,
    statements_matchable_by,
)
from peerlearn.access.peers import challenges_visible_to, experiences_visible_to
from peerlearn.alliances.models import LearningAlliance
from peerlearn.alliances.models import MemberRole as AllianceRole
from peerlearn.core.models import Theme
from peerlearn.matching import Message, Peer
from peerlearn.matchmaking.models import (
    ExcludedPair,
    OpenCall,
    PoolSource,
)
from peerlearn.matchmaking.records import (
    StatementRow,
    focus_on_theme,
    peer_record,
    statements_by_peer,
)
from peerlearn.peers.models import Challenge, Experience, PeerProfile
from peerlearn.peers.selectors import PeerFilters, peer_directory


@dataclass
class Pool:
    """The pool as the matcher receives it, and what the platform needs to store results."""

    peers: list[Peer]
    profiles: dict[int, PeerProfile]
    statements: dict[int, tuple[list[int], list[int]]]  # profile id → challenge, experience ids
    left_out: list[tuple[int, Message]] = field(default_factory=list)  # profile id, reason

    def __len__(self) -> int:
        return len(self.peers)


def pool_candidates(
    *,
    user: Viewer,
    source: str,
    theme: Theme | None = None,
    alliance: LearningAlliance | None = None,
    call: OpenCall | None = None,
    filters: dict[str, Any] | None = None,
) -> QuerySet[PeerProfile]:
    """The peers of a pool that ``user`` may see. Callers check that the user may match this
    alliance or call; this only narrows to what the user can see."""
    # "Private — only me" keeps a profile out of matchings too, even for administrators,
    # who can read it.
    visible = peers_matchable_by(user)
    if source == PoolSource.THEME and theme is not None:
        q = Q(id__in=challenges_visible_to(user).filter(theme=theme).values("peer_id"))
        q |= Q(id__in=experiences_visible_to(user).filter(theme=theme).values("peer_id"))
        q |= Q(id__in=PeerProfile.objects.filter(reform_areas=theme).values("id"))
        return visible.filter(q)
    if source == PoolSource.ALLIANCE and alliance is not None:
        members = alliance.memberships.filter(
            role__in=[AllianceRole.PEER, AllianceRole.RESOURCE]
        ).values("user_id")
        raised = challenges_visible_to(user).filter(alliance=alliance).values("peer_id")
        return visible.filter(Q(user_id__in=members) | Q(id__in=raised))
    if source == PoolSource.CALL and call is not None:
        return visible.filter(id__in=call.applications.values("peer_id"))
    if source == PoolSource.PEERS:
        f = filters or {}
        found = peer_directory(
            user=user,
            filters=PeerFilters(
                country=f.get("country") or "",
                language=f.get("language") or "",
                stage=f.get("stage") or None,
            ),
        )
        return visible.filter(id__in=found.values("id"))
    return visible.none()


def matching_pool(
    *, user: Viewer, candidates: QuerySet[PeerProfile], theme: Theme | None = None
) -> Pool:
    """Each candidate as a matcher ``Peer``, built only from statements ``user`` may read.

    With a theme, a peer's texts are their statements in that theme when they have any, so
    that the matcher compares what they said about it rather than everything they said."""
    profiles = list(
        PeerProfile.objects.filter(id__in=candidates.values("id"))
        .select_related("user", "user__organisation")
        .prefetch_related("languages", "reform_areas")
        .order_by("id")
    )
    ids = candidates.values("id")
    stated = {
        name: statements_by_peer(statements_matchable_by(user, model).filter(peer_id__in=ids))
        for name, model in (("challenge", Challenge), ("experience", Experience))
    }

    def focus(rows: list[StatementRow]) -> list[StatementRow]:
        return focus_on_theme(rows, theme.slug if theme is not None else None)

    pool = Pool(peers=[], profiles={}, statements={})
    for profile in profiles:
        challenges = focus(stated["challenge"].get(profile.id, []))
        experiences = focus(stated["experience"].get(profile.id, []))
        pool.peers.append(
            peer_record(
                profile, challenges, experiences, theme=theme.slug if theme is not None else None
            )
        )
        pool.profiles[profile.id] = profile
        pool.statements[profile.id] = ([r[0] for r in challenges], [r[0] for r in experiences])
    return pool


def excluded_pairs_within(candidates: QuerySet[PeerProfile]) -> list[tuple[int, int]]:
    """Every recorded exclusion between two peers of the pool, whoever recorded it: a
    decline stands for every facilitator's later runs."""
    ids = candidates.values("id")
    rows = ExcludedPair.objects.filter(peer_a_id__in=ids, peer_b_id__in=ids)
    return list(rows.values_list("peer_a_id", "peer_b_id"))
