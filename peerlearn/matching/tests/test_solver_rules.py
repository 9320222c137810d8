"""The solvers' own reading of the rules against the checkers' (two implementations that
share no code, see test_structure.py): where they disagree, one of them is wrong."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlearn.matching import checks, composition
from peerlearn.matching.groups import search
from peerlearn.matching.groups.pool import make_pool
from peerlearn.matching.groups.solve import block_data, shared_attributes
from peerlearn.matching.types import GroupRules, Peer, index_peers

from .strategies import group_rules, pools

FAST = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FAST
@given(peers=pools(min_size=0, max_size=14))
def test_pool_facts_agree(peers: list[Peer]) -> None:
    assert composition.gender_shares(peers) == checks.gender_shares(peers)
    assert composition.common_languages(peers) == checks.common_languages(peers)


@FAST
@given(
    size=st.integers(1, 30),
    limit=st.floats(0.01, 1.0, allow_nan=False),
    share=st.floats(0.0, 1.0, allow_nan=False),
)
def test_gender_caps_agree(size: int, limit: float, share: float) -> None:
    expected = checks.gender_cap(size, limit, share)
    assert composition.gender_cap(size, limit, share) == expected
    # The search's vectorised caps, for one gender with that pool share.
    peers = [Peer("a", gender="x")]
    pool = make_pool(peers, GroupRules(), {"a": 0})
    block = dataclasses.replace(
        block_data(pool, None, np.zeros((1, 1)), np.arange(1), GroupRules(), {"a": 0}),
        gender_share=np.array([max(limit, share), 1.0]),
        gender_limited=True,
    )
    assert int(search.gender_caps(block, np.array([size]))[0, 0]) == expected


@FAST
@given(data=st.data())
def test_the_search_names_the_rule_the_checker_finds_first(data: st.DataObject) -> None:
    """For random groupings, the rule the search sees broken in each group is the first one
    the checker reports for it (the repairs name it to the user)."""
    peers = data.draw(pools(min_size=2, max_size=16))
    rules = dataclasses.replace(data.draw(group_rules(peers)), pinned=())  # pins span groups
    k = data.draw(st.integers(1, 4))
    assign = np.array(
        data.draw(st.lists(st.integers(0, k - 1), min_size=len(peers), max_size=len(peers))),
        dtype=np.int64,
    )
    index = index_peers(peers)
    idx = np.arange(len(peers), dtype=np.int64)
    pool = make_pool(peers, rules, index)
    block = block_data(
        pool,
        None,
        np.zeros((len(peers), len(peers))),
        idx,
        rules,
        index,
        shared_attributes(peers, idx, rules),
    )
    seen = search.broken_rules(block, assign, k)
    for g in range(k):
        members = [peers[i].id for i in np.flatnonzero(assign == g).tolist()]
        problems = checks.check_groups(peers, [members], rules)
        assert seen[g] == (problems[0].constraint if problems else None), (members, problems)
    # The violation the search minimises is zero exactly where no rule is broken.
    per_group = search.evaluate(block, assign, k)[2]
    assert [bool(v) for v in per_group] == [rule is not None for rule in seen]


def test_peers_without_an_organisation_are_read_alike() -> None:
    """The disagreement this comparison found: the checker once counted every peer without
    an organisation as one organisation, the solvers each as their own."""
    peers = [Peer(f"p{i}", country=c, languages=("en",)) for i, c in enumerate("ABC")]
    rules = GroupRules(min_size=3, max_size=3, max_per_org=1)
    index = index_peers(peers)
    idx = np.arange(3, dtype=np.int64)
    block = block_data(make_pool(peers, rules, index), None, np.zeros((3, 3)), idx, rules, index)
    assert search.broken_rules(block, np.zeros(3, dtype=np.int64), 1) == [None]
    assert checks.check_groups(peers, [["p0", "p1", "p2"]], rules) == []
