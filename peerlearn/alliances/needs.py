"""What alliances ask of a person (see ``notifications.needs``): an invitation to join one,
sent to their own address and not answered yet."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from peerlearn.access.alliances import invitations_addressed_to
from peerlearn.accounts.models import User
from peerlearn.alliances.invitations import invitation_token
from peerlearn.notifications.needs import Need


def _invitations(user: User) -> Iterable[Need]:
    invitations = invitations_addressed_to(user).select_related("alliance").order_by("created_at")
    for invitation in invitations:
        yield Need(
            kind="alliance_invitation",
            text=_("Answer the invitation to join %(alliance)s")
            % {"alliance": invitation.alliance.name},
            url=reverse("alliances:invitation", args=[invitation_token(invitation.id)]),
            since=invitation.created_at,
        )


NEEDS = [_invitations]
