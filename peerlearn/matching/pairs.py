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

from peerlearn.matching._search import kmeans_affinity
from peerlearn.matching.encoders import Encoder
from peerlearn.matching.explain import Concepts, explain_pair
from peerlearn.matching.features import Profiles, build_profiles, pair_scores
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


class _Compat:
    """Which seeker-provider pairs the hard rules allow, evaluated block by block."""

    def __init__(self, peers: Sequence[Peer], rules: PairRules, index: dict[str, int]) -> None:
        langs = sorted({lang for p in peers for lang in p.languages})
        self.lang_bits: list[int] = []
        # More than 63 languages cannot share one int64 mask; fall back to exact sets then.
        self.exact_langs = len(langs) > 63
        bit = {lang: 1 << i for i, lang in enumerate(langs[:63])}
        self.mask = np.array([sum(bit.get(lang, 0) for lang in set(p.languages)) for p in peers],
                             dtype=np.int64)
        self.lang_sets = [set(p.languages) for p in peers]
        _, org = np.unique(np.array([p.organisation or f"\0{p.id}" for p in peers], dtype=str),
                           return_inverse=True)
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
                ok &= np.array([[bool(self.lang_sets[s] & self.lang_sets[p]) for p in providers]
                                for s in seekers], dtype=bool).reshape(ok.shape)
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
    compat = _Compat(peers, rules, index)
    diagnoses: list[Diagnosis] = []
    capacity = {i: rules.provider_capacity for i, p in enumerate(peers) if p.provides}
    fixed: list[tuple[int, int]] = []
    for sid, pid in rules.pinned:
        s, p = index.get(sid), index.get(pid)
        if s is None or p is None:
            raise ValueError(f"pinned pair names unknown peer id {sid if s is None else pid!r}")
        if not peers[s].seeks or not peers[p].provides or capacity.get(p, 0) < 1 or \
                any(fs == s for fs, _ in fixed):
            diagnoses.append(Diagnosis("pinned", f"pinned pair ({sid}, {pid}) cannot be kept: "
                                       "roles or capacity do not allow it",
                                       {"provider_capacity": rules.provider_capacity + 1}))
            continue
        fixed.append((s, p))
        capacity[p] -= 1
    pinned_seekers = {s for s, _ in fixed}
    seekers = np.array([i for i, p in enumerate(peers) if p.seeks and i not in pinned_seekers],
                       dtype=np.int64)
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
            solver = "candidates+sparse-assignment"
        bar.update(int(seekers.size))
    pairs = fixed + chosen
    scores = _scores(prof, pairs)
    objective = float(sum(scores))
    fixed_scores = float(sum(scores[: len(fixed)]))
    bound = fixed_scores + float(np.maximum(best, 0.0).sum())
    if optimal:
        # The assignment is exact for "as many pairs as possible, then the best total".
        bound = objective
    concepts = Concepts.fit(peers) if explain else None
    groups = []
    for (s, p), score in zip(pairs, scores, strict=True):
        expl = explain_pair(peers, s, p, score, concepts) if explain else None
        g = Group(members=(peers[s].id, peers[p].id), score=score,
                  language=_first_common(peers[s], peers[p]), seeker=peers[s].id,
                  provider=peers[p].id)
        if expl is not None:
            g = Group(members=g.members, score=score, language=g.language, explanation=expl,
                      seeker=g.seeker, provider=g.provider)
        groups.append(g)
    unmatched = _unmatched(peers, pairs, compat, providers, seekers, rules, diagnoses)
    return MatchResult(
        kind="pairs", groups=tuple(groups), unmatched=tuple(unmatched), objective=objective,
        bound=bound, gap=gap_of(objective, bound), optimal=optimal,
        diagnostics=tuple(diagnoses), solver=solver, seconds=time.perf_counter() - started,
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
        block = pair_scores(prof, s[start:start + 4096], p[start:start + 4096])
        out.extend(np.diagonal(block).astype(float).tolist())
    return out


def _dense(prof: Profiles, compat: _Compat, seekers: IntArray, providers: IntArray,
           slots: IntArray) -> tuple[list[tuple[int, int]], NDArray[np.float64]]:
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


def _sparse(prof: Profiles, compat: _Compat, seekers: IntArray, providers: IntArray,
            slots: IntArray, candidates: int, seed: int
            ) -> tuple[list[tuple[int, int]], NDArray[np.float64]]:
    """Candidate graph from provider clusters, solved by sparse min-weight matching."""
    rng = np.random.default_rng(seed)
    n_clusters = max(2, int(np.sqrt(providers.size)))
    sample = providers if providers.size <= 20_000 else rng.choice(providers, 20_000,
                                                                    replace=False)
    # Centroids from a sample, then every provider joins its nearest centroid.
    exp = prof.experience
    aff = kmeans_affinity(exp[sample], n_clusters, rng)
    centre_of = np.argmax(aff, axis=1)
    centres = np.zeros((n_clusters, exp.shape[1]), dtype=np.float32)
    np.add.at(centres, centre_of, exp[sample])
    centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
    label = np.concatenate([np.argmax(exp[providers[i:i + 8192]] @ centres.T, axis=1)
                            for i in range(0, providers.size, 8192)])
    member_pos = [np.flatnonzero(label == c) for c in range(n_clusters)]
    probe = min(n_clusters, 8)
    seeker_top = np.concatenate([np.argmax(prof.challenge[seekers[i:i + 8192]] @ centres.T, axis=1)
                                 for i in range(0, seekers.size, 8192)])
    near = np.argsort(-(centres @ centres.T), axis=1)[:, :probe]
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    best = np.zeros(seekers.size)
    for c in range(n_clusters):
        srows = np.flatnonzero(seeker_top == c)
        if srows.size == 0:
            continue
        cand_pos = np.concatenate([member_pos[b] for b in near[c]])
        if cand_pos.size == 0:
            continue
        cand = providers[cand_pos]
        for start in range(0, srows.size, 2048):
            chunk = srows[start:start + 2048]
            score = pair_scores(prof, seekers[chunk], cand).astype(np.float64)
            score[~compat.allowed(seekers[chunk], cand)] = -np.inf
            keep = min(candidates, cand.size)
            top = np.argpartition(-score, keep - 1, axis=1)[:, :keep]
            top_val = np.take_along_axis(score, top, axis=1)
            best[chunk] = np.maximum(np.max(top_val, axis=1, initial=-np.inf), 0.0)
            finite = np.isfinite(top_val)
            r_idx = np.repeat(chunk, keep).reshape(chunk.size, keep)[finite]
            rows.append(r_idx)
            cols.append(cand_pos[top][finite])
            vals.append(top_val[finite])
    if not rows:
        return [], best
    r = np.concatenate(rows)
    p = np.concatenate(cols)
    v = np.concatenate(vals)
    spread = float(np.abs(v).max()) + 1.0
    # Provider slots are columns; each seeker also gets a private "stay unmatched" column
    # costlier than any real pair, so a full matching always exists.
    slot_start = np.concatenate([[0], np.cumsum(slots)[:-1]])
    rep = slots[p]
    r_all = np.repeat(r, rep)
    offsets = np.concatenate([np.arange(k) for k in rep]) if rep.size else rep
    c_all = np.repeat(slot_start[p], rep) + offsets
    cost_all = np.repeat(spread - v, rep)
    n_slots = int(slots.sum())
    dummy_cost = 3.0 * spread
    r_all = np.concatenate([r_all, np.arange(seekers.size)])
    c_all = np.concatenate([c_all, n_slots + np.arange(seekers.size)])
    cost_all = np.concatenate([cost_all, np.full(seekers.size, dummy_cost)])
    graph = sparse.csr_matrix((cost_all, (r_all, c_all)),
                              shape=(seekers.size, n_slots + seekers.size))
    matched_col = min_weight_full_bipartite_matching(graph)[1]
    slot_owner = np.repeat(np.arange(providers.size), slots)
    out = []
    for row, col in enumerate(matched_col.tolist()):
        if 0 <= col < n_slots:
            out.append((int(seekers[row]), int(providers[slot_owner[col]])))
    return out, best


def _unmatched(peers: Sequence[Peer], pairs: list[tuple[int, int]], compat: _Compat,
               providers: IntArray, seekers: IntArray, rules: PairRules,
               diagnoses: list[Diagnosis]) -> list[Unmatched]:
    in_pair = {i for pair in pairs for i in pair}
    paired_seekers = {s for s, _ in pairs}
    all_providers = np.array([i for i, p in enumerate(peers) if p.provides], dtype=np.int64)
    lonely = [i for i, peer in enumerate(peers) if peer.seeks and i not in paired_seekers
              and i not in in_pair]
    has_option: dict[int, bool] = {}
    shares_language: dict[int, bool] = {}
    for start in range(0, len(lonely), 512):
        chunk = np.array(lonely[start:start + 512], dtype=np.int64)
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
                reason = (f"every provider who could help is at capacity "
                          f"({rules.provider_capacity} seeker(s) each)")
            elif all_providers.size == 0:
                reason = "there are no providers in the pool"
            elif rules.common_language and not compat.exact_langs and not shares_language[i]:
                reason = "no provider speaks a language this peer speaks"
            else:
                reason = "every provider is ruled out (language, same organisation or an " \
                         "excluded pair)"
            out.append(Unmatched(peer.id, reason))
        else:
            out.append(Unmatched(peer.id, "no seeker needed this provider's experience more "
                                 "than another provider's"))
    if short_capacity:
        diagnoses.append(Diagnosis(
            "provider_capacity", f"{short_capacity} seeker(s) could be paired with more "
            "provider capacity", {"provider_capacity": rules.provider_capacity + 1}))
    return out
