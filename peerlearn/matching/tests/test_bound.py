"""The bound within blocks that large groupings report beside the gap."""

from __future__ import annotations

import numpy as np

from peerlearn.matching import GroupRules, Peer, match_groups
from peerlearn.matching.features import profiles_from_vectors


def _pool(n: int, seed: int = 0) -> tuple[list[Peer], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(12, 16))
    topic = rng.integers(0, 12, size=n)
    c = centres[topic] + 0.5 * rng.normal(size=(n, 16))
    e = centres[topic] + 0.5 * rng.normal(size=(n, 16))
    peers = [
        Peer(
            f"p{i}",
            organisation=f"o{i // 3}",
            country=("KE", "UG", "TZ", "RW")[i % 4],
            languages=("en",),
        )
        for i in range(n)
    ]
    return peers, c, e


def test_large_groupings_report_the_bound_within_blocks() -> None:
    peers, c, e = _pool(600)
    prof = profiles_from_vectors(peers, c, e)
    rules = GroupRules(min_size=10, max_size=12, max_per_org=2, min_countries=3)
    res = match_groups(peers, rules, profiles=prof, explain=False, exact_bound_limit=100)
    assert res.block_bound is not None and res.bound is not None
    # Only partners inside a peer's own block: never more than the bound over everyone,
    # and every group the blocks' search formed fits under it.
    assert res.objective <= res.block_bound + 1e-6 <= res.bound + 2e-6
    assert res.block_gap is not None and res.gap is not None
    assert 0 <= res.block_gap <= res.gap
    assert res.to_json()["block_gap"] == round(res.block_gap, 6)


def test_small_groupings_have_the_exact_bound_and_no_block_bound() -> None:
    peers, c, e = _pool(120)
    prof = profiles_from_vectors(peers, c, e)
    res = match_groups(peers, GroupRules(min_size=10, max_size=12), profiles=prof, explain=False)
    assert res.block_bound is None and res.block_gap is None
    assert "block_gap" not in res.to_json()
