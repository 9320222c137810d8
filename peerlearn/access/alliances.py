"""Learning alliances: who sees one, who sees inside its safe space, who manages it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.base import (
    AccessDenied,
    NotFound,
    Viewer,
    inner_alliance_ids,
    is_platform_admin,
    is_signed_in,
)
from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.alliances.models import AllianceMembership, LearningAlliance


def alliances_visible_to(user: Viewer) -> QuerySet[LearningAlliance]:
    from peerlearn.alliances.models import LearningAlliance, MemberRole

    qs = LearningAlliance.objects.all()
    if is_platform_admin(user):
        return qs
    q = Q(visibility=Visibility.PUBLIC)
    if is_signed_in(user):
        q |= Q(visibility=Visibility.PLATFORM)
        q |= Q(visibility=Visibility.ALLIANCE, id__in=inner_alliance_ids(user))
        q |= Q(
            visibility=Visibility.PRIVATE,
            memberships__user=user,
            memberships__role=MemberRole.FACILITATOR,
        )
    return qs.filter(q).distinct()


def access_alliance_by_slug(user: Viewer, slug: str) -> LearningAlliance:
    alliance = alliances_visible_to(user).filter(slug=slug).first()
    if alliance is None:
        raise NotFound(_("No such learning alliance."))
    return alliance


def can_manage_alliance(user: Viewer, alliance: LearningAlliance) -> bool:
    """The user facilitates the alliance, or is an administrator."""
    if is_platform_admin(user):
        return True
    return alliances_managed_by(user).filter(id=alliance.id).exists()


def can_see_alliance_inside(user: Viewer, alliance: LearningAlliance) -> bool:
    """Members, the alliance's funders and administrators see its safe-space content."""
    if is_platform_admin(user):
        return True
    return inner_alliance_ids(user).filter(id=alliance.id).exists()


def access_alliance_for_manage(user: Viewer, slug: str) -> LearningAlliance:
    alliance = access_alliance_by_slug(user, slug)
    if can_manage_alliance(user, alliance):
        return alliance
    raise AccessDenied(_("Only the alliance's facilitators may do this."))


def alliances_managed_by(user: Viewer) -> QuerySet[LearningAlliance]:
    """The alliances the user runs: those they facilitate (every one, for an
    administrator). The one definition of managing an alliance."""
    from peerlearn.alliances.models import LearningAlliance, MemberRole

    qs = alliances_visible_to(user)
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    facilitated = LearningAlliance.objects.filter(
        memberships__user=user, memberships__role=MemberRole.FACILITATOR
    ).values("id")
    return qs.filter(id__in=facilitated)


def member_named_to(membership: AllianceMembership, *, profile_visible: bool, inside: bool) -> bool:
    """Whether a viewer sees this member by name on the alliance's page. Peer learners and
    resource peers appear only where their profile is visible to the viewer; facilitators
    always do, since they are who one contacts about the alliance; funder representatives
    and observers only inside the safe space."""
    from peerlearn.alliances.models import MemberRole

    if profile_visible:
        return True
    if membership.role == MemberRole.FACILITATOR:
        return True
    return inside and membership.role in (MemberRole.FUNDER, MemberRole.OBSERVER)


def alliances_joined_by(user: Viewer) -> QuerySet[LearningAlliance]:
    """The alliances the user is a member of, in any role: where they may raise something."""
    from peerlearn.alliances.models import AllianceMembership

    if not is_signed_in(user):
        return alliances_visible_to(user).none()
    joined = AllianceMembership.objects.filter(user=user).values("alliance_id")
    return alliances_visible_to(user).filter(id__in=joined).order_by("name")
