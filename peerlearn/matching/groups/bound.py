"""The upper bound: each peer with their best possible partners under the rules.

It tells how far a grouping can be from the optimum (the gap in every result).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from peerlearn.matching.features import Profiles
from peerlearn.matching.groups.blocking import Leaf
from peerlearn.matching.groups.pool import IntArray
from peerlearn.matching.types import GroupRules, Peer

#: Up to this many peers the bound uses every peer's exact best partners.
EXACT_BOUND_LIMIT = 8000
#: Coarse clusters summarising far-away partners in the bound beyond EXACT_BOUND_LIMIT.
BOUND_CLUSTERS = 64
_NONE = np.zeros(0, np.int64)


def upper_bound(
    prof: Profiles | None,
    weights: NDArray[np.float64] | None,
    peers: Sequence[Peer],
    rules: GroupRules,
    index: dict[str, int],
    leaves: list[Leaf],
    exact_limit: int = EXACT_BOUND_LIMIT,
) -> float:
    """Upper bound on the ordered-pair objective (see :func:`upper_bounds`)."""
    return upper_bounds(prof, weights, peers, rules, index, leaves, exact_limit)[0]


def upper_bounds(
    prof: Profiles | None,
    weights: NDArray[np.float64] | None,
    peers: Sequence[Peer],
    rules: GroupRules,
    index: dict[str, int],
    leaves: list[Leaf],
    exact_limit: int = EXACT_BOUND_LIMIT,
) -> tuple[float, float | None]:
    """Upper bound on the ordered-pair objective: each peer with its best possible partners;
    and, beyond ``exact_limit`` peers, the bound within blocks.

    Up to ``exact_limit`` peers every allowed partner is scored; beyond, partners in the
    peer's own block are scored exactly and every other block contributes, per partner,
    the Cauchy-Schwarz bound u_i . centre + |u_i| * radius: valid but looser. The bound
    within blocks counts only each peer's best partners inside its own block: not a bound
    on the optimum, but on any grouping that keeps to the blocks, so its gap says how close
    the search came inside them (the second value; None up to ``exact_limit`` peers).
    """
    n = len(peers)
    slots = rules.max_size - 1
    if n == 0:
        return 0.0, None
    lang_mask = _language_masks(peers) if rules.common_language else None
    stage = np.array([p.reform_stage for p in peers])
    excluded: dict[int, list[int]] = defaultdict(list)
    for pair in rules.excluded:
        a, b = (index.get(p) for p in pair)
        if a is not None and b is not None:
            excluded[a].append(b)
            excluded[b].append(a)

    def compatible(rows: IntArray, cols: IntArray) -> NDArray[np.bool_]:
        ok = rows[:, None] != cols[None, :]
        if lang_mask is not None:
            ok &= (lang_mask[rows][:, None] & lang_mask[cols][None, :]) != 0
        if rules.same_stage:
            ok &= stage[rows][:, None] == stage[cols][None, :]
        return np.asarray(ok, dtype=bool)

    everyone = np.arange(n)
    total = 0.0
    if weights is not None or n <= exact_limit:
        for start in range(0, n, 1024):
            rows = everyone[start : start + 1024]
            if weights is not None:
                w = np.asarray(weights[rows], dtype=np.float64).copy()
            else:
                assert prof is not None
                w = _cross_weights(prof, rows, everyone)
            w[~compatible(rows, everyone)] = 0.0
            for r, i in enumerate(rows.tolist()):
                if excluded.get(i):
                    w[r, excluded[i]] = 0.0
            total += float(_top_mixed(w, np.zeros((rows.size, 0)), _NONE, slots).sum())
        return total, None
    assert prof is not None
    wt = prof.weights
    a2, b2 = wt.challenge, wt.complementary / 2
    c, e, s = prof.challenge, prof.experience, prof.structured
    # Partners j are summarised per block by the centre and radius of v_j, where
    # w(i, j) = u_i . v_j with u = (sqrt(a) c, sqrt(b) c, sqrt(b) e, s) and
    # v = (sqrt(a) c, sqrt(b) e, sqrt(b) c, s); u and v are never materialised.
    # Consecutive leaves are neighbours in the bisection tree: a fixed number of coarse
    # clusters of them keeps this step linear in n. A peer's own cluster is counted whole
    # (its own leaf included) on top of the exact scores of its leaf: an over-count, so
    # still valid.
    target = max(1, n // BOUND_CLUSTERS)
    cluster_of = np.zeros(len(leaves), dtype=np.int64)
    clusters: list[list[IntArray]] = [[]]
    filled = 0
    for b, leaf in enumerate(leaves):
        if filled >= target:
            clusters.append([])
            filled = 0
        clusters[-1].append(leaf.idx)
        filled += leaf.idx.size
        cluster_of[b] = len(clusters) - 1
    members = [np.concatenate(parts) for parts in clusters]
    mc = np.stack([c[m].mean(axis=0) for m in members])
    me = np.stack([e[m].mean(axis=0) for m in members])
    ms = np.stack([s[m].mean(axis=0) for m in members])
    radius = np.empty(len(members))
    for q, m in enumerate(members):
        dc = ((c[m] - mc[q]) ** 2).sum(axis=1)
        de = ((e[m] - me[q]) ** 2).sum(axis=1)
        ds = ((s[m] - ms[q]) ** 2).sum(axis=1)
        radius[q] = float(np.sqrt(((a2 + b2) * dc + b2 * de + ds).max()))
    counts = np.array([m.size for m in members], dtype=np.int64)
    # einsum reads each matrix once without a full-size temporary (c ** 2 would be a fresh
    # 150 MB allocation at 100,000 peers).
    norm_u = np.sqrt(
        (a2 + b2) * np.einsum("ij,ij->i", c, c)
        + b2 * np.einsum("ij,ij->i", e, e)
        + np.einsum("ij,ij->i", s, s)
    )

    def block_bounds(rows: IntArray) -> NDArray[np.float64]:
        ub = a2 * (c[rows] @ mc.T) + b2 * (c[rows] @ me.T) + b2 * (e[rows] @ mc.T) + s[rows] @ ms.T
        return np.asarray(ub + norm_u[rows][:, None] * radius[None, :], dtype=np.float64)

    placed = np.zeros(n, dtype=bool)
    within = 0.0
    # Leaves are taken in batches so the bound products are a few large matrix products.
    start = 0
    while start < len(leaves):
        stop = start
        rows_in_batch = 0
        while stop < len(leaves) and rows_in_batch < 8192:
            rows_in_batch += leaves[stop].idx.size
            stop += 1
        batch = leaves[start:stop]
        rows = np.concatenate([leaf.idx for leaf in batch])
        ub_all = block_bounds(rows)
        offset = 0
        with threadpool_limits(1):
            for leaf in batch:
                ub = ub_all[offset : offset + leaf.idx.size]
                offset += leaf.idx.size
                placed[leaf.idx] = True
                exact_w = _cross_weights(prof, leaf.idx, leaf.idx)
                exact_w[~compatible(leaf.idx, leaf.idx)] = 0.0
                total += float(_top_mixed(exact_w, ub, counts, slots).sum())
                within += float(_top_mixed(exact_w, ub[:, :0], _NONE, slots).sum())
        start = stop
    rest = everyone[~placed]
    for start in range(0, rest.size, 1024):
        rows = rest[start : start + 1024]
        total += float(
            _top_mixed(np.zeros((rows.size, 0)), block_bounds(rows), counts, slots).sum()
        )
    return total, within


def _top_mixed(
    exact_w: NDArray[np.float64], ub: NDArray[np.float64], counts: IntArray, slots: int
) -> NDArray[np.float64]:
    """Per row, the sum of the ``slots`` largest non-negative values among exact scores
    (one partner each) and per-block bounds (block b stands for ``counts[b]`` partners)."""
    vals = np.maximum(np.concatenate([exact_w, ub], axis=1), 0.0)
    reps = np.concatenate([np.ones(exact_w.shape[1], dtype=np.int64), counts])
    take = min(slots, vals.shape[1])
    if take <= 0:
        return np.zeros(vals.shape[0])
    top = np.argpartition(-vals, take - 1, axis=1)[:, :take]
    top_vals = np.take_along_axis(vals, top, axis=1)
    order = np.argsort(-top_vals, axis=1)
    top_vals = np.take_along_axis(top_vals, order, axis=1)
    top_reps = np.take_along_axis(reps[top], order, axis=1)
    # Fill the slots greedily, largest values first, each block up to its size.
    before = np.cumsum(top_reps, axis=1) - top_reps
    used = np.clip(slots - before, 0, top_reps)
    return np.asarray((used * top_vals).sum(axis=1), dtype=np.float64)


def _cross_weights(prof: Profiles, rows: IntArray, cols: IntArray) -> NDArray[np.float64]:
    w = prof.weights
    c, e, s = prof.challenge, prof.experience, prof.structured
    m = np.float32(w.challenge) * (c[rows] @ c[cols].T)
    if w.complementary:
        m += np.float32(w.complementary / 2) * (c[rows] @ e[cols].T + e[rows] @ c[cols].T)
    if s.shape[1]:
        m += s[rows] @ s[cols].T
    return m.astype(np.float64)


def _language_masks(peers: Sequence[Peer]) -> NDArray[np.int64]:
    """Per-peer bit mask of languages; languages past the 62nd share a bit (looser, still
    a valid over-approximation for the bound)."""
    langs = sorted({lang for p in peers for lang in p.languages})
    bit = {lang: 1 << min(i, 62) for i, lang in enumerate(langs)}
    return np.array([sum({bit[lang] for lang in p.languages}) for p in peers], dtype=np.int64)
