"""Type II learning groups: everyone learns and contributes, groups of 10-12 by default.

Pipeline (see docs/matching.md): split the pool into compartments that must stay apart (a
working language; a reform stage with ``same_stage``), check each compartment against the
counting conditions every feasible grouping must meet (and say which rule fails and what
relaxation works), bisect it recursively on the peers' embeddings into blocks of about a dozen
groups that still meet those conditions, assign each block's peers onto constraint-typed slots
with linear-sum assignment, and improve by swaps and moves under the constraints. Small
instances are also solved exactly (MILP) to prove optimality.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from threadpoolctl import threadpool_limits

from peerlearn.matching import _search, exact
from peerlearn.matching.checks import check_groups, common_languages, gender_shares
from peerlearn.matching.encoders import Encoder
from peerlearn.matching.explain import Concepts, explain_group
from peerlearn.matching.features import (
    GroupEmbedding,
    Profiles,
    build_profiles,
    group_weights,
)
from peerlearn.matching.messages import Message, message
from peerlearn.matching.progress import Progress
from peerlearn.matching.types import (
    Diagnosis,
    Explanation,
    Group,
    GroupRules,
    MatchResult,
    Peer,
    ScoreWeights,
    Unmatched,
    gap_of,
    index_peers,
)

IntArray = NDArray[np.int64]

#: Instances up to this many peers are also solved by the exact MILP (proven optimum).
#: At 12 peers HiGHS needs about a second, at 16 about twenty.
EXACT_LIMIT = 12
#: Longest the proof may take when no time limit is given, in seconds.
EXACT_SECONDS = 10.0
#: Leaves of the bisection hold about this many groups.
BLOCK_GROUPS = 12
#: Up to this many peers the bound uses every peer's exact best partners.
EXACT_BOUND_LIMIT = 8000
#: Up to this many peers in a compartment, the search also picks who is left out.
BIN_LIMIT = 400
#: Up to this many peers, a pool whose languages or stages rule out the number of groups
#: the counting conditions allow is searched again with one or two groups fewer.
RETRY_LIMIT = 48
#: Coarse clusters summarising far-away partners in the bound beyond EXACT_BOUND_LIMIT.
BOUND_CLUSTERS = 64
#: Dimensions kept to steer the blocking.
DIM_SPLIT = 128
#: The similarity order splits clusters into at most this many parts at each level ...
TREE_BRANCH = 64
#: ... until they hold this many peers or fewer.
TREE_LEAF = 24
#: The leaves are ordered by a second tree over their centres, down to this many each.
CENTRE_LEAF = 4


@dataclass(frozen=True)
class _Leaf:
    """A block of peers to split into ``k`` groups; ``key`` describes its compartment."""

    idx: IntArray
    k: int
    key: Message
    binned: NDArray[np.bool_] | None = None  # peers left out for now; swaps may bring them in


@dataclass(frozen=True)
class _Pool:
    """Per-peer codes of the whole pool, shared by every stage of the pipeline."""

    peers: Sequence[Peer]
    org: IntArray
    country: IntArray
    gender: IntArray
    gender_share: NDArray[np.float64]
    senior: IntArray
    unit: IntArray  # pinned sets share a unit id; everyone else has their own
    pinned: NDArray[np.bool_]  # member of a pinned set


def _codes(values: Sequence[str]) -> IntArray:
    _, inverse = np.unique(np.array(values, dtype=object).astype(str), return_inverse=True)
    return np.asarray(inverse, dtype=np.int64).reshape(-1)


def _make_pool(peers: Sequence[Peer], rules: GroupRules, index: dict[str, int]) -> _Pool:
    genders = sorted({p.gender for p in peers if p.gender})
    gpos = {g: i for i, g in enumerate(genders)}
    gender = np.array([gpos.get(p.gender, len(genders)) for p in peers], dtype=np.int64)
    shares = gender_shares(peers)
    limit = rules.max_gender_share if rules.max_gender_share is not None else 1.0
    share = np.array([max(limit, shares[g]) for g in genders] + [1.0])
    unit = np.arange(len(peers), dtype=np.int64)
    for pin in _merged_pins(rules, index):
        members = np.array(sorted(index[p] for p in pin), dtype=np.int64)
        unit[members] = members[0]
    return _Pool(
        peers=peers,
        org=_codes([p.organisation or f"\0{p.id}" for p in peers]),
        country=_codes([p.country for p in peers]),
        gender=gender,
        gender_share=share,
        senior=np.array([int(p.is_senior) for p in peers], dtype=np.int64),
        unit=unit,
        pinned=np.bincount(unit, minlength=len(peers))[unit] > 1,
    )


def _merged_pins(rules: GroupRules, index: dict[str, int]) -> list[frozenset[str]]:
    """Pinned sets with overlapping sets merged (pinning is transitive)."""
    merged: list[set[str]] = []
    for pin in rules.pinned:
        pin_set = {p for p in pin if p in index}
        touching = [m for m in merged if m & pin_set]
        for m in touching:
            pin_set |= m
            merged.remove(m)
        merged.append(pin_set)
    return [frozenset(m) for m in merged if len(m) > 1]


# ---------------------------------------------------------------- compartments ----------


def _compartments(
    peers: Sequence[Peer],
    rules: GroupRules,
    pool: _Pool,
    unmatched: dict[int, Message],
    diagnoses: list[Diagnosis],
) -> dict[tuple[str, int], list[int]]:
    """Split into (working language, stage) compartments; each unit lands in exactly one.

    A unit (a peer, or a pinned set) takes the most widely spoken language it can use, then
    units stuck in compartments too small for one group try their other languages.
    """
    units: dict[int, list[int]] = defaultdict(list)
    for i, u in enumerate(pool.unit.tolist()):
        if i not in unmatched:
            units[u].append(i)
    spoken: Counter[tuple[str, int]] = Counter()

    def stage_of(members: list[int]) -> int | None:
        stages = {peers[i].reform_stage for i in members}
        return stages.pop() if len(stages) == 1 else None

    options: dict[int, list[tuple[str, int]]] = {}
    for u, members in units.items():
        stage = stage_of(members) if rules.same_stage else 0
        if stage is None:
            for i in members:
                unmatched[i] = message("unmatched.pinned_other_stage")
            diagnoses.append(
                Diagnosis("pinned", message("diagnosis.pinned_stages"), {"same_stage": False})
            )
            continue
        if rules.common_language:
            langs = set.intersection(*(set(peers[i].languages) for i in members))
            if not langs:
                reason = (
                    message("unmatched.no_language")
                    if len(members) == 1
                    else message("unmatched.pinned_no_language")
                )
                for i in members:
                    unmatched[i] = reason
                continue
            options[u] = [(lang, stage) for lang in sorted(langs)]
        else:
            options[u] = [("", stage)]
        for key in options[u]:
            spoken[key] += len(members)
    choice = {
        u: max(opts, key=lambda key: (spoken[key], key[0] == "en", key))
        for u, opts in options.items()
    }
    for _ in range(3):
        size: Counter[tuple[str, int]] = Counter()
        for u, key in choice.items():
            size[key] += len(units[u])
        changed = False
        for u, key in choice.items():
            if size[key] >= rules.min_size:
                continue
            better = [k for k in options[u] if size[k] >= rules.min_size]
            if better:
                new = max(better, key=lambda k: size[k])
                size[key] -= len(units[u])
                size[new] += len(units[u])
                choice[u] = new
                changed = True
        if not changed:
            break
    # Compartments still too small pull multilingual units from compartments that can spare
    # them (the donor keeps at least one group's worth).
    size = Counter()
    for u, key in choice.items():
        size[key] += len(units[u])
    for key in sorted(size, key=lambda kk: size[kk]):
        if not 0 < size[key] < rules.min_size:
            continue
        movable = sorted(
            (u for u, k in choice.items() if k != key and key in options[u]),
            key=lambda u: -size[choice[u]],
        )
        plan: list[int] = []
        gained = 0
        taken: Counter[tuple[str, int]] = Counter()
        for u in movable:
            donor = choice[u]
            if size[donor] - taken[donor] - len(units[u]) >= rules.min_size:
                plan.append(u)
                taken[donor] += len(units[u])
                gained += len(units[u])
                if size[key] + gained >= rules.min_size:
                    break
        members = [i for u, k in choice.items() if k == key for i in units[u]]
        members += [i for u in plan for i in units[u]]
        if size[key] + gained >= rules.min_size and _groupable(
            pool, np.array(sorted(members), dtype=np.int64), rules
        ):
            for u in plan:
                size[choice[u]] -= len(units[u])
                choice[u] = key
            size[key] += gained
    out: dict[tuple[str, int], list[int]] = defaultdict(list)
    for u, key in choice.items():
        out[key].extend(units[u])
    return dict(out)


def _groupable(pool: _Pool, idx: IntArray, rules: GroupRules) -> bool:
    """True when some number of groups meets every counting condition for ``idx``."""
    kmin, kmax = math.ceil(idx.size / rules.max_size), idx.size // rules.min_size
    return any(_counting_ok(pool, idx, k, rules) is None for k in range(kmin, kmax + 1))


def _describe(key: tuple[str, int], rules: GroupRules) -> Message:
    lang, stage = key
    if lang and rules.same_stage:
        return message("where.language_stage", language=lang, stage=stage)
    if lang:
        return message("where.language", language=lang)
    if rules.same_stage:
        return message("where.stage", stage=stage)
    return message("where.pool")


def _counting_ok(pool: _Pool, idx: IntArray, k: int, rules: GroupRules) -> str | None:
    """Name of the first counting condition a grouping of ``idx`` into k groups must break."""
    m = idx.size
    if k < 1 or not k * rules.min_size <= m <= k * rules.max_size:
        return "size"
    if rules.min_senior and int(pool.senior[idx].sum()) < rules.min_senior * k:
        return "min_senior"
    # np.unique, not bincount: organisation codes run into the tens of thousands, and this
    # runs for every node of the bisection.
    if (
        rules.max_per_org is not None
        and m
        and (int(np.unique(pool.org[idx], return_counts=True)[1].max()) > rules.max_per_org * k)
    ):
        return "max_per_org"
    if rules.min_countries > 1:
        counts = np.bincount(pool.country[idx])
        if int(np.minimum(counts, k).sum()) < rules.min_countries * k:
            return "min_countries"
    return None


def _plan(
    pool: _Pool,
    idx: IntArray,
    rules: GroupRules,
    where: Message,
    unmatched: dict[int, Message],
    diagnoses: list[Diagnosis],
) -> tuple[IntArray, int]:
    """Choose the number of groups for a compartment, leaving out peers only when forced.

    Returns the kept peers and k (0 when nobody can be grouped). When no k fits everyone,
    the k that keeps the most peers wins; each peer left out gets the reason, and a
    diagnosis names the binding rule and the relaxation that would fit everyone.
    """
    m = idx.size
    if m < rules.min_size:
        for i in idx.tolist():
            unmatched[i] = message(
                "unmatched.too_few", count=m, where=where, min_size=rules.min_size
            )
        relax: dict[str, object] = {"min_size": m} if m >= 2 else {}
        if rules.common_language and not relax:
            relax = {"common_language": False}
        diagnoses.append(
            Diagnosis("min_size", message("diagnosis.too_few", count=m, where=where), relax)
        )
        return idx[:0], 0
    kmin = math.ceil(m / rules.max_size)
    kmax = m // rules.min_size
    for k in range(kmin, kmax + 1):
        if _counting_ok(pool, idx, k, rules) is None:
            return idx, k
    diagnosis = _diagnose(pool, idx, rules, where, kmin, kmax)
    diagnoses.append(diagnosis)
    best: tuple[IntArray, dict[int, Message], int] | None = None
    for k in range(1, kmax + 1):
        why = diagnosis.message if k < kmin else None
        chosen = _select(pool, idx, k, rules, where, why)
        if chosen is not None and (best is None or chosen[0].size > best[0].size):
            best = (chosen[0], chosen[1], k)
    if best is None:
        rule = diagnoses[-1].constraint
        for i in idx.tolist():
            unmatched[i] = message("unmatched.no_group", where=where, rule=rule)
        return idx[:0], 0
    keep, reasons, k = best
    unmatched.update(reasons)
    return keep, k


def _diagnose(
    pool: _Pool, idx: IntArray, rules: GroupRules, where: Message, kmin: int, kmax: int
) -> Diagnosis:
    """The rule that stops everyone in ``idx`` being grouped, and the mildest relaxation."""
    m = idx.size
    if kmin > kmax:
        return Diagnosis(
            "size",
            message(
                "diagnosis.sizes",
                count=m,
                where=where,
                min_size=rules.min_size,
                max_size=rules.max_size,
            ),
            {"max_size": math.ceil(m / max(kmax, 1))},
        )
    k = kmin
    failing = _counting_ok(pool, idx, k, rules) or "size"
    if failing == "min_senior":
        seniors = int(pool.senior[idx].sum())
        return Diagnosis(
            "min_senior",
            message(
                "diagnosis.seniors",
                seniors=seniors,
                where=where,
                groups=k,
                needed=rules.min_senior * k,
            ),
            {"min_senior": seniors // k},
        )
    if failing == "max_per_org":
        counts = np.bincount(pool.org[idx])
        top = int(counts.max())
        name = pool.peers[int(idx[pool.org[idx] == int(counts.argmax())][0])].organisation
        need = min(math.ceil(top / kk) for kk in range(kmin, kmax + 1))
        return Diagnosis(
            "max_per_org",
            message(
                "diagnosis.organisation_cap",
                count=top,
                organisation=name,
                where=where,
                groups=kmax,
                most=(rules.max_per_org or 0) * kmax,
            ),
            {"max_per_org": need},
        )
    if failing == "min_countries":
        counts = np.bincount(pool.country[idx])
        best_k = max(
            max(int(np.minimum(counts, kk).sum()) // kk for kk in range(kmin, kmax + 1)), 1
        )
        return Diagnosis(
            "min_countries",
            message(
                "diagnosis.countries",
                where=where,
                count=int((counts > 0).sum()),
                min_countries=rules.min_countries,
                groups=k,
            ),
            {"min_countries": best_k},
        )
    return Diagnosis(failing, message("diagnosis.cannot_group", where=where), {})


def _select(
    pool: _Pool,
    idx: IntArray,
    k: int,
    rules: GroupRules,
    where: Message,
    why: Message | None = None,
) -> tuple[IntArray, dict[int, Message]] | None:
    """The most peers of ``idx`` that k groups can take under the counting conditions,
    with a reason for each peer left out; None when k groups cannot be formed at all.
    ``why`` says what limits the number of groups, when something does."""
    senior = pool.senior[idx].astype(bool)
    unit = pool.unit[idx]
    pinned = pool.pinned[idx]
    keep = np.ones(idx.size, dtype=bool)
    reasons: dict[int, Message] = {}
    if rules.max_per_org is not None:
        cap = rules.max_per_org * k
        org = pool.org[idx]
        # Within an organisation, pinned peers and then seniors are kept first.
        order = np.lexsort((~senior, ~pinned, org))
        sorted_org = org[order]
        rank = np.arange(idx.size) - np.searchsorted(sorted_org, sorted_org, side="left")
        surplus = order[rank >= cap]
        # A pinned set is kept or left out whole.
        surplus = np.flatnonzero(np.isin(unit, unit[surplus]))
        keep[surplus] = False
        for pos in surplus.tolist():
            i = int(idx[pos])
            reasons[i] = message(
                "unmatched.organisation_surplus",
                organisation=pool.peers[i].organisation,
                max_per_org=rules.max_per_org,
                groups=k,
                where=where,
            )
    if rules.min_senior and int(senior[keep].sum()) < rules.min_senior * k:
        return None
    excess = int(keep.sum()) - k * rules.max_size
    if excess > 0:
        country = pool.country[idx]
        country_count = np.bincount(country[keep], minlength=int(country.max()) + 1)[country]
        org_count = np.bincount(pool.org[idx][keep], minlength=int(pool.org[idx].max()) + 1)[
            pool.org[idx]
        ]
        spare_seniors = int(senior[keep].sum()) - rules.min_senior * k
        # Leave out juniors from the most represented countries and organisations first:
        # that costs the least diversity.
        order = np.lexsort((-org_count, -country_count, senior))
        order = order[keep[order]]
        dropped = 0
        for pos in order.tolist():
            if dropped == excess:
                break
            if pinned[pos]:
                continue
            if senior[pos]:
                if spare_seniors <= 0:
                    continue
                spare_seniors -= 1
            keep[pos] = False
            dropped += 1
            reasons[int(idx[pos])] = (
                message("unmatched.groups_limited", why=why, groups=k, taken=k * rules.max_size)
                if why is not None
                else message(
                    "unmatched.groups_full",
                    groups=k,
                    max_size=rules.max_size,
                    taken=k * rules.max_size,
                    where=where,
                )
            )
        if dropped < excess:
            return None
    kept = idx[keep]
    if kept.size < k * rules.min_size or _counting_ok(pool, kept, k, rules) is not None:
        return None
    return kept, reasons


# ------------------------------------------------------------------ bisection ----------


def _tree_order(zs: NDArray[np.float32], rng: np.random.Generator) -> NDArray[np.float64]:
    """A rank for every row of zs such that similar rows get nearby ranks.

    Hierarchical k-means (``_tree``) down to clusters of TREE_LEAF rows. In a large pool a
    coarse cluster mixes many topics and its borders cut through some of them, so a topic
    can end in leaves far apart. Its fragments have nearly the same centre, though, and the
    centres are far less noisy than the rows: the leaves are therefore ordered by a second
    tree over their centres, and each row ranks by its leaf's place, then its own. The
    bisection cuts contiguous runs of this order, so blocks gather a topic's fragments.
    Both trees are a pass over their rows per level: linear in the pool.
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
    sample = zs[np.sort(rows if rows.size <= 2048 else rng.choice(rows, 2048, replace=False))]
    sq = np.einsum("ij,ij->i", sample, sample)
    # k-means++ seeds, then Lloyd's iterations on the sample.
    seeds = [int(rng.integers(sample.shape[0]))]
    dist = np.maximum(sq - 2.0 * (sample @ sample[seeds[0]]) + sq[seeds[0]], 0.0)
    for _ in range(1, k):
        total = float(dist.sum())
        if total <= 0:
            break
        seeds.append(int(rng.choice(sample.shape[0], p=dist / total)))
        new = np.maximum(sq - 2.0 * (sample @ sample[seeds[-1]]) + sq[seeds[-1]], 0.0)
        dist = np.minimum(dist, new)
    c = sample[seeds]
    for _ in range(iterations):
        lab = np.argmax(sample @ c.T - 0.5 * np.einsum("ij,ij->i", c, c), axis=1)
        onehot = np.zeros((sample.shape[0], c.shape[0]), dtype=np.float32)
        onehot[np.arange(sample.shape[0]), lab] = 1.0
        counts = onehot.sum(axis=0)
        c = np.where(counts[:, None] > 0, (onehot.T @ sample) / np.maximum(counts, 1)[:, None], c)
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
    parts = [rows[labels == q] for q in range(k)]
    centres = np.stack([zs[p].mean(axis=0) for p in parts]).astype(np.float64)
    d2 = ((centres[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    order = [int(np.argmax(d2.sum(axis=1)))]  # start at an outlying cluster
    left = set(range(k)) - {order[0]}
    while left:
        nxt = min(left, key=lambda q: d2[order[-1], q])
        order.append(nxt)
        left.remove(nxt)
    return [parts[q] for q in order]


#: Rows per slice when reading many rows of an embedding matrix (a few MB per slice).
_SLICE = 8192


def _split(
    pool: _Pool, idx: IntArray, k: int, rank: NDArray[np.float64], rules: GroupRules
) -> tuple[tuple[IntArray, int], tuple[IntArray, int]] | None:
    """Cut ``idx`` in two along the similarity order ``rank``; pinned units never straddle
    the cut."""
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
            _counting_ok(pool, left, k1, rules) is None
            and _counting_ok(pool, right, k2, rules) is None
        ):
            return (left, k1), (right, k2)
        return None

    plain = halves(cut(order, target))
    if plain is not None:
        return plain
    # Strata keep scarce attributes (seniors, countries, organisations) spread over both
    # halves when the plain cut would leave one half unable to meet the rules: within each
    # stratum the same share goes left, taken along the order.
    for codes in (pool.senior[idx], pool.country[idx], pool.org[idx]):
        stratum = np.asarray(np.unique(codes, return_inverse=True)[1], dtype=np.int64).ravel()
        by_stratum = np.lexsort((uproj, stratum))
        sorted_stratum = stratum[by_stratum]
        place = np.arange(m) - np.searchsorted(sorted_stratum, sorted_stratum, side="left")
        quota = np.rint(np.bincount(stratum) * k1 / k).astype(np.int64)
        left_mask = np.zeros(m, dtype=bool)
        left_mask[by_stratum] = place < quota[sorted_stratum]
        # A pinned unit follows its first member.
        unit_side = np.zeros(ucount.size, dtype=bool)
        unit_side[uinv[::-1]] = left_mask[::-1]
        split = halves(unit_side[uinv])
        if split is not None:
            return split
    return None


def _reduce(
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


def _blocks(
    pool: _Pool, idx: IntArray, k: int, rank: NDArray[np.float64], rules: GroupRules
) -> list[tuple[IntArray, int]]:
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


# ---------------------------------------------------------------------- solve ----------


def _block_data(
    pool: _Pool,
    prof: Profiles | None,
    weights: NDArray[np.float64] | None,
    idx: IntArray,
    rules: GroupRules,
    index: dict[str, int],
    shared: tuple[NDArray[np.float64], ...] = (),
) -> _search.Block:
    if weights is None:
        assert prof is not None
        w = group_weights(prof, idx)
    else:
        w = weights[np.ix_(idx, idx)]
    n = idx.size
    excluded = None
    if rules.excluded:
        pos = {int(g): local for local, g in enumerate(idx.tolist())}
        ex = np.zeros((n, n), dtype=bool)
        for pair in rules.excluded:
            a, b = (index.get(p) for p in pair)
            if a in pos and b in pos:
                ex[pos[a], pos[b]] = ex[pos[b], pos[a]] = True
        excluded = ex if ex.any() else None
    frozen = pool.pinned[idx]
    return _search.Block(
        weights=w,
        org=_local_codes(pool.org[idx]),
        country=_local_codes(pool.country[idx]),
        gender=pool.gender[idx],
        gender_share=pool.gender_share,
        senior=pool.senior[idx],
        frozen=frozen,
        excluded=excluded,
        min_size=rules.min_size,
        max_size=rules.max_size,
        max_per_org=rules.max_per_org,
        min_countries=rules.min_countries,
        gender_limited=rules.max_gender_share is not None,
        min_senior=rules.min_senior,
        shared=shared,
    )


def _local_codes(values: IntArray) -> IntArray:
    """Pool-wide codes renumbered 0..m-1 inside a block, so block counters stay small."""
    inverse = np.unique(values, return_inverse=True)[1]
    return np.asarray(inverse, dtype=np.int64).reshape(-1)


def _units_in(pool: _Pool, idx: IntArray) -> list[IntArray]:
    unit = pool.unit[idx]
    _, inverse, counts = np.unique(unit, return_inverse=True, return_counts=True)
    groups = [np.flatnonzero(inverse == u) for u in np.flatnonzero(counts > 1)]
    return sorted(groups, key=len, reverse=True)


def _solve_blocks(
    pool: _Pool,
    prof: Profiles | None,
    weights: NDArray[np.float64] | None,
    z: GroupEmbedding | None,
    blocks: list[_Leaf],
    rules: GroupRules,
    index: dict[str, int],
    deadline: float,
    restarts: int,
    rng: np.random.Generator,
    progress: Progress,
    unmatched: dict[int, Message],
) -> tuple[list[tuple[IntArray, float]], list[tuple[IntArray, Message]]]:
    """Valid groups with their within-group sums, and groups that still break a rule
    (with their compartment, so a retry never mixes languages or stages)."""
    found: list[tuple[IntArray, float]] = []
    broken: list[tuple[IntArray, Message]] = []
    remaining = sum(leaf.idx.size for leaf in blocks)
    for leaf in blocks:
        idx, k = leaf.idx, leaf.k
        now = time.perf_counter()
        share = (deadline - now) * idx.size / max(remaining, 1)
        remaining -= idx.size
        block = _block_data(pool, prof, weights, idx, rules, index)
        # Slots for the peers who start inside; those who start left out only swap in.
        inside = idx.size - (int(leaf.binned.sum()) if leaf.binned is not None else 0)
        sizes = _search.balanced_sizes(inside, k)
        zb = z[idx] if z is not None else None
        assign, _, vio = _search.solve_block(
            block,
            sizes,
            zb,
            _units_in(pool, idx),
            now + max(share, 0.0),
            restarts,
            rng,
            leaf.binned,
        )
        per_group = (
            _search.evaluate(block, assign, k, leaf.binned is not None)[2]
            if vio
            else np.zeros(k, np.int64)
        )
        if leaf.binned is not None:
            # The search may have swapped who is left out: move the reasons along.
            freed = [
                unmatched.pop(int(i))
                for i in idx[(assign < k) & leaf.binned]
                if int(i) in unmatched
            ]
            for i in idx[assign == k].tolist():
                if i not in unmatched:
                    unmatched[i] = (
                        freed.pop() if freed else (message("unmatched.left_out", where=leaf.key))
                    )
        sums = _search.group_sums(block, assign, k)
        for g in range(k):
            members = idx[assign == g]
            if members.size == 0:
                continue
            if per_group[g]:
                broken.append((members, leaf.key))
            else:
                found.append((members, float(sums[g])))
        progress.update(idx.size)
    return found, broken


def _bound(
    prof: Profiles | None,
    weights: NDArray[np.float64] | None,
    peers: Sequence[Peer],
    rules: GroupRules,
    index: dict[str, int],
    leaves: list[_Leaf],
    exact_limit: int = EXACT_BOUND_LIMIT,
) -> float:
    """Upper bound on the ordered-pair objective: each peer with its best possible partners.

    Up to ``exact_limit`` peers every allowed partner is scored; beyond, partners in the
    peer's own block are scored exactly and every other block contributes, per partner,
    the Cauchy-Schwarz bound u_i . centre + |u_i| * radius: valid but looser.
    """
    n = len(peers)
    slots = rules.max_size - 1
    if n == 0:
        return 0.0
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
            total += float(
                _top_mixed(w, np.zeros((rows.size, 0)), np.zeros(0, np.int64), slots).sum()
            )
        return total
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
        start = stop
    rest = everyone[~placed]
    for start in range(0, rest.size, 1024):
        rows = rest[start : start + 1024]
        total += float(
            _top_mixed(np.zeros((rows.size, 0)), block_bounds(rows), counts, slots).sum()
        )
    return total


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


def _as_groups(
    peers: Sequence[Peer],
    found: list[tuple[IntArray, float]],
    prof: Profiles | None,
    explain: bool,
    concepts: object | None,
    progress: Progress | None = None,
) -> list[Group]:
    out = []
    for members, within in sorted(found, key=lambda m: int(m[0].min())):
        size = members.size
        score = 2.0 * within / (size * (size - 1)) if size > 1 else 0.0
        ids = tuple(peers[i].id for i in members.tolist())
        langs = sorted(common_languages(peers[i] for i in members.tolist()))
        lang = langs[0] if langs else None
        if explain and prof is not None:
            expl = explain_group(peers, members, prof, concepts)
            out.append(Group(members=ids, score=score, language=lang, explanation=expl))
        elif prof is None:
            # A weight matrix carries no texts: say what the group adds up to.
            expl = Explanation(
                message("summary.weights", size=size, weight=2.0 * within, mean=score)
            )
            out.append(Group(members=ids, score=score, language=lang, explanation=expl))
        else:
            out.append(Group(members=ids, score=score, language=lang))
        if progress is not None:
            progress.update(size)
    return out


def match_groups(
    peers: Sequence[Peer],
    rules: GroupRules | None = None,
    *,
    encoder: Encoder | None = None,
    weights: ScoreWeights | None = None,
    profiles: Profiles | None = None,
    time_limit: float | None = None,
    seed: int = 0,
    exact_limit: int = EXACT_LIMIT,
    exact_bound_limit: int = EXACT_BOUND_LIMIT,
    explain: bool = True,
    progress: bool = False,
) -> MatchResult:
    """Partition the peers into learning groups that meet ``rules``, maximising similarity.

    The objective sums w(i, j) over ordered pairs in the same group. Peers that cannot be
    placed are listed in ``unmatched`` with a reason, and ``diagnostics`` name the rule that
    forced it and the relaxation that would avoid it. ``time_limit`` bounds the improvement
    phase; repairs that make groups valid always run to the end.

    Complexity: about O(n * b * (k_b + d)) for n peers, blocks of b ~ 130 peers with k_b
    groups and d embedding dimensions, plus O(n d log n) for the bisection; the bound costs
    O(n^2 d) up to ``exact_bound_limit`` peers and O(n * B * d) beyond (B blocks).

    >>> from peerlearn.matching.encoders import TfidfEncoder
    >>> ps = [Peer(str(i), country="KE" if i % 2 else "UG", languages=("en",),
    ...            challenge=["tax", "audit"][i % 2]) for i in range(8)]
    >>> res = match_groups(ps, GroupRules(min_size=4, max_size=4, min_countries=2),
    ...                    encoder=TfidfEncoder())
    >>> len(res.groups), res.unmatched, res.optimal
    (2, (), True)
    """
    # One BLAS thread throughout: the products are small or memory-bound, and on a busy
    # server multi-threaded BLAS spins while waiting for cores, slowing everything down.
    with threadpool_limits(1):
        return _match_groups(
            peers,
            rules,
            encoder=encoder,
            weights=weights,
            profiles=profiles,
            time_limit=time_limit,
            seed=seed,
            exact_limit=exact_limit,
            exact_bound_limit=exact_bound_limit,
            explain=explain,
            progress=progress,
        )


def _match_groups(
    peers: Sequence[Peer],
    rules: GroupRules | None,
    *,
    encoder: Encoder | None,
    weights: ScoreWeights | None,
    profiles: Profiles | None,
    time_limit: float | None,
    seed: int,
    exact_limit: int,
    exact_bound_limit: int,
    explain: bool,
    progress: bool,
) -> MatchResult:
    started = time.perf_counter()
    rules = rules or GroupRules()
    index = index_peers(peers)
    _check_rule_ids(rules.excluded, rules.pinned, index)
    prof = profiles if profiles is not None else build_profiles(peers, encoder, weights)
    if len(prof) != len(peers):
        raise ValueError("profiles must have one row per peer")
    rng = np.random.default_rng(seed)
    pool = _make_pool(peers, rules, index)
    unmatched: dict[int, Message] = {}
    diagnoses: list[Diagnosis] = []
    for pin in _merged_pins(rules, index):
        if len(pin) > rules.max_size:
            for pid in pin:
                unmatched[index[pid]] = message("unmatched.pinned_too_large", count=len(pin))
            diagnoses.append(
                Diagnosis(
                    "pinned",
                    message("diagnosis.pinned_too_large", count=len(pin)),
                    {"max_size": len(pin)},
                )
            )
    z = GroupEmbedding(prof)
    # The order that steers the blocking follows the texts alone: the structured features
    # (stage, organisation type) are few coherent directions that a coarse clustering
    # would follow instead of the topics; the search inside each block weighs them.
    rank = _tree_order(_reduce(GroupEmbedding(prof, structured=False), rng), rng)
    deadline = started + (time_limit if time_limit is not None else 3600.0)
    leaves: list[_Leaf] = []
    for key, members in sorted(_compartments(peers, rules, pool, unmatched, diagnoses).items()):
        idx = np.array(sorted(members), dtype=np.int64)
        where = _describe(key, rules)
        kept, k = _plan(pool, idx, rules, where, unmatched, diagnoses)
        if not k:
            continue
        parts = _blocks(pool, kept, k, rank, rules)
        left_out = np.setdiff1d(idx, kept)
        left_out = left_out[~pool.pinned[left_out]]  # pinned sets stay out
        if len(parts) == 1 and left_out.size and idx.size <= BIN_LIMIT:
            # One block: let the search also choose who is left out.
            binned = np.concatenate([np.zeros(kept.size, bool), np.ones(left_out.size, bool)])
            leaves.append(_Leaf(np.concatenate([kept, left_out]), k, where, binned))
        else:
            leaves.extend(_Leaf(i, kb, where) for i, kb in parts)
    n_total = sum(leaf.idx.size for leaf in leaves)
    for leaf in leaves:
        if leaf.binned is not None:
            n_total -= int(leaf.binned.sum())
    restarts = 64 if n_total <= 200 else 8 if n_total <= 2000 else 1
    with Progress(total=n_total, enabled=progress, desc="grouping") as bar, threadpool_limits(1):
        # Blocks are small: one BLAS thread avoids thread start-up costs that dwarf the work.
        found, broken = _solve_blocks(
            pool, prof, None, z, leaves, rules, index, deadline, restarts, rng, bar, unmatched
        )
        found = _retry_broken(
            pool, prof, z, found, broken, rules, index, peers, rng, unmatched, diagnoses
        )
        if (rules.common_language or rules.same_stage) and len(peers) <= BIN_LIMIT:
            # Small pools: also search with languages and stages as rules inside one block,
            # so multilingual peers are placed where they fit best; keep the better result.
            placed = sum(members.size for members, _ in found)
            joint = _joint(
                peers, pool, prof, z, rules, index, unmatched, deadline, restarts, rng, placed
            )
            if joint is not None and _better(joint[0], joint[1], found, unmatched):
                found, unmatched = joint
    objective = 2.0 * sum(within for _, within in found)
    solver = "blocks+assignment+local-search"
    bound = _bound(prof, None, peers, rules, index, leaves, exact_bound_limit)
    optimal = False
    if len(peers) <= exact_limit:
        ex = exact.solve_groups(
            peers,
            group_weights(prof),
            rules,
            time_limit=time_limit if time_limit is not None else EXACT_SECONDS,
        )
        if ex is not None and ex.proven and len(ex.unmatched) <= len(unmatched):
            if ex.objective > objective + 1e-6 or len(ex.unmatched) < len(unmatched):
                w_all = group_weights(prof)
                found = [
                    (np.array(g, dtype=np.int64), float(w_all[np.ix_(g, g)].sum()) / 2.0)
                    for g in ex.groups
                ]
                fallback = (
                    message("unmatched.left_out_for_others", why=diagnoses[0].message)
                    if diagnoses
                    else message("unmatched.no_valid_group")
                )
                unmatched = {i: unmatched.get(i, fallback) for i in ex.unmatched}
                objective = ex.objective
                solver = "milp"
            bound = min(bound, ex.objective)
            optimal = True
    concepts = Concepts.fit(peers) if explain else None
    with Progress(total=n_total, enabled=progress and explain, desc="explaining") as bar:
        groups = _as_groups(peers, found, prof, explain, concepts, bar)
    return MatchResult(
        kind="groups",
        groups=tuple(groups),
        unmatched=tuple(Unmatched(peers[i].id, r) for i, r in sorted(unmatched.items())),
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        optimal=optimal,
        diagnostics=tuple(_dedupe(diagnoses)),
        solver=solver,
        seconds=time.perf_counter() - started,
        encoder=prof.encoder,
    )


#: Reasons given before any grouping is tried: they stand whatever the search does.
_BEFORE_GROUPING = frozenset(
    {"unmatched.no_language", "unmatched.pinned_no_language", "unmatched.pinned_other_stage"}
)


def _better(
    found_a: list[tuple[IntArray, float]],
    unmatched_a: dict[int, Message],
    found_b: list[tuple[IntArray, float]],
    unmatched_b: dict[int, Message],
) -> bool:
    """More peers placed wins; then the higher objective."""
    key_a = (-len(unmatched_a), sum(w for _, w in found_a))
    key_b = (-len(unmatched_b), sum(w for _, w in found_b))
    return key_a > (key_b[0], key_b[1] + 1e-9)


def _joint(
    peers: Sequence[Peer],
    pool: _Pool,
    prof: Profiles,
    z: GroupEmbedding,
    rules: GroupRules,
    index: dict[str, int],
    unmatched: dict[int, Message],
    deadline: float,
    restarts: int,
    rng: np.random.Generator,
    placed: int,
) -> tuple[list[tuple[IntArray, float]], dict[int, Message]] | None:
    """One block of every groupable peer, with the common-language and same-stage rules
    enforced by the search itself. None when that does not give valid groups, or when it
    could not place more than the ``placed`` peers the compartments' groups hold."""
    hard = {i: r for i, r in unmatched.items() if r.code in _BEFORE_GROUPING}
    idx = np.array([i for i in range(len(peers)) if i not in hard], dtype=np.int64)
    if idx.size < rules.min_size:
        return None
    out: dict[int, Message] = dict(hard)
    kept, k = _plan(pool, idx, rules, message("where.pool"), out, [])
    if not k:
        return None
    shared: list[NDArray[np.float64]] = []
    if rules.common_language:
        langs = sorted({lang for i in idx.tolist() for lang in peers[i].languages})
        shared.append(
            np.array(
                [[lang in peers[i].languages for lang in langs] for i in idx.tolist()],
                dtype=np.float64,
            )
        )
    if rules.same_stage:
        stages = sorted({peers[i].reform_stage for i in idx.tolist()})
        shared.append(
            np.array(
                [[peers[i].reform_stage == st for st in stages] for i in idx.tolist()],
                dtype=np.float64,
            )
        )
    block = _block_data(pool, prof, None, idx, rules, index, tuple(shared))
    # The counting conditions know nothing of languages or stages: when k groups cannot be
    # made to hold them, one group fewer (with the peers it cannot take left out) may.
    for fewer in range(3):
        if fewer:
            if idx.size > RETRY_LIMIT or (k - 1) * rules.max_size < placed:
                # Larger pools: each try is a full search, for a group the compartments'
                # search has usually formed already. Or fewer groups could not place as
                # many peers as the compartments did.
                return None
            chosen = _select(pool, idx, k - 1, rules, message("where.pool"))
            if chosen is None:
                return None
            kept, k = chosen[0], k - 1
            out = {**hard, **chosen[1]}
        binned = ~np.isin(idx, kept)
        sizes = _search.balanced_sizes(kept.size, k)
        assign, _, vio = _search.solve_block(
            block,
            sizes,
            z[idx],
            _units_in(pool, idx),
            deadline,
            restarts,
            rng,
            binned if binned.any() else None,
        )
        if not vio:
            break
        if k <= 1:
            return None
    else:
        return None
    sums = _search.group_sums(block, assign, k)
    found = [(idx[assign == g], float(sums[g])) for g in range(k) if (assign == g).any()]
    freed = [out.pop(int(i)) for i in idx[(assign < k) & binned] if int(i) in out]
    for i in idx[assign == k].tolist():
        if i not in out:
            out[i] = freed.pop() if freed else message("unmatched.left_out_rules")
    return found, out


def _dedupe(diagnoses: list[Diagnosis]) -> list[Diagnosis]:
    seen: set[tuple[str, Message]] = set()
    out = []
    for d in diagnoses:
        key = (d.constraint, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _check_rule_ids(
    excluded: frozenset[frozenset[str]], pinned: Sequence[frozenset[str]], index: dict[str, int]
) -> None:
    for pair in excluded:
        for pid in pair:
            if pid not in index:
                raise ValueError(f"excluded pair names unknown peer id {pid!r}")
    for pin in pinned:
        for pid in pin:
            if pid not in index:
                raise ValueError(f"pinned set names unknown peer id {pid!r}")


def _retry_broken(
    pool: _Pool,
    prof: Profiles,
    z: GroupEmbedding,
    found: list[tuple[IntArray, float]],
    broken: list[tuple[IntArray, Message]],
    rules: GroupRules,
    index: dict[str, int],
    peers: Sequence[Peer],
    rng: np.random.Generator,
    unmatched: dict[int, Message],
    diagnoses: list[Diagnosis],
) -> list[tuple[IntArray, float]]:
    """Groups the block search could not make valid: re-solve those of one compartment
    together, then leave out what still fails, naming the rule the group kept breaking."""
    by_key: dict[Message, list[IntArray]] = defaultdict(list)
    for members, key in broken:
        by_key[key].append(members)
    check_rules = _local_rules(rules)
    for where, parts in by_key.items():
        idx = np.sort(np.concatenate(parts))
        k = len(parts)
        block = _block_data(pool, prof, None, idx, rules, index)
        sizes = _search.balanced_sizes(idx.size, k)
        assign, _, _ = _search.solve_block(
            block, sizes, z[idx], _units_in(pool, idx), time.perf_counter() + 10.0, 16, rng
        )
        sums = _search.group_sums(block, assign, k)
        for g in range(k):
            members = idx[assign == g]
            names = [peers[i].id for i in members.tolist()]
            problems = check_groups(peers, [names], check_rules)
            if problems:
                rule = problems[0].constraint
                for i in members.tolist():
                    unmatched[i] = message("unmatched.rule_kept_breaking", where=where, rule=rule)
                diagnoses.append(
                    Diagnosis(
                        rule, message("diagnosis.rule_kept_breaking", where=where, rule=rule), {}
                    )
                )
            else:
                found.append((members, float(sums[g])))
    return found


def _local_rules(rules: GroupRules) -> GroupRules:
    """Rules for checking one group alone (pins span groups, so they are checked globally)."""
    return GroupRules(
        min_size=rules.min_size,
        max_size=rules.max_size,
        common_language=rules.common_language,
        min_countries=rules.min_countries,
        max_per_org=rules.max_per_org,
        max_gender_share=rules.max_gender_share,
        min_senior=rules.min_senior,
        same_stage=rules.same_stage,
        excluded=rules.excluded,
    )


def group_by_weights(
    ids: Sequence[str],
    weights: NDArray[np.floating],
    n_groups: int,
    *,
    time_limit: float | None = None,
    seed: int = 0,
    exact_limit: int = 24,
) -> MatchResult:
    """Split ``ids`` into ``n_groups`` groups of equal size (sizes differ by at most one),
    maximising the sum of within-group weights over ordered pairs.

    ``weights`` is a square matrix aligned with ``ids``; an asymmetric matrix counts
    w[i, j] + w[j, i] per pair. Up to ``exact_limit`` elements the MILP proves optimality.

    Complexity: local search O(r * n^2 * k) per round, r restarts; MILP exponential in n.

    >>> w = np.array([[0, 9, 1, 1], [9, 0, 1, 1], [1, 1, 0, 9], [1, 1, 9, 0]])
    >>> res = group_by_weights(["a", "b", "c", "d"], w, 2)
    >>> sorted(map(sorted, res.member_lists())), res.objective, res.optimal
    ([['a', 'b'], ['c', 'd']], 36.0, True)
    """
    started = time.perf_counter()
    w = np.asarray(weights, dtype=np.float64)
    n = len(ids)
    if w.shape != (n, n):
        raise ValueError(f"weight matrix is {w.shape}, expected {(n, n)}")
    if not 1 <= n_groups <= n:
        raise ValueError(f"number of groups must be between 1 and {n}")
    sym = (w + w.T) / 2.0
    np.fill_diagonal(sym, 0.0)
    sizes = _search.balanced_sizes(n, n_groups)
    rules = GroupRules(
        min_size=max(int(sizes.min()), 2), max_size=max(int(sizes.max()), 2), common_language=False
    )
    peers = [Peer(i) for i in ids]
    index = index_peers(peers)
    pool = _make_pool(peers, rules, index)
    block = _block_data(pool, None, sym, np.arange(n), rules, index)
    rng = np.random.default_rng(seed)
    deadline = started + (time_limit if time_limit is not None else 60.0)
    restarts = 200 if n <= 100 else 32 if n <= 1000 else 4
    with threadpool_limits(1):
        assign, obj_half, _ = _search.solve_block(block, sizes, None, [], deadline, restarts, rng)
    sums = _search.group_sums(block, assign, n_groups)
    found = [(np.flatnonzero(assign == g), float(sums[g])) for g in range(n_groups)]
    objective = 2.0 * obj_half
    solver = "assignment+local-search"
    order = -np.sort(-np.maximum(sym, 0), axis=1)[:, : int(sizes.max()) - 1]
    bound: float | None = float(order.sum())
    optimal = False
    if n <= exact_limit:
        ex = exact.solve_partition(sym, sizes, time_limit=time_limit)
        if ex is not None and ex.proven:
            if ex.objective > objective + 1e-6:
                found = [
                    (np.array(g, dtype=np.int64), float(sym[np.ix_(g, g)].sum()) / 2.0)
                    for g in ex.groups
                ]
                objective = ex.objective
                solver = "milp"
            bound = ex.objective
            optimal = True
    groups = _as_groups(peers, found, None, False, None)
    return MatchResult(
        kind="groups",
        groups=tuple(groups),
        unmatched=(),
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        optimal=optimal,
        solver=solver,
        seconds=time.perf_counter() - started,
        encoder="weights",
    )
