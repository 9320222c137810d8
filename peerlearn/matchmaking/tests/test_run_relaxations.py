"""A run's "What stood in the way" says whether the suggested setting alone would place the
peers left out: larger groups place a fifth peer who shares the others' language, but not
Odile, who speaks only French beside a peer who speaks only Spanish."""

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
from peerlearn.matchmaking.selectors.runs import blocking_text, relaxation_sentence
from peerlearn.matchmaking.services import matching_run_create
from peerlearn.matchmaking.tests.conftest import say
from peerlearn.matchmaking.tests.test_run_languages import PEERS, _section
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge
from peerlearn.tests.api_helpers import API, client_for

PLACES = "would remove this obstacle."
DOES_NOT = "would not be enough on its own: another rule still keeps these peers apart"


def _pool(odile_speaks: tuple[str, ...]) -> SimpleNamespace:
    """The peers of :data:`PEERS`, Odile speaking ``odile_speaks``, and a facilitator."""
    m = SimpleNamespace(peers={})
    for i, (name, country, languages, challenge) in enumerate(PEERS):
        org = organisation_create(
            name=f"County {i}",
            type=OrganisationType.LOCAL_GOVERNMENT,
            country=Country.objects.get(code=country),
        )
        spoken = odile_speaks if name == "odile" else languages
        m.peers[name] = make_peer(name, org, languages=spoken)
        say(m.peers[name], Challenge, f"Concern of {name}", challenge)
    m.facilitator = make_user("fac", role=Role.FACILITATOR, organisation=org)
    return m


def _run(m: SimpleNamespace) -> MatchingRun:
    run = matching_run_create(
        created_by=m.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue groups",
        rules={"min_size": 4, "max_size": 4, "common_language": True},
    )
    return MatchingRun.objects.get(id=run.id)


def _stood_in_the_way(m: SimpleNamespace, run: MatchingRun) -> str:
    client = Client()
    client.force_login(m.facilitator)
    page = client.get(reverse("matchmaking:run", args=[run.id])).content.decode()
    return _section(page, "diag-h")


@pytest.mark.parametrize(
    ("odile_speaks", "places"), [(("fr",), False), (("es", "fr"), True)], ids=["fr", "es-fr"]
)
def test_the_page_says_whether_the_setting_alone_places_the_peer_left_out(
    db: Any, odile_speaks: tuple[str, ...], places: bool
) -> None:
    m = _pool(odile_speaks)
    run = _run(m)
    assert len(run.unmatched) == 1
    (diagnosis,) = run.diagnostics
    assert diagnosis["relaxation"] == {"max_size": 5}
    assert diagnosis["relaxation_places"] is places
    section = _stood_in_the_way(m, run)
    if places:
        assert PLACES in section and DOES_NOT not in section
    else:
        assert DOES_NOT in section and PLACES not in section
        assert f"Setting “largest group” to 5 {DOES_NOT}" in section
        assert diagnosis["relaxation_blocked_by"] == "common_language"
        assert f"{DOES_NOT} (a working language everyone shares)." in section
    if places:
        assert "Setting “largest group” to 5 would remove this obstacle." in section


def test_the_api_says_whether_the_setting_alone_places_them(db: Any) -> None:
    m = _pool(("fr",))
    run = _run(m)
    body = client_for(m.facilitator).get(f"{API}/matching/runs/{run.id}").json()
    (diagnosis,) = body["diagnostics"]
    assert diagnosis["relaxation"] == {"max_size": 5}
    assert diagnosis["relaxation_places"] is False
    assert diagnosis["relaxation_blocked_by"] == "common_language"
    assert diagnosis["relaxation_blocked_by_text"] == "a working language everyone shares"


def test_a_run_stored_before_the_check_keeps_the_sentence_it_had(db: Any) -> None:
    m = _pool(("fr",))
    run = _run(m)
    for d in run.diagnostics:
        del d["relaxation_places"]
    run.save(update_fields=["diagnostics"])
    body = client_for(m.facilitator).get(f"{API}/matching/runs/{run.id}").json()
    assert body["diagnostics"][0]["relaxation_places"] is None
    section = _stood_in_the_way(m, run)
    assert PLACES in section and DOES_NOT not in section


def test_a_run_stored_before_the_blocking_rule_was_named_keeps_its_sentence(db: Any) -> None:
    m = _pool(("fr",))
    run = _run(m)
    for d in run.diagnostics:
        del d["relaxation_blocked_by"]
    run.save(update_fields=["diagnostics"])
    body = client_for(m.facilitator).get(f"{API}/matching/runs/{run.id}").json()
    assert body["diagnostics"][0]["relaxation_blocked_by"] is None
    assert body["diagnostics"][0]["relaxation_blocked_by_text"] == ""
    section = _stood_in_the_way(m, run)
    assert DOES_NOT in section
    assert "(a working language everyone shares)" not in section


def test_the_blocking_rule_is_shown_with_the_runs_setting() -> None:
    rules = {"min_size": 6, "max_size": 6, "max_per_org": 1, "common_language": True}
    assert blocking_text("max_per_org", rules) == "peers from one organisation: 1"
    assert blocking_text("size", rules) == "smallest group: 6; largest group: 6"
    assert blocking_text("common_language", rules) == "a working language everyone shares"
    assert blocking_text("excluded", rules) == "excluded pairs"
    assert blocking_text(None, rules) == ""


def test_the_change_that_would_remove_an_obstacle_reads_as_a_sentence() -> None:
    # Not "setting this would remove the obstacle: a working language everyone shares: no".
    assert relaxation_sentence({"common_language": False}) == (
        "Turning off “a working language everyone shares” would remove this obstacle."
    )
    assert relaxation_sentence({"same_stage": True}, places=None) == (
        "Turning on “same reform stage” would remove this obstacle."
    )
    assert relaxation_sentence({"min_size": 3, "max_per_org": None}) == (
        "Setting “smallest group” to 3 and lifting the limit on “peers from one "
        "organisation” would remove this obstacle."
    )
    assert relaxation_sentence({"max_size": 5}, places=False) == (
        "Setting “largest group” to 5 would not be enough on its own: another rule still "
        "keeps these peers apart."
    )
    assert relaxation_sentence({}) == ""
    # The rule relaxed still blocks: it is named as that rule, not as "another rule" with
    # the run's own setting.
    assert relaxation_sentence(
        {"min_senior": 1}, places=False, blocked_by="senior peers: 3", blocked_code="min_senior"
    ) == (
        "Setting “senior peers” to 1 would not be enough on its own: even then, “senior peers” "
        "still keeps these peers apart."
    )
