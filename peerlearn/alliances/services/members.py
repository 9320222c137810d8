"""An alliance's members and member organisations: added, given roles, removed, leaving."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceOrganisation,
    LearningAlliance,
    MemberRole,
)
from peerlearn.alliances.services.shared import alliance_change_record, alliance_closed_problems
from peerlearn.audit.models import AuditAction
from peerlearn.organisations.models import Organisation


@transaction.atomic
def alliance_member_add(
    *,
    alliance: LearningAlliance,
    user: User,
    role: str,
    joined_on: date | None = None,
    by: User | None = None,
) -> AllianceMembership:
    """Add a person, joining today unless ``joined_on`` says otherwise; their organisation
    joins the alliance with them if it had not, and the history says so."""
    joined_on = joined_on or timezone.localdate()
    if problems := alliance_closed_problems(alliance, field="user"):
        raise ValidationError(problems)
    if alliance.memberships.filter(user=user).exists():
        raise ValidationError({"user": [_("%(name)s is already a member.") % {"name": user}]})
    if role == MemberRole.PEER and not hasattr(user, "peer_profile"):
        raise ValidationError(
            {"role": [_("Only people with a peer profile can join as peer learners.")]}
        )
    membership = AllianceMembership(alliance=alliance, user=user, role=role, joined_on=joined_on)
    membership.full_clean()
    membership.save()
    if role in (MemberRole.PEER, MemberRole.RESOURCE) and user.organisation_id:
        _org, joined = AllianceOrganisation.objects.get_or_create(
            alliance=alliance,
            organisation_id=user.organisation_id,
            defaults={"joined_on": joined_on},
        )
        if joined:
            alliance_change_record(
                alliance, by, "organisation_added", organisation=user.organisation_id
            )
    alliance_change_record(alliance, by, "member_added", user=user.id, role=role)
    return membership


def alliance_organisation_add(
    *, alliance: LearningAlliance, organisation: Organisation, joined_on: date | None = None
) -> AllianceOrganisation:
    membership, _ = AllianceOrganisation.objects.get_or_create(
        alliance=alliance, organisation=organisation, defaults={"joined_on": joined_on}
    )
    return membership


@transaction.atomic
def alliance_member_role_set(
    *, membership: AllianceMembership, role: str, by: User | None
) -> AllianceMembership:
    """Give a member another role. The last facilitator keeps the role until another is
    named: an alliance always has someone to run it."""
    if role not in MemberRole.values:
        raise ValidationError({"role": [_("Choose one of the roles.")]})
    if role == membership.role:
        return membership
    alliance = membership.alliance
    if membership.is_only_facilitator():
        raise ValidationError(
            {"role": [_("This is the alliance's only facilitator: name another one first.")]}
        )
    if role == MemberRole.PEER and not hasattr(membership.user, "peer_profile"):
        raise ValidationError(
            {"role": [_("Only people with a peer profile can join as peer learners.")]}
        )
    before = membership.role
    membership.role = role
    membership.full_clean()
    membership.save()
    alliance_change_record(
        alliance, by, "role_changed", user=membership.user_id, role=role, before=before
    )
    return membership


@transaction.atomic
def alliance_member_remove(*, membership: AllianceMembership, by: User | None) -> None:
    """Take someone out of the alliance (not its last facilitator)."""
    alliance = membership.alliance
    if membership.is_only_facilitator():
        raise ValidationError(
            {"member": [_("This is the alliance's only facilitator: name another one first.")]}
        )
    user_id = membership.user_id
    membership.delete()
    alliance_change_record(alliance, by, "member_removed", action=AuditAction.DELETE, user=user_id)


@transaction.atomic
def alliance_member_leave(
    *, membership: AllianceMembership, successor: AllianceMembership | None = None
) -> None:
    """A member leaves. The last facilitator names a member who takes over as facilitator."""
    alliance = membership.alliance
    successor_id = None
    if membership.is_only_facilitator():
        if (
            successor is None
            or successor.alliance_id != alliance.id
            or successor.id == membership.id
        ):
            raise ValidationError(
                {
                    "successor": [
                        _(
                            "You are the alliance's only facilitator: name the member who "
                            "takes over before you leave."
                        )
                    ]
                }
            )
        successor.role = MemberRole.FACILITATOR
        successor.save(update_fields=["role"])
        successor_id = successor.user_id
        alliance_change_record(
            alliance,
            membership.user,
            "role_changed",
            user=successor.user_id,
            role=MemberRole.FACILITATOR,
        )
    user = membership.user
    membership.delete()
    alliance_change_record(
        alliance,
        user,
        "member_left",
        action=AuditAction.DELETE,
        user=user.id,
        successor=successor_id,
    )


@transaction.atomic
def alliance_organisation_join(
    *, alliance: LearningAlliance, organisation: Organisation, by: User | None
) -> AllianceOrganisation:
    """Add an organisation to the alliance (its people are then invited one by one)."""
    if alliance.member_organisations.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": [_("%(name)s is already in the alliance.") % {"name": organisation}]}
        )
    membership = alliance_organisation_add(alliance=alliance, organisation=organisation)
    alliance_change_record(alliance, by, "organisation_added", organisation=organisation.id)
    return membership


@transaction.atomic
def alliance_organisation_leave(
    *, alliance: LearningAlliance, organisation: Organisation, by: User | None
) -> None:
    """Take an organisation out of the alliance (its people stay members until removed)."""
    deleted, _counts = alliance.member_organisations.filter(organisation=organisation).delete()
    if not deleted:
        raise ValidationError(
            {"organisation": [_("%(name)s is not in the alliance.") % {"name": organisation}]}
        )
    alliance_change_record(
        alliance,
        by,
        "organisation_removed",
        action=AuditAction.DELETE,
        organisation=organisation.id,
    )
