"""What needs you: gathered from proposals, authorisations, reviews and runs; the digest."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.initiatives.services import initiative_propose
from peerlearn.matchmaking.models import Proposal, ProposalRole
from peerlearn.matchmaking.services import (
    matching_run_create,
    matching_run_propose,
    proposal_respond,
)
from peerlearn.notifications.models import DigestPreference
from peerlearn.notifications.needs import needs_for
from peerlearn.notifications.services import digests_send
from peerlearn.peers.services import authorisation_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # E-mails leave when the transaction commits; the test's never does.
    monkeypatch.setattr("peerlearn.core.mail.transaction", SimpleNamespace(on_commit=lambda f: f()))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def run_for(m: SimpleNamespace, *, send: bool) -> Any:
    run = matching_run_create(
        created_by=m.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue pairs",
    )
    if send:
        matching_run_propose(run=run)
    return run


def test_a_proposed_match_waits_for_its_members_until_they_answer(market: SimpleNamespace) -> None:
    m = market
    run = run_for(m, send=True)
    proposal = Proposal.objects.get(
        run=run, members__peer=m.peers[0], members__role=ProposalRole.SEEKER
    )
    needs = [n for n in needs_for(m.peers[0].user) if n.kind == "proposal"]
    assert [n.url for n in needs] == [reverse("matchmaking:proposal", args=[proposal.id])]
    assert needs[0].due == proposal.reply_by
    proposal_respond(proposal=proposal, peer=m.peers[0], answer="accept")
    assert [n for n in needs_for(m.peers[0].user) if n.kind == "proposal"] == []
    # Somebody outside the proposal has nothing to answer.
    assert [n for n in needs_for(m.outsider.user) if n.kind == "proposal"] == []


def test_a_draft_run_waits_for_its_facilitator_only(market: SimpleNamespace) -> None:
    m = market
    run = run_for(m, send=False)
    assert [n.url for n in needs_for(m.facilitator) if n.kind == "run"] == [
        reverse("matchmaking:run", args=[run.id])
    ]
    assert [n for n in needs_for(m.other_facilitator) if n.kind == "run"] == []


def test_authorisations_and_registry_proposals_wait_for_who_decides(world: SimpleNamespace) -> None:
    request = authorisation_request(
        peer=world.member_alliance,
        authoriser=world.authoriser_a,
        scope="Take part in the revenue alliance",
    )
    needs = needs_for(world.authoriser_a)
    assert [n.url for n in needs] == [reverse("peers:authorisation_decision", args=[request.id])]
    assert "Member Alliance" in needs[0].text
    assert needs_for(world.member_alliance.user) == []
    initiative = initiative_propose(
        proposer=world.outsider.user,
        name="Research Week",
        type="I",
        summary="Replicated in Ghana.",
        themes=["parliaments-evidence"],
        implementers=[world.ngo],
        visibility=Visibility.PUBLIC,
    )
    assert reverse("initiatives:review_one", args=[initiative.slug]) in {
        n.url for n in needs_for(world.facilitator)
    }
    assert needs_for(world.outsider.user) == []


def test_the_page_lists_what_waits_and_keeps_the_digest_choice(world: SimpleNamespace) -> None:
    authorisation_request(
        peer=world.member_alliance,
        authoriser=world.authoriser_a,
        scope="Take part in the revenue alliance",
    )
    client = client_for(world.authoriser_a)
    html = client.get(reverse("notifications:page")).content.decode()
    assert "Decide on Member Alliance" in html
    client.post(reverse("notifications:page"), {})
    assert DigestPreference.objects.get(user=world.authoriser_a).enabled is False
    # The confirmation names both switches: the one changed may be the discussions' one.
    page = client.post(reverse("notifications:page"), {"enabled": "on"}, follow=True)
    said = page.content.decode()
    assert "You will get the weekly digest." in said
    assert "Discussions no longer e-mail you" in said
    page = client.post(reverse("notifications:page"), {"discussion_emails": "on"}, follow=True)
    said = page.content.decode()
    assert "No more digests" in said and "Discussions e-mail you mentions" in said
    quiet = client_for(world.outsider.user).get(reverse("notifications:page")).content.decode()
    assert "Nothing waits for you" in quiet
    assert Client().get(reverse("notifications:page")).status_code == 302


def test_the_digest_goes_once_only_to_whoever_has_something_waiting(
    world: SimpleNamespace,
) -> None:
    authorisation_request(
        peer=world.member_alliance,
        authoriser=world.authoriser_a,
        scope="Take part in the revenue alliance",
    )
    mail.outbox.clear()
    assert digests_send(site_url="https://peerlearn.example") == 1
    assert [m.to for m in mail.outbox] == [[world.authoriser_a.email]]
    assert "https://peerlearn.example/peers/authorisations/" in mail.outbox[0].body
    # Within the period, nothing more, however often the sweep runs.
    assert digests_send() == 0
    assert len(mail.outbox) == 1


def test_no_digest_for_whoever_turned_it_off(world: SimpleNamespace) -> None:
    authorisation_request(
        peer=world.member_alliance,
        authoriser=world.authoriser_a,
        scope="Take part in the revenue alliance",
    )
    DigestPreference.objects.create(user=world.authoriser_a, enabled=False)
    mail.outbox.clear()
    assert digests_send() == 0
    assert mail.outbox == []
