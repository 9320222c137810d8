from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from peerlearn.matching import group_by_weights
from peerlearn.matching.io import read_weights

DATA = Path(__file__).parent / "data"


def test_published_instance_is_solved_to_its_proven_optimum() -> None:
    ids, w = read_weights(DATA / "RanInt_n010_ss_10.csv")
    result = group_by_weights(ids, w, 2)
    assert result.objective == pytest.approx(2224)
    assert result.optimal and result.gap == pytest.approx(0, abs=1e-9)
    assert sorted(len(g.members) for g in result.groups) == [5, 5]


def test_heuristic_alone_reaches_2224() -> None:
    ids, w = read_weights(DATA / "RanInt_n010_ss_10.csv")
    result = group_by_weights(ids, w, 2, exact_limit=0)
    assert result.objective == pytest.approx(2224)
    assert not result.optimal


@pytest.mark.parametrize("seed", range(4))
def test_random_matrices_match_exhaustive_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, g = 9, 3
    w = rng.integers(-20, 100, size=(n, n)).astype(float)
    w = w + w.T
    best = -np.inf
    for perm in itertools.permutations(range(n)):
        if perm[0] != 0:
            break
        groups = [perm[i : i + 3] for i in range(0, n, 3)]
        value = sum(w[np.ix_(x, x)].sum() - np.trace(w[np.ix_(x, x)]) for x in groups)
        best = max(best, value)
    result = group_by_weights([str(i) for i in range(n)], w, g)
    assert result.objective == pytest.approx(best)
    assert result.optimal


def test_asymmetric_weights_count_both_directions() -> None:
    w = np.array([[0, 10, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 5, 0]], dtype=float)
    result = group_by_weights(list("abcd"), w, 2)
    assert result.objective == pytest.approx(16)


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError):
        group_by_weights(["a", "b"], np.zeros((3, 3)), 1)
    with pytest.raises(ValueError):
        group_by_weights(["a", "b"], np.zeros((2, 2)), 3)
