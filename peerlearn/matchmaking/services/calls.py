"""Open calls for peers, and applications to them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.matching import open_calls_visible_to
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.core.selectors import theme_get
from peerlearn.matchmaking.models import (
    CallApplication,
    OpenCall,
)
from peerlearn.peers.models import PeerProfile

_CALL_VISIBILITIES = (Visibility.PRIVATE, Visibility.PLATFORM, Visibility.PUBLIC)


@transaction.atomic
def open_call_create(
    *,
    created_by: User,
    title: str,
    theme: str,
    description: str,
    closes_on: date | None = None,
    visibility: str = Visibility.PLATFORM,
) -> OpenCall:
    if visibility not in _CALL_VISIBILITIES:
        raise ValidationError(
            {"visibility": [_("A call is private (a draft), open to the platform, or public.")]}
        )
    if closes_on is not None and closes_on < timezone.localdate():
        raise ValidationError({"closes_on": [_("Choose a closing date from today on.")]})
    call = OpenCall(
        created_by=created_by,
        title=title.strip(),
        theme=theme_get(slug=theme),
        description=description.strip(),
        closes_on=closes_on,
        visibility=visibility,
    )
    call.full_clean()
    call.save()
    return call


@transaction.atomic
def call_application_create(
    *, call: OpenCall, peer: PeerProfile, motivation: str = ""
) -> CallApplication:
    if not call.is_open:
        raise ValidationError(
            {"call": [_("This call closed on %(date)s.") % {"date": call.closes_on}]}
        )
    if not open_calls_visible_to(peer.user).filter(id=call.id).exists():
        raise ValidationError({"call": [_("No such open call.")]})
    if CallApplication.objects.filter(call=call, peer=peer).exists():
        raise ValidationError({"motivation": [_("You have already applied to this call.")]})
    application = CallApplication(call=call, peer=peer, motivation=motivation.strip())
    application.full_clean()
    application.save()
    return application
