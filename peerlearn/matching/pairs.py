"""Type I pairs: each seeker learns from one provider whose experience answers their challenge.

Up to about four million seeker x provider-slot cells the pairing is exact: a linear-sum
assignment that first pairs as many seekers as possible and then maximises the summed score.
Beyond that, candidates come from clustering the providers' experience vectors (each seeker
scores the providers of the clusters nearest its own challenge), and the same lexicographic
objective is solved exactly on that sparse candidate graph.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching
from threadpoolctl import threadpool_limits

from peerlearn.matching.encoders import Encoder
from peerlearn.matching.explain import Concepts, explain_pair
from peerlearn.matching.features import Profiles, build_profiles, pair_scores, pairing_profiles
from peerlearn.matching.groups.search import kmeans_affinity
from peerlearn.matching.messages import message
from peerlearn.matching.progress import Progress
from peerlearn.matching.types import (
    Diagnosis,
    Group,
    MatchResult,
    PairRules,
    Peer,
    ScoreWeights,
    Unmatched,
    gap_of,
    index_peers,
)

IntArray = NDArray[np.int64]

#: Largest seeker x provider-slot matrix solved densely (exactly).
DENSE_LIMIT = 4_000_000
#: Up to this many seeker x provider cells, the bound scores every pair (O(S P d)).
EXACT_BOUND_CELLS = 100_000_000


class _Compat:
    """Which seeker-provider pairs the hard rules allow, evaluated block by block."""

    def __init__(self, peers: Sequence[Peer], rules: PairRules, index: dict[str, int]) -> None:
        langs = sorted({lang for p in peers for lang in p.languages})
        self.lang_bits: list[int] = []
        # More than 63 languages cannot share one int64 mask; fall back to exact sets then.
        self.exact_langs = len(langs) > 63
        bit = {lang: 1 << i for i, lang in enumerate(langs[:63])}
        self.mask = np.array(
            [sum(bit.get(lang, 0) for lang in set(p.languages)) for p in peers], dtype=np.int64
        )
        self.lang_sets = [set(p.languages) for p in peers]
        _, org = np.unique(
            np.array([p.organisation or f"\0{p.id}" for p in peers], dtype=str), return_inverse=True
        )
        self.org = np.asarray(org, dtype=np.int64).reshape(-1)
        self.rules = rules
        self.excluded: dict[int, set[int]] = defaultdict(set)
        for pair in rules.excluded:
            a, b = (index.get(p) for p in pair)
            if a is not None and b is not None:
                self.excluded[a].add(b)
                self.excluded[b].add(a)

    def allowed(self, seekers: IntArray, providers: IntArray) -> NDArray[np.bool_]:
        ok: NDArray[np.bool_] = np.asarray(seekers[:, None] != providers[None, :], dtype=bool)
        if self.rules.common_language:
            if self.exact_langs:
                ok &= np.array(
                    [
                        [bool(self.lang_sets[s] & self.lang_sets[p]) for p in providers]
                        for s in seekers
                    ],
                    dtype=bool,
                ).reshape(ok.shape)
            else:
                ok &= (self.mask[seekers][:, None] & self.mask[providers][None, :]) != 0
        if self.rules.different_organisation:
            ok &= self.org[seekers][:, None] != self.org[providers][None, :]
        if self.excluded:
            pos = {int(p): c for c, p in enumerate(providers.tolist())}
            for r, s in enumerate(seekers.tolist()):
                for other in self.excluded.get(s, ()):
                    if other in pos:
                        ok[r, pos[other]] = False
        return ok


def match_pairs(
    peers: Sequence[Peer],
    rules: PairRules | None = None,
    *,
    encoder: Encoder | None = None,
    weights: ScoreWeights | None = None,
    profiles: Profiles | None = None,
    candidates: int = 30,
    seed: int = 0,
    explain: bool = True,
    progress: bool = False,
) -> MatchResult:
    """Pair seekers with providers (each provider takes up to ``provider_capacity`` seekers).

    Pairs as many seekers as the rules allow, then maximises the summed pair score. The
    bound is each seeker's best allowed provider; ``optimal`` is True when the dense solver
    ran (the candidate graph is exact only over the candidates it keeps).

    Complexity: dense O(S^2 P C) worst case for the assignment (S seekers, P providers,
    capacity C); large instances O(S * c * d) to build candidates plus sparse assignment.

    >>> from peerlearn.matching.encoders import TfidfEncoder
    >>> ps = [Peer("s", role="seeker", organisation="A", languages=("en",),
    ...            challenge="market fee revenue"),
    ...       Peer("p", role="provider", organisation="B", languages=("en",),
    ...            experience="raised market fee revenue")]
    >>> match_pairs(ps, encoder=TfidfEncoder()).pair_list()
    [('s', 'p')]
    """
    started = time.perf_counter()
    rules = rules or PairRules()
    index = index_peers(peers)
    for pair in rules.excluded:
        for pid in pair:
            if pid not in index:
                raise ValueError(f"excluded pair names unknown peer id {pid!r}")
    prof = profiles if profiles is not None else build_profiles(peers, encoder, weights)
    prof = pairing_profiles(
        prof,
        np.array([i for i, p in enumerate(peers) if p.seeks], dtype=np.int64),
        np.array([i for i, p in enumerate(peers) if p.provides], dtype=np.int64),
    )
    compat = _Compat(peers, rules, index)
    diagnoses: list[Diagnosis] = []
    capacity = {i: rules.provider_capacity for i, p in enumerate(peers) if p.provides}
    fixed: list[tuple[int, int]] = []
    for sid, pid in rules.pinned:
        s, p = index.get(sid), index.get(pid)
        if s is None or p is None:
            raise ValueError(f"pinned pair names unknown peer id {sid if s is None else pid!r}")
        if (
            not peers[s].seeks
            or not peers[p].provides
            or capacity.get(p, 0) < 1
            or any(fs == s for fs, _ in fixed)
        ):
            diagnoses.append(
                Diagnosis(
                    "pinned",
                    message("diagnosis.pinned_pair", seeker=sid, provider=pid),
                    {"provider_capacity": rules.provider_capacity + 1},
                )
            )
            continue
        fixed.append((s, p))
        capacity[p] -= 1
    pinned_seekers = {s for s, _ in fixed}
    seekers = np.array(
        [i for i, p in enumerate(peers) if p.seeks and i not in pinned_seekers], dtype=np.int64
    )
    providers = np.array([i for i, c in capacity.items() if c > 0], dtype=np.int64)
    slots = np.array([capacity[int(p)] for p in providers], dtype=np.int64)
    with Progress(total=int(seekers.size), enabled=progress, desc="pairing") as bar:
        if seekers.size * max(int(slots.sum()), 1) <= DENSE_LIMIT:
            chosen, best = _dense(prof, compat, seekers, providers, slots)
            optimal = True
            solver = "linear-sum-assignment"
        else:
            chosen, best = _sparse(prof, compat, seekers, providers, slots, candidates, seed)
            optimal = False
            solver = "clusters+assignment"
        bar.update(int(seekers.size))
    pairs = fixed + chosen
    scores = _scores(prof, pairs)
    objective = float(sum(scores))
    fixed_scores = float(sum(scores[: len(fixed)]))
    bound = fixed_scores + float(np.maximum(best, 0.0).sum())
    if optimal:
        # The assignment is exact for "as many pairs as possible, then the best total".
        bound = objective
    shared = Concepts.fit(peers).between_many(pairs) if explain and pairs else []
    groups = []
    for n, ((s, p), score) in enumerate(zip(pairs, scores, strict=True)):
        expl = explain_pair(peers, s, p, shared[n]) if explain else None
        g = Group(
            members=(peers[s].id, peers[p].id),
            score=score,
            language=_first_common(peers[s], peers[p]),
            seeker=peers[s].id,
            provider=peers[p].id,
        )
        if expl is not None:
            g = Group(
                members=g.members,
                score=score,
                language=g.language,
                explanation=expl,
                seeker=g.seeker,
                provider=g.provider,
            )
        groups.append(g)
    unmatched = _unmatched(peers, pairs, compat, providers, seekers, rules, diagnoses)
    return MatchResult(
        kind="pairs",
        groups=tuple(groups),
        unmatched=tuple(unmatched),
        objective=objective,
        bound=bound,
        gap=gap_of(objective, bound),
        optimal=optimal,
        diagnostics=tuple(diagnoses),
        solver=solver,
        seconds=time.perf_counter() - started,
        encoder=prof.encoder,
    )


def _first_common(a: Peer, b: Peer) -> str | None:
    common = sorted(set(a.languages) & set(b.languages))
    return common[0] if common else None


def _scores(prof: Profiles, pairs: list[tuple[int, int]]) -> list[float]:
    if not pairs:
        return []
    s = np.array([a for a, _ in pairs], dtype=np.int64)
    p = np.array([b for _, b in pairs], dtype=np.int64)
    out = []
    for start in range(0, s.size, 4096):
        block = pair_scores(prof, s[start : start + 4096], p[start : start + 4096])
        out.extend(np.diagonal(block).astype(float).tolist())
    return out


def _dense(
    prof: Profiles, compat: _Compat, seekers: IntArray, providers: IntArray, slots: IntArray
) -> tuple[list[tuple[int, int]], NDArray[np.float64]]:
    if seekers.size == 0 or providers.size == 0:
        return [], np.zeros(seekers.size)
    score = pair_scores(prof, seekers, providers).astype(np.float64)
    ok = compat.allowed(seekers, providers)
    best = np.where(ok, score, -np.inf).max(axis=1)
    best[~np.isfinite(best)] = 0.0
    spread = float(np.abs(score).max()) + 1.0
    # Every allowed pair outweighs any difference in scores: most pairs first, then quality.
    offset = 2.0 * spread * (seekers.size + 1)
    value = np.where(ok, score + offset, 0.0)
    cols = np.repeat(np.arange(providers.size), slots)
    rows, picked = linear_sum_assignment(value[:, cols], maximize=True)
    out = []
    for r, c in zip(rows.tolist(), picked.tolist(), strict=True):
        pcol = int(cols[c])
        if ok[r, pcol]:
            out.append((int(seekers[r]), int(providers[pcol])))
    return out, best


def _sparse(
    prof: Profiles,
    compat: _Compat,
    seekers: IntArray,
    providers: IntArray,
    slots: IntArray,
    candidates: int,
    seed: int,
) -> tuple[list[tuple[int, int]], NDArray[np.float64]]:
    """Pairing by provider clusters: each seeker competes for the providers of the cluster
    nearest its challenge (an exact assignment per cluster); seekers left over move on to
    their next-nearest cluster that still has capacity, for a few rounds, and the last
    few are paired by a sparse assignment over every provider with capacity left.

    Also returns, per seeker, a proven upper bound on its best allowed score: exact over the
    clusters it scored, and centre-plus-radius (Cauchy-Schwarz) for the others.
    """
    rng = np.random.default_rng(seed)
    exp = prof.experience
    n_clusters = max(2, providers.size // 256)
    sample = providers if providers.size <= 30_000 else rng.choice(providers, 30_000, replace=False)
    aff = kmeans_affinity(exp[sample], n_clusters, rng)
    centres = np.zeros((n_clusters, exp.shape[1]), dtype=np.float32)
    sample_label = np.argmax(aff, axis=1)
    np.add.at(centres, sample_label, exp[sample])
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    label = np.concatenate(
        [
            np.argmax(exp[providers[i : i + 8192]] @ centres.T, axis=1)
            for i in range(0, providers.size, 8192)
        ]
    )
    members = [np.flatnonzero(label == c) for c in range(n_clusters)]  # positions in providers
    radius = np.array(
        [
            float(np.linalg.norm(exp[providers[m]] - centres[c], axis=1).max()) if m.size else 0.0
            for c, m in enumerate(members)
        ]
    )
    # Bound on the structured part of any score: |s_seeker| * max |s_provider| + stage bonus.
    s = prof.structured
    s_max = float(np.linalg.norm(s[providers], axis=1).max()) if s.shape[1] else 0.0
    extra = np.linalg.norm(s[seekers], axis=1) * s_max + prof.weights.stage
    centre_score = np.concatenate(
        [prof.challenge[seekers[i : i + 8192]] @ centres.T for i in range(0, seekers.size, 8192)]
    )
    cluster_bound = (
        centre_score + radius[None, :].astype(np.float32) + extra[:, None].astype(np.float32)
    )
    best_exact = np.full(seekers.size, -np.inf)
    scored = np.zeros((seekers.size, n_clusters), dtype=bool)
    left = slots.copy()
    open_seekers = np.ones(seekers.size, dtype=bool)
    out: list[tuple[int, int]] = []
    with threadpool_limits(1):
        for _ in range(4):
            has_room = np.array([bool(left[m].any()) for m in members])
            pending = np.flatnonzero(open_seekers)
            if pending.size == 0 or not has_room.any():
                break
            pref = centre_score[pending].copy()
            pref[:, ~has_room] = -np.inf
            pref[scored[pending]] = -np.inf
            choice = np.argmax(pref, axis=1)
            valid = np.isfinite(pref[np.arange(pending.size), choice])
            pending, choice = pending[valid], choice[valid]
            for c in np.unique(choice).tolist():
                rows = pending[choice == c]
                cols = members[c][left[members[c]] > 0]
                scored[rows, c] = True
                if cols.size == 0:
                    continue
                score = pair_scores(prof, seekers[rows], providers[cols]).astype(np.float64)
                ok = compat.allowed(seekers[rows], providers[cols])
                masked = np.where(ok, score, -np.inf)
                best_exact[rows] = np.maximum(best_exact[rows], masked.max(axis=1))
                for r, pcol in _assign(score, ok, left[cols]):
                    out.append((int(seekers[rows[r]]), int(providers[cols[pcol]])))
                    left[cols[pcol]] -= 1
                    open_seekers[rows[r]] = False
        out.extend(_leftovers(prof, compat, seekers, providers, open_seekers, left, candidates))
    if seekers.size * providers.size <= EXACT_BOUND_CELLS:
        return out, _exact_best(prof, compat, seekers, providers)
    unscored_bound = np.where(scored, -np.inf, cluster_bound).max(axis=1)
    best = np.maximum(np.maximum(best_exact, unscored_bound), 0.0)
    return out, best


def _exact_best(
    prof: Profiles, compat: _Compat, seekers: IntArray, providers: IntArray
) -> NDArray[np.float64]:
    """Each seeker's best allowed score over every provider (chunked, O(S P d))."""
    best = np.zeros(seekers.size)
    for start in range(0, seekers.size, 2048):
        rows = seekers[start : start + 2048]
        top = np.zeros(rows.size)
        for cstart in range(0, providers.size, 8192):
            cols = providers[cstart : cstart + 8192]
            score = pair_scores(prof, rows, cols).astype(np.float64)
            score[~compat.allowed(rows, cols)] = 0.0
            top = np.maximum(top, score.max(axis=1))
        best[start : start + rows.size] = top
    return best


def _assign(
    score: NDArray[np.float64], ok: NDArray[np.bool_], capacity: IntArray
) -> list[tuple[int, int]]:
    """Exact: most allowed pairs, then the best total (rows x capacity-expanded columns)."""
    spread = float(np.abs(score).max()) + 1.0 if score.size else 1.0
    offset = 2.0 * spread * (score.shape[0] + 1)
    value = np.where(ok, score + offset, 0.0)
    cols = np.repeat(np.arange(capacity.size), capacity)
    rows, picked = linear_sum_assignment(value[:, cols], maximize=True)
    return [
        (int(r), int(cols[c]))
        for r, c in zip(rows.tolist(), picked.tolist(), strict=True)
        if ok[r, cols[c]]
    ]


def _leftovers(
    prof: Profiles,
    compat: _Compat,
    seekers: IntArray,
    providers: IntArray,
    open_seekers: NDArray[np.bool_],
    left: IntArray,
    candidates: int,
) -> list[tuple[int, int]]:
    """Seekers still unpaired after the cluster rounds: score them against every provider
    with capacity left (usually few of either) and solve one sparse assignment."""
    rows = np.flatnonzero(open_seekers)
    cols = np.flatnonzero(left > 0)
    if rows.size == 0 or cols.size == 0:
        return []
    r_list: list[NDArray[np.int64]] = []
    c_list: list[NDArray[np.int64]] = []
    v_list: list[NDArray[np.float64]] = []
    for start in range(0, rows.size, 1024):
        chunk = rows[start : start + 1024]
        score = np.empty((chunk.size, 0))
        for cstart in range(0, cols.size, 16384):
            part = cols[cstart : cstart + 16384]
            block = pair_scores(prof, seekers[chunk], providers[part]).astype(np.float64)
            block[~compat.allowed(seekers[chunk], providers[part])] = -np.inf
            score = np.hstack([score, block])
        keep = min(candidates, cols.size)
        top = np.argpartition(-score, keep - 1, axis=1)[:, :keep]
        val = np.take_along_axis(score, top, axis=1)
        fin = np.isfinite(val)
        r_list.append(
            np.repeat(np.arange(start, start + chunk.size), keep).reshape(chunk.size, keep)[fin]
        )
        c_list.append(top[fin])
        v_list.append(val[fin])
    if not r_list or not np.concatenate(v_list).size:
        return []
    r = np.concatenate(r_list)
    c = np.concatenate(c_list)
    v = np.concatenate(v_list)
    spread = float(np.abs(v).max()) + 1.0
    cap = left[cols]
    slot_start = np.concatenate([[0], np.cumsum(cap)[:-1]])
    rep = cap[c]
    r_all = np.repeat(r, rep)
    offs = np.concatenate([np.arange(k) for k in rep]) if rep.size else rep
    c_all = np.repeat(slot_start[c], rep) + offs
    cost = np.repeat(spread - v, rep)
    n_slots = int(cap.sum())
    # A private "stay unpaired" column per seeker, dearer than any pair, keeps a full
    # matching possible.
    r_all = np.concatenate([r_all, np.arange(rows.size)])
    c_all = np.concatenate([c_all, n_slots + np.arange(rows.size)])
    cost = np.concatenate([cost, np.full(rows.size, 3.0 * spread)])
    graph = sparse.csr_matrix((cost, (r_all, c_all)), shape=(rows.size, n_slots + rows.size))
    matched = min_weight_full_bipartite_matching(graph)[1]
    owner = np.repeat(np.arange(cols.size), cap)
    out = []
    for i, col in enumerate(matched.tolist()):
        if 0 <= col < n_slots:
            p = int(cols[owner[col]])
            out.append((int(seekers[rows[i]]), int(providers[p])))
            left[p] -= 1
            open_seekers[rows[i]] = False
    return out


def _unmatched(
    peers: Sequence[Peer],
    pairs: list[tuple[int, int]],
    compat: _Compat,
    providers: IntArray,
    seekers: IntArray,
    rules: PairRules,
    diagnoses: list[Diagnosis],
) -> list[Unmatched]:
    in_pair = {i for pair in pairs for i in pair}
    paired_seekers = {s for s, _ in pairs}
    all_providers = np.array([i for i, p in enumerate(peers) if p.provides], dtype=np.int64)
    lonely = [
        i
        for i, peer in enumerate(peers)
        if peer.seeks and i not in paired_seekers and i not in in_pair
    ]
    has_option: dict[int, bool] = {}
    shares_language: dict[int, bool] = {}
    for start in range(0, len(lonely), 512):
        chunk = np.array(lonely[start : start + 512], dtype=np.int64)
        if all_providers.size:
            ok: NDArray[np.bool_] = np.asarray(compat.allowed(chunk, all_providers).any(axis=1))
            both = compat.mask[chunk][:, None] & compat.mask[all_providers][None, :]
            speak: NDArray[np.bool_] = np.asarray((both != 0).any(axis=1))
        else:
            ok = np.zeros(chunk.size, dtype=bool)
            speak = ok
        for pos, i in enumerate(chunk.tolist()):
            has_option[i] = bool(ok[pos])
            shares_language[i] = bool(speak[pos])
    out = []
    short_capacity = 0
    for i, peer in enumerate(peers):
        if i in in_pair:
            continue
        if i in has_option:
            if has_option[i]:
                short_capacity += 1
                reason = message(
                    "unmatched.providers_at_capacity", capacity=rules.provider_capacity
                )
            elif all_providers.size == 0:
                reason = message("unmatched.no_providers")
            elif rules.common_language and not compat.exact_langs and not shares_language[i]:
                reason = message("unmatched.no_provider_language")
            else:
                reason = message("unmatched.providers_ruled_out")
            out.append(Unmatched(peer.id, reason))
        else:
            out.append(Unmatched(peer.id, message("unmatched.provider_not_needed")))
    if short_capacity:
        diagnoses.append(
            Diagnosis(
                "provider_capacity",
                message("diagnosis.provider_capacity", count=short_capacity),
                {"provider_capacity": rules.provider_capacity + 1},
            )
        )
    return out
