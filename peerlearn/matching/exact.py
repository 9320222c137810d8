"""Exact grouping by mixed-integer programming (HiGHS through ``scipy.optimize.milp``).

Used to prove optimality on small instances and to check the scalable solver. The model
assigns peers to numbered groups (x), links pairs to groups (y), and breaks the labelling
symmetry by letting peer i join only groups 0..i, so only one labelling of each partition
is feasible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from peerlearn.matching.composition import gender_shares
from peerlearn.matching.types import GroupRules, Peer


@dataclass(frozen=True)
class ExactResult:
    groups: list[list[int]]
    unmatched: list[int]
    objective: float  # ordered-pair sum of weights over the groups
    bound: float
    proven: bool


class _Model:
    """Sparse constraint rows built up one at a time."""

    def __init__(self) -> None:
        self.n_vars = 0
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add_vars(self, count: int) -> NDArray[np.int64]:
        start = self.n_vars
        self.n_vars += count
        return np.arange(start, start + count, dtype=np.int64)

    def row(self, coefs: dict[int, float], lo: float, hi: float) -> None:
        r = len(self.lo)
        for c, v in coefs.items():
            self.rows.append(r)
            self.cols.append(int(c))
            self.vals.append(float(v))
        self.lo.append(lo)
        self.hi.append(hi)

    def constraint(self) -> LinearConstraint:
        a = coo_matrix((self.vals, (self.rows, self.cols)), shape=(len(self.lo), self.n_vars))
        return LinearConstraint(a.tocsr(), np.array(self.lo), np.array(self.hi))


def _pairs(w: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    i, j = np.triu_indices(w.shape[0], k=1)
    keep = w[i, j] != 0
    return i[keep], j[keep]


def solve_partition(
    w: NDArray[np.float64], sizes: NDArray[np.int64], time_limit: float | None = None
) -> ExactResult | None:
    """Everyone into ``len(sizes)`` groups of exactly those sizes, maximising the ordered-pair
    sum of the symmetric weights ``w``. None when the solver found no solution in time."""
    n, k = w.shape[0], int(sizes.size)
    m = _Model()
    x = m.add_vars(n * k).reshape(n, k)
    pi, pj = _pairs(w)
    y = m.add_vars(pi.size * k).reshape(pi.size, k)
    equal = bool((sizes == sizes[0]).all())
    for i in range(n):
        m.row({int(x[i, g]): 1.0 for g in range(k)}, 1, 1)
    for g in range(k):
        m.row({int(x[i, g]): 1.0 for i in range(n)}, float(sizes[g]), float(sizes[g]))
    upper = np.ones(m.n_vars)
    if equal:
        for i in range(n):
            for g in range(i + 1, k):
                upper[x[i, g]] = 0.0
    _link_pairs(m, w, x, y, pi, pj)
    cost = np.zeros(m.n_vars)
    cost[y] = -2.0 * w[pi, pj][:, None]
    integer = np.zeros(m.n_vars, dtype=bool)
    integer[x] = True
    return _finish(m, cost, integer, upper, x, n, k, time_limit, big=0.0)


def _link_pairs(
    m: _Model,
    w: NDArray[np.float64],
    x: NDArray[np.int64],
    y: NDArray[np.int64],
    pi: NDArray[np.int64],
    pj: NDArray[np.int64],
) -> None:
    """y[p, g] = x[i, g] * x[j, g], with only the side of the product that can bind."""
    k = x.shape[1]
    for p in range(pi.size):
        i, j = int(pi[p]), int(pj[p])
        for g in range(k):
            if w[i, j] > 0:
                m.row({int(y[p, g]): 1.0, int(x[i, g]): -1.0}, -np.inf, 0)
                m.row({int(y[p, g]): 1.0, int(x[j, g]): -1.0}, -np.inf, 0)
            else:
                m.row({int(y[p, g]): 1.0, int(x[i, g]): -1.0, int(x[j, g]): -1.0}, -1, np.inf)


def _finish(
    m: _Model,
    cost: NDArray[np.float64],
    integer: NDArray[np.bool_],
    upper: NDArray[np.float64],
    x: NDArray[np.int64],
    n: int,
    k: int,
    time_limit: float | None,
    big: float,
) -> ExactResult | None:
    options: dict[str, float | bool] = {"disp": False}
    if time_limit is not None:
        options["time_limit"] = max(float(time_limit), 0.1)
    constraints = [m.constraint()] if m.lo else []
    res = milp(
        c=cost,
        constraints=constraints,
        integrality=integer.astype(np.int64),
        bounds=Bounds(np.zeros(m.n_vars), upper),
        options=options,
    )
    if res.status == 4:
        # HiGHS's presolve occasionally fails on these models; solving without it works.
        res = milp(
            c=cost,
            constraints=constraints,
            integrality=integer.astype(np.int64),
            bounds=Bounds(np.zeros(m.n_vars), upper),
            options={**options, "presolve": False},
        )
    if res.x is None:
        return None
    sol = np.asarray(res.x)
    xs = sol[x.reshape(-1)].reshape(n, k) > 0.5
    groups = [np.flatnonzero(xs[:, g]).tolist() for g in range(k)]
    groups = [g for g in groups if g]
    placed = {i for g in groups for i in g}
    unmatched = [i for i in range(n) if i not in placed]
    objective = -float(res.fun) - big * len(placed)
    dual = getattr(res, "mip_dual_bound", None)
    bound = objective if dual is None else -float(dual) - big * len(placed)
    return ExactResult(groups, unmatched, objective, max(bound, objective), res.status == 0)


def solve_groups(
    peers: Sequence[Peer],
    w: NDArray[np.float64],
    rules: GroupRules,
    time_limit: float | None = None,
) -> ExactResult | None:
    """Exact groups under every rule. Placing as many peers as possible comes first, then
    the ordered-pair weight sum. Practical up to a few dozen peers."""
    n = len(peers)
    k = n // rules.min_size
    if k == 0:
        return ExactResult([], list(range(n)), 0.0, 0.0, True)
    m = _Model()
    x = m.add_vars(n * k).reshape(n, k)
    used = m.add_vars(k)
    pi, pj = _pairs(w)
    y = m.add_vars(pi.size * k).reshape(pi.size, k)
    upper = np.ones(m.n_vars)
    for i in range(n):
        m.row({int(x[i, g]): 1.0 for g in range(k)}, 0, 1)
        for g in range(i + 1, k):
            upper[x[i, g]] = 0.0
    for g in range(k):
        members = {int(x[i, g]): 1.0 for i in range(n)}
        m.row({**members, int(used[g]): -float(rules.max_size)}, -np.inf, 0)
        m.row({**members, int(used[g]): -float(rules.min_size)}, 0, np.inf)
        if g + 1 < k:
            m.row({int(used[g]): 1.0, int(used[g + 1]): -1.0}, 0, np.inf)
    _link_pairs(m, w, x, y, pi, pj)
    _choice(m, x, [set(p.languages) for p in peers] if rules.common_language else None)
    _choice(m, x, [{str(p.reform_stage)} for p in peers] if rules.same_stage else None)
    by_org: dict[str, list[int]] = defaultdict(list)
    by_country: dict[str, list[int]] = defaultdict(list)
    by_gender: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(peers):
        by_org[p.organisation or f"\0{p.id}"].append(i)
        by_country[p.country].append(i)
        if p.gender:
            by_gender[p.gender].append(i)
    for g in range(k):
        if rules.max_per_org is not None:
            for members_o in by_org.values():
                if len(members_o) > rules.max_per_org:
                    m.row({int(x[i, g]): 1.0 for i in members_o}, -np.inf, rules.max_per_org)
        if rules.min_countries > 1:
            present = m.add_vars(len(by_country))
            upper = np.append(upper, np.ones(present.size))
            for t, members_c in zip(present, by_country.values(), strict=True):
                m.row({int(t): 1.0, **{int(x[i, g]): -1.0 for i in members_c}}, -np.inf, 0)
            m.row(
                {**{int(t): 1.0 for t in present}, int(used[g]): -float(rules.min_countries)},
                0,
                np.inf,
            )
        if rules.max_gender_share is not None:
            shares = gender_shares(peers)
            for gender, members_g in by_gender.items():
                share = max(rules.max_gender_share, shares[gender])
                coefs = {int(x[i, g]): -share for i in range(n)}
                for i in members_g:
                    coefs[int(x[i, g])] = 1.0 - share
                # count <= ceil(share * size) for whole counts, as in the checker.
                m.row(coefs, -np.inf, 1.0 - 1e-4)
        if rules.min_senior:
            coefs = {int(x[i, g]): 1.0 for i, p in enumerate(peers) if p.is_senior}
            coefs[int(used[g])] = -float(rules.min_senior)
            m.row(coefs, 0, np.inf)
    index = {p.id: i for i, p in enumerate(peers)}
    for pair in rules.excluded:
        a, b = (index.get(q) for q in pair)
        if a is not None and b is not None:
            for g in range(k):
                m.row({int(x[a, g]): 1.0, int(x[b, g]): 1.0}, -np.inf, 1)
    for pin in rules.pinned:
        members_p = sorted(index[q] for q in pin if q in index)
        for a, b in pairwise(members_p):
            for g in range(k):
                m.row({int(x[a, g]): 1.0, int(x[b, g]): -1.0}, 0, 0)
    upper = np.append(upper, np.ones(m.n_vars - upper.size))
    cost = np.zeros(m.n_vars)
    cost[y] = -2.0 * w[pi, pj][:, None]
    big = 2.0 * float(np.abs(w).sum()) + 1.0
    cost[x] -= big
    integer = np.zeros(m.n_vars, dtype=bool)
    integer[x] = True
    integer[used] = True
    return _finish(m, cost, integer, upper, x, n, k, time_limit, big)


def _choice(m: _Model, x: NDArray[np.int64], options: list[set[str]] | None) -> None:
    """Each group picks one value (a language, a stage) that all its members have."""
    if options is None:
        return
    values = sorted(set().union(*options)) if options else []
    n, k = x.shape
    for g in range(k):
        z = m.add_vars(len(values))
        m.row({int(v): 1.0 for v in z}, 0, 1)
        for i in range(n):
            coefs = {int(x[i, g]): 1.0}
            for v, value in zip(z, values, strict=True):
                if value in options[i]:
                    coefs[int(v)] = -1.0
            m.row(coefs, -np.inf, 0)
