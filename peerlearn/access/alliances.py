"""Learning alliances: who sees one, who sees inside its safe space, who manages it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from peerlearn.access.base import (
    AccessDenied,
    NotFound,
    Viewer,
    has_role,
    inner_alliance_ids,
    is_platform_admin,
    is_signed_in,
    memberships_of,
)
from peerlearn.access.memo import remembered
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility

if TYPE_CHECKING:
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import (
        AllianceInvitation,
        AllianceMembership,
        AlliancePriority,
        LearningAlliance,
        RiskNote,
    )


@remembered
def alliances_visible_to(user: Viewer) -> QuerySet[LearningAlliance]:
    """Public alliances; for the signed-in, platform ones, those at *alliance* level they
    are inside, and the private ones they facilitate."""
    from peerlearn.alliances.models import LearningAlliance

    qs = LearningAlliance.objects.all()
    if is_platform_admin(user):
        return qs
    q = Q(visibility=Visibility.PUBLIC)
    if is_signed_in(user):
        q |= Q(visibility=Visibility.PLATFORM)
        q |= Q(visibility=Visibility.ALLIANCE, id__in=inner_alliance_ids(user))
        q |= Q(visibility=Visibility.PRIVATE, id__in=memberships_of(user).facilitating)
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
    return alliance.id in inner_alliance_ids(user)


def access_alliance_for_manage(user: Viewer, slug: str) -> LearningAlliance:
    alliance = access_alliance_by_slug(user, slug)
    if can_manage_alliance(user, alliance):
        return alliance
    raise AccessDenied(_("Only the alliance's facilitators may do this."))


@remembered
def alliances_managed_by(user: Viewer) -> QuerySet[LearningAlliance]:
    """The alliances the user runs: those they facilitate (every one, for an
    administrator). The one definition of managing an alliance."""
    qs = alliances_visible_to(user)
    if is_platform_admin(user):
        return qs
    if not is_signed_in(user):
        return qs.none()
    return qs.filter(id__in=memberships_of(user).facilitating)


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


# --- running an alliance: creating it, its people, its checklists, its risks -------------


def can_create_alliance(user: Viewer) -> bool:
    """Facilitators and administrators start alliances (and become their first facilitator)."""
    if is_platform_admin(user):
        return True
    return has_role(user, Role.FACILITATOR)


def require_alliance_creator(user: Viewer) -> None:
    if not can_create_alliance(user):
        raise AccessDenied(_("Only facilitators may start a learning alliance."))


def access_membership_for_manage(user: Viewer, slug: str, membership_id: int) -> AllianceMembership:
    """A member of an alliance the user manages (to change their role, or remove them)."""
    alliance = access_alliance_for_manage(user, slug)
    membership = alliance.memberships.select_related("user").filter(id=membership_id).first()
    if membership is None:
        raise NotFound(_("No such member in this alliance."))
    return membership


def access_own_membership(user: Viewer, slug: str) -> AllianceMembership:
    """The user's own membership of an alliance (to leave it)."""
    from peerlearn.alliances.models import AllianceMembership

    alliance = access_alliance_by_slug(user, slug)
    if not is_signed_in(user):
        raise NotFound(_("You are not a member of this alliance."))
    membership = (
        AllianceMembership.objects.select_related("alliance", "user")
        .filter(alliance=alliance, user=user)
        .first()
    )
    if membership is None:
        raise NotFound(_("You are not a member of this alliance."))
    return membership


def access_priority_for_manage(user: Viewer, slug: str, priority_id: int) -> AlliancePriority:
    alliance = access_alliance_for_manage(user, slug)
    priority = alliance.priorities.filter(id=priority_id).first()
    if priority is None:
        raise NotFound(_("No such priority reform area in this alliance."))
    return priority


def people_invitable_by(user: Viewer) -> QuerySet[User]:
    """The directory a facilitator picks members from: active people whose peer profile the
    user may see, and the platform's facilitators and funders (who join as co-facilitators
    or funder representatives). Nobody, for those who manage no alliance."""
    from peerlearn.access.peers import peers_visible_to
    from peerlearn.accounts.models import User

    if not is_signed_in(user):
        return User.objects.none()
    if not (is_platform_admin(user) or alliances_managed_by(user).exists()):
        return User.objects.none()
    q = Q(peer_profile__in=peers_visible_to(user).values("id"))
    q |= Q(role=Role.FACILITATOR)
    q |= Q(role=Role.FUNDER)
    return User.objects.filter(q, is_active=True, erased_at__isnull=True).distinct()


def invitations_visible_to(user: Viewer) -> QuerySet[AllianceInvitation]:
    """Invitations, for the facilitators of their alliance (and administrators)."""
    from peerlearn.alliances.models import AllianceInvitation

    return AllianceInvitation.objects.filter(alliance__in=alliances_managed_by(user).values("id"))


def invitations_addressed_to(user: Viewer) -> QuerySet[AllianceInvitation]:
    """The open invitations sent to the user's own address, once that address is verified
    (so that signing up with someone else's address shows nothing)."""
    from peerlearn.alliances.models import AllianceInvitation

    if not is_signed_in(user):
        return AllianceInvitation.objects.none()
    if not user.email_verified or not user.email:
        return AllianceInvitation.objects.none()
    return AllianceInvitation.objects.filter(
        email__iexact=user.email.strip(), accepted_at__isnull=True
    ).exclude(alliance__memberships__user=user)


def access_invitation_for_manage(user: Viewer, slug: str, invitation_id: int) -> AllianceInvitation:
    alliance = access_alliance_for_manage(user, slug)
    invitation = invitations_visible_to(user).filter(alliance=alliance, id=invitation_id).first()
    if invitation is None:
        raise NotFound(_("No such invitation."))
    return invitation


def access_invitation_by_token(user: Viewer, token: str) -> AllianceInvitation:
    """The open invitation a signed link names, for any signed-in person holding the link
    (the link is the invitation: it was e-mailed to them). A forged, expired or already
    accepted link is not found."""
    from peerlearn.alliances.invitations import invitation_id_from_token
    from peerlearn.alliances.models import AllianceInvitation

    if not is_signed_in(user):
        raise NotFound(_("Sign in to accept the invitation."))
    invitation_id = invitation_id_from_token(token)
    invitation = (
        AllianceInvitation.objects.select_related("alliance", "invited_by")
        .filter(id=invitation_id, accepted_at__isnull=True)
        .first()
        if invitation_id is not None
        else None
    )
    if invitation is None:
        raise NotFound(
            _("This invitation is not valid any more: ask the facilitator for a new one.")
        )
    return invitation


def invitation_named_by_link(token: str) -> AllianceInvitation | None:
    """The open invitation a signed link names, for whoever holds the link, signed in or
    not, so that the page it opens can say which alliance invites them and who sent it:
    what the e-mail that carried the link says already. ``None`` for a forged, expired or
    accepted link. Accepting still needs :func:`access_invitation_by_token`."""
    from peerlearn.alliances.invitations import invitation_id_from_token
    from peerlearn.alliances.models import AllianceInvitation

    invitation_id = invitation_id_from_token(token)
    if invitation_id is None:
        return None
    return (
        AllianceInvitation.objects.select_related("alliance", "invited_by")
        .filter(id=invitation_id, accepted_at__isnull=True)
        .first()
    )


def alliance_of_accepted_invitation(user: Viewer, token: str) -> LearningAlliance | None:
    """The alliance a signed link invited ``user`` to, when ``user`` accepted it already and
    is still a member (the link opened again leads to the alliance); ``None`` otherwise."""
    from peerlearn.alliances.invitations import invitation_id_from_token
    from peerlearn.alliances.models import AllianceInvitation

    if not is_signed_in(user):
        return None
    invitation_id = invitation_id_from_token(token)
    if invitation_id is None:
        return None
    invitation = (
        AllianceInvitation.objects.select_related("alliance")
        .filter(id=invitation_id, accepted_by=user, accepted_at__isnull=False)
        .first()
    )
    if invitation is None:
        return None
    if not invitation.alliance.memberships.filter(user=user).exists():
        return None
    return invitation.alliance


def can_read_checklist(user: Viewer, alliance: LearningAlliance) -> bool:
    """The guide's questions and the alliance's answers are alliance-internal: members (and
    the alliance's funders, inside its safe space) read them, administrators too."""
    return can_see_alliance_inside(user, alliance)


def can_edit_checklist(user: Viewer, alliance: LearningAlliance) -> bool:
    """Facilitators answer the guide's questions."""
    return can_manage_alliance(user, alliance)


def access_alliance_checklist(user: Viewer, slug: str) -> LearningAlliance:
    alliance = access_alliance_by_slug(user, slug)
    if not can_read_checklist(user, alliance):
        raise NotFound(_("No such learning alliance."))
    return alliance


def can_read_alliance_history(user: Viewer, alliance: LearningAlliance) -> bool:
    """The record of changes to an alliance (who did what, when): its facilitators."""
    return can_manage_alliance(user, alliance)


def risk_notes_visible_to(user: Viewer) -> QuerySet[RiskNote]:
    """Political context and risk notes: the alliance's facilitators and administrators
    only — not the peers in it, nor its funders."""
    from peerlearn.alliances.models import RiskNote

    return RiskNote.objects.filter(alliance__in=alliances_managed_by(user).values("id"))


def access_alliance_risks(user: Viewer, slug: str) -> LearningAlliance:
    """An alliance whose risk notes the user may read and write; hidden (404) from anybody
    else, so that not even their existence is told."""
    alliance = access_alliance_by_slug(user, slug)
    if not can_manage_alliance(user, alliance):
        raise NotFound(_("No such learning alliance."))
    return alliance


def access_risk_note(user: Viewer, slug: str, note_id: int) -> RiskNote:
    alliance = access_alliance_risks(user, slug)
    note = risk_notes_visible_to(user).filter(alliance=alliance, id=note_id).first()
    if note is None:
        raise NotFound(_("No such note."))
    return note


def people_named_to(user: Viewer, user_ids: Iterable[int]) -> set[int]:
    """Which of these people ``user`` may see by name in an alliance's history: those whose
    peer profile ``user`` may see, and people with no peer profile (facilitators, funders),
    who are named on alliance pages anyway."""
    from peerlearn.access.peers import peers_visible_to
    from peerlearn.peers.models import PeerProfile

    ids = set(user_ids)
    with_profile = set(
        PeerProfile.objects.filter(user_id__in=ids).values_list("user_id", flat=True)
    )
    visible = set(peers_visible_to(user).filter(user_id__in=ids).values_list("user_id", flat=True))
    return (ids - with_profile) | visible
