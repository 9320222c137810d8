"""An alliance's pre-assessment and learning strategy: who reads them, who takes part, who
runs them, and the facilitator's dashboard.

Both are alliance-internal: the alliance's safe space (members in any role, its funders,
administrators) reads them. Peer learners and resource peers submit needs, rank the groups
and own their part of the strategy; the alliance's facilitators (and administrators) group
the needs, open and close the ranking, and draft and remind. Only the member confirms their
own part, so the strategy is jointly owned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.alliances import (
    access_alliance_by_slug,
    alliances_managed_by,
    can_manage_alliance,
    can_see_alliance_inside,
)
from peerlearn.access.base import (
    AccessDenied,
    NotFound,
    Viewer,
    inner_alliance_ids,
    is_platform_admin,
    is_signed_in,
    require_role,
)
from peerlearn.access.roles import Role

if TYPE_CHECKING:
    from peerlearn.alliances.models import LearningAlliance
    from peerlearn.strategy.models import LearningNeed, NeedGroup, StrategyPart


def _learner_roles() -> tuple[str, ...]:
    from peerlearn.alliances.models import MemberRole

    return (MemberRole.PEER, MemberRole.RESOURCE)


def access_alliance_inside(user: Viewer, slug: str) -> LearningAlliance:
    """The alliance, for reading its pre-assessment or strategy: only from inside its safe
    space. Anyone else gets NotFound, as if there were nothing to read."""
    alliance = access_alliance_by_slug(user, slug)
    if can_see_alliance_inside(user, alliance):
        return alliance
    raise NotFound(_("No such learning alliance."))


def access_alliance_for_strategy_manage(user: Viewer, slug: str) -> LearningAlliance:
    """The alliance, for grouping needs, opening or closing the ranking, drafting parts."""
    alliance = access_alliance_inside(user, slug)
    if can_manage_alliance(user, alliance):
        return alliance
    raise AccessDenied(_("Only the alliance's facilitators may do this."))


def is_learner_in(user: Viewer, alliance: LearningAlliance) -> bool:
    """A peer learner or resource peer of the alliance: who submits needs, ranks them and
    owns a part of the strategy."""
    from peerlearn.alliances.models import AllianceMembership

    if not is_signed_in(user):
        return False
    return AllianceMembership.objects.filter(
        alliance=alliance, user=user, role__in=_learner_roles()
    ).exists()


def learners_of(alliance: LearningAlliance) -> QuerySet[Any]:
    """The user ids of the alliance's peer learners and resource peers."""
    from peerlearn.alliances.models import AllianceMembership

    return AllianceMembership.objects.filter(alliance=alliance, role__in=_learner_roles()).values(
        "user_id"
    )


def alliances_taken_part_in(user: Viewer) -> QuerySet[LearningAlliance]:
    """The alliances in which the user is a peer learner or resource peer."""
    from peerlearn.alliances.models import LearningAlliance

    if not is_signed_in(user):
        return LearningAlliance.objects.none()
    return LearningAlliance.objects.filter(
        memberships__user=user, memberships__role__in=_learner_roles()
    )


def access_alliance_for_taking_part(user: Viewer, slug: str) -> LearningAlliance:
    """The alliance, for submitting a need or a ranking: its learners only."""
    alliance = access_alliance_inside(user, slug)
    if is_learner_in(user, alliance):
        return alliance
    raise AccessDenied(_("Only the alliance's peer learners and resource peers take part."))


def needs_visible_to(user: Viewer) -> QuerySet[LearningNeed]:
    """Learning needs in the alliances whose safe space the user is inside."""
    from peerlearn.strategy.models import LearningNeed

    if is_platform_admin(user):
        return LearningNeed.objects.all()
    return LearningNeed.objects.filter(alliance_id__in=inner_alliance_ids(user))


def access_need_for_edit(user: Viewer, alliance: LearningAlliance, need_id: int) -> LearningNeed:
    """A need, for changing or withdrawing its text: its author, or the facilitators."""
    need = needs_visible_to(user).filter(alliance=alliance, id=need_id).first()
    if need is None:
        raise NotFound(_("No such learning need."))
    if need.author_id == getattr(user, "id", None):
        return need
    if can_manage_alliance(user, alliance):
        return need
    raise AccessDenied(_("Only its author or the alliance's facilitators may change a need."))


def access_need_for_grouping(
    user: Viewer, alliance: LearningAlliance, need_id: int
) -> LearningNeed:
    """A need, for moving it to another group: the facilitators."""
    if not can_manage_alliance(user, alliance):
        raise AccessDenied(_("Only the alliance's facilitators may do this."))
    need = needs_visible_to(user).filter(alliance=alliance, id=need_id).first()
    if need is None:
        raise NotFound(_("No such learning need."))
    return need


def access_group_for_manage(user: Viewer, alliance: LearningAlliance, group_id: int) -> NeedGroup:
    from peerlearn.strategy.models import NeedGroup

    if not can_manage_alliance(user, alliance):
        raise AccessDenied(_("Only the alliance's facilitators may do this."))
    group = NeedGroup.objects.filter(alliance=alliance, id=group_id).first()
    if group is None:
        raise NotFound(_("No such group of needs."))
    return group


def strategy_parts_visible_to(user: Viewer) -> QuerySet[StrategyPart]:
    """Parts of learning strategies in the alliances whose safe space the user is inside."""
    from peerlearn.strategy.models import StrategyPart

    if is_platform_admin(user):
        return StrategyPart.objects.all()
    return StrategyPart.objects.filter(alliance_id__in=inner_alliance_ids(user))


def _part(user: Viewer, alliance: LearningAlliance, part_id: int) -> StrategyPart:
    part = strategy_parts_visible_to(user).filter(alliance=alliance, id=part_id).first()
    if part is None:
        raise NotFound(_("No such part of the learning strategy."))
    return part


def can_edit_part(user: Viewer, part: StrategyPart) -> bool:
    """The member whose part it is, or the alliance's facilitators."""
    if part.member_id == getattr(user, "id", None):
        return True
    return can_manage_alliance(user, part.alliance)


def can_confirm_part(user: Viewer, part: StrategyPart) -> bool:
    """Only the member: nobody confirms on their behalf."""
    return is_signed_in(user) and part.member_id == user.id


def access_part_for_edit(user: Viewer, alliance: LearningAlliance, part_id: int) -> StrategyPart:
    part = _part(user, alliance, part_id)
    if can_edit_part(user, part):
        return part
    raise AccessDenied(_("Only the member or the alliance's facilitators may change this part."))


def access_part_for_confirm(user: Viewer, alliance: LearningAlliance, part_id: int) -> StrategyPart:
    part = _part(user, alliance, part_id)
    if can_confirm_part(user, part):
        return part
    raise AccessDenied(_("Only the member whose part it is may confirm it."))


def access_part_for_reminder(
    user: Viewer, alliance: LearningAlliance, part_id: int
) -> StrategyPart:
    part = _part(user, alliance, part_id)
    if can_manage_alliance(user, alliance):
        return part
    raise AccessDenied(_("Only the alliance's facilitators may send reminders."))


def members_named_in_strategy(alliance: LearningAlliance) -> Q:
    """Who may be named as someone to learn from: the alliance's members in any role but
    observer and funder representative (a peer, a resource peer or a facilitator)."""
    from peerlearn.alliances.models import AllianceMembership, MemberRole

    ids = AllianceMembership.objects.filter(
        alliance=alliance,
        role__in=(MemberRole.PEER, MemberRole.RESOURCE, MemberRole.FACILITATOR),
    ).values("user_id")
    return Q(id__in=ids)


def dashboard_alliances_for(user: Viewer) -> QuerySet[LearningAlliance]:
    """The alliances on the facilitator's dashboard: those the user runs. Facilitators and
    administrators only."""
    require_role(user, Role.FACILITATOR)
    return alliances_managed_by(user)
