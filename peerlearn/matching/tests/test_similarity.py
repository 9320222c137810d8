"""The peer vector similarity: its properties, and that the grouping engine scores with it."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

from peerlearn.matching import GroupRules, Peer, ScoreWeights, check_groups, match_groups
from peerlearn.matching.features import (
    build_profiles,
    group_weights,
    grouping_profiles,
    pair_scores,
    pairing_profiles,
    profiles_from_vectors,
)
from peerlearn.matching.methods import WEIGHT_NAMES, method_weights
from peerlearn.matching.similarity import (
    CENTRE_SHRINK,
    EXPERIENCE_SCALE,
    centred,
    peer_vectors,
    zero_blank,
)


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    x = rng.normal(size=(n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _peers(n: int) -> list[Peer]:
    return [
        Peer(
            f"p{i}",
            organisation=f"o{i}",
            country="KE" if i % 2 else "UG",
            languages=("en",),
            challenge=f"challenge {i}",
            experience=f"experience {i}" if i % 3 else "",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("weights", [(1.0, 1.0), (1.0, 0.0), (0.25, 1.0), (2.0, 0.5)])
def test_peer_vectors_are_unit_rows_whose_cosine_is_symmetric_and_at_most_one(
    weights: tuple[float, float],
) -> None:
    rng = np.random.default_rng(0)
    c, e = _unit(rng, 20, 8), _unit(rng, 20, 8)
    e[::4] = 0.0  # peers without an experience
    u = peer_vectors(c, e, *weights)
    assert np.allclose(np.linalg.norm(u, axis=1), 1.0, atol=1e-5)
    sim = u @ u.T
    assert np.allclose(sim, sim.T)
    assert sim.max() <= 1.0 + 1e-5
    assert np.allclose(np.diag(sim), 1.0, atol=1e-5)


def test_peer_vector_is_the_weighted_sum_of_the_two_texts() -> None:
    rng = np.random.default_rng(1)
    c, e = _unit(rng, 5, 6), _unit(rng, 5, 6)
    u = peer_vectors(c, e, 0.25, 1.0)
    expected = 0.5 * c + EXPERIENCE_SCALE * e
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(u, expected, atol=1e-6)
    assert np.allclose(peer_vectors(c, np.zeros_like(e)), c, atol=1e-6)
    assert not np.any(peer_vectors(np.zeros((2, 3)), np.zeros((2, 3))))


def test_blank_texts_get_zero_vectors_and_the_input_is_left_alone() -> None:
    vectors = np.ones((3, 2))
    out = zero_blank(vectors, ["audit", " \n", ""])
    assert out.tolist() == [[1.0, 1.0], [0.0, 0.0], [0.0, 0.0]]
    assert vectors.tolist() == [[1.0, 1.0]] * 3
    assert zero_blank(vectors, ["a", "b", "c"]) is vectors


class _EmptyIsAVector:
    """Like a sentence model: the empty string gets a vector like any other text."""

    name = "fixed"
    cacheable = True

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.array([[1.0, float(len(t))] for t in texts], dtype=np.float32)


def test_encoded_profiles_give_a_peer_without_experience_no_experience_vector() -> None:
    peers = _peers(6)
    prof = build_profiles(peers, _EmptyIsAVector())
    blank = [i for i, p in enumerate(peers) if not p.experience]
    assert blank and not np.any(prof.experience[blank])
    others = [i for i in range(6) if i not in blank]
    assert np.allclose(np.linalg.norm(prof.experience[others], axis=1), 1.0)
    # Vectors computed elsewhere are taken as given.
    given = profiles_from_vectors(peers, np.ones((6, 2)), np.ones((6, 2)))
    assert np.allclose(np.linalg.norm(given.experience, axis=1), 1.0)


def test_group_weights_are_the_peer_vectors_cosines_under_the_peer_vector_similarity() -> None:
    rng = np.random.default_rng(3)
    peers = _peers(9)
    c, e = _unit(rng, 9, 5), _unit(rng, 9, 5)
    prof = profiles_from_vectors(peers, c, e, ScoreWeights(theme=0.0))
    u = peer_vectors(prof.challenge, prof.experience)
    expected = (u @ u.T).astype(np.float64)
    np.fill_diagonal(expected, 0.0)
    assert np.allclose(group_weights(grouping_profiles(prof)), expected, atol=1e-5)
    assert np.allclose(group_weights(prof), expected, atol=1e-5)
    idx = np.array([4, 0, 7])
    assert np.allclose(
        group_weights(grouping_profiles(prof), idx), expected[np.ix_(idx, idx)], atol=1e-5
    )
    texts = dataclasses.replace(prof, weights=ScoreWeights(theme=0.0, peer_vector=False))
    assert grouping_profiles(texts) is texts


def test_a_per_peer_shift_never_changes_which_partition_is_best() -> None:
    # Why CSLS-style normalisation is not used for groups of equal size: each peer's shift
    # is counted size - 1 times whatever group it lands in.
    rng = np.random.default_rng(4)
    w = rng.random((6, 6))
    w = w + w.T
    r = rng.random(6)
    shifted = w - r[:, None] / 2 - r[None, :] / 2
    gaps = set()
    for first in itertools.combinations(range(1, 6), 2):
        groups = [(0, *first), tuple(i for i in range(1, 6) if i not in first)]
        total = sum(w[a, b] - shifted[a, b] for g in groups for a in g for b in g if a != b)
        gaps.add(round(float(total), 9))
    assert gaps == {round(float(2 * r.sum()), 9)}


def test_methods_choose_the_similarity_and_facilitators_cannot_override_it() -> None:
    assert "peer_vector" not in WEIGHT_NAMES
    assert method_weights("common_challenges").peer_vector
    assert method_weights("same_stage").peer_vector
    assert not method_weights("complementary").peer_vector
    assert method_weights("common_challenges", {"complementary": 0.5}).peer_vector
    with pytest.raises(ValueError, match="unknown weight"):
        method_weights("complementary", {"peer_vector": 1.0})


@pytest.mark.parametrize("bound_limit", [10_000, 0])
def test_grouping_with_peer_vectors_is_valid_explained_and_bounded(bound_limit: int) -> None:
    rng = np.random.default_rng(5)
    peers = _peers(24)
    prof = profiles_from_vectors(peers, _unit(rng, 24, 6), _unit(rng, 24, 6), ScoreWeights())
    rules = GroupRules(min_size=4, max_size=4, min_countries=2)
    res = match_groups(
        peers, rules, profiles=prof, exact_bound_limit=bound_limit, time_limit=5.0, seed=1
    )
    assert check_groups(peers, res.member_lists(), rules) == []
    assert all(g.explanation is not None for g in res.groups)
    w = group_weights(grouping_profiles(prof))
    pos = {p.id: i for i, p in enumerate(peers)}
    recomputed = sum(
        float(w[np.ix_(ix, ix)].sum()) for ix in ([pos[m] for m in g.members] for g in res.groups)
    )
    assert res.objective == pytest.approx(recomputed, rel=1e-6)
    assert res.bound is not None and res.bound >= res.objective - 1e-6


def test_centred_removes_the_shrunk_mean_and_keeps_blank_rows_zero() -> None:
    rng = np.random.default_rng(4)
    shared = np.ones(16) * 2.0
    x = _unit(rng, 30, 16) + shared
    x[[3, 7]] = 0.0
    out = centred(x)
    assert np.allclose(out[[3, 7]], 0.0)
    filled = np.delete(np.arange(30), [3, 7])
    assert np.allclose(np.linalg.norm(out[filled], axis=1), 1.0, atol=1e-6)
    keep = 28 / (28 + CENTRE_SHRINK)
    expected = x[filled] - keep * x[filled].mean(axis=0)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(out[filled], expected, atol=1e-6)
    # The shared direction dominated every cosine; without it the rows are near orthogonal.
    off = ~np.eye(28, dtype=bool)
    raw = x[filled] / np.linalg.norm(x[filled], axis=1, keepdims=True)
    full = centred(x, shrink=0.0)[filled]
    assert (raw @ raw.T)[off].mean() > 0.9
    assert (out[filled] @ out[filled].T)[off].mean() < 0.7
    assert abs((full @ full.T)[off].mean()) < 0.1


def test_centred_keeps_a_lone_text_pointing_the_same_way() -> None:
    x = np.array([[0.6, 0.8, 0.0]])
    assert np.allclose(centred(x), x, atol=1e-6)
    assert np.allclose(centred(np.zeros((2, 3))), 0.0)


def test_pairs_score_the_centred_sides_and_leave_other_rows() -> None:
    rng = np.random.default_rng(5)
    peers = [Peer(f"p{i}", challenge="c", experience="e") for i in range(8)]
    c, e = _unit(rng, 8, 6) + 1.0, _unit(rng, 8, 6) + 1.0
    prof = profiles_from_vectors(peers, c, e, ScoreWeights(theme=0.0))
    seekers, providers = np.arange(5), np.arange(3, 8)
    fair = pairing_profiles(prof, seekers, providers)
    assert np.allclose(fair.challenge[seekers], centred(prof.challenge[seekers]), atol=1e-6)
    assert np.allclose(fair.experience[providers], centred(prof.experience[providers]), atol=1e-6)
    assert np.array_equal(fair.challenge[5:], prof.challenge[5:])
    assert np.array_equal(fair.experience[:3], prof.experience[:3])
    expected = centred(prof.challenge[seekers]) @ centred(prof.experience[providers]).T
    assert np.allclose(pair_scores(fair, seekers, providers), expected, atol=1e-5)
