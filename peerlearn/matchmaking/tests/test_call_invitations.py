"""Inviting a peer from their profile to apply to an open call, and the need it creates."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from peerlearn.access.visibility import Visibility
from peerlearn.matchmaking.invitations import call_invitation_create
from peerlearn.matchmaking.models import CallInvitation
from peerlearn.matchmaking.services import call_application_create, open_call_create
from peerlearn.notifications.needs import needs_for

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def call(world: SimpleNamespace) -> Any:
    return open_call_create(
        created_by=world.facilitator,
        title="Own-source revenue peers",
        theme="revenue-pfm",
        description="Counties that raised collection.",
    )


def test_invite_from_profile_emails_the_peer_and_waits_on_their_home(
    world: SimpleNamespace, call: Any, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    peer = world.member_platform
    client = signed_in(world.facilitator)
    profile = client.get(reverse("peers:profile", args=[peer.id])).content.decode()
    url = reverse("matchmaking:call_invite", args=[peer.id])
    assert url in profile
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"call": call.id})
    assert response.status_code == 302
    assert CallInvitation.objects.filter(call=call, peer=peer).exists()
    assert [m.to for m in mailoutbox] == [[peer.user.email]]
    assert reverse("matchmaking:call", args=[call.id]) in mailoutbox[0].body
    needs = [n for n in needs_for(peer.user) if n.kind == "call_invitation"]
    assert [n.url for n in needs] == [reverse("matchmaking:call", args=[call.id])]
    home = signed_in(peer.user).get(reverse("home")).content.decode()
    assert "Own-source revenue peers" in home
    # Once applied, nothing waits any more.
    call_application_create(call=call, peer=peer)
    assert not [n for n in needs_for(peer.user) if n.kind == "call_invitation"]


def test_invited_twice_or_applied_is_said_clearly(world: SimpleNamespace, call: Any) -> None:
    peer = world.member_platform
    client = signed_in(world.facilitator)
    url = reverse("matchmaking:call_invite", args=[peer.id])
    client.post(url, {"call": call.id})
    response = client.post(url, {"call": call.id})
    assert response.status_code == 400
    assert "was already invited" in response.content.decode()
    other = world.outsider
    call_application_create(call=call, peer=other)
    response = client.post(reverse("matchmaking:call_invite", args=[other.id]), {"call": call.id})
    assert response.status_code == 400
    assert "has already applied" in response.content.decode()
    assert CallInvitation.objects.count() == 1


def test_draft_or_closed_call_is_refused(world: SimpleNamespace, call: Any) -> None:
    draft = open_call_create(
        created_by=world.facilitator,
        title="Draft",
        theme="revenue-pfm",
        description="Not yet.",
        visibility=Visibility.PRIVATE,
    )
    with pytest.raises(ValidationError, match="cannot see"):
        call_invitation_create(call=draft, peer=world.member_platform, by=world.facilitator)
    call.closes_on = timezone.localdate() - dt.timedelta(days=1)
    call.save(update_fields=["closes_on"])
    with pytest.raises(ValidationError, match="closed on"):
        call_invitation_create(call=call, peer=world.member_platform, by=world.facilitator)


def test_only_the_calls_author_invites_and_hidden_peers_are_not_found(
    world: SimpleNamespace, call: Any
) -> None:
    # A peer runs no call: no link on the profile, and the page is refused.
    peer_client = signed_in(world.outsider.user)
    url = reverse("matchmaking:call_invite", args=[world.member_platform.id])
    profile = peer_client.get(reverse("peers:profile", args=[world.member_platform.id]))
    assert url not in profile.content.decode()
    assert peer_client.get(url).status_code == 403
    # The author, for a profile they may not see: not found.
    client = signed_in(world.facilitator)
    hidden = reverse("matchmaking:call_invite", args=[world.member_private.id])
    assert client.get(hidden).status_code == 404
    assert client.post(hidden, {"call": call.id}).status_code == 404
    assert not CallInvitation.objects.exists()
