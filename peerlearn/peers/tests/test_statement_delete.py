"""Deleting a challenge or experience: a confirmation page naming it, then the deletion."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.matchmaking.models import (
    MatchingRun,
    PoolSource,
    Proposal,
    ProposalMember,
    ProposalRole,
    ProposalStatus,
    RunKind,
    RunStatus,
)
from peerlearn.peers.models import Challenge, Experience

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _delete_url(kind: str, statement: Any) -> str:
    return reverse("peers:statement_delete", args=[kind, statement.id])


def test_the_profile_links_to_a_confirmation_page_not_a_deleting_form(
    world: SimpleNamespace,
) -> None:
    challenge = world.challenges[Visibility.PLATFORM]
    client = signed_in(world.member_platform.user)
    page = client.get(reverse("peers:profile", args=[world.member_platform.id]))
    html = page.content.decode()
    url = _delete_url("challenges", challenge)
    assert f'href="{url}"' in html
    # No form on the profile posts to the deleting address.
    assert not re.search(rf'<form[^>]*action="{re.escape(url)}"', html)


def test_the_confirmation_page_names_what_will_be_deleted(world: SimpleNamespace) -> None:
    challenge = world.challenges[Visibility.PLATFORM]
    response = signed_in(world.member_platform.user).get(_delete_url("challenges", challenge))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delete this challenge" in html
    assert challenge.title in html
    assert 'name="confirm"' in html
    assert "open matching proposal" not in html
    assert Challenge.objects.filter(id=challenge.id).exists()


def test_confirming_deletes_and_names_what_was_deleted(world: SimpleNamespace) -> None:
    challenge = world.challenges[Visibility.PLATFORM]
    client = signed_in(world.member_platform.user)
    response = client.post(_delete_url("challenges", challenge), {"confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "peers:profile", args=[world.member_platform.id]
    )
    assert not Challenge.objects.filter(id=challenge.id).exists()
    assert "Deleted the challenge “Challenge platform”." in response.content.decode()

    experience = world.experience
    response = signed_in(world.outsider.user).post(
        _delete_url("experiences", experience), {"confirm": "1"}, follow=True
    )
    assert not Experience.objects.filter(id=experience.id).exists()
    assert f"Deleted the experience “{experience.title}”." in response.content.decode()


def test_a_post_without_confirmation_only_asks(world: SimpleNamespace) -> None:
    # A form from an older page posts without ``confirm``: it is asked, not obeyed.
    challenge = world.challenges[Visibility.PLATFORM]
    response = signed_in(world.member_platform.user).post(_delete_url("challenges", challenge))
    assert response.status_code == 200
    assert "Delete this challenge" in response.content.decode()
    assert Challenge.objects.filter(id=challenge.id).exists()


def test_only_the_author_may_open_or_confirm_it(world: SimpleNamespace) -> None:
    challenge = world.challenges[Visibility.PLATFORM]
    other = signed_in(world.outsider.user)
    url = _delete_url("challenges", challenge)
    assert other.get(url).status_code == 403
    assert other.post(url, {"confirm": "1"}).status_code == 403
    assert Challenge.objects.filter(id=challenge.id).exists()
    assert Client().get(url).status_code == 302  # to sign in


def _proposal(world: SimpleNamespace, *, challenge_ids: list[int], **kwargs: Any) -> Proposal:
    run = MatchingRun.objects.create(
        created_by=world.facilitator,
        kind=RunKind.GROUPS,
        source=PoolSource.PEERS,
        status=kwargs.pop("run_status", RunStatus.PROPOSED),
    )
    proposal = Proposal.objects.create(run=run, position=1, score=1.0, **kwargs)
    ProposalMember.objects.create(
        proposal=proposal,
        peer=world.member_platform,
        role=ProposalRole.MEMBER,
        challenge_ids=challenge_ids,
    )
    ProposalMember.objects.create(proposal=proposal, peer=world.outsider, role=ProposalRole.MEMBER)
    return proposal


def test_the_confirmation_page_says_when_it_is_part_of_open_proposals(
    world: SimpleNamespace,
) -> None:
    challenge = world.challenges[Visibility.PLATFORM]
    other = world.challenges[Visibility.PUBLIC]
    first = _proposal(world, challenge_ids=[challenge.id, other.id])
    # Neither a withdrawn proposal nor a draft the peer has not been sent counts.
    _proposal(world, challenge_ids=[challenge.id], status=ProposalStatus.WITHDRAWN)
    _proposal(world, challenge_ids=[challenge.id], run_status=RunStatus.DRAFT)
    client = signed_in(world.member_platform.user)
    html = client.get(_delete_url("challenges", challenge)).content.decode()
    assert "It is part of 1 open matching proposal." in html
    named = "Learning groups (Type II): proposal 1"
    assert f'<a href="/matching/proposals/{first.id}/">{named}</a>' in html
    second = _proposal(world, challenge_ids=[challenge.id])
    html = client.get(_delete_url("challenges", challenge)).content.decode()
    assert "It is part of 2 open matching proposals." in html
    # Each named, with a link, so the peer can read them before deciding.
    links = re.findall(r'<a href="/matching/proposals/(\d+)/">', html)
    assert links == [str(first.id), str(second.id)]
    # A statement the matcher did not read for the proposal says nothing.
    unused = world.challenges[Visibility.PRIVATE]
    html = client.get(_delete_url("challenges", unused)).content.decode()
    assert "open matching proposal" not in html
