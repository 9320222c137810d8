"""Leaks the confidentiality sweep found, each pinned by its own test: a page or endpoint
that printed the name or text of something its reader may not see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import Role, User
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.tests.factories import (
    AllianceMembershipFactory,
    LearningAllianceFactory,
)
from peerlearn.initiatives.tests.factories import InitiativeFactory
from peerlearn.matchmaking.models import (
    MatchingRun,
    PoolSource,
    Proposal,
    ProposalMember,
    ProposalRole,
    RunKind,
    RunStatus,
)
from peerlearn.organisations.tests.factories import OrganisationFactory
from peerlearn.peers.tests.factories import ChallengeFactory, PeerProfileFactory

pytestmark = pytest.mark.django_db

HIDDEN = "Kyrgyz-UK Confidential Partnership"
OPEN = "County Revenue Open Alliance"


def page(user: User | None, url: str, **params: Any) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def api(user: User, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/api/v1" + url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_authoriser_home_names_only_alliances_the_authoriser_may_see() -> None:
    organisation = OrganisationFactory()
    peer = PeerProfileFactory(user__organisation=organisation, visibility=Visibility.PLATFORM)
    for name, level in [(HIDDEN, Visibility.ALLIANCE), (OPEN, Visibility.PLATFORM)]:
        alliance = LearningAllianceFactory(name=name, visibility=level)
        AllianceMembershipFactory(alliance=alliance, user=peer.user)
    authoriser = UserFactory(role=Role.AUTHORISER, organisation=organisation)

    home = page(authoriser, reverse("home"))

    assert peer.user.name in home
    assert OPEN in home
    assert HIDDEN not in home


def test_an_alliance_page_does_not_name_a_draft_initiative() -> None:
    draft = InitiativeFactory(name="Draft Initiative Under Review", visibility=Visibility.PRIVATE)
    alliance = LearningAllianceFactory(visibility=Visibility.PUBLIC, initiative=draft)
    peer = UserFactory(role=Role.PEER)
    facilitator = UserFactory(role=Role.FACILITATOR)  # curates the registry, drafts included
    url = reverse("alliances:detail", args=[alliance.slug])

    for viewer in (None, peer):
        assert draft.name not in page(viewer, url)
    assert draft.name not in api(peer, f"/alliances/{alliance.slug}")
    assert draft.name in page(facilitator, url)
    assert draft.name in api(facilitator, f"/alliances/{alliance.slug}")


def test_a_profile_does_not_name_the_closed_alliance_an_open_statement_was_raised_in() -> None:
    closed = LearningAllianceFactory(name=HIDDEN, visibility=Visibility.ALLIANCE)
    author = PeerProfileFactory(visibility=Visibility.PLATFORM)
    AllianceMembershipFactory(alliance=closed, user=author.user)
    co_member = PeerProfileFactory().user
    AllianceMembershipFactory(alliance=closed, user=co_member)
    ChallengeFactory(
        peer=author, title="Open challenge", visibility=Visibility.PLATFORM, alliance=closed
    )
    url = reverse("peers:profile", args=[author.id])

    for role in (Role.PEER, Role.FACILITATOR, Role.AUTHORISER, Role.FUNDER):
        profile = page(UserFactory(role=role), url)
        assert "Open challenge" in profile, role
        assert HIDDEN not in profile, role
    assert HIDDEN in page(co_member, url)


def test_a_peer_home_does_not_name_a_private_alliance_the_peer_is_in() -> None:
    """A private alliance is seen only by its facilitators, even by its peers."""
    peer = PeerProfileFactory().user
    for name, level in [(HIDDEN, Visibility.PRIVATE), (OPEN, Visibility.ALLIANCE)]:
        alliance = LearningAllianceFactory(name=name, visibility=level)
        AllianceMembershipFactory(alliance=alliance, user=peer)
    facilitator = UserFactory(role=Role.FACILITATOR)
    AllianceMembershipFactory(
        alliance=LearningAllianceFactory(name="Private Facilitated", visibility="private"),
        user=facilitator,
        role=MemberRole.FACILITATOR,
    )

    home = page(peer, reverse("home"))
    assert OPEN in home
    assert HIDDEN not in home
    assert "Private Facilitated" in page(facilitator, reverse("home"))


def test_the_statement_form_offers_only_alliances_the_author_may_see() -> None:
    peer = PeerProfileFactory().user
    for name, level in [(HIDDEN, Visibility.PRIVATE), (OPEN, Visibility.ALLIANCE)]:
        alliance = LearningAllianceFactory(name=name, visibility=level)
        AllianceMembershipFactory(alliance=alliance, user=peer)

    form = page(peer, reverse("peers:statement_new", args=["challenges"]))

    assert OPEN in form
    assert HIDDEN not in form


def test_a_proposal_does_not_name_an_alliance_its_members_may_not_see() -> None:
    facilitator = UserFactory(role=Role.FACILITATOR)
    closed = LearningAllianceFactory(name=HIDDEN, visibility=Visibility.PRIVATE)
    AllianceMembershipFactory(alliance=closed, user=facilitator, role=MemberRole.FACILITATOR)
    run = MatchingRun.objects.create(
        created_by=facilitator,
        kind=RunKind.GROUPS,
        source=PoolSource.PEERS,
        status=RunStatus.PROPOSED,
    )
    proposal = Proposal.objects.create(run=run, position=1, score=1.0, alliance=closed)
    peers = [PeerProfileFactory(), PeerProfileFactory()]
    for p in peers:
        ProposalMember.objects.create(proposal=proposal, peer=p, role=ProposalRole.MEMBER)
    member = peers[0].user

    for url in (reverse("matchmaking:proposals"), reverse("matchmaking:index")):
        assert HIDDEN not in page(member, url), url
    assert HIDDEN not in page(member, reverse("matchmaking:proposal", args=[proposal.id]))
    assert HIDDEN not in api(member, "/matching/proposals")
    assert HIDDEN not in api(member, f"/matching/proposals/{proposal.id}")
    assert HIDDEN in page(facilitator, reverse("matchmaking:proposal", args=[proposal.id]))
    assert HIDDEN in api(facilitator, f"/matching/proposals/{proposal.id}")


def test_an_export_for_a_facilitator_holds_only_their_alliances_texts() -> None:
    import io

    from django.core.management import call_command

    facilitator = UserFactory(role=Role.FACILITATOR)
    theirs = LearningAllianceFactory(visibility=Visibility.ALLIANCE)
    AllianceMembershipFactory(alliance=theirs, user=facilitator, role=MemberRole.FACILITATOR)
    insider = PeerProfileFactory(visibility=Visibility.ALLIANCE)
    AllianceMembershipFactory(alliance=theirs, user=insider.user)
    elsewhere = PeerProfileFactory(visibility=Visibility.PLATFORM)
    AllianceMembershipFactory(alliance=LearningAllianceFactory(), user=elsewhere.user)
    ChallengeFactory(peer=insider, title="Shared inside", visibility=Visibility.ALLIANCE)
    ChallengeFactory(peer=elsewhere, title="Shared elsewhere", visibility=Visibility.ALLIANCE)
    out = io.StringIO()

    call_command(
        "export_peers", "--include-alliance", "--for", facilitator.username,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip

    assert "Shared inside" in out.getvalue()
    assert "Shared elsewhere" not in out.getvalue()
