"""Inviting a peer, from their profile, to apply to an open call the facilitator runs: the
invitation is kept (it waits among the peer's needs until they apply) and e-mailed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from peerlearn.access.matching import open_calls_visible_to
from peerlearn.accounts.models import User
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_record
from peerlearn.core.dates import date_format
from peerlearn.core.mail import notify
from peerlearn.matchmaking.models import CallApplication, CallInvitation, OpenCall
from peerlearn.peers.models import PeerProfile


@transaction.atomic
def call_invitation_create(
    *, call: OpenCall, peer: PeerProfile, by: User, site_url: str = ""
) -> CallInvitation:
    """Invite ``peer`` to apply to ``call``. Refused, with the reason, when the call is
    closed, when the peer cannot see it (a draft), has applied already or was invited."""
    name = peer.user.name
    if call.closes_on is not None and not call.is_open:
        raise ValidationError(
            {
                "call": [
                    _("“%(call)s” closed on %(date)s: choose an open call.")
                    % {"call": call.title, "date": date_format(call.closes_on)}
                ]
            }
        )
    if not open_calls_visible_to(peer.user).filter(id=call.id).exists():
        raise ValidationError(
            {
                "call": [
                    _(
                        "%(name)s cannot see “%(call)s” yet: open it to the platform first, "
                        "then invite them."
                    )
                    % {"name": name, "call": call.title}
                ]
            }
        )
    if CallApplication.objects.filter(call=call, peer=peer).exists():
        raise ValidationError(
            {
                "call": [
                    _("%(name)s has already applied to “%(call)s”.")
                    % {"name": name, "call": call.title}
                ]
            }
        )
    earlier = CallInvitation.objects.filter(call=call, peer=peer).first()
    if earlier is not None:
        raise ValidationError(
            {
                "call": [
                    _("%(name)s was already invited to “%(call)s” on %(date)s.")
                    % {
                        "name": name,
                        "call": call.title,
                        "date": date_format(earlier.created_at, "SHORT_DATE_FORMAT"),
                    }
                ]
            }
        )
    invitation = CallInvitation(call=call, peer=peer, invited_by=by)
    invitation.full_clean()
    invitation.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        object_type="matchmaking.callinvitation",
        object_id=invitation.id,
        detail={"call": call.id, "peer": peer.id},
    )
    notify(
        [peer.user],
        "matchmaking/email/call_invitation",
        {
            "by": by.name,
            "call": call.title,
            "closes_on": date_format(call.closes_on) if call.closes_on else "",
            "url": site_url + reverse("matchmaking:call", args=[call.id]),
        },
    )
    return invitation
