from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlearn.matching import check_pairs, match_pairs, pairs
from peerlearn.matching.encoders import TfidfEncoder
from peerlearn.matching.features import pair_scores, pairing_profiles
from peerlearn.matching.types import PairRules, Peer

from .conftest import random_profiles
from .strategies import pair_rules, pools


def _assert_sound(peers: list[Peer], rules: PairRules, result) -> None:  # type: ignore[no-untyped-def]
    assert check_pairs(peers, result.pair_list(), rules) == []
    placed = {pid for g in result.groups for pid in g.members}
    out = {u.id for u in result.unmatched}
    assert not out & placed
    assert out | placed == {p.id for p in peers}
    assert all(u.reason for u in result.unmatched)
    for g in result.groups:
        assert g.members == (g.seeker, g.provider)
    assert result.objective <= (result.bound or 0) + 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_pairs_always_pass_the_checker(data: st.DataObject) -> None:
    peers = data.draw(pools(max_size=30))
    rules = data.draw(pair_rules(peers))
    result = match_pairs(peers, rules, profiles=random_profiles(peers, len(peers)), explain=False)
    _assert_sound(peers, rules, result)


def _brute(peers: list[Peer], rules: PairRules, scores: np.ndarray) -> tuple[int, float]:
    seekers = [i for i, p in enumerate(peers) if p.seeks]
    providers = [i for i, p in enumerate(peers) if p.provides]
    best = (0, 0.0)
    options = [None, *providers]
    for choice in itertools.product(options, repeat=len(seekers)):
        pairs_ = [
            (peers[s].id, peers[p].id)
            for s, p in zip(seekers, choice, strict=True)
            if p is not None
        ]
        if check_pairs(peers, pairs_, rules):
            continue
        value = sum(scores[s, p] for s, p in zip(seekers, choice, strict=True) if p is not None)
        best = max(best, (len(pairs_), float(value)))
    return best


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_dense_pairing_is_optimal_against_brute_force(data: st.DataObject) -> None:
    peers = data.draw(pools(min_size=2, max_size=6))
    rules = data.draw(pair_rules(peers))
    prof = random_profiles(peers, 5)
    idx = np.arange(len(peers))
    seekers = np.array([i for i, p in enumerate(peers) if p.seeks], dtype=np.int64)
    providers = np.array([i for i, p in enumerate(peers) if p.provides], dtype=np.int64)
    # The solver scores pairs on the centred profiles (features.pairing_profiles).
    scores = pair_scores(pairing_profiles(prof, seekers, providers), idx, idx)
    result = match_pairs(peers, rules, profiles=prof, explain=False)
    count, value = _brute(peers, rules, scores)
    assert result.optimal
    assert len(result.groups) == count
    assert result.objective == pytest.approx(value, abs=1e-4)


def test_sparse_path_stays_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairs, "DENSE_LIMIT", 10)
    rng = np.random.default_rng(0)
    peers = [
        Peer(
            f"p{i}",
            organisation=f"o{i % 17}",
            languages=(("en",), ("fr",))[i % 2],
            role=("seeker", "provider")[int(rng.integers(2))],
        )
        for i in range(300)
    ]
    rules = PairRules(provider_capacity=2)
    result = match_pairs(peers, rules, profiles=random_profiles(peers, 1, dim=16), explain=False)
    assert not result.optimal
    _assert_sound(peers, rules, result)
    seekers = sum(p.seeks for p in peers)
    assert len(result.groups) >= 0.9 * seekers


def test_provider_answers_the_matching_challenge() -> None:
    peers = [
        Peer(
            "s1",
            role="seeker",
            organisation="A",
            languages=("en",),
            challenge="ghost workers on the civil service payroll",
        ),
        Peer(
            "s2",
            role="seeker",
            organisation="B",
            languages=("en",),
            challenge="market fee collection leaks cash",
        ),
        Peer(
            "p1",
            role="provider",
            organisation="C",
            languages=("en",),
            experience="biometric payroll headcount removed ghost workers",
        ),
        Peer(
            "p2",
            role="provider",
            organisation="D",
            languages=("en",),
            experience="cashless market fee collection by mobile money",
        ),
    ]
    result = match_pairs(peers, encoder=TfidfEncoder())
    assert sorted(result.pair_list()) == [("s1", "p1"), ("s2", "p2")]
    expl = result.groups[0].explanation
    assert "answers" in expl.reasons[0].text
    assert expl.reasons[0].code == "reason.experience_answers"
    assert {expl.reasons[0].params["seeker"], expl.reasons[0].params["provider"]} == {"s1", "p1"}


def test_unmatched_seekers_say_why() -> None:
    peers = [
        Peer("s1", role="seeker", organisation="A", languages=("ru",)),
        Peer("s2", role="seeker", organisation="B", languages=("en",)),
        Peer("s3", role="seeker", organisation="C", languages=("en",)),
        Peer("p1", role="provider", organisation="D", languages=("en",)),
    ]
    result = match_pairs(peers, profiles=random_profiles(peers, 0), explain=False)
    reasons = {u.id: u.reason for u in result.unmatched}
    assert "language" in reasons["s1"].text
    assert reasons["s1"].code == "unmatched.no_provider_language"
    at_capacity = next(r for k, r in reasons.items() if k in {"s2", "s3"})
    assert at_capacity.text == "every provider who could help is at capacity (1 seeker each)"
    assert any(d.relaxation == {"provider_capacity": 2} for d in result.diagnostics)


def test_pinned_pairs_are_kept() -> None:
    peers = [
        Peer("s1", role="seeker", organisation="A", languages=("en",)),
        Peer("p1", role="provider", organisation="B", languages=("en",)),
        Peer("p2", role="provider", organisation="C", languages=("en",)),
    ]
    rules = PairRules(pinned=(("s1", "p2"),))
    result = match_pairs(peers, rules, profiles=random_profiles(peers, 0), explain=False)
    assert result.pair_list() == [("s1", "p2")]
    assert check_pairs(peers, result.pair_list(), rules) == []
