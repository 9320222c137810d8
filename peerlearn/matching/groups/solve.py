"""Solving the blocks: each block's peers onto the groups by the search, then the repairs.

A block becomes the dense data of :mod:`~peerlearn.matching.groups.search`; groups the
search cannot make valid are searched again with the other broken groups of their
compartment, and left out naming the rule they kept breaking when that fails too. Small
pools are also searched as one block with languages and stages as rules of the search
(:func:`joint_search`), so multilingual peers land where they fit best.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from pickle import PicklingError

import numpy as np
from numpy.typing import NDArray

from peerlearn.matching.features import GroupEmbedding, Profiles, group_weights
from peerlearn.matching.groups import search
from peerlearn.matching.groups.blocking import Leaf
from peerlearn.matching.groups.compartments import plan, select
from peerlearn.matching.groups.pool import IntArray, Pool
from peerlearn.matching.messages import Message, message
from peerlearn.matching.progress import Progress
from peerlearn.matching.types import Diagnosis, GroupRules, Peer

logger = logging.getLogger(__name__)

#: Up to this many peers, a pool whose languages or stages rule out the number of groups
#: the counting conditions allow is searched again with one or two groups fewer.
RETRY_LIMIT = 48


def block_data(
    pool: Pool,
    prof: Profiles | None,
    weights: NDArray[np.float64] | None,
    idx: IntArray,
    rules: GroupRules,
    index: dict[str, int],
    shared: tuple[tuple[str, NDArray[np.float64]], ...] = (),
) -> search.Block:
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
    return search.Block(
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


def units_in(pool: Pool, idx: IntArray) -> list[IntArray]:
    unit = pool.unit[idx]
    _, inverse, counts = np.unique(unit, return_inverse=True, return_counts=True)
    groups = [np.flatnonzero(inverse == u) for u in np.flatnonzero(counts > 1)]
    return sorted(groups, key=len, reverse=True)


#: From this many peers, each block gets its own random stream and share of the time, and,
#: when a second process is allowed, a spawned process searches blocks from the end of the
#: list while this one searches from the start: the groups are the same whichever process
#: searched a block, with one process or two.
BLOCKS_BESIDE = 20_000

#: Blocks handed to the second process ahead of time, so it never waits for the first.
_AHEAD = 2

_BlockJob = tuple[
    search.Block,
    IntArray,
    "NDArray[np.float32] | None",
    list[IntArray],
    float,
    int,
    np.random.Generator,
    "NDArray[np.bool_] | None",
]
_BlockResult = tuple[IntArray, IntArray, NDArray[np.float64]]


def _search_block(job: _BlockJob) -> _BlockResult:
    """One block's search: the assignment, each group's violation and within-group sum."""
    block, sizes, zb, units, deadline, restarts, rng, binned = job
    k = sizes.size
    assign, _, vio = search.solve_block(block, sizes, zb, units, deadline, restarts, rng, binned)
    per_group = (
        search.evaluate(block, assign, k, binned is not None)[2] if vio else np.zeros(k, np.int64)
    )
    return assign, per_group, search.group_sums(block, assign, k)


def _block_job(
    pool: Pool,
    prof: Profiles | None,
    weights: NDArray[np.float64] | None,
    z: GroupEmbedding | None,
    leaf: Leaf,
    rules: GroupRules,
    index: dict[str, int],
    deadline: float,
    restarts: int,
    rng: np.random.Generator,
) -> _BlockJob:
    idx = leaf.idx
    block = block_data(pool, prof, weights, idx, rules, index)
    # Slots for the peers who start inside; those who start left out only swap in.
    inside = idx.size - (int(leaf.binned.sum()) if leaf.binned is not None else 0)
    sizes = search.balanced_sizes(inside, leaf.k)
    zb = z[idx] if z is not None else None
    return block, sizes, zb, units_in(pool, idx), deadline, restarts, rng, leaf.binned


def solve_blocks(
    pool: Pool,
    prof: Profiles | None,
    weights: NDArray[np.float64] | None,
    z: GroupEmbedding | None,
    blocks: list[Leaf],
    rules: GroupRules,
    index: dict[str, int],
    deadline: float,
    restarts: int,
    rng: np.random.Generator,
    progress: Progress,
    unmatched: dict[int, Message],
    beside: Executor | None = None,
) -> tuple[list[tuple[IntArray, float]], list[tuple[IntArray, Message]]]:
    """Valid groups with their within-group sums, and groups that still break a rule
    (with their compartment, so a retry never mixes languages or stages). ``beside``:
    a second process (:func:`peerlearn.matching.beside.second_process`) with which a
    large pool's blocks are shared (see :data:`BLOCKS_BESIDE`)."""
    results: list[_BlockResult | None] = [None] * len(blocks)
    total = sum(leaf.idx.size for leaf in blocks)
    if total >= BLOCKS_BESIDE:
        # Each block its own random stream and time share, whoever searches it and when.
        start = time.perf_counter()
        streams = rng.spawn(len(blocks))
        ends = np.cumsum([leaf.idx.size for leaf in blocks]) / max(total, 1)

        def job(b: int) -> _BlockJob:
            limit = start + (deadline - start) * float(ends[b])
            return _block_job(
                pool, prof, weights, z, blocks[b], rules, index, limit, restarts, streams[b]
            )

        _search_beside(job, [leaf.idx.size for leaf in blocks], progress, results, beside)
    else:
        remaining = total
        for b, leaf in enumerate(blocks):
            now = time.perf_counter()
            share = (deadline - now) * leaf.idx.size / max(remaining, 1)
            remaining -= leaf.idx.size
            this = _block_job(
                pool, prof, weights, z, leaf, rules, index, now + max(share, 0.0), restarts, rng
            )
            results[b] = _search_block(this)
            progress.update(leaf.idx.size)
    found: list[tuple[IntArray, float]] = []
    broken: list[tuple[IntArray, Message]] = []
    for leaf, result in zip(blocks, results, strict=True):
        assert result is not None
        assign, per_group, sums = result
        idx, k = leaf.idx, leaf.k
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
        for g in range(k):
            members = idx[assign == g]
            if members.size == 0:
                continue
            if per_group[g]:
                broken.append((members, leaf.key))
            else:
                found.append((members, float(sums[g])))
    return found, broken


def _search_beside(
    job: Callable[[int], _BlockJob],
    sizes: list[int],
    progress: Progress,
    results: list[_BlockResult | None],
    beside: Executor | None,
) -> None:
    """Search the blocks (``job(b)`` gives block b's search, ``sizes[b]`` its peers) here
    from the first and, given a ``beside`` process, there from the last, until the two
    meet; fill ``results`` in the blocks' order. Blocks the second process could not
    search (it failed, or stopped) are searched here."""
    executor = beside
    lo, hi = 0, len(sizes)
    pending: deque[tuple[int, Future[_BlockResult]]] = deque()

    def collect(wait: bool) -> None:
        while pending and (wait or pending[0][1].done()):
            b, future = pending.popleft()
            try:
                results[b] = future.result()
            except (BrokenProcessPool, OSError, PicklingError) as exc:
                logger.warning("block searched in this process: the second one failed (%s)", exc)
                results[b] = _search_block(job(b))
            progress.update(sizes[b])

    while lo < hi:
        while executor is not None and len(pending) < _AHEAD and hi - 1 > lo:
            try:
                future = executor.submit(_search_block, job(hi - 1))
            except (BrokenProcessPool, RuntimeError) as exc:
                logger.warning("blocks searched in this process only (%s)", exc)
                executor = None
                break
            hi -= 1
            pending.append((hi, future))
        results[lo] = _search_block(job(lo))
        progress.update(sizes[lo])
        lo += 1
        collect(wait=False)
    collect(wait=True)


#: Reasons given before any grouping is tried: they stand whatever the search does.
_BEFORE_GROUPING = frozenset(
    {"unmatched.no_language", "unmatched.pinned_no_language", "unmatched.pinned_other_stage"}
)


def better(
    found_a: list[tuple[IntArray, float]],
    unmatched_a: dict[int, Message],
    found_b: list[tuple[IntArray, float]],
    unmatched_b: dict[int, Message],
) -> bool:
    """More peers placed wins; then the higher objective."""
    key_a = (-len(unmatched_a), sum(w for _, w in found_a))
    key_b = (-len(unmatched_b), sum(w for _, w in found_b))
    return key_a > (key_b[0], key_b[1] + 1e-9)


def shared_attributes(
    peers: Sequence[Peer], idx: IntArray, rules: GroupRules
) -> tuple[tuple[str, NDArray[np.float64]], ...]:
    """Membership matrices of the attributes every group of ``idx`` must share one value
    of, each with its rule: languages spoken (``common_language``), reform stage
    (``same_stage``). For a block whose compartments do not already ensure them."""
    shared: list[tuple[str, NDArray[np.float64]]] = []
    if rules.common_language:
        langs = sorted({lang for i in idx.tolist() for lang in peers[i].languages})
        shared.append(
            (
                "common_language",
                np.array(
                    [[lang in peers[i].languages for lang in langs] for i in idx.tolist()],
                    dtype=np.float64,
                ),
            )
        )
    if rules.same_stage:
        stages = sorted({peers[i].reform_stage for i in idx.tolist()})
        shared.append(
            (
                "same_stage",
                np.array(
                    [[peers[i].reform_stage == st for st in stages] for i in idx.tolist()],
                    dtype=np.float64,
                ),
            )
        )
    return tuple(shared)


def joint_search(
    peers: Sequence[Peer],
    pool: Pool,
    prof: Profiles,
    z: GroupEmbedding,
    rules: GroupRules,
    index: dict[str, int],
    unmatched: dict[int, Message],
    deadline: float,
    restarts: int,
    rng: np.random.Generator,
    placed: int,
) -> tuple[list[tuple[IntArray, float]], dict[int, Message], list[Diagnosis]] | None:
    """One block of every groupable peer, with the common-language and same-stage rules
    enforced by the search itself: the groups, the reasons of the peers left out and the
    diagnoses those reasons quote. None when that does not give valid groups, or when it
    could not place more than the ``placed`` peers the compartments' groups hold."""
    hard = {i: r for i, r in unmatched.items() if r.code in _BEFORE_GROUPING}
    idx = np.array([i for i in range(len(peers)) if i not in hard], dtype=np.int64)
    if idx.size < rules.min_size:
        return None
    out: dict[int, Message] = dict(hard)
    diagnoses: list[Diagnosis] = []
    kept, k = plan(pool, idx, rules, message("where.pool"), out, diagnoses)
    if not k:
        return None
    shared = shared_attributes(peers, idx, rules)
    block = block_data(pool, prof, None, idx, rules, index, shared)
    # The counting conditions know nothing of languages or stages: when k groups cannot be
    # made to hold them, one group fewer (with the peers it cannot take left out) may.
    for fewer in range(3):
        if fewer:
            if idx.size > RETRY_LIMIT or (k - 1) * rules.max_size < placed:
                # Larger pools: each try is a full search, for a group the compartments'
                # search has usually formed already. Or fewer groups could not place as
                # many peers as the compartments did.
                return None
            chosen = select(pool, idx, k - 1, rules, message("where.pool"))
            if chosen is None:
                return None
            kept, k = chosen[0], k - 1
            out = {**hard, **chosen[1]}
        binned = ~np.isin(idx, kept)
        sizes = search.balanced_sizes(kept.size, k)
        assign, _, vio = search.solve_block(
            block,
            sizes,
            z[idx],
            units_in(pool, idx),
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
    sums = search.group_sums(block, assign, k)
    found = [(idx[assign == g], float(sums[g])) for g in range(k) if (assign == g).any()]
    freed = [out.pop(int(i)) for i in idx[(assign < k) & binned] if int(i) in out]
    for i in idx[assign == k].tolist():
        if i not in out:
            out[i] = freed.pop() if freed else message("unmatched.left_out_rules")
    return found, out, diagnoses


def retry_broken(
    pool: Pool,
    prof: Profiles,
    z: GroupEmbedding,
    found: list[tuple[IntArray, float]],
    broken: list[tuple[IntArray, Message]],
    rules: GroupRules,
    index: dict[str, int],
    rng: np.random.Generator,
    unmatched: dict[int, Message],
    diagnoses: list[Diagnosis],
) -> list[tuple[IntArray, float]]:
    """Groups the block search could not make valid: re-solve those of one compartment
    together, then leave out what still fails, naming the rule the group kept breaking."""
    by_key: dict[Message, list[IntArray]] = defaultdict(list)
    for members, key in broken:
        by_key[key].append(members)
    for where, parts in by_key.items():
        idx = np.sort(np.concatenate(parts))
        k = len(parts)
        block = block_data(pool, prof, None, idx, rules, index)
        sizes = search.balanced_sizes(idx.size, k)
        assign, _, _ = search.solve_block(
            block, sizes, z[idx], units_in(pool, idx), time.perf_counter() + 10.0, 16, rng
        )
        sums = search.group_sums(block, assign, k)
        for g, rule in enumerate(search.broken_rules(block, assign, k)):
            members = idx[assign == g]
            if rule is not None:
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
