"""What open calls ask of a person (see ``notifications.needs``): a call they were invited
to apply to, still open, that they have not applied to yet."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from peerlearn.access.matching import call_invitations_visible_to, open_calls_visible_to
from peerlearn.accounts.models import User
from peerlearn.notifications.needs import Need


def _call_invitations(user: User) -> Iterable[Need]:
    from django.utils import timezone

    from peerlearn.matchmaking.models import CallApplication

    applied = CallApplication.objects.filter(call=OuterRef("call"), peer=OuterRef("peer"))
    today = timezone.localdate()
    invitations = (
        call_invitations_visible_to(user)
        .filter(peer__user=user, call__in=open_calls_visible_to(user).values("id"))
        .exclude(call__closes_on__lt=today)
        .exclude(Exists(applied))
        .select_related("call", "invited_by")
        .order_by("created_at")
    )
    for invitation in invitations:
        yield Need(
            kind="call_invitation",
            text=_("Apply to the open call “%(call)s”: %(by)s invited you")
            % {"call": invitation.call.title, "by": invitation.invited_by or _("a facilitator")},
            url=reverse("matchmaking:call", args=[invitation.call_id]),
            due=invitation.call.closes_on,
            since=invitation.created_at,
        )


NEEDS = [_call_invitations]
