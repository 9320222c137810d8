"""Similarity-order blocking: cut each compartment into blocks of about a dozen groups.

The peers' embeddings are ordered so that similar peers get nearby ranks (hierarchical
k-means, its leaves ordered by a second tree over their centres); each compartment is then
bisected recursively along that order into blocks that still meet the counting conditions.
The search runs inside each block, so its cost stays linear in the pool.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from peerlearn.matching.features import GroupEmbedding
from peerlearn.matching.groups.compartments import counting_ok
from peerlearn.matching.groups.pool import IntArray, Pool
from peerlearn.matching.messages import Message
from peerlearn.matching.types import GroupRules

#: Leaves of the bisection hold about this many groups.
BLOCK_GROUPS = 12
#: Dimensions kept to steer the blocking.
DIM_SPLIT = 128
#: The similarity order splits clusters into at most this many parts at each level ...
TREE_BRANCH = 1024
#: ... until they hold this many peers or fewer.
TREE_LEAF = 24
#: Lloyd's iterations run on a sample of this many rows per cluster sought (at least 2,048).
SAMPLE_PER_CLUSTER = 32
#: k-means++ draws its seeds from this many sampled rows per cluster sought (at least 2,048).
SEED_PER_CLUSTER = 8
#: The leaves are ordered by a second tree over their centres, down to this many each.
CENTRE_LEAF = 4
#: Rows per slice when reading many rows of an embedding matrix (a few MB per slice).
_SLICE = 8192


@dataclass(frozen=True)
class Leaf:
    """A block of peers to split into ``k`` groups; ``key`` describes its compartment."""

    idx: IntArray
    k: int
    key: Message
    binned: NDArray[np.bool_] | None = None  # peers left out for now; swaps may bring them in


def tree_order(zs: NDArray[np.float32], rng: np.random.Generator) -> NDArray[np.float64]:
    """A rank for every row of zs such that similar rows get nearby ranks.

    Hierarchical k-means (``_tree``) down to clusters of TREE_LEAF rows. In a large pool a
    coarse cluster mixes many topics and its borders cut through some of them, so a topic
    can end in leaves far apart. Its fragments have nearly the same centre, though, and the
    centres are far less noisy than the rows: the leaves are therefore ordered by a second
    tree over their centres, and each row ranks by its leaf's place, then its own. The
    bisection cuts contiguous runs of this order, so blocks gather a topic's fragments.

    The first level is wide (up to TREE_BRANCH clusters) and fitted on SAMPLE_PER_CLUSTER
    rows per cluster, so that even a pool of 100,000 peers in well over a thousand small
    topics has every topic in the sample: with 64 clusters fitted on 2,048 rows, a third of
    such topics had no sampled row and their peers scattered across clusters. Both trees
    are a pass over their rows per level, with at most TREE_BRANCH centres: linear in the
    pool.
    """
    n = zs.shape[0]
    rank, leaf_of, leaves = _tree(zs, rng, TREE_LEAF)
    if leaves < 3:
        return rank
    members = sparse.csr_matrix(
        (np.ones(n, dtype=np.float32), (leaf_of, np.arange(n))), shape=(leaves, n)
    )
    counts = np.bincount(leaf_of, minlength=leaves).astype(np.float32)
    centres = np.asarray(members @ zs, dtype=np.float32) / counts[:, None]
    leaf_rank, _, _ = _tree(centres, rng, CENTRE_LEAF)
    return np.asarray(leaf_rank[leaf_of] * (n + 1) + rank, dtype=np.float64)


def _tree(
    zs: NDArray[np.float32], rng: np.random.Generator, leaf: int
) -> tuple[NDArray[np.float64], IntArray, int]:
    """Hierarchical k-means: up to TREE_BRANCH clusters per level (Lloyd's iterations on a
    sample, then one assignment pass over every row), chained nearest-centre first, each
    split again until ``leaf`` rows or fewer remain. Returns each row's rank in that order,
    its leaf, and the number of leaves."""
    n = zs.shape[0]
    rank = np.empty(n, dtype=np.float64)
    leaf_of = np.empty(n, dtype=np.int64)
    leaves = 0
    stack: list[tuple[IntArray, int]] = [(np.arange(n, dtype=np.int64), 0)]
    while stack:
        rows, offset = stack.pop()
        k = 1
        if rows.size > leaf:
            labels, k = _kmeans_labels(zs, rows, min(TREE_BRANCH, -(-rows.size // leaf)), rng)
        if k < 2:  # a leaf, or indistinguishable rows
            rank[rows] = offset + np.arange(rows.size)
            leaf_of[rows] = leaves
            leaves += 1
            continue
        for part in _chain(zs, rows, labels, k):
            stack.append((part, offset))
            offset += part.size
    return rank, leaf_of, leaves


def _kmeans_labels(
    zs: NDArray[np.float32], rows: IntArray, k: int, rng: np.random.Generator, iterations: int = 6
) -> tuple[IntArray, int]:
    """Cluster labels 0..k'-1 of ``rows`` (k' <= k non-empty clusters) and k'."""
    size = max(2048, SAMPLE_PER_CLUSTER * k)
    sample = zs[np.sort(rows if rows.size <= size else rng.choice(rows, size, replace=False))]
    # k-means++ seeds, drawn from a part of the sample (a pass over it per seed), then
    # Lloyd's iterations on the whole sample.
    pool = sample
    seeding = max(2048, SEED_PER_CLUSTER * k)
    if sample.shape[0] > seeding:
        pool = sample[rng.choice(sample.shape[0], seeding, replace=False)]
    sq = np.einsum("ij,ij->i", pool, pool)
    seeds = [int(rng.integers(pool.shape[0]))]
    dist = np.maximum(sq - 2.0 * (pool @ pool[seeds[0]]) + sq[seeds[0]], 0.0)
    for _ in range(1, k):
        total = float(dist.sum())
        if total <= 0:
            break
        seeds.append(int(rng.choice(pool.shape[0], p=dist / total)))
        new = np.maximum(sq - 2.0 * (pool @ pool[seeds[-1]]) + sq[seeds[-1]], 0.0)
        dist = np.minimum(dist, new)
    c = pool[seeds]  # a copy (indexed by a list): the means below are written into it
    lab = np.empty(sample.shape[0], dtype=np.int64)
    before = np.full(sample.shape[0], -1, dtype=np.int64)
    for _ in range(iterations):
        half = 0.5 * np.einsum("ij,ij->i", c, c)
        for start in range(0, sample.shape[0], _SLICE):  # a slice of scores at a time
            lab[start : start + _SLICE] = np.argmax(
                sample[start : start + _SLICE] @ c.T - half, axis=1
            )
        if np.array_equal(lab, before):
            break  # converged: the same clusters give the same means from here on
        before[:] = lab
        # Each cluster's mean: rows sorted by cluster, summed per run of one cluster.
        counts = np.bincount(lab, minlength=c.shape[0])
        filled = counts > 0
        starts = np.cumsum(counts) - counts
        sums = np.add.reduceat(sample[np.argsort(lab, kind="stable")], starts[filled], axis=0)
        c[filled] = sums / counts[filled, None]
    c32 = np.asarray(c, dtype=np.float32)
    half_norm = 0.5 * np.einsum("ij,ij->i", c32, c32)
    labels = np.empty(rows.size, dtype=np.int64)
    for start in range(0, rows.size, _SLICE):
        part = rows[start : start + _SLICE]
        labels[start : start + _SLICE] = np.argmax(zs[part] @ c32.T - half_norm, axis=1)
    used = np.unique(labels)
    if used.size < c.shape[0]:
        labels = np.searchsorted(used, labels)
    return labels, int(used.size)


def _chain(zs: NDArray[np.float32], rows: IntArray, labels: IntArray, k: int) -> list[IntArray]:
    """The clusters of ``rows`` as a chain in which each follows the nearest remaining one."""
    by_label = np.argsort(labels, kind="stable")
    parts = np.split(rows[by_label], np.cumsum(np.bincount(labels, minlength=k))[:-1])
    centres = np.stack([zs[p].mean(axis=0) for p in parts]).astype(np.float64)
    sq = np.einsum("ij,ij->i", centres, centres)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * (centres @ centres.T), 0.0)
    order = [int(np.argmax(d2.sum(axis=1)))]  # start at an outlying cluster
    taken = np.zeros(k, dtype=bool)
    taken[order[0]] = True
    for _ in range(k - 1):
        nxt = int(np.argmin(np.where(taken, np.inf, d2[order[-1]])))
        order.append(nxt)
        taken[nxt] = True
    return [parts[q] for q in order]


def _split(
    pool: Pool, idx: IntArray, k: int, rank: NDArray[np.float64], rules: GroupRules
) -> tuple[tuple[IntArray, int], tuple[IntArray, int]] | None:
    """Cut ``idx`` in two along the similarity order ``rank``; pinned units never straddle
    the cut. None when no cut tried gives two halves that both meet the counting conditions.

    The plain cut comes first: it keeps similar peers together. When it leaves a half that
    breaks a counting condition (an organisation's peers gathered on one side, say), cuts
    stratified on the scarce attributes follow (:func:`stratified_cuts`), from those that
    keep the most of the order to a last one that interleaves every attribute.
    """
    # The left part takes a multiple of BLOCK_GROUPS groups, so nearly every leaf has exactly
    # that many: the search costs grow with the square of a block's size, and equal leaves
    # keep the total linear in the number of peers.
    k1 = BLOCK_GROUPS * math.ceil(k / (2 * BLOCK_GROUPS))
    if not 1 <= k1 < k:
        k1 = k // 2
    k2 = k - k1
    proj = rank[idx]
    unit = pool.unit[idx]
    _, uinv = np.unique(unit, return_inverse=True)
    uinv = np.asarray(uinv, dtype=np.int64).ravel()
    usum = np.bincount(uinv, weights=proj)
    ucount = np.bincount(uinv)
    uproj = (usum / ucount)[uinv]

    def cut(order: IntArray, take: int) -> IntArray:
        """First ``take`` peers of ``order`` (a unit boundary near ``take``)."""
        units_sorted = uinv[order]
        boundary = np.flatnonzero(np.diff(units_sorted)) + 1
        boundary = np.concatenate([[0], boundary, [order.size]])
        pos = int(boundary[np.argmin(np.abs(boundary - take))])
        return order[:pos]

    m = idx.size
    target = round(m * k1 / k)
    target = min(
        max(target, k1 * rules.min_size, m - k2 * rules.max_size),
        k1 * rules.max_size,
        m - k2 * rules.min_size,
    )
    order = np.lexsort((uinv, uproj))

    def halves(
        left_local: IntArray | NDArray[np.bool_],
    ) -> tuple[tuple[IntArray, int], tuple[IntArray, int]] | None:
        mask = np.zeros(m, dtype=bool)
        mask[left_local] = True
        left, right = idx[mask], idx[~mask]
        if (
            counting_ok(pool, left, k1, rules) is None
            and counting_ok(pool, right, k2, rules) is None
        ):
            return (left, k1), (right, k2)
        return None

    plain = halves(cut(order, target))
    if plain is not None:
        return plain
    heavy_cap = (rules.max_per_org or 0) * min(k1, k2)
    for left_mask in stratified_cuts(pool, idx, uproj, uinv, target, heavy_cap):
        # A pinned unit follows its first member.
        unit_side = np.zeros(ucount.size, dtype=bool)
        unit_side[uinv[::-1]] = left_mask[::-1]
        split = halves(unit_side[uinv])
        if split is not None:
            return split
    return None


def stratified_cuts(
    pool: Pool,
    idx: IntArray,
    order: NDArray[np.float64],
    tie: IntArray,
    take: int,
    heavy_cap: int,
) -> Iterator[NDArray[np.bool_]]:
    """Masks over ``idx`` of ``take`` peers each, stratified on the counting attributes.

    Every stratum gives the left part its share of ``take``, its earliest peers along
    ``order`` (``tie`` breaks ties, so a pinned unit's members stay adjacent). Organisations
    are strata only when *heavy*: more than ``heavy_cap`` peers, so that gathering them on
    one side could break the organisation cap; lighter ones, which cannot, stay in one
    stratum cut along the order, which keeps similar peers together. The cuts come from
    the fewest strata to the most; the last one is interleaved: every peer is a stratum,
    taken in turn along seniority, country, organisation and the order, so every attribute,
    and every organisation within its country, is shared to within one peer.
    """
    senior = pool.senior[idx]
    country = pool.country[idx]
    org = pool.org[idx]
    _, org_inv, org_count = np.unique(org, return_inverse=True, return_counts=True)
    heavy = np.where(org_count[org_inv.ravel()] > heavy_cap, org, -1)
    has_heavy = bool(heavy_cap) and bool((heavy >= 0).any())
    candidates: list[list[IntArray]] = []
    if has_heavy:
        candidates.append([heavy])
    candidates += [[senior], [country]]
    if has_heavy:
        candidates += [[country, heavy], [senior, country, heavy]]
    candidates.append([senior, country, org])
    for columns in candidates:
        yield proportional_take(strata_codes(columns), order, tie, take)
    position = np.empty(idx.size, dtype=np.int64)
    position[np.lexsort((tie, order))] = np.arange(idx.size)
    yield proportional_take(strata_codes([senior, country, org, position]), order, tie, take)


def strata_codes(columns: Sequence[IntArray]) -> IntArray:
    """One code per row for the combination of ``columns``, numbered in lexicographic order
    of the columns (the first column varies slowest).

    >>> strata_codes([np.array([1, 0, 1, 0]), np.array([5, 7, 5, 2])]).tolist()
    [2, 1, 2, 0]
    """
    m = columns[0].size
    by = np.lexsort(tuple(columns[::-1]))
    stacked = np.stack([np.asarray(c)[by] for c in columns])
    starts = np.concatenate([[True], np.any(np.diff(stacked, axis=1) != 0, axis=0)])
    codes = np.empty(m, dtype=np.int64)
    codes[by] = np.cumsum(starts) - 1
    return codes


def proportional_take(
    strata: IntArray, order: NDArray[np.float64], tie: IntArray, take: int
) -> NDArray[np.bool_]:
    """A mask of exactly ``take`` rows in which every stratum has its share of ``take``:
    its earliest rows along ``order`` (then ``tie``).

    Shares are rounded cumulatively over the strata in code order, so they add up to
    ``take`` and, when the codes nest (countries, and organisations within each), every
    enclosing class also receives its share to within one.

    >>> strata = np.array([0, 0, 0, 0, 1, 1, 2, 2])
    >>> mask = proportional_take(strata, np.arange(8.0), np.zeros(8, dtype=np.int64), 4)
    >>> mask.astype(int).tolist()
    [1, 1, 0, 0, 1, 0, 1, 0]
    >>> proportional_take(np.zeros(3, dtype=np.int64), np.array([2.0, 0.0, 1.0]),
    ...                   np.zeros(3, dtype=np.int64), 2).tolist()
    [False, True, True]
    """
    m = strata.size
    if m == 0:
        return np.zeros(0, dtype=bool)
    counts = np.bincount(strata)
    # Integer rounding of cumulative shares: floor(c * take / m + 1/2).
    bounds = (2 * np.cumsum(counts) * take + m) // (2 * m)
    quota = np.diff(np.concatenate([[0], bounds]))
    by = np.lexsort((tie, order, strata))
    sorted_strata = strata[by]
    place = np.arange(m) - np.searchsorted(sorted_strata, sorted_strata, side="left")
    mask = np.zeros(m, dtype=bool)
    mask[by] = place < quota[sorted_strata]
    return mask


def reduce_dims(
    z: GroupEmbedding, rng: np.random.Generator, dim: int = DIM_SPLIT
) -> NDArray[np.float32]:
    """Principal components of z (from a sample), enough to steer the blocking: fewer
    numbers per peer save most of the memory traffic."""
    n = len(z)
    if z.shape[1] <= dim or n <= dim:
        return z[np.arange(n)]
    sample = z[np.sort(rng.choice(n, min(n, 4000), replace=False))].astype(np.float64)
    centred = sample - sample.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    basis = np.ascontiguousarray(vectors[:, ::-1][:, :dim], dtype=np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, _SLICE):
        out[start : start + _SLICE] = z[start : start + _SLICE] @ basis
    return out


def split_blocks(
    pool: Pool, idx: IntArray, k: int, rank: NDArray[np.float64], rules: GroupRules
) -> list[tuple[IntArray, int]]:
    """Blocks of ``idx`` (peers to form into k groups) and their numbers of groups: about
    BLOCK_GROUPS each, every one meeting the counting conditions. A node stays whole only
    when no cut :func:`_split` tries gives two halves that both meet them."""
    out: list[tuple[IntArray, int]] = []
    stack = [(idx, k)]
    while stack:
        node, kn = stack.pop()
        if kn <= BLOCK_GROUPS:
            out.append((node, kn))
            continue
        halves = _split(pool, node, kn, rank, rules)
        if halves is None:
            out.append((node, kn))
        else:
            stack.extend(halves)
    return out
