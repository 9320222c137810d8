from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from peerlearn.matching import check_team, match_team
from peerlearn.matching.encoders import TfidfEncoder
from peerlearn.matching.types import Peer, TeamRules


def _pool(n: int, seed: int) -> list[Peer]:
    rng = np.random.default_rng(seed)
    return [
        Peer(
            f"p{i}",
            organisation=f"o{int(rng.integers(4))}",
            country=str(rng.choice(["KE", "UG", "GH"])),
            languages=(("en",), ("fr",), ("en", "fr"))[int(rng.integers(3))],
            gender=str(rng.choice(["female", "male"])),
            seniority=int(rng.integers(1, 6)),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("seed", range(6))
def test_team_is_the_brute_force_optimum(seed: int) -> None:
    peers = _pool(9, seed)
    rel = np.random.default_rng(seed).random(len(peers)).astype(np.float32)
    rules = TeamRules(size=3, max_per_org=1, min_countries=2, min_senior=1, max_gender_share=0.7)
    result = match_team(peers, "any problem", rules, relevance_scores=rel)
    best = None
    for combo in itertools.combinations(range(len(peers)), 3):
        if not check_team(peers, [peers[i].id for i in combo], rules):
            value = float(rel[list(combo)].sum())
            best = value if best is None else max(best, value)
    if best is None:
        assert result.groups == () and result.diagnostics
    else:
        assert check_team(peers, result.groups[0].members, rules) == []
        assert result.objective == pytest.approx(best, abs=1e-5)
        assert result.optimal


def test_team_gathers_the_relevant_experience() -> None:
    peers = [
        Peer(
            f"p{i}",
            organisation=f"o{i}",
            languages=("en",),
            experience=[
                "bus park seasonal tickets raised parking revenue",
                "committee clerks trained on evidence",
            ][i % 2],
        )
        for i in range(6)
    ]
    result = match_team(
        peers, "raise parking revenue at the bus park", TeamRules(size=3), encoder=TfidfEncoder()
    )
    assert sorted(result.groups[0].members) == ["p0", "p2", "p4"]
    assert "bus" in result.groups[0].explanation.shared_concepts


def test_infeasible_team_suggests_the_mildest_relaxation() -> None:
    peers = [Peer(f"p{i}", organisation="same", country="KE", languages=("en",)) for i in range(5)]
    rules = TeamRules(size=3, max_per_org=1)
    result = match_team(peers, "x problem", rules, relevance_scores=np.ones(5))
    assert result.groups == ()
    assert result.diagnostics[0].relaxation == {"max_per_org": 3}


def test_pinned_member_is_included() -> None:
    peers = _pool(8, 1)
    rel = np.arange(8, dtype=np.float32)
    result = match_team(
        peers,
        "p",
        TeamRules(size=2, common_language=False, pinned=frozenset({"p0"})),
        relevance_scores=rel,
    )
    assert "p0" in result.groups[0].members


def test_empty_problem_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        match_team([Peer("a")], "  ", TeamRules(size=1))


@pytest.mark.parametrize("seed", range(3))
def test_pruning_on_large_pools_keeps_the_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerlearn.matching import team as team_module

    peers = [
        dataclasses.replace(p, organisation=f"o{i % 60}") for i, p in enumerate(_pool(600, seed))
    ]
    rel = np.random.default_rng(seed).random(len(peers)).astype(np.float32)
    rules = TeamRules(size=5, max_per_org=1, min_countries=3, min_senior=2, max_gender_share=0.6)
    pruned = match_team(peers, "p", rules, relevance_scores=rel)
    monkeypatch.setattr(team_module, "_prune", lambda peers, rel, pool, *rest: pool)
    monkeypatch.setattr(team_module, "_candidates", lambda peers, rel, pool, *rest: pool)
    full = match_team(peers, "p", rules, relevance_scores=rel)
    assert pruned.objective == pytest.approx(full.objective, abs=1e-6)
    assert check_team(peers, pruned.groups[0].members, rules) == []
