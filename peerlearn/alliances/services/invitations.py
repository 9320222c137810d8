"""Invitations to an alliance: by user, e-mail or peer profile, accepted or withdrawn."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.alliances.invitations import invitation_token
from peerlearn.alliances.models import (
    AllianceInvitation,
    AllianceMembership,
    InvitationSource,
    LearningAlliance,
    MemberRole,
)
from peerlearn.alliances.services.members import alliance_member_add
from peerlearn.alliances.services.shared import alliance_change_record, alliance_closed_problems
from peerlearn.audit.models import AuditAction
from peerlearn.core.dates import date_format
from peerlearn.core.mail import notify, notify_addresses


def _invitation_email(invitation: AllianceInvitation, site_url: str, language: str = "") -> None:
    from django.conf import settings

    inviter = invitation.invited_by
    notify_addresses(
        [(invitation.email, language or settings.LANGUAGE_CODE, invitation.name)],
        "alliances/email/invitation",
        {
            "alliance": invitation.alliance.name,
            "purpose": invitation.alliance.purpose,
            "role": MemberRole(invitation.role).label,
            "by": inviter.name if inviter is not None else "",
            "url": site_url
            + reverse("alliances:invitation", args=[invitation_token(invitation.id)]),
        },
    )


@transaction.atomic
def alliance_member_invite_user(
    *, alliance: LearningAlliance, user: User, role: str, by: User | None, site_url: str = ""
) -> AllianceMembership:
    """Add someone from the directory: they become a member at once and are told by e-mail."""
    membership = alliance_member_add(alliance=alliance, user=user, role=role, by=by)
    notify(
        [user],
        "alliances/email/added",
        {
            "alliance": alliance.name,
            "role": MemberRole(role).label,
            "by": by.name if by is not None else "",
            "url": site_url + reverse("alliances:detail", args=[alliance.slug]),
        },
    )
    return membership


def _normal_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def alliance_invite_email(
    *,
    alliance: LearningAlliance,
    email: str,
    name: str = "",
    role: str = MemberRole.PEER,
    by: User | None,
    site_url: str = "",
    source: str = InvitationSource.EMAIL,
) -> AllianceInvitation | None:
    """Invite someone by e-mail, with a signed link to accept (after signing up, for someone
    new to the platform). Returns ``None`` (and sends nothing) when the address already has
    an open invitation to this alliance or belongs to a member: nobody is e-mailed twice."""
    from django.core.validators import validate_email

    if problems := alliance_closed_problems(alliance, field="email"):
        raise ValidationError(problems)
    email = _normal_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": [_("Enter an e-mail address such as name@example.org.")]}
        ) from None
    if role not in MemberRole.values:
        raise ValidationError({"role": [_("Choose one of the roles.")]})
    if alliance.memberships.filter(user__email__iexact=email).exists():
        return None
    if alliance.invitations.filter(email=email, accepted_at__isnull=True).exists():
        return None
    invitation = AllianceInvitation(
        alliance=alliance,
        email=email,
        name=name.strip()[:200],
        role=role,
        source=source,
        invited_by=by,
    )
    invitation.full_clean()
    invitation.save()
    alliance_change_record(
        alliance, by, "invited", invitation=invitation.id, role=role, source=source
    )
    _invitation_email(invitation, site_url)
    return invitation


@transaction.atomic
def alliance_invite_peer(
    *,
    alliance: LearningAlliance,
    peer_user: User,
    role: str = MemberRole.PEER,
    by: User | None,
    site_url: str = "",
) -> AllianceInvitation:
    """Invite someone seen in the directory (from their profile): the invitation goes to
    their address on the platform, which the facilitator never reads (the list of open
    invitations names them instead). A member, or someone already invited, is told apart."""
    if problems := alliance_closed_problems(alliance, field="alliance"):
        raise ValidationError(problems)
    if alliance.memberships.filter(user=peer_user).exists():
        raise ValidationError(
            {
                "alliance": [
                    _("%(name)s is already a member of %(alliance)s.")
                    % {"name": peer_user.name, "alliance": alliance.name}
                ]
            }
        )
    email = _normal_email(peer_user.email or "")
    open_invitation = alliance.invitations.filter(email=email, accepted_at__isnull=True).first()
    if open_invitation is not None:
        raise ValidationError(
            {
                "alliance": [
                    _(
                        "%(name)s was already invited to %(alliance)s on %(date)s and has not "
                        "answered yet."
                    )
                    % {
                        "name": peer_user.name,
                        "alliance": alliance.name,
                        "date": date_format(open_invitation.created_at, "SHORT_DATE_FORMAT"),
                    }
                ]
            }
        )
    if role not in (MemberRole.PEER, MemberRole.RESOURCE):
        raise ValidationError({"role": [_("Invite a peer as peer learner or resource peer.")]})
    invitation = alliance_invite_email(
        alliance=alliance,
        email=email,
        name=peer_user.name,
        role=role,
        by=by,
        site_url=site_url,
        source=InvitationSource.DIRECTORY,
    )
    if invitation is None:  # a concurrent invitation got there first
        raise ValidationError(
            {"alliance": [_("%(name)s is already invited.") % {"name": peer_user.name}]}
        )
    return invitation


def invitation_accept_problems(
    *, invitation: AllianceInvitation, user: User
) -> dict[str, list[str]]:
    """What keeps ``user`` from accepting now, under ``invitation`` (nothing when they can):
    an accepted invitation, a closed alliance, or a peer learner's missing profile
    (``peer_profile``: the page then links to the profile)."""
    if invitation.accepted_at is not None:
        return {"invitation": [_("This invitation was accepted already.")]}
    alliance = invitation.alliance
    if problems := alliance_closed_problems(alliance, field="invitation"):
        return problems
    if (
        invitation.role == MemberRole.PEER
        and not hasattr(user, "peer_profile")
        and not alliance.memberships.filter(user=user).exists()
    ):
        return {
            "peer_profile": [
                _("You are invited as a peer learner: create your peer profile first, then accept.")
            ]
        }
    return {}


@transaction.atomic
def invitation_accept(*, invitation: AllianceInvitation, user: User) -> AllianceMembership:
    """The invited person (signed in, perhaps just signed up) accepts: the membership is made."""
    from django.utils import timezone

    if problems := invitation_accept_problems(invitation=invitation, user=user):
        raise ValidationError(problems)
    alliance = invitation.alliance
    existing = alliance.memberships.filter(user=user).first()
    if existing is not None:
        membership = existing
    else:
        membership = alliance_member_add(
            alliance=alliance, user=user, role=invitation.role, by=user
        )
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    alliance_change_record(
        alliance, user, "invitation_accepted", invitation=invitation.id, user=user.id
    )
    return membership


@transaction.atomic
def invitation_withdraw(*, invitation: AllianceInvitation, by: User | None) -> None:
    alliance = invitation.alliance
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": [_("This invitation was accepted already.")]})
    invitation_id = invitation.id
    invitation.delete()
    alliance_change_record(
        alliance, by, "invitation_withdrawn", action=AuditAction.DELETE, invitation=invitation_id
    )
