"""The blocking cuts every compartment into blocks of about BLOCK_GROUPS groups that each
meet the counting conditions, even when the similarity order gathers an organisation."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from peerlearn.matching.groups.blocking import (
    BLOCK_GROUPS,
    proportional_take,
    split_blocks,
    tree_order,
)
from peerlearn.matching.groups.compartments import counting_ok
from peerlearn.matching.groups.pool import make_pool
from peerlearn.matching.types import GroupRules, Peer, index_peers

RULES = GroupRules(min_size=10, max_size=12, max_per_org=2, min_countries=3)


def _gathered_pool() -> list[Peer]:
    """288 peers (24 groups of 12) whose similarity order starts with the 41 peers of one
    organisation, followed by 41 other peers of its country, then three other countries.

    Cutting along the order puts the whole organisation in the first half (41 peers where
    12 groups take at most 24); taking each country's share along the order does the same;
    and shares of every organisation, most of them a single peer, do not add up to a half.
    """
    peers = [Peer(id=f"a{i:02d}", organisation="Agency", country="FR") for i in range(41)]
    peers += [Peer(id=f"f{i:02d}", organisation=f"Office {i}", country="FR") for i in range(41)]
    peers += [
        Peer(id=f"o{i:03d}", organisation=f"Ministry {i}", country=("BE", "CH", "LU")[i % 3])
        for i in range(206)
    ]
    return peers


def _blocks(peers: list[Peer], rules: GroupRules, k: int) -> list[tuple[np.ndarray, int]]:
    pool = make_pool(peers, rules, index_peers(peers))
    idx = np.arange(len(peers), dtype=np.int64)
    assert counting_ok(pool, idx, k, rules) is None
    rank = np.arange(len(peers), dtype=np.float64)  # the order the peers are listed in
    blocks = split_blocks(pool, idx, k, rank, rules)
    for members, groups in blocks:
        assert counting_ok(pool, members, groups, rules) is None
    placed = np.sort(np.concatenate([members for members, _ in blocks]))
    assert placed.tolist() == idx.tolist(), "every peer is in exactly one block"
    assert sum(groups for _, groups in blocks) == k
    return blocks


def test_an_organisation_gathered_by_the_order_is_shared_between_blocks() -> None:
    peers = _gathered_pool()
    blocks = _blocks(peers, RULES, 24)
    assert [groups for _, groups in blocks] == [BLOCK_GROUPS, BLOCK_GROUPS]
    agency = [sum(peers[i].organisation == "Agency" for i in members) for members, _ in blocks]
    assert sorted(agency) == [20, 21]


def test_a_pinned_set_stays_in_one_block_when_the_split_is_stratified() -> None:
    peers = _gathered_pool()
    rules = GroupRules(
        min_size=10,
        max_size=12,
        max_per_org=2,
        min_countries=3,
        pinned=(frozenset({"a00", "o205"}), frozenset({"a40", "f00", "o000"})),
    )
    blocks = _blocks(peers, rules, 24)
    assert len(blocks) == 2
    where = {peers[i].id: b for b, (members, _) in enumerate(blocks) for i in members}
    assert where["a00"] == where["o205"]
    assert where["a40"] == where["f00"] == where["o000"]


def test_a_large_compartment_ends_in_blocks_of_block_groups() -> None:
    # Ten copies of the gathered pool one after the other: 240 groups.
    peers = [
        Peer(id=f"{c}-{p.id}", organisation=f"{c}-{p.organisation}", country=p.country)
        for c in range(10)
        for p in _gathered_pool()
    ]
    blocks = _blocks(peers, RULES, 240)
    assert max(groups for _, groups in blocks) <= BLOCK_GROUPS


@settings(max_examples=80, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=12),
    share=st.floats(min_value=0.0, max_value=1.0),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_proportional_take_gives_each_stratum_its_share(
    counts: list[int], share: float, seed: int
) -> None:
    strata = np.repeat(np.arange(len(counts)), counts)
    rng = np.random.default_rng(seed)
    strata = strata[rng.permutation(strata.size)]
    order = rng.random(strata.size)
    take = round(share * strata.size)
    mask = proportional_take(strata, order, np.zeros(strata.size, dtype=np.int64), take)
    assert int(mask.sum()) == take
    for s, count in enumerate(counts):
        mine = strata == s
        assert abs(int(mask[mine].sum()) - count * take / strata.size) < 1
        # Within a stratum, the earliest along the order are taken.
        if mask[mine].any() and (~mask[mine]).any():
            assert order[mine & mask].max() < order[mine & ~mask].min()


def test_the_similarity_order_keeps_many_small_topics_together() -> None:
    # 60,000 peers in 1,000 topics of about 60, as in a large call for peers: every topic
    # must be in the first level's sample, or its peers scatter over the whole order.
    rng = np.random.default_rng(0)
    n, topics, dim = 60_000, 1_000, 64
    centres = rng.standard_normal((topics, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    topic = rng.integers(topics, size=n)
    noise = rng.standard_normal((n, dim), dtype=np.float32) * np.float32(0.9 / np.sqrt(dim))
    zs = centres[topic] + noise
    zs /= np.linalg.norm(zs, axis=1, keepdims=True)
    in_order = topic[np.argsort(tree_order(zs, np.random.default_rng(1)), kind="stable")]
    # Share of peers whose next 1..5 neighbours in the order share their topic (0.5 with a
    # first level of 64 clusters fitted on 2,048 rows; 0.001 for a random order).
    same = np.mean([np.mean(in_order[w:] == in_order[:-w]) for w in range(1, 6)])
    assert same > 0.85
