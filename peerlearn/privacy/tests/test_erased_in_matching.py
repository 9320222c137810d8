"""An erased peer's name never renders in a matching: not in proposals, their
explanations, or the unmatched list."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from peerlearn.conftest import TEST_PASSWORD
from peerlearn.matchmaking.models import Proposal
from peerlearn.matchmaking.services import matching_run_create, matching_run_propose
from peerlearn.matchmaking.tests.conftest import market, tfidf_encoder  # noqa: F401
from peerlearn.privacy.services import account_erase

pytestmark = pytest.mark.django_db


def test_an_erased_peer_is_named_nowhere_in_a_run(client: Any, market: Any) -> None:  # noqa: F811
    run = matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue pairs",
    )
    matching_run_propose(run=run)
    amina = market.peers[0]
    name = amina.user.name
    proposal = Proposal.objects.filter(run=run, members__peer=amina).first()
    assert proposal is not None
    client.force_login(market.facilitator)
    before = client.get(reverse("matchmaking:run", args=[run.id])).content.decode()
    assert name in before

    account_erase(user=amina.user, password=TEST_PASSWORD)

    for viewer in (market.facilitator, market.admin, market.peers[3].user):
        client.force_login(viewer)
        for url in (
            reverse("matchmaking:run", args=[run.id]),
            reverse("matchmaking:proposal", args=[proposal.id]),
        ):
            response = client.get(url)
            assert name not in response.content.decode(), (viewer, url)
    client.force_login(market.facilitator)
    api = client.get(f"/api/v1/matching/runs/{run.id}").content.decode()
    assert name not in api
