"""Inviting a peer from their profile to an alliance the viewer runs."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.alliances.invitations import invitation_id_from_token
from peerlearn.alliances.models import AllianceInvitation, InvitationSource
from peerlearn.notifications.needs import needs_for

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_invite_from_profile_is_an_invitation_to_accept(
    world: SimpleNamespace, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    peer = world.outsider
    client = signed_in(world.facilitator)
    url = reverse("alliances:invite_peer", args=[peer.id])
    assert url in client.get(reverse("peers:profile", args=[peer.id])).content.decode()
    form = client.get(url).content.decode()
    assert world.platform_alliance.name in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"alliance": world.platform_alliance.slug, "role": "peer"})
    assert response.status_code == 302
    invitation = AllianceInvitation.objects.get()
    assert invitation.source == InvitationSource.DIRECTORY
    assert [m.to for m in mailoutbox] == [[peer.user.email]]
    # The facilitator does not read the peer's address among the open invitations.
    members = client.get(reverse("alliances:members", args=[world.platform_alliance.slug]))
    assert peer.user.email not in members.content.decode()
    api = client.get(f"/api/v1/alliances/{world.platform_alliance.slug}/members")
    assert peer.user.email not in api.content.decode()
    # The invitation waits on the peer's home until answered.
    urls = [n.url for n in needs_for(peer.user) if n.kind == "alliance_invitation"]
    assert len(urls) == 1
    prefix = reverse("alliances:invitation", args=["x"]).removesuffix("x/")
    assert urls[0].startswith(prefix)
    # The link is the signed invitation (its token carries a timestamp).
    assert invitation_id_from_token(urls[0].removeprefix(prefix).strip("/")) == invitation.id
    assert (
        world.platform_alliance.name in signed_in(peer.user).get(reverse("home")).content.decode()
    )


def test_member_or_already_invited_get_clear_messages(world: SimpleNamespace) -> None:
    client = signed_in(world.facilitator)
    member = world.member_platform  # a member of the inner alliance
    response = client.post(
        reverse("alliances:invite_peer", args=[member.id]),
        {"alliance": world.inner.slug, "role": "peer"},
    )
    assert response.status_code == 400
    assert "is already a member of" in response.content.decode()
    url = reverse("alliances:invite_peer", args=[world.outsider.id])
    client.post(url, {"alliance": world.inner.slug, "role": "peer"})
    response = client.post(url, {"alliance": world.inner.slug, "role": "peer"})
    assert response.status_code == 400
    assert "was already invited" in response.content.decode()
    assert AllianceInvitation.objects.count() == 1


def test_only_managed_alliances_and_visible_peers(world: SimpleNamespace) -> None:
    # A peer runs no alliance: refused, and no link on the profile.
    peer_client = signed_in(world.outsider.user)
    url = reverse("alliances:invite_peer", args=[world.member_platform.id])
    assert peer_client.get(url).status_code == 403
    assert (
        url
        not in peer_client.get(
            reverse("peers:profile", args=[world.member_platform.id])
        ).content.decode()
    )
    client = signed_in(world.facilitator)
    assert (
        client.get(reverse("alliances:invite_peer", args=[world.member_private.id])).status_code
        == 404
    )


def test_unverified_address_sees_no_invitation_need(world: SimpleNamespace) -> None:
    client = signed_in(world.facilitator)
    client.post(
        reverse("alliances:invite_peer", args=[world.outsider.id]),
        {"alliance": world.platform_alliance.slug, "role": "peer"},
    )
    user = world.outsider.user
    user.email_verified = False
    user.save(update_fields=["email_verified"])
    assert not [n for n in needs_for(user) if n.kind == "alliance_invitation"]
