"""A run's page names each left-out peer's languages alike in "What stood in the way" and
"Not matched": both read the groups the run proposes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.roles import Role
from peerlearn.conftest import make_peer, make_user
from peerlearn.core.models import Country
from peerlearn.matchmaking.models import MatchingRun
from peerlearn.matchmaking.selectors import run_detail
from peerlearn.matchmaking.services import matching_run_create
from peerlearn.matchmaking.tests.conftest import say
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge, PeerProfile

#: Three peers working in French and Spanish raise one concern; a Spanish-speaking peer
#: raises the same, a French-speaking one another. Groups of four sharing a language leave
#: one of the two single-language peers out.
MARKET_FEES = "Cash collection of market fees leaks revenue at every market gate."
PEERS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("ana", "KE", ("es", "fr"), MARKET_FEES),
    ("bruno", "UG", ("es", "fr"), MARKET_FEES),
    ("carla", "GH", ("es", "fr"), MARKET_FEES),
    ("diego", "KE", ("es",), MARKET_FEES),
    ("odile", "UG", ("fr",), "Procurement audit of school construction contracts is late."),
)


@pytest.fixture
def bilingual(db: Any) -> SimpleNamespace:
    """The peers of :data:`PEERS`, each in their own organisation, and a facilitator."""
    m = SimpleNamespace(peers={})
    for i, (name, country, languages, challenge) in enumerate(PEERS):
        org = organisation_create(
            name=f"County {i}",
            type=OrganisationType.LOCAL_GOVERNMENT,
            country=Country.objects.get(code=country),
        )
        m.peers[name] = make_peer(name, org, languages=languages)
        say(m.peers[name], Challenge, f"Concern of {name}", challenge)
    m.facilitator = make_user("fac", role=Role.FACILITATOR, organisation=org)
    return m


def _languages_named(value: Any) -> set[str]:
    """The language codes a stored message names, in its nested messages too."""
    if isinstance(value, list):
        return {code for item in value for code in _languages_named(item)}
    if not isinstance(value, dict):
        return set()
    named: set[str] = set()
    for name, param in (value.get("params") or {}).items():
        if name == "language":
            named.add(param)
        elif name == "languages":
            named.update(param)
        else:
            named |= _languages_named(param)
    return named


def _spoken(peer_id: int) -> set[str]:
    return set(PeerProfile.objects.get(id=peer_id).languages.values_list("code", flat=True))


def test_stood_in_the_way_and_not_matched_name_the_left_out_peers_languages(
    bilingual: SimpleNamespace,
) -> None:
    run = matching_run_create(
        created_by=bilingual.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue groups",
        rules={"min_size": 4, "max_size": 4, "common_language": True},
    )
    run = MatchingRun.objects.get(id=run.id)
    detail = run_detail(user=bilingual.facilitator, run=run)
    assert [u["name"] for u in detail.unmatched] == ["Odile"]
    left_out = [int(u["peer_id"]) for u in run.unmatched]
    spoken_by_left_out = set().union(*(_spoken(pid) for pid in left_out))
    for u in run.unmatched:
        assert _languages_named(u["reason"]) <= _spoken(int(u["peer_id"])), u["reason"]
    for d in run.diagnostics:
        assert _languages_named(d["message"]) <= spoken_by_left_out, d["message"]
    quoted = [u["reason"]["params"]["why"] for u in run.unmatched if "why" in u["reason"]["params"]]
    assert all(why in [d["message"] for d in run.diagnostics] for why in quoted)

    client = Client()
    client.force_login(bilingual.facilitator)
    page = client.get(reverse("matchmaking:run", args=[run.id])).content.decode()
    assert "Spanish" not in _section(page, "diag-h")
    assert "Odile" in _section(page, "unmatched-h")


def _section(page: str, heading: str) -> str:
    """The HTML of the page's section headed by the element with id ``heading``."""
    _, found, rest = page.partition(f'id="{heading}"')
    return rest.partition("</section>")[0] if found else ""
