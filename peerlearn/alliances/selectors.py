"""Reading learning alliances through the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from peerlearn.access.policies import (
    Viewer,
    alliances_visible_to,
    can_see_alliance_inside,
    challenges_visible_to,
    initiatives_visible_to,
    peers_visible_to,
)
from peerlearn.alliances.models import AllianceMembership, LearningAlliance, MemberRole


@dataclass(frozen=True)
class AllianceFilters:
    theme: str = ""
    stage: int | None = None
    type: str = ""
    mine: bool = False


def alliance_list(*, user: Viewer, filters: AllianceFilters) -> QuerySet[LearningAlliance]:
    qs = alliances_visible_to(user)
    if filters.theme:
        qs = qs.filter(theme__slug=filters.theme)
    if filters.stage is not None:
        qs = qs.filter(stage=filters.stage)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.mine and user.is_authenticated:
        qs = qs.filter(id__in=AllianceMembership.objects.filter(user=user).values("alliance_id"))
    return (
        LearningAlliance.objects.filter(id__in=qs.values("id"))
        .select_related("theme")
        .prefetch_related("working_languages", "funders")
        .annotate(
            n_members=Count("memberships", distinct=True),
            n_organisations=Count("member_organisations", distinct=True),
        )
        .order_by("name")
    )


@dataclass
class AllianceDetail:
    alliance: LearningAlliance
    memberships: list[AllianceMembership]
    visible_peer_user_ids: set[int]
    inside: bool
    challenges: list[Any]


def alliance_detail(*, user: Viewer, alliance: LearningAlliance) -> AllianceDetail:
    """Everything the alliance page shows, narrowed to what ``user`` may see."""
    alliance = (
        LearningAlliance.objects.select_related("theme")
        .prefetch_related(
            # None when the linked initiative is one the user may not see (a draft).
            Prefetch("initiative", queryset=initiatives_visible_to(user)),
            "working_languages",
            "funders",
            "priorities",
            Prefetch(
                "member_organisations__organisation",
            ),
            "member_organisations__organisation__country",
            "stage_changes__changed_by",
        )
        .get(id=alliance.id)
    )
    memberships = list(
        alliance.memberships.select_related(
            "user", "user__organisation", "user__peer_profile"
        ).order_by("role", "user__name")
    )
    member_user_ids = [m.user_id for m in memberships]
    visible_peer_user_ids = set(
        peers_visible_to(user).filter(user_id__in=member_user_ids).values_list("user_id", flat=True)
    )
    inside = can_see_alliance_inside(user, alliance)
    challenges = list(
        challenges_visible_to(user)
        .filter(Q(alliance=alliance))
        .select_related("theme", "peer__user", "peer__user__organisation")
        .order_by("created_at")
    )
    return AllianceDetail(
        alliance=alliance,
        memberships=memberships,
        visible_peer_user_ids=visible_peer_user_ids,
        inside=inside,
        challenges=challenges,
    )


@dataclass
class AllianceMembers:
    shown: list[tuple[AllianceMembership, int | None]]  # with the peer profile id, if visible
    hidden_count: int


def alliance_members_for(*, user: Viewer, detail: AllianceDetail) -> AllianceMembers:
    """The members ``user`` may see by name, in the order of ``detail.memberships``.

    Peer learners and resource peers appear only where their profile is visible to the
    user; facilitators always do, since they are who one contacts about the alliance;
    funder representatives and observers only inside the safe space."""
    peer_ids = dict(
        peers_visible_to(user)
        .filter(user_id__in=detail.visible_peer_user_ids)
        .values_list("user_id", "id")
    )
    shown: list[tuple[AllianceMembership, int | None]] = []
    hidden = 0
    for membership in detail.memberships:
        peer_id = peer_ids.get(membership.user_id)
        if peer_id is not None:
            shown.append((membership, peer_id))
            continue
        named_by_role = membership.role == MemberRole.FACILITATOR or (
            detail.inside and membership.role in (MemberRole.FUNDER, MemberRole.OBSERVER)
        )
        if named_by_role:
            shown.append((membership, None))
        else:
            hidden += 1
    return AllianceMembers(shown=shown, hidden_count=hidden)
