"""Every role against every visibility level: what each may see, and nothing more."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from peerlearn.access.alliances import access_alliance_for_manage, alliances_visible_to
from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.peers import (
    access_authorisation_for_decision,
    access_peer_by_id,
    access_peer_for_edit,
    access_statement_for_edit,
    challenges_visible_to,
    peers_visible_to,
)
from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.conftest import make_user
from peerlearn.peers.models import Challenge
from peerlearn.peers.services import authorisation_request

ALL_PEERS = {
    "member_alliance",
    "member_platform",
    "member_private",
    "outsider",
    "outsider_public",
    "outsider_alliance",
}


def viewer(w: SimpleNamespace, name: str) -> Any:
    if name == "anonymous":
        return AnonymousUser()
    obj = getattr(w, name)
    return getattr(obj, "user", obj)


def usernames(qs: Any) -> set[str]:
    return set(qs.values_list("user__username", flat=True))


# Who sees which peer profile.
PEER_MATRIX = {
    "anonymous": {"outsider_public"},
    "outsider": {"member_platform", "outsider", "outsider_public"},
    "outsider_alliance": {"member_platform", "outsider", "outsider_public", "outsider_alliance"},
    # Members see alliance-level profiles of co-members, never private ones.
    "member_platform": {"member_alliance", "member_platform", "outsider", "outsider_public"},
    "member_private": {
        "member_alliance",
        "member_platform",
        "member_private",
        "outsider",
        "outsider_public",
    },
    # The facilitator is inside the alliance as its facilitator.
    "facilitator": {"member_alliance", "member_platform", "outsider", "outsider_public"},
    # The authoriser of county A sees county A's alliance-level profiles.
    "authoriser_a": {
        "member_alliance",
        "outsider_alliance",
        "member_platform",
        "outsider",
        "outsider_public",
    },
    # The funder's organisation funds the inner alliance.
    "funder": {"member_alliance", "member_platform", "outsider", "outsider_public"},
    "admin": ALL_PEERS,
}


@pytest.mark.parametrize("who", sorted(PEER_MATRIX))
def test_peer_profiles_visible_to_each_role(world: SimpleNamespace, who: str) -> None:
    assert usernames(peers_visible_to(viewer(world, who))) == PEER_MATRIX[who]


@pytest.mark.parametrize("who", sorted(PEER_MATRIX))
def test_access_peer_by_id_agrees_with_the_list(world: SimpleNamespace, who: str) -> None:
    user = viewer(world, who)
    for name in ALL_PEERS:
        peer = getattr(world, name)
        if name in PEER_MATRIX[who]:
            assert access_peer_by_id(user, peer.id) == peer
        else:
            with pytest.raises(NotFound):
                access_peer_by_id(user, peer.id)


CHALLENGE_MATRIX = {
    # member_platform's public challenge is behind a platform-level profile.
    "anonymous": {"Public challenge"},
    "outsider": {"Public challenge", "Challenge public", "Challenge platform"},
    "member_alliance": {
        "Public challenge",
        "Challenge public",
        "Challenge platform",
        "Challenge alliance",
        "Raised in the alliance",
    },
    "member_platform": {
        "Public challenge",
        "Challenge public",
        "Challenge platform",
        "Challenge alliance",
        "Challenge private",
        "Raised in the alliance",
    },
    "facilitator": {
        "Public challenge",
        "Challenge public",
        "Challenge platform",
        "Challenge alliance",
        "Raised in the alliance",
    },
    "funder": {
        "Public challenge",
        "Challenge public",
        "Challenge platform",
        "Challenge alliance",
        "Raised in the alliance",
    },
    "authoriser_a": {"Public challenge", "Challenge public", "Challenge platform"},
    "admin": {
        "Public challenge",
        "Challenge public",
        "Challenge platform",
        "Challenge alliance",
        "Challenge private",
        "Raised in the alliance",
        "Behind a private profile",
    },
}


@pytest.mark.parametrize("who", sorted(CHALLENGE_MATRIX))
def test_challenges_visible_to_each_role(world: SimpleNamespace, who: str) -> None:
    titles = set(challenges_visible_to(viewer(world, who)).values_list("title", flat=True))
    assert titles == CHALLENGE_MATRIX[who]


def test_statement_never_wider_than_its_authors_profile(world: SimpleNamespace) -> None:
    # member_private's own public challenge is visible to member_private only (and admins).
    assert (
        challenges_visible_to(world.member_private.user)
        .filter(id=world.challenge_of_private.id)
        .exists()
    )
    for who in ("anonymous", "outsider", "member_platform", "facilitator", "funder"):
        assert (
            not challenges_visible_to(viewer(world, who))
            .filter(id=world.challenge_of_private.id)
            .exists()
        ), who


ALLIANCE_MATRIX = {
    "anonymous": {"Open Alliance"},
    "outsider": {"Open Alliance", "Platform Alliance"},
    "member_alliance": {"Open Alliance", "Platform Alliance", "County Revenue Alliance"},
    "facilitator": {
        "Open Alliance",
        "Platform Alliance",
        "County Revenue Alliance",
        "Draft Alliance",
    },
    "funder": {"Open Alliance", "Platform Alliance", "County Revenue Alliance"},
    "authoriser_a": {"Open Alliance", "Platform Alliance"},
    "admin": {"Open Alliance", "Platform Alliance", "County Revenue Alliance", "Draft Alliance"},
}


@pytest.mark.parametrize("who", sorted(ALLIANCE_MATRIX))
def test_alliances_visible_to_each_role(world: SimpleNamespace, who: str) -> None:
    names = set(alliances_visible_to(viewer(world, who)).values_list("name", flat=True))
    assert names == ALLIANCE_MATRIX[who]


def test_only_the_peer_edits_their_profile(world: SimpleNamespace) -> None:
    peer = world.member_platform
    assert access_peer_for_edit(peer.user, peer) == peer
    assert access_peer_for_edit(world.admin, peer) == peer
    for who in ("outsider", "facilitator", "authoriser_a", "funder"):
        with pytest.raises(AccessDenied):
            access_peer_for_edit(viewer(world, who), peer)
    with pytest.raises(AccessDenied):
        access_peer_for_edit(AnonymousUser(), peer)


def test_only_the_author_edits_a_statement(world: SimpleNamespace) -> None:
    challenge = world.challenges[Visibility.PLATFORM]
    assert (
        access_statement_for_edit(world.member_platform.user, Challenge, challenge.id) == challenge
    )
    assert access_statement_for_edit(world.admin, Challenge, challenge.id) == challenge
    with pytest.raises(AccessDenied):
        access_statement_for_edit(world.outsider.user, Challenge, challenge.id)
    # A private one is not even found by others.
    private = world.challenges[Visibility.PRIVATE]
    with pytest.raises(NotFound):
        access_statement_for_edit(world.outsider.user, Challenge, private.id)


def test_only_facilitators_manage_an_alliance(world: SimpleNamespace) -> None:
    assert access_alliance_for_manage(world.facilitator, world.inner.slug) == world.inner
    assert access_alliance_for_manage(world.admin, world.inner.slug) == world.inner
    with pytest.raises(AccessDenied):
        access_alliance_for_manage(world.member_alliance.user, world.inner.slug)
    with pytest.raises(AccessDenied):
        access_alliance_for_manage(world.funder, world.inner.slug)
    with pytest.raises(NotFound):
        access_alliance_for_manage(world.outsider.user, world.inner.slug)


def test_only_the_named_authoriser_decides(world: SimpleNamespace) -> None:
    request = authorisation_request(
        peer=world.member_alliance, authoriser=world.authoriser_a, scope="Join the alliance."
    )
    assert access_authorisation_for_decision(world.authoriser_a, request.id) == request
    with pytest.raises(AccessDenied):
        access_authorisation_for_decision(world.member_alliance.user, request.id)
    with pytest.raises(NotFound):
        access_authorisation_for_decision(world.facilitator, request.id)


def test_inactive_users_disappear(world: SimpleNamespace) -> None:
    user = world.member_platform.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert "member_platform" not in usernames(peers_visible_to(world.outsider.user))
    assert not challenges_visible_to(world.outsider.user).filter(peer__user=user).exists()


def test_platform_admins_are_the_active_administrators(world: SimpleNamespace) -> None:
    from peerlearn.access.base import is_platform_admin, platform_admins
    from peerlearn.accounts.models import User

    superuser = world.facilitator
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    retired = make_user("retired_admin", role=Role.ADMIN)
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    expected = {u.username for u in User.objects.all() if is_platform_admin(u)}
    assert {u.username for u in platform_admins()} == expected
    assert {"admin", superuser.username} <= expected
    assert "retired_admin" not in expected


def test_draft_initiatives_are_for_facilitators_and_admins(world: SimpleNamespace) -> None:
    from peerlearn.initiatives.services import initiative_create

    initiative_create(
        name="Draft initiative",
        type="II",
        summary="Not yet published.",
        themes=["procurement"],
        implementers=[world.ngo],
        visibility=Visibility.PRIVATE,
    )
    initiative_create(
        name="Published initiative",
        type="I",
        summary="Open.",
        themes=["procurement"],
        implementers=[world.ngo],
        countries=["KE", "GB"],
    )
    for who, expected in {
        "anonymous": {"Published initiative"},
        "outsider": {"Published initiative"},
        "facilitator": {"Published initiative", "Draft initiative"},
        "admin": {"Published initiative", "Draft initiative"},
    }.items():
        names = set(initiatives_visible_to(viewer(world, who)).values_list("name", flat=True))
        assert names == expected, who
