"""Reading learning alliances through the access layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from peerlearn.access.alliances import (
    alliances_visible_to,
    can_manage_alliance,
    can_see_alliance_inside,
    member_named_to,
)
from peerlearn.access.base import Viewer
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.peers import challenges_visible_to, peers_visible_to
from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceStage,
    LearningAlliance,
    StageChange,
)
from peerlearn.initiatives.models import Initiative


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
class AllianceMembers:
    shown: list[tuple[AllianceMembership, int | None]]  # with the peer profile id, if visible
    hidden_count: int


@dataclass(frozen=True)
class StageChangeView:
    change: StageChange
    changed_by: str | None  # the name, where the viewer may see who it was
    note: str | None  # the reason, inside the safe space only


@dataclass
class AllianceDetail:
    """The alliance page's read model, shared by the page and ``GET /alliances/{slug}``:
    what the viewer may see of it, and what they may do."""

    alliance: LearningAlliance
    memberships: list[AllianceMembership]
    members: AllianceMembers
    initiative: Initiative | None  # the linked initiative, if the viewer may see it
    stage_history: list[StageChangeView]
    inside: bool
    can_manage: bool
    challenges: list[Any]
    next_stage: AllianceStage | None = None  # offered to whoever manages it
    previous_stage: AllianceStage | None = None


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
    inside = can_see_alliance_inside(user, alliance)
    members = _members_named_to(user, memberships, inside=inside)
    shown_user_ids = {membership.user_id for membership, _ in members.shown}
    initiative = None
    if alliance.initiative_id is not None:
        initiative = initiatives_visible_to(user).filter(id=alliance.initiative_id).first()
    challenges = list(
        challenges_visible_to(user)
        .filter(Q(alliance=alliance))
        .select_related("theme", "peer__user", "peer__user__organisation")
        .order_by("created_at")
    )
    can_manage = can_manage_alliance(user, alliance)
    stages = list(AllianceStage)
    at = stages.index(AllianceStage(alliance.stage))
    return AllianceDetail(
        next_stage=stages[at + 1] if can_manage and at + 1 < len(stages) else None,
        previous_stage=stages[at - 1] if can_manage and at > 0 else None,
        alliance=alliance,
        memberships=memberships,
        members=members,
        initiative=initiative,
        stage_history=[
            StageChangeView(
                change=change,
                changed_by=(
                    change.changed_by.name
                    if change.changed_by is not None and change.changed_by_id in shown_user_ids
                    else None
                ),
                note=(change.note or None) if inside else None,
            )
            for change in alliance.stage_changes.all()
        ],
        inside=inside,
        can_manage=can_manage,
        challenges=challenges,
    )


def _members_named_to(
    user: Viewer, memberships: list[AllianceMembership], *, inside: bool
) -> AllianceMembers:
    """The members ``user`` may see by name, in the order of ``memberships``
    (:func:`peerlearn.access.alliances.member_named_to` decides who is named)."""
    peer_ids = dict(
        peers_visible_to(user)
        .filter(user_id__in=[m.user_id for m in memberships])
        .values_list("user_id", "id")
    )
    shown: list[tuple[AllianceMembership, int | None]] = []
    hidden = 0
    for membership in memberships:
        peer_id = peer_ids.get(membership.user_id)
        if member_named_to(membership, profile_visible=peer_id is not None, inside=inside):
            shown.append((membership, peer_id))
        else:
            hidden += 1
    return AllianceMembers(shown=shown, hidden_count=hidden)
