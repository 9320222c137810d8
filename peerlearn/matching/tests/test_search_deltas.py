"""The search's vectorised deltas against recomputing the assignment from scratch.

For every swap and move the search scores at once, the change in objective and in total
violation must equal what :func:`search.evaluate` finds after doing that swap or move (a
brute-force oracle: the counters rebuilt, nothing incremental). Deltas count each pair once;
the state's objective counts it in both directions. Group sizes start within the rules, as
the search keeps them (moves that would break them are never offered)."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from peerlearn.matching.groups import search
from peerlearn.matching.groups.pool import make_pool
from peerlearn.matching.groups.solve import block_data, shared_attributes
from peerlearn.matching.types import Peer, index_peers

from .strategies import group_rules, pools

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _total(block: search.Block, assign: np.ndarray, k: int, has_bin: bool) -> tuple[float, int]:
    st_ = search._State(block, assign, k, has_bin)
    return st_.objective(), int(st_.group_violation(block).sum())


@FAST
@given(data=st.data())
def test_swap_and_move_deltas_match_recomputation(data: st.DataObject) -> None:
    peers: list[Peer] = data.draw(pools(min_size=3, max_size=14))
    rules = dataclasses.replace(data.draw(group_rules(peers)), pinned=())
    n = len(peers)
    k = data.draw(st.integers(1, max(1, n // rules.min_size)))
    left_out = data.draw(st.integers(0, n - k * rules.min_size)) if n >= k * rules.min_size else 0
    sizes = search.balanced_sizes(n - left_out, k)
    assume(bool((sizes >= rules.min_size).all() and (sizes <= rules.max_size).all()))
    has_bin = left_out > 0
    top = k + int(has_bin)
    slots = np.concatenate([np.repeat(np.arange(k), sizes), np.full(left_out, k)])
    assign = np.asarray(data.draw(st.permutations(slots.tolist())), dtype=np.int64)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    w = rng.random((n, n))
    w = (w + w.T) / 2
    np.fill_diagonal(w, 0.0)
    index = index_peers(peers)
    idx = np.arange(n, dtype=np.int64)
    pool = make_pool(peers, rules, index)
    block = block_data(pool, None, w, idx, rules, index, shared_attributes(peers, idx, rules))
    state = search._State(block, assign, k, has_bin)
    base_obj, base_vio = _total(block, assign, k, has_bin)

    s_obj, s_vio = search._swap_deltas(block, state)
    for i in range(n):
        for j in range(n):
            if not np.isfinite(s_vio[i, j]):
                assert assign[i] == assign[j] or block.frozen[i] or block.frozen[j]
                continue
            swapped = assign.copy()
            swapped[i], swapped[j] = assign[j], assign[i]
            obj, vio = _total(block, swapped, k, has_bin)
            assert np.isclose(s_obj[i, j], (obj - base_obj) / 2), (i, j)
            assert s_vio[i, j] == vio - base_vio, (i, j)

    m_obj, m_vio = search._move_deltas(block, state)
    for i in range(n):
        for g in range(top):
            if not np.isfinite(m_vio[i, g]):
                continue
            moved = assign.copy()
            moved[i] = g
            obj, vio = _total(block, moved, k, has_bin)
            assert np.isclose(m_obj[i, g], (obj - base_obj) / 2), (i, g)
            assert m_vio[i, g] == vio - base_vio, (i, g)
