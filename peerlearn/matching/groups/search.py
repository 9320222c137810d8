"""The grouping core: constraint-typed slot assignment, then local search by swaps and moves.

A *block* is a set of peers that already share a working language (and a stage when asked),
small enough (a few hundred) for dense n x n matrices. Inside a block, every candidate swap
(i in A <-> j in B) and move (i -> group g) is scored at once with numpy: its change in the
objective (sum of within-group weights) and its change in total constraint violation.
Operations that reduce violation always win; among the rest, the best objective gains are
applied in batches that touch disjoint groups, so each applied delta stays exact. The
potential (lambda * violation - objective) strictly decreases, so the search terminates.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

_UNLIMITED = 1 << 30


@dataclass(frozen=True)
class Block:
    """Dense data of one block. Codes are small non-negative ints local to the block.

    ``gender`` uses code ``gender_share.size - 1`` for "not stated", whose share is 1.0
    (so it never binds).
    """

    weights: FloatArray
    org: IntArray
    country: IntArray
    gender: IntArray
    gender_share: FloatArray
    senior: IntArray
    frozen: BoolArray
    excluded: BoolArray | None
    min_size: int
    max_size: int
    max_per_org: int | None
    min_countries: int
    gender_limited: bool
    min_senior: int
    # Membership matrices (n x values) of attributes every group must share one value of,
    # each with the rule it enforces: languages spoken ("common_language"), or the reform
    # stage ("same_stage"). Empty when compartments already ensure it.
    shared: tuple[tuple[str, NDArray[np.float64]], ...] = ()

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])


def gender_caps(block: Block, sizes: IntArray) -> IntArray:
    """Cap per (group, gender code) for the given group sizes."""
    caps = np.ceil(sizes[:, None] * block.gender_share[None, :] - 1e-9).astype(np.int64)
    caps = np.maximum(caps, 1)
    caps[:, -1] = _UNLIMITED
    if not block.gender_limited:
        caps[:] = _UNLIMITED
    return caps


class _State:
    """Counters of one assignment, recomputed from scratch after each batch of operations."""

    def __init__(self, block: Block, assign: IntArray, groups: int, has_bin: bool) -> None:
        b = block
        self.a = assign
        k = groups + int(has_bin)
        self.k = k
        n = b.n
        # Group ``groups`` is the bin of peers left out: no pairs, no rules, no size limit.
        self.act = np.ones(k)
        if has_bin:
            self.act[groups] = 0.0
        onehot = np.zeros((n, k))
        onehot[np.arange(n), assign] = 1.0
        self.g = b.weights @ onehot
        if has_bin:
            self.g[:, groups] = 0.0
        self.size = np.bincount(assign, minlength=k)
        n_org = int(b.org.max()) + 1 if n else 1
        n_cty = int(b.country.max()) + 1 if n else 1
        n_gen = b.gender_share.size
        self.org_cnt = np.bincount(assign * n_org + b.org, minlength=k * n_org).reshape(k, n_org)
        self.cty_cnt = np.bincount(assign * n_cty + b.country, minlength=k * n_cty).reshape(
            k, n_cty
        )
        self.distinct = (self.cty_cnt > 0).sum(axis=1)
        self.gen_cnt = np.bincount(assign * n_gen + b.gender, minlength=k * n_gen).reshape(k, n_gen)
        self.sen = np.bincount(assign, weights=b.senior, minlength=k).astype(np.int64)
        self.exin = b.excluded.astype(np.float64) @ onehot if b.excluded is not None else None
        if self.exin is not None and has_bin:
            self.exin[:, groups] = 0.0
        self.shared_cnt = [onehot.T @ m for _, m in b.shared]

    def group_violation(self, block: Block) -> IntArray:
        b = block
        v = np.zeros(self.k, dtype=np.int64)
        if b.max_per_org is not None:
            v += np.maximum(self.org_cnt - b.max_per_org, 0).sum(axis=1)
        v += np.maximum(b.min_countries - self.distinct, 0)
        if b.gender_limited:
            v += np.maximum(self.gen_cnt - gender_caps(b, self.size), 0).sum(axis=1)
        v += np.maximum(b.min_senior - self.sen, 0)
        if self.exin is not None:
            own = self.exin[np.arange(b.n), self.a]
            v += np.rint(np.bincount(self.a, weights=own, minlength=self.k) / 2).astype(np.int64)
        v += np.maximum(b.min_size - self.size, 0) + np.maximum(self.size - b.max_size, 0)
        for cnt in self.shared_cnt:
            # Members who do not have the group's most common value.
            v += np.rint(self.size - cnt.max(axis=1)).astype(np.int64)
        return v * self.act.astype(np.int64)

    def objective(self) -> float:
        return float(self.g[np.arange(self.a.size), self.a].sum())


def _hinge(x: NDArray[np.int64] | NDArray[np.float64]) -> NDArray[np.float64]:
    return np.maximum(x, 0).astype(np.float64)


def _swap_deltas(block: Block, st: _State) -> tuple[FloatArray, FloatArray]:
    """(objective change, violation change) of swapping i and j, for all i, j."""
    b = block
    a = st.a
    n = b.n
    rows = np.arange(n)
    act = st.act[a]  # 0 for peers in the bin: their group has no pairs and no rules
    own = st.g[rows, a]
    gx = st.g[:, a]
    d_obj = gx - own[:, None]
    d_obj = d_obj + d_obj.T - b.weights * (act[:, None] + act[None, :])
    d_vio = np.zeros((n, n))
    if b.max_per_org is not None:
        cnt = st.org_cnt
        cap = b.max_per_org
        c_own = cnt[a, b.org]
        rem = _hinge(c_own - 1 - cap) - _hinge(c_own - cap)
        add_g = _hinge(cnt[:, b.org] + 1 - cap) - _hinge(cnt[:, b.org] - cap)  # k x n
        x = add_g[a, :]
        part = (rem[:, None] + x) * act[:, None]
        d_vio += np.where(b.org[:, None] == b.org[None, :], 0.0, part + part.T)
    if b.min_countries > 1:
        lose = (st.cty_cnt[a, b.country] == 1).astype(np.int64)
        gain = (st.cty_cnt[:, b.country] == 0).astype(np.int64)[a, :]  # [i,j]: j new to A
        d_a = st.distinct[a]
        after = d_a[:, None] - lose[:, None] + gain
        delta = (_hinge(b.min_countries - after) - _hinge(b.min_countries - d_a)[:, None]) * act[
            :, None
        ]
        d_vio += np.where(b.country[:, None] == b.country[None, :], 0.0, delta + delta.T)
    if b.gender_limited:
        caps = gender_caps(b, st.size)
        cnt = st.gen_cnt
        c_own = cnt[a, b.gender]
        cap_own = caps[a, b.gender]
        rem = _hinge(c_own - 1 - cap_own) - _hinge(c_own - cap_own)
        add_g = _hinge(cnt[:, b.gender] + 1 - caps[:, b.gender]) - _hinge(
            cnt[:, b.gender] - caps[:, b.gender]
        )
        part = (rem[:, None] + add_g[a, :]) * act[:, None]
        d_vio += np.where(b.gender[:, None] == b.gender[None, :], 0.0, part + part.T)
    if b.min_senior > 0:
        s_a = st.sen[a]
        after = s_a[:, None] - b.senior[:, None] + b.senior[None, :]
        delta = (_hinge(b.min_senior - after) - _hinge(b.min_senior - s_a)[:, None]) * act[:, None]
        d_vio += delta + delta.T
    if st.exin is not None and b.excluded is not None:
        ex_own = st.exin[rows, a]
        part = st.exin[:, a] - ex_own[:, None]
        d_vio += part + part.T - b.excluded * (act[:, None] + act[None, :])
    for (_, m), sh_cnt in zip(b.shared, st.shared_cnt, strict=True):
        sh_delta = -_top_change_on_swap(sh_cnt, m, a) * act[:, None]
        d_vio += sh_delta + sh_delta.T
    blocked = (a[:, None] == a[None, :]) | b.frozen[:, None] | b.frozen[None, :]
    d_obj[blocked] = -np.inf
    d_vio[blocked] = np.inf
    return d_obj, d_vio


def _top_change_on_swap(cnt: FloatArray, m: FloatArray, a: IntArray) -> FloatArray:
    """[i, j]: how the largest count of i's group changes when i leaves it and j joins.

    ``cnt`` holds each group's count per value (k x values) and ``m`` each peer's values
    (n x values, 0 or 1). The largest count ``M`` moves by one at most: up when j brings a
    top value i does not have; down when every value that reaches ``M`` is one i takes away
    and j does not bring back, and no value at ``M - 1`` gains one from j. Matrix products
    of 0/1 matrices stand in for the n x n x values array this would otherwise need.
    """
    most = cnt.max(axis=1, keepdims=True)
    top = (cnt == most)[a].astype(np.float64)  # n x values: i's group's top values
    second = (cnt == most - 1)[a].astype(np.float64)
    lacks = 1.0 - m
    up = ((top * lacks) @ m.T) > 0
    # Top values still at M: all of them but those i has and j lacks.
    kept = top.sum(axis=1)[:, None] - (top * m) @ lacks.T > 0
    lifted = ((second * lacks) @ m.T) > 0
    return np.where(up, 1.0, np.where(kept | lifted, 0.0, -1.0))


def _move_deltas(block: Block, st: _State) -> tuple[FloatArray, FloatArray]:
    """(objective change, violation change) of moving i into group g, for all i, g."""
    b = block
    a = st.a
    n, k = b.n, st.k
    rows = np.arange(n)
    act = st.act[a]
    d_obj = st.g - st.g[rows, a][:, None]
    d_vio = np.zeros((n, k))
    size = st.size
    if b.max_per_org is not None:
        cnt, cap = st.org_cnt, b.max_per_org
        c_own = cnt[a, b.org]
        rem = _hinge(c_own - 1 - cap) - _hinge(c_own - cap)
        add = (_hinge(cnt[:, b.org] + 1 - cap) - _hinge(cnt[:, b.org] - cap)).T
        d_vio += (rem * act)[:, None] + add * st.act[None, :]
    if b.min_countries > 1:
        lose = (st.cty_cnt[a, b.country] == 1).astype(np.int64)
        d_a = st.distinct[a]
        src = _hinge(b.min_countries - (d_a - lose)) - _hinge(b.min_countries - d_a)
        gain = (st.cty_cnt[:, b.country] == 0).astype(np.int64).T  # n x k
        dst = (
            _hinge(b.min_countries - (st.distinct[None, :] + gain))
            - _hinge(b.min_countries - st.distinct)[None, :]
        )
        d_vio += (src * act)[:, None] + dst * st.act[None, :]
    if b.gender_limited:
        cnt = st.gen_cnt
        caps_now = gender_caps(b, size)
        caps_less = gender_caps(b, np.maximum(size - 1, 1))
        caps_more = gender_caps(b, size + 1)
        before = _hinge(cnt - caps_now).sum(axis=1)  # k
        # Source group: one fewer member of i's gender, and smaller caps.
        less = cnt[a].copy()
        less[rows, b.gender] -= 1
        src = _hinge(less - caps_less[a]).sum(axis=1) - before[a]
        # Target group: caps grow with size; i's gender count grows by one.
        base = _hinge(cnt - caps_more).sum(axis=1)  # k
        c_g = cnt[:, b.gender].T  # n x k
        cap_g = caps_more[:, b.gender].T
        dst = base[None, :] + _hinge(c_g + 1 - cap_g) - _hinge(c_g - cap_g) - before[None, :]
        d_vio += (src * act)[:, None] + dst * st.act[None, :]
    if b.min_senior > 0:
        s_a = st.sen[a]
        src = _hinge(b.min_senior - (s_a - b.senior)) - _hinge(b.min_senior - s_a)
        dst = (
            _hinge(b.min_senior - (st.sen[None, :] + b.senior[:, None]))
            - _hinge(b.min_senior - st.sen)[None, :]
        )
        d_vio += (src * act)[:, None] + dst * st.act[None, :]
    if st.exin is not None:
        d_vio += st.exin - st.exin[rows, a][:, None]
    for (_, m), sh_cnt in zip(b.shared, st.shared_cnt, strict=True):
        # A group's violation is its size less its most common value's count. The source
        # loses a member and keeps its top count unless every top value is one of i's; the
        # target gains one and its top count grows when i has one of its top values.
        top = sh_cnt == sh_cnt.max(axis=1, keepdims=True)  # k x values
        top_own = top[a].astype(np.float64)
        sh_src = (top_own * m).sum(axis=1) == top_own.sum(axis=1)
        sh_dst = (m @ top.T.astype(np.float64)) > 0  # n x k
        d_vio += ((sh_src - 1.0) * act)[:, None] + (1.0 - sh_dst) * st.act[None, :]
    blocked = (
        (np.arange(k)[None, :] == a[:, None])
        | ((size[a] <= b.min_size) & (act > 0))[:, None]
        | ((size >= b.max_size) | (st.act == 0))[None, :]  # nobody is moved into the bin
        | b.frozen[:, None]
    )
    d_obj[blocked] = -np.inf
    d_vio[blocked] = np.inf
    return d_obj, d_vio


def local_search(
    block: Block,
    assign: IntArray,
    k: int,
    deadline: float,
    max_rounds: int = 10_000,
    has_bin: bool = False,
    tolerance: float = 1e-4,
) -> IntArray:
    """Improve ``assign`` (a copy is returned) until no swap or move helps, or the deadline."""
    b = block
    a = assign.copy()
    if b.n < 2 or (k < 2 and b.max_size >= b.n):
        return a
    scale = float(np.abs(b.weights).sum(axis=1).max()) if b.n else 1.0
    penalty = 4.0 * scale + 1.0
    eps = 1e-9 * max(scale, 1.0)
    for _ in range(max_rounds):
        st = _State(b, a, k, has_bin)
        # Past the deadline only repairs continue: a result must never break a rule
        # because time ran out.
        if time.perf_counter() > deadline and not st.group_violation(b).any():
            break
        s_obj, s_vio = _swap_deltas(b, st)
        m_obj, m_vio = _move_deltas(b, st)
        s_val = s_obj - penalty * s_vio
        m_val = m_obj - penalty * m_vio
        # Placing a left-out peer outweighs any similarity change, but never a broken rule
        # (half a violation), so it is only done when the rules allow it.
        m_val += 0.5 * penalty * (1.0 - st.act[a])[:, None]
        s_best = np.argmax(s_val, axis=1)
        m_best = np.argmax(m_val, axis=1)
        rows = np.arange(b.n)
        cand_val = np.concatenate([s_val[rows, s_best], m_val[rows, m_best]])
        order = np.argsort(-cand_val)
        touched: set[int] = set()
        applied = 0
        gained = 0.0
        for c in order:
            val = cand_val[c]
            if not val > eps:
                break
            if c < b.n:
                i, j = int(c), int(s_best[c])
                ga, gb = int(a[i]), int(a[j])
                if ga in touched or gb in touched:
                    continue
                a[i], a[j] = gb, ga
            else:
                i = int(c - b.n)
                ga, gb = int(a[i]), int(m_best[i])
                if ga in touched or gb in touched:
                    continue
                a[i] = gb
            touched.update((ga, gb))
            applied += 1
            gained += float(val)
        if not applied:
            break
        # The tail of a long search trades many rounds for crumbs: once the rules hold,
        # stop when a round gains less than a ten-thousandth of the objective.
        small_gain = gained < tolerance * abs(st.objective())
        if tolerance and small_gain and not st.group_violation(b).any():
            break
    return a


def broken_rules(block: Block, assign: IntArray, k: int) -> list[str | None]:
    """For each of the k groups, the first rule it breaks (None when it keeps them all).

    Rules are named as in :class:`~peerlearn.matching.types.GroupRules` and looked at in
    the order ``size``, the shared attributes (``common_language``, ``same_stage``),
    ``max_per_org``, ``min_countries``, ``max_gender_share``, ``min_senior``, ``excluded``.
    Computed from the search's own counters, so it agrees with the violation it minimises.
    """
    b = block
    st = _State(b, assign, k, bool((assign == k).any()))
    caps = gender_caps(b, st.size) if b.gender_limited else None
    own_excluded = (
        np.bincount(st.a, weights=st.exin[np.arange(b.n), st.a], minlength=st.k)
        if st.exin is not None
        else np.zeros(st.k)
    )
    out: list[str | None] = []
    for g in range(k):
        size = int(st.size[g])
        checks: list[tuple[str, bool]] = [("size", not b.min_size <= size <= b.max_size)]
        checks += [
            (rule, size > 0 and float(cnt[g].max()) < size)
            for (rule, _), cnt in zip(b.shared, st.shared_cnt, strict=True)
        ]
        checks += [
            (
                "max_per_org",
                b.max_per_org is not None and bool((st.org_cnt[g] > b.max_per_org).any()),
            ),
            ("min_countries", int(st.distinct[g]) < b.min_countries),
            ("max_gender_share", caps is not None and bool((st.gen_cnt[g] > caps[g]).any())),
            ("min_senior", int(st.sen[g]) < b.min_senior),
            ("excluded", float(own_excluded[g]) > 0),
        ]
        out.append(next((rule for rule, broken in checks if broken), None))
    return out


def group_sums(block: Block, assign: IntArray, k: int) -> FloatArray:
    """Sum of w(i, j) over unordered pairs inside each group."""
    placed = assign < k
    onehot = np.zeros((block.n, k))
    onehot[np.flatnonzero(placed), assign[placed]] = 1.0
    within = (block.weights @ onehot) * onehot
    return np.asarray(within.sum(axis=0) / 2.0, dtype=np.float64)


def evaluate(
    block: Block, assign: IntArray, k: int, has_bin: bool = False
) -> tuple[float, int, IntArray]:
    """(objective over unordered pairs, total violation, violation per real group)."""
    st = _State(block, assign, k, has_bin)
    per_group = st.group_violation(block)[:k]
    return st.objective() / 2.0, int(per_group.sum()), per_group


def balanced_sizes(n: int, k: int) -> IntArray:
    """k sizes that differ by at most one and add up to n."""
    sizes = np.full(k, n // k, dtype=np.int64)
    sizes[: n % k] += 1
    return sizes


def initial_assignment(
    block: Block,
    sizes: IntArray,
    affinity: FloatArray | None,
    units: list[IntArray],
    rng: np.random.Generator,
    binned: BoolArray | None = None,
) -> IntArray:
    """Peers onto constraint-typed slots by linear-sum assignment.

    Each group has ``sizes[g]`` slots; its first ``min_senior`` slots accept only seniors,
    and every peer of pinned unit ``u`` can only take a slot of group ``u``. ``affinity``
    (n x k) says how well a peer fits each group; random when None. Peers marked
    ``binned`` start in the bin (group k), left out.
    """
    k = sizes.size
    if binned is not None and binned.any():
        inside = np.flatnonzero(~binned)
        sub_block = _subset(block, inside)
        sub_units = [np.searchsorted(inside, u) for u in units if not binned[u].any()]
        part = initial_assignment(
            sub_block, sizes, None if affinity is None else affinity[inside], sub_units, rng
        )
        assign = np.full(block.n, k, dtype=np.int64)
        assign[inside] = part
        return assign
    n = block.n
    if affinity is None:
        affinity = rng.random((n, k))
    slot_group = np.repeat(np.arange(k), sizes)
    slot_rank = np.concatenate([np.arange(s) for s in sizes]) if k else np.zeros(0, np.int64)
    value = affinity[:, slot_group].astype(np.float64)
    big = 1e6 * (1.0 + float(np.abs(affinity).max()) if affinity.size else 1.0)
    if block.min_senior > 0:
        senior_slot = slot_rank < block.min_senior
        value[np.ix_(block.senior == 0, senior_slot)] -= big
    for u, members in enumerate(units[:k]):
        value[np.ix_(members, slot_group != u)] -= 10 * big
    rows, cols = linear_sum_assignment(value, maximize=True)
    assign = np.empty(n, dtype=np.int64)
    assign[rows] = slot_group[cols]
    return assign


def _subset(block: Block, idx: IntArray) -> Block:
    return Block(
        weights=block.weights[np.ix_(idx, idx)],
        org=block.org[idx],
        country=block.country[idx],
        gender=block.gender[idx],
        gender_share=block.gender_share,
        senior=block.senior[idx],
        frozen=block.frozen[idx],
        excluded=None if block.excluded is None else block.excluded[np.ix_(idx, idx)],
        min_size=block.min_size,
        max_size=block.max_size,
        max_per_org=block.max_per_org,
        min_countries=block.min_countries,
        gender_limited=block.gender_limited,
        min_senior=block.min_senior,
        shared=tuple((rule, m[idx]) for rule, m in block.shared),
    )


def kmeans_affinity(
    z: NDArray[np.float32], k: int, rng: np.random.Generator, iterations: int = 8
) -> FloatArray:
    """Affinity of each row to k centroids from a short spherical k-means (k-means++ seeds)."""
    n = z.shape[0]
    if k <= 1 or n <= k:
        return np.asarray(z @ z[: max(k, 1)].T, dtype=np.float64)[:, :k]
    first = int(rng.integers(n))
    centres = [first]
    dist = 1.0 - z @ z[first]
    for _ in range(1, k):
        p = np.maximum(dist, 0) ** 2
        total = p.sum()
        nxt = int(rng.choice(n, p=p / total)) if total > 0 else int(rng.integers(n))
        centres.append(nxt)
        dist = np.minimum(dist, 1.0 - z @ z[nxt])
    c = z[centres].astype(np.float64)
    for _ in range(iterations):
        labels = np.argmax(z @ c.T, axis=1)
        onehot = (labels[:, None] == np.arange(k)[None, :]).astype(np.float64)
        sums = onehot.T @ z
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        c = np.where(norms > 0, sums / np.maximum(norms, 1e-12), c)
    return np.asarray(z @ c.T, dtype=np.float64)


def solve_block(
    block: Block,
    sizes: IntArray,
    z: NDArray[np.float32] | None,
    units: list[IntArray],
    deadline: float,
    restarts: int,
    rng: np.random.Generator,
    binned: BoolArray | None = None,
) -> tuple[IntArray, float, int]:
    """Best assignment found from ``restarts`` starts: (assignment, objective, violation).

    The first start uses k-means affinity (when embeddings are given); the others are
    random slot assignments followed by the same local search (iterated local search).
    Peers marked ``binned`` start left out (assignment k) in the first start, as many
    others chosen at random in the later ones; swaps may bring them in.
    """
    k = sizes.size
    has_bin = binned is not None and bool(binned.any())
    # Who starts left out is also varied between restarts: swaps alone rarely trade several
    # left-out peers at once. Pinned and frozen peers always start where they were.
    movable = ~block.frozen
    for unit in units:
        movable[unit] = False
    best: tuple[IntArray, float, int] | None = None
    for attempt in range(max(restarts, 1)):
        affinity = kmeans_affinity(z, k, rng) if z is not None and attempt == 0 else None
        start_binned = binned
        if has_bin and attempt > 0 and binned is not None:
            start_binned = binned & ~movable
            pick = rng.permutation(np.flatnonzero(movable))[: int((binned & movable).sum())]
            start_binned[pick] = True
        start = initial_assignment(block, sizes, affinity, units, rng, start_binned)
        assign = local_search(block, start, k, deadline, has_bin=has_bin)
        obj, vio, _ = evaluate(block, assign, k, has_bin)
        if best is None or (vio, -obj) < (best[2], -best[1]):
            best = (assign, obj, vio)
        if time.perf_counter() > deadline:
            break
    assert best is not None
    return best
