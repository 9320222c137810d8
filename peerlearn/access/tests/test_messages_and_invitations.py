"""Who reads a message written to a peer, an invitation to an open call, and an alliance
invitation addressed to oneself: role × party matrices."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.alliances import invitations_addressed_to
from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.access.matching import call_invitations_visible_to
from peerlearn.access.peers import access_peer_for_contact, contact_messages_visible_to
from peerlearn.alliances.models import AllianceInvitation
from peerlearn.matchmaking.models import CallInvitation
from peerlearn.matchmaking.services import open_call_create
from peerlearn.peers.models import ContactMessage

pytestmark = pytest.mark.django_db

VIEWERS = [
    "sender",
    "recipient",
    "facilitator",
    "authoriser_a",
    "funder",
    "admin",
    "member_alliance",
    "anonymous",
]


def _user(world: SimpleNamespace, name: str) -> Any:
    from django.contrib.auth.models import AnonymousUser

    return {
        "sender": world.outsider.user,
        "recipient": world.member_platform.user,
        "facilitator": world.facilitator,
        "authoriser_a": world.authoriser_a,
        "funder": world.funder,
        "admin": world.admin,
        "member_alliance": world.member_alliance.user,
        "anonymous": AnonymousUser(),
    }[name]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_message_is_read_by_its_sender_and_recipient_only(
    world: SimpleNamespace, viewer: str
) -> None:
    message = ContactMessage.objects.create(
        sender=world.outsider.user, recipient=world.member_platform, subject="s", body="b"
    )
    seen = contact_messages_visible_to(_user(world, viewer)).filter(id=message.id).exists()
    assert seen is (viewer in ("sender", "recipient"))


@pytest.mark.parametrize(
    ("viewer", "peer", "outcome"),
    [
        ("sender", "member_platform", "ok"),
        ("sender", "member_private", "404"),
        ("sender", "member_alliance", "404"),  # alliance level, no shared alliance
        ("member_alliance", "member_platform", "ok"),
        ("recipient", "member_platform", "403"),  # one's own profile
        ("anonymous", "outsider_public", "404"),
        ("admin", "member_private", "ok"),
    ],
)
def test_who_may_write_to_whom(
    world: SimpleNamespace, viewer: str, peer: str, outcome: str
) -> None:
    target = getattr(world, peer)
    user = _user(world, viewer)
    if outcome == "ok":
        assert access_peer_for_contact(user, target.id) == target
    else:
        with pytest.raises(NotFound if outcome == "404" else AccessDenied):
            access_peer_for_contact(user, target.id)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_call_invitation_is_read_by_the_peer_and_the_calls_author(
    world: SimpleNamespace, viewer: str
) -> None:
    call = open_call_create(
        created_by=world.facilitator, title="Call", theme="revenue-pfm", description="d"
    )
    invitation = CallInvitation.objects.create(
        call=call, peer=world.member_platform, invited_by=world.facilitator
    )
    seen = call_invitations_visible_to(_user(world, viewer)).filter(id=invitation.id).exists()
    assert seen is (viewer in ("recipient", "facilitator", "admin"))


@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_alliance_invitation_is_addressed_to_its_verified_address_only(
    world: SimpleNamespace, viewer: str
) -> None:
    invitation = AllianceInvitation.objects.create(
        alliance=world.platform_alliance,
        email=world.member_platform.user.email.upper(),
        role="peer",
        invited_by=world.facilitator,
    )
    found = invitations_addressed_to(_user(world, viewer)).filter(id=invitation.id).exists()
    assert found is (viewer == "recipient")
