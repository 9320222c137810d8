"""A peer's data holds the proposals sent to them, never a draft the facilitator has not
sent: the page, the archive and the API read the same tables."""

from __future__ import annotations

from typing import Any

import pytest

from peerlearn.matchmaking.models import Proposal
from peerlearn.matchmaking.services import matching_run_create, matching_run_propose
from peerlearn.matchmaking.tests.conftest import market, tfidf_encoder  # noqa: F401
from peerlearn.privacy.selectors import account_data

pytestmark = pytest.mark.django_db


def _run(market: Any, name: str) -> Any:  # noqa: F811
    return matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name=name,
    )


def test_an_unsent_draft_stays_out_of_a_peers_data(client: Any, market: Any) -> None:  # noqa: F811
    amina = market.peers[0]
    draft = _run(market, "Draft pairs")
    drafted = Proposal.objects.filter(run=draft, members__peer=amina).first()
    assert drafted is not None
    assert account_data(user=amina.user)["proposals"] == []
    client.force_login(amina.user)
    tables = {file: rows for _, file, rows in client.get("/accounts/my-data/").context["tables"]}
    assert tables["proposals.csv"] == 0
    # Once sent, it is theirs to read and download.
    matching_run_propose(run=draft)
    (row,) = account_data(user=amina.user)["proposals"]
    assert row["proposal"] == drafted.id and row["my_response"] == "pending"
