"""The public entry points of the grouping library: :func:`match_groups` and
:func:`group_by_weights`.

``match_groups`` runs the pipeline: code the pool (:mod:`.pool`), split it into
compartments and check the counting conditions (:mod:`.compartments`), cut each compartment
into blocks along the similarity order (:mod:`.blocking`), search each block and repair
what stays broken (:mod:`.solve`, :mod:`.search`), bound the optimum (:mod:`.bound`) and,
on small instances, prove it with the exact MILP (:mod:`peerlearn.matching.exact`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from peerlearn.matching import exact
from peerlearn.matching.beside import second_process
from peerlearn.matching.composition import common_languages
from peerlearn.matching.encoders import Encoder
from peerlearn.matching.explain import Concepts, concepts_beside, explain_groups
from peerlearn.matching.features import (
    GroupEmbedding,
    Profiles,
    build_profiles,
    group_weights,
    grouping_profiles,
)
from peerlearn.matching.groups import search, tabu
from peerlearn.matching.groups.blocking import Leaf, reduce_dims, split_blocks, tree_order
from peerlearn.matching.groups.bound import EXACT_BOUND_LIMIT, upper_bounds
from peerlearn.matching.groups.compartments import (
    compartments,
    describe,
    diagnosis_where,
    plan,
    where_includes,
)
from peerlearn.matching.groups.pool import IntArray, Pool, make_pool, merged_pins
from peerlearn.matching.groups.relaxations import RELAXATION_CHECKS, judge_relaxations
from peerlearn.matching.groups.solve import (
    BLOCKS_BESIDE,
    better,
    block_data,
    joint_search,
    retry_broken,
    solve_blocks,
)
from peerlearn.matching.messages import Message, message
from peerlearn.matching.progress import Progress, timed
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

#: Instances up to this many peers are also solved by the exact MILP (proven optimum).
#: At 12 peers HiGHS needs about a second, at 16 about twenty.
EXACT_LIMIT = 12
#: Longest the proof may take when no time limit is given, in seconds.
EXACT_SECONDS = 10.0
#: Up to this many peers in a compartment, the search also picks who is left out.
BIN_LIMIT = 400
#: Starts of the local search before the iterated tabu search of :func:`group_by_weights`.
TABU_STARTS = 2


def _as_groups(
    peers: Sequence[Peer],
    found: list[tuple[IntArray, float]],
    prof: Profiles | None,
    explain: bool,
    concepts: object | None,
    progress: Progress | None = None,
) -> list[Group]:
    ordered = sorted(found, key=lambda m: int(m[0].min()))
    explained = (
        explain_groups(peers, [m for m, _ in ordered], prof, concepts)
        if explain and prof is not None
        else None
    )
    out = []
    for pos, (members, within) in enumerate(ordered):
        size = members.size
        score = 2.0 * within / (size * (size - 1)) if size > 1 else 0.0
        ids = tuple(peers[i].id for i in members.tolist())
        langs = sorted(common_languages(peers[i] for i in members.tolist()))
        lang = langs[0] if langs else None
        if explain and prof is not None:
            assert explained is not None
            out.append(Group(members=ids, score=score, language=lang, explanation=explained[pos]))
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
    processes: int = 1,
) -> MatchResult:
    """Partition the peers into learning groups that meet ``rules``, maximising similarity.

    The objective sums w(i, j) over ordered pairs in the same group. Peers that cannot be
    placed are listed in ``unmatched`` with a reason, and ``diagnostics`` name the rule that
    forced it and the relaxation that would avoid it, with whether that setting alone would
    place one of those peers (:mod:`~peerlearn.matching.groups.relaxations`).
    ``time_limit`` bounds the improvement phase; repairs that make groups valid always run
    to the end. With ``processes`` of 2 or more, a pool of at least
    :data:`~peerlearn.matching.groups.solve.BLOCKS_BESIDE` peers is shared with a second,
    spawned process (the explanations' concepts, and blocks from the end of the list); the
    groups are the same as with one. A script that calls this with processes must guard its
    own code with ``if __name__ == "__main__":``, as every program that starts processes by
    spawning them does.

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
    beside = processes >= 2
    large = len(peers) >= BLOCKS_BESIDE
    with threadpool_limits(1), second_process(beside and large) as helper:
        concepts = concepts_beside(peers, explain, helper)
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
            concepts=concepts,
            progress=progress,
            beside=helper,
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
    concepts: Callable[[], Concepts | None],
    progress: bool,
    beside: Executor | None,
) -> MatchResult:
    started = time.perf_counter()
    rules = rules or GroupRules()
    index = index_peers(peers)
    _check_rule_ids(rules.excluded, rules.pinned, index)
    texts = profiles if profiles is not None else build_profiles(peers, encoder, weights)
    if len(texts) != len(peers):
        raise ValueError("profiles must have one row per peer")
    # What the engine scores (one vector per peer under the peer vector similarity);
    # explanations read the texts' own vectors.
    prof = grouping_profiles(texts)
    rng = np.random.default_rng(seed)
    pool = make_pool(peers, rules, index)
    unmatched: dict[int, Message] = {}
    diagnoses: list[Diagnosis] = []
    for pin in merged_pins(rules, index):
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
    rank = tree_order(reduce_dims(GroupEmbedding(prof, structured=False), rng), rng)
    deadline = started + (time_limit if time_limit is not None else 3600.0)
    leaves: list[Leaf] = []
    for key, members in sorted(compartments(peers, rules, pool, unmatched, diagnoses).items()):
        idx = np.array(sorted(members), dtype=np.int64)
        where = describe(key, rules)
        kept, k = plan(pool, idx, rules, where, unmatched, diagnoses)
        if not k:
            continue
        parts = split_blocks(pool, kept, k, rank, rules)
        left_out = np.setdiff1d(idx, kept)
        left_out = left_out[~pool.pinned[left_out]]  # pinned sets stay out
        if len(parts) == 1 and left_out.size and idx.size <= BIN_LIMIT:
            # One block: let the search also choose who is left out.
            binned = np.concatenate([np.zeros(kept.size, bool), np.ones(left_out.size, bool)])
            leaves.append(Leaf(np.concatenate([kept, left_out]), k, where, binned))
        else:
            leaves.extend(Leaf(i, kb, where) for i, kb in parts)
    n_total = sum(leaf.idx.size for leaf in leaves)
    for leaf in leaves:
        if leaf.binned is not None:
            n_total -= int(leaf.binned.sum())
    restarts = 64 if n_total <= 200 else 8 if n_total <= 2000 else 1
    with Progress(total=n_total, enabled=progress, desc="grouping") as bar, threadpool_limits(1):
        # Blocks are small: one BLAS thread avoids thread start-up costs that dwarf the work.
        found, broken = solve_blocks(
            pool,
            prof,
            None,
            z,
            leaves,
            rules,
            index,
            deadline,
            restarts,
            rng,
            bar,
            unmatched,
            beside,
        )
        found = retry_broken(pool, prof, z, found, broken, rules, index, rng, unmatched, diagnoses)
        if (rules.common_language or rules.same_stage) and len(peers) <= BIN_LIMIT:
            # Small pools: also search with languages and stages as rules inside one block,
            # so multilingual peers are placed where they fit best; keep the better result.
            placed = sum(members.size for members, _ in found)
            joint = joint_search(
                peers, pool, prof, z, rules, index, unmatched, deadline, restarts, rng, placed
            )
            if joint is not None and better(joint[0], joint[1], found, unmatched):
                found, unmatched, searched = joint
                diagnoses.extend(searched)
    objective = 2.0 * sum(within for _, within in found)
    solver = "blocks+assignment+local-search"
    bound, block_bound = upper_bounds(prof, None, peers, rules, index, leaves, exact_bound_limit)
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
                unmatched = {
                    i: unmatched.get(i) or _left_out_reason(peers[i], diagnoses)
                    for i in ex.unmatched
                }
                objective = ex.objective
                solver = "milp"
            bound = min(bound, ex.objective)
            optimal = True
    with (
        timed("explain"),
        Progress(total=n_total, enabled=progress and explain, desc="explaining") as bar,
    ):
        groups = _as_groups(peers, found, texts, explain, concepts(), bar)
    diagnostics = _dedupe(_standing(diagnoses, [peers[i] for i in unmatched]))
    if unmatched and len(found) < RELAXATION_CHECKS and any(d.relaxation for d in diagnostics):
        diagnostics = judge_relaxations(
            peers,
            rules,
            [[peers[i].id for i in members.tolist()] for members, _ in found],
            _left_out_units(peers, pool, unmatched),
            diagnostics,
        )
    return MatchResult(
        kind="groups",
        groups=tuple(groups),
        unmatched=tuple(Unmatched(peers[i].id, r) for i, r in sorted(unmatched.items())),
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        optimal=optimal,
        diagnostics=tuple(diagnostics),
        solver=solver,
        seconds=time.perf_counter() - started,
        encoder=prof.encoder,
        block_bound=block_bound,
        block_gap=gap_of(objective, block_bound),
    )


def _left_out_reason(peer: Peer, diagnoses: Sequence[Diagnosis]) -> Message:
    """Why the exact solver leaves out a peer the search had placed: the first diagnosis
    about peers the peer is one of, when there is one."""
    if not diagnoses:
        return message("unmatched.no_valid_group")
    for d in diagnoses:
        where = diagnosis_where(d)
        if where is not None and where_includes(where, peer):
            return message("unmatched.left_out_for_others", why=d.message)
    return message("unmatched.left_out_rules")


def _left_out_units(
    peers: Sequence[Peer], pool: Pool, unmatched: dict[int, Message]
) -> list[list[str]]:
    """The ids of the peers left out, those of one pinned set together."""
    units: dict[int, list[str]] = {}
    for i in sorted(unmatched):
        units.setdefault(int(pool.unit[i]), []).append(peers[i].id)
    return list(units.values())


def _standing(diagnoses: Sequence[Diagnosis], left_out: Sequence[Peer]) -> list[Diagnosis]:
    """The diagnoses that still hold for the final groups: those about peers of whom at
    least one is left out, and those about no compartment. The exact solver and the joint
    search may place peers that the compartments could not."""
    out = []
    for d in diagnoses:
        where = diagnosis_where(d)
        if where is None or any(where_includes(where, peer) for peer in left_out):
            out.append(d)
    return out


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
    Beyond, the local search is followed by an iterated tabu search
    (:mod:`~peerlearn.matching.groups.tabu`) that runs until ``time_limit`` when one is
    given (so a longer limit gives a better grouping), else for
    :func:`~peerlearn.matching.groups.tabu.default_steps` steps (deterministic for a seed).

    Complexity: local search O(r * n^2 * k) per round, r restarts; tabu search O(n^2) per
    step; MILP exponential in n.

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
    sizes = search.balanced_sizes(n, n_groups)
    rules = GroupRules(
        min_size=max(int(sizes.min()), 2), max_size=max(int(sizes.max()), 2), common_language=False
    )
    peers = [Peer(i) for i in ids]
    index = index_peers(peers)
    pool = make_pool(peers, rules, index)
    block = block_data(pool, None, sym, np.arange(n), rules, index)
    rng = np.random.default_rng(seed)
    deadline = started + (time_limit if time_limit is not None else 60.0)
    # Beyond the MILP's reach, a few starts of the local search and then the iterated tabu
    # search: until the time limit when one is given, else for a fixed number of steps.
    polish = n > exact_limit and 1 < n_groups < n
    restarts = TABU_STARTS if polish else 200 if n <= 100 else 32 if n <= 1000 else 4
    solver = "assignment+local-search"
    with threadpool_limits(1):
        assign, obj_half, _ = search.solve_block(block, sizes, None, [], deadline, restarts, rng)
        if polish:
            out = tabu.iterated_tabu(
                sym,
                assign,
                n_groups,
                int(sizes.min()),
                int(sizes.max()),
                tabu.time_up(deadline),
                rng,
                max_steps=None if time_limit is not None else tabu.default_steps(n),
            )
            solver += "+iterated-tabu"
            if out.objective > obj_half:
                assign, obj_half = out.assign, out.objective
    sums = search.group_sums(block, assign, n_groups)
    found = [(np.flatnonzero(assign == g), float(sums[g])) for g in range(n_groups)]
    objective = 2.0 * obj_half
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
