"""Erasing one's own account: in one transaction, or not at all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.accounts import shared_in_alliances_q
from peerlearn.access.visibility import Visibility
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_person_forget, audit_record
from peerlearn.matchmaking.models import (
    CallApplication,
    CallInvitation,
    ExcludedPair,
    ProposalMember,
)
from peerlearn.peers.models import (
    Authorisation,
    Challenge,
    ContactMessage,
    Experience,
    PeerProfile,
)

if TYPE_CHECKING:
    from peerlearn.accounts.models import User


@transaction.atomic
def account_erase(*, user: User, password: str, delete_shared: bool = False) -> dict[str, Any]:
    """Erase ``user``'s account after checking their password.

    Goes: the profile's content (position, biography, gender, languages, reform areas),
    every statement not shared inside an alliance (all of them with ``delete_shared``),
    authorisation requests, open-call applications and invitations, messages written to or
    by the person through profiles, excluded pairs, reasons given when
    declining a proposal, API tokens, the name, e-mail and user name, the password.
    Stays, by "a former member": statements shared inside alliances (unless
    ``delete_shared``), alliance memberships, places in past proposals, authorisation
    decisions taken as an authoriser, matching runs started, and the audit trail, which
    keeps the account's id and pseudonymous key. The account can no longer sign in.
    Returns counts of what went and what stayed (no names)."""
    if user.erased_at is not None:
        raise ValidationError({"password": [_("This account is already erased.")]})
    if not password or not user.check_password(password):
        raise ValidationError(
            {
                "password": [
                    _(
                        "The password is wrong: enter the password you sign in with "
                        "(forgotten it? reset it first)."
                    )
                ]
            }
        )
    names = [user.name]
    username = user.username
    counts: dict[str, Any] = {"deleted_statements": 0, "kept_statements": 0}

    profile = PeerProfile.objects.filter(user=user).first()
    if profile is not None:
        for model in (Challenge, Experience):
            statements = model.objects.filter(peer=profile)
            gone = statements if delete_shared else statements.exclude(shared_in_alliances_q())
            counts["deleted_statements"] += gone.delete()[0]
            counts["kept_statements"] += model.objects.filter(peer=profile).count()
        Authorisation.objects.filter(peer=profile).delete()
        CallApplication.objects.filter(peer=profile).delete()
        ExcludedPair.objects.filter(peer_a=profile).delete()
        ExcludedPair.objects.filter(peer_b=profile).delete()
        CallInvitation.objects.filter(peer=profile).delete()
        ContactMessage.objects.filter(recipient=profile).delete()
        ProposalMember.objects.filter(peer=profile).update(reason="")
        profile.languages.clear()
        profile.reform_areas.clear()
        profile.position = ""
        profile.bio = ""
        profile.gender = ""
        profile.visibility = Visibility.PRIVATE
        profile.save(update_fields=["position", "bio", "gender", "visibility", "updated_at"])

    ContactMessage.objects.filter(sender=user).delete()
    user.api_tokens.all().delete()
    user.username = f"erased-{user.pk}"
    user.email = f"erased-{user.pk}@erased.invalid"
    user.pending_email = ""
    user.name = ""
    user.organisation = None
    user.preferred_language = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.erased_at = timezone.now()
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()

    audit_person_forget(user=user, names=names, username=username)
    audit_record(
        action=AuditAction.ACCOUNT_ERASED,
        actor=user,
        object_type="accounts.user",
        object_id=user.pk,
        detail={**counts, "delete_shared": delete_shared},
    )
    return counts
