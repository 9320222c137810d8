"""The iterated tabu search of the pure grouping problem: valid groupings, optimal on
instances small enough for the brute-force oracle, stops when told, same result per seed."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from peerlearn.matching import check_groups, group_by_weights
from peerlearn.matching.groups import TABU_STARTS, tabu
from peerlearn.matching.groups.pool import make_pool
from peerlearn.matching.groups.search import solve_block
from peerlearn.matching.groups.solve import block_data
from peerlearn.matching.tests.brute import best_groups
from peerlearn.matching.types import GroupRules, Peer, index_peers


def random_weights(n: int, seed: int) -> NDArray[np.float64]:
    w = np.random.default_rng(seed).integers(0, 100, size=(n, n)).astype(float)
    w = w + w.T
    np.fill_diagonal(w, 0.0)
    return w


def start(n: int, k: int, seed: int) -> NDArray[np.int64]:
    """A random grouping of n into k groups whose sizes differ by at most one."""
    return np.random.default_rng(seed).permutation(np.arange(n) % k).astype(np.int64)


def never() -> bool:
    return False


def violations(assign: NDArray[np.int64], k: int, min_size: int, max_size: int) -> list[object]:
    """What the library's checker finds wrong with ``assign`` as groups of peers without
    attributes, under the size rule only."""
    peers = [Peer(str(i)) for i in range(assign.size)]
    groups = [[str(i) for i in np.flatnonzero(assign == g)] for g in range(k)]
    rules = GroupRules(min_size=min_size, max_size=max_size, common_language=False)
    return list(check_groups(peers, groups, rules))


@pytest.mark.parametrize(("n", "k"), [(30, 5), (32, 5), (41, 4)])
def test_groupings_stay_valid_and_never_get_worse(n: int, k: int) -> None:
    w = random_weights(n, n)
    a0 = start(n, k, 1)
    lo, hi = n // k, -(-n // k)
    out = tabu.iterated_tabu(w, a0, k, lo, hi, never, np.random.default_rng(2), max_steps=1500)
    assert sorted(np.bincount(out.assign, minlength=k)) == sorted(np.bincount(a0, minlength=k))
    assert violations(out.assign, k, lo, hi) == []
    assert out.objective == pytest.approx(tabu.objective(w, out.assign, k))
    assert out.objective >= tabu.objective(w, a0, k)
    assert out.kicks > 0  # stalls were met, and the perturbed groupings stayed valid too


@pytest.mark.parametrize(("n", "k", "seed"), [(8, 2, 0), (8, 4, 1), (7, 2, 2), (8, 3, 3)])
def test_reaches_the_brute_force_optimum(n: int, k: int, seed: int) -> None:
    w = random_weights(n, 10 + seed)
    lo, hi = n // k, -(-n // k)
    peers = [Peer(str(i)) for i in range(n)]
    oracle = best_groups(peers, w, GroupRules(min_size=lo, max_size=hi, common_language=False))
    assert oracle is not None and oracle[0] == n
    a0 = start(n, k, seed)
    out = tabu.iterated_tabu(w, a0, k, lo, hi, never, np.random.default_rng(seed), max_steps=400)
    # The oracle counts ordered pairs, the search unordered ones.
    assert 2 * out.objective == pytest.approx(oracle[1])
    assert violations(out.assign, k, lo, hi) == []


def test_stops_when_the_stop_test_says_so() -> None:
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 7

    w = random_weights(40, 5)
    out = tabu.iterated_tabu(w, start(40, 4, 0), 4, 10, 10, stop, np.random.default_rng(0))
    assert out.steps == 7
    assert len(asked) == 8


def test_a_deadline_read_from_an_injected_clock_stops_the_search() -> None:
    ticks = iter(range(100))
    stop = tabu.time_up(12.0, clock=lambda: float(next(ticks)))
    w = random_weights(40, 6)
    out = tabu.iterated_tabu(w, start(40, 4, 0), 4, 10, 10, stop, np.random.default_rng(0))
    assert out.steps == 13  # the clock reads 0..12 while the search runs; 13 ends it


def test_a_deadline_already_passed_returns_the_start() -> None:
    w = random_weights(20, 7)
    a0 = start(20, 4, 0)
    out = tabu.iterated_tabu(w, a0, 4, 5, 5, lambda: True, np.random.default_rng(0))
    assert out.steps == 0 and np.array_equal(out.assign, a0)


def test_same_seed_same_grouping() -> None:
    w = random_weights(50, 8)
    a0 = start(50, 5, 0)
    runs = [
        tabu.iterated_tabu(w, a0, 5, 10, 10, never, np.random.default_rng(3), max_steps=700)
        for _ in range(2)
    ]
    assert np.array_equal(runs[0].assign, runs[1].assign)
    assert runs[0].objective == runs[1].objective


def test_group_by_weights_without_a_limit_is_deterministic_and_beats_its_local_search() -> None:
    n, k = 60, 6
    w = random_weights(n, 9)
    ids = [str(i) for i in range(n)]
    first = group_by_weights(ids, w, k, seed=4)
    again = group_by_weights(ids, w, k, seed=4)
    assert first.member_lists() == again.member_lists()
    assert first.solver == "assignment+local-search+iterated-tabu"
    assert sorted(len(g) for g in first.member_lists()) == [10] * k
    # The tabu search starts from the local search's best (same seed, same starts), so it
    # is never worse than that local search alone.
    rng = np.random.default_rng(4)
    sizes = np.full(k, n // k)
    peers = [Peer(i) for i in ids]
    rules = GroupRules(min_size=10, max_size=10, common_language=False)
    pool = make_pool(peers, rules, index_peers(peers))
    block = block_data(pool, None, w, np.arange(n), rules, index_peers(peers))
    _, local, _ = solve_block(block, sizes, None, [], float("inf"), TABU_STARTS, rng)
    assert first.objective >= 2 * local - 1e-6
