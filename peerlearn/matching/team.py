"""Problem-focused teams: the reform hindrance is the basis; a team is assembled around it.

Relevance of a peer to the problem is the similarity of the problem text to their experience
(what they have done) plus half its similarity to their challenge (they are tackling it now).
The team maximises summed relevance under the rules, solved exactly as a small MILP per
candidate working language.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from peerlearn.matching.composition import gender_cap, gender_shares
from peerlearn.matching.encoders import Encoder, default_encoder, tfidf_stop_words
from peerlearn.matching.explain import explain_team
from peerlearn.matching.messages import message
from peerlearn.matching.types import (
    Diagnosis,
    Group,
    MatchResult,
    Peer,
    TeamRules,
    Unmatched,
    index_peers,
)

_WORD = re.compile(r"\w\w+", re.UNICODE)


def relevance(
    peers: Sequence[Peer], problem: str, encoder: Encoder | None = None
) -> NDArray[np.float32]:
    """How much each peer's experience (and, half as much, challenge) bears on ``problem``.

    >>> from peerlearn.matching.encoders import TfidfEncoder
    >>> r = relevance([Peer("a", experience="bus park tickets"), Peer("b", experience="audit")],
    ...               "raise revenue from bus park tickets", TfidfEncoder())
    >>> bool(r[0] > r[1])
    True
    """
    encoder = encoder or default_encoder()
    texts = [p.experience for p in peers] + [p.challenge for p in peers] + [problem]
    vec = encoder.encode(texts)
    n = len(peers)
    q = vec[-1]
    out: NDArray[np.float32] = (vec[:n] @ q + 0.5 * (vec[n : 2 * n] @ q)).astype(np.float32)
    return out


def _solve(
    peers: Sequence[Peer],
    rel: NDArray[np.float32],
    pool: list[int],
    rules: TeamRules,
    shares: dict[str, float],
    index: dict[str, int],
    time_limit: float | None,
) -> list[int] | None:
    """Exact best team drawn from ``pool`` (indices), or None when none meets the rules."""
    if len(pool) < rules.size:
        return None
    pool = _candidates(peers, rel, pool, rules, index)
    pool = _prune(peers, rel, pool, rules, shares, index)
    n = len(pool)
    pos = {g: i for i, g in enumerate(pool)}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    n_vars = n

    def row(coefs: dict[int, float], low: float, high: float) -> None:
        r = len(lo)
        for c, v in coefs.items():
            rows.append(r)
            cols.append(c)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    row(dict.fromkeys(range(n), 1.0), rules.size, rules.size)
    by_org: dict[str, list[int]] = defaultdict(list)
    by_country: dict[str, list[int]] = defaultdict(list)
    by_gender: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(pool):
        p = peers[g]
        by_org[p.organisation or f"\0{p.id}"].append(i)
        by_country[p.country].append(i)
        if p.gender:
            by_gender[p.gender].append(i)
    if rules.max_per_org is not None:
        for members in by_org.values():
            if len(members) > rules.max_per_org:
                row(dict.fromkeys(members, 1.0), 0, rules.max_per_org)
    country_vars: list[int] = []
    if rules.min_countries > 1:
        for members in by_country.values():
            t = n_vars
            n_vars += 1
            country_vars.append(t)
            row({t: 1.0, **dict.fromkeys(members, -1.0)}, -np.inf, 0)
        row(dict.fromkeys(country_vars, 1.0), rules.min_countries, np.inf)
    if rules.max_gender_share is not None:
        for gender, members in by_gender.items():
            cap = gender_cap(rules.size, rules.max_gender_share, shares.get(gender, 0.0))
            row(dict.fromkeys(members, 1.0), 0, cap)
    if rules.min_senior:
        row({i: 1.0 for i, g in enumerate(pool) if peers[g].is_senior}, rules.min_senior, np.inf)
    for pair in rules.excluded:
        a, b = (pos.get(index.get(p, -1)) for p in pair)
        if a is not None and b is not None:
            row({a: 1.0, b: 1.0}, 0, 1)
    lower = np.zeros(n_vars)
    for pid in rules.pinned:
        if index[pid] not in pos:
            return None
        lower[pos[index[pid]]] = 1.0
    cost = np.zeros(n_vars)
    cost[:n] = -rel[pool]
    integrality = np.zeros(n_vars, dtype=np.int64)
    integrality[:n] = 1
    matrix = coo_matrix((vals, (rows, cols)), shape=(len(lo), n_vars)).tocsr()
    options: dict[str, float | bool] = {"disp": False}
    if time_limit is not None:
        options["time_limit"] = max(time_limit, 0.1)
    constraints = [LinearConstraint(matrix, np.array(lo), np.array(hi))]
    res = milp(
        c=cost,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lower, np.ones(n_vars)),
        options=options,
    )
    if res.status == 4:  # a HiGHS presolve failure: solving without presolve works
        res = milp(
            c=cost,
            constraints=constraints,
            integrality=integrality,
            bounds=Bounds(lower, np.ones(n_vars)),
            options={**options, "presolve": False},
        )
    if res.x is None:
        return None
    return [pool[i] for i in np.flatnonzero(np.asarray(res.x)[:n] > 0.5).tolist()]


def _candidates(
    peers: Sequence[Peer],
    rel: NDArray[np.float32],
    pool: list[int],
    rules: TeamRules,
    index: dict[str, int],
) -> list[int]:
    """The peers an optimal team can be drawn from, so the MILP stays small on big pools.

    Peers alike in organisation, country, gender and seniority are interchangeable for
    every rule; an optimal team uses at most ``size`` of them, so only the most relevant
    ``size`` of each such class (plus one per excluded pair touching the class, and pinned
    peers) can be needed: swapping any other member for an unused, more relevant peer of
    its class keeps the team valid and no worse.
    """
    by_class: dict[tuple[str, str, str, bool], list[int]] = defaultdict(list)
    for i in pool:
        p = peers[i]
        by_class[(p.organisation or f"\0{p.id}", p.country, p.gender, p.is_senior)].append(i)
    touched: dict[tuple[str, str, str, bool], int] = defaultdict(int)
    for pair in rules.excluded:
        for pid in pair:
            at = index.get(pid)
            if at is not None:
                p = peers[at]
                touched[(p.organisation or f"\0{p.id}", p.country, p.gender, p.is_senior)] += 1
    keep = {index[pid] for pid in rules.pinned if pid in index}
    for key, members in by_class.items():
        room = rules.size + touched.get(key, 0)
        if len(members) > room:
            members = sorted(members, key=lambda i: -float(rel[i]))[:room]
        keep.update(members)
    return [i for i in pool if i in keep]


def _prune(
    peers: Sequence[Peer],
    rel: NDArray[np.float32],
    pool: list[int],
    rules: TeamRules,
    shares: dict[str, float],
    index: dict[str, int],
) -> list[int]:
    """Drop peers who cannot be in an optimal team: a greedy valid team gives a lower bound
    L, and a peer whose relevance plus the ``size - 1`` best others' is below L cannot help.
    Exact; it only removes work."""
    if len(pool) <= 50 * rules.size or rules.pinned:
        return pool
    order = sorted(pool, key=lambda i: -float(rel[i]))
    team: list[int] = []
    orgs: dict[str, int] = defaultdict(int)
    genders: dict[str, int] = defaultdict(int)
    excluded = {frozenset(pair) for pair in rules.excluded}

    def fits(i: int) -> bool:
        p = peers[i]
        if i in team:
            return False
        if (
            rules.max_per_org is not None
            and orgs[p.organisation or f"\0{p.id}"] >= rules.max_per_org
        ):
            return False
        if rules.max_gender_share is not None and p.gender:
            cap = gender_cap(rules.size, rules.max_gender_share, shares.get(p.gender, 0.0))
            if genders[p.gender] >= cap:
                return False
        return not any(frozenset((p.id, peers[j].id)) in excluded for j in team)

    def take(i: int) -> None:
        p = peers[i]
        team.append(i)
        orgs[p.organisation or f"\0{p.id}"] += 1
        if p.gender:
            genders[p.gender] += 1

    # Greedy, most relevant first: the seniors the rules need, then new countries until
    # there are enough, then anyone.
    for i in order:
        if sum(peers[j].is_senior for j in team) >= rules.min_senior:
            break
        if peers[i].is_senior and fits(i):
            take(i)
    for i in order:
        if len({peers[j].country for j in team}) >= rules.min_countries or len(team) >= rules.size:
            break
        if peers[i].country not in {peers[j].country for j in team} and fits(i):
            take(i)
    for i in order:
        if len(team) >= rules.size:
            break
        if fits(i):
            take(i)
    # ``fits`` kept the caps and exclusions; the pool is one country and language already.
    if (
        len(team) != rules.size
        or len({peers[j].country for j in team}) < rules.min_countries
        or sum(peers[j].is_senior for j in team) < rules.min_senior
    ):
        return pool  # no quick valid team: keep everyone
    lower = float(rel[team].sum())
    best_others = float(rel[order[: rules.size - 1]].sum())
    # A small tolerance keeps peers that tie within float rounding.
    return [i for i in pool if float(rel[i]) + best_others >= lower - 1e-6]


def _candidate_pools(
    peers: Sequence[Peer], rules: TeamRules, index: dict[str, int]
) -> list[tuple[str | None, list[int]]]:
    eligible = [
        i for i, p in enumerate(peers) if rules.country is None or p.country == rules.country
    ]
    if not rules.common_language:
        return [(None, eligible)]
    pinned_langs: set[str] | None = None
    for pid in rules.pinned:
        langs = set(peers[index[pid]].languages)
        pinned_langs = langs if pinned_langs is None else pinned_langs & langs
    speakers: dict[str, list[int]] = defaultdict(list)
    for i in eligible:
        for lang in set(peers[i].languages):
            if pinned_langs is None or lang in pinned_langs:
                speakers[lang].append(i)
    return sorted(speakers.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _best_team(
    peers: Sequence[Peer],
    rel: NDArray[np.float32],
    rules: TeamRules,
    index: dict[str, int],
    time_limit: float | None,
) -> tuple[list[int], str | None] | None:
    shares = gender_shares(peers)
    best: tuple[float, list[int], str | None] | None = None
    for lang, pool in _candidate_pools(peers, rules, index):
        team = _solve(peers, rel, pool, rules, shares, index, time_limit)
        if team is not None:
            value = float(rel[team].sum())
            if best is None or value > best[0] + 1e-12:
                best = (value, team, lang)
    return None if best is None else (best[1], best[2])


def _relaxations(rules: TeamRules) -> list[tuple[str, dict[str, object], TeamRules]]:
    """Single-rule relaxations, mildest first within each rule."""
    out: list[tuple[str, dict[str, object], TeamRules]] = []
    for k in range(rules.min_countries - 1, 0, -1):
        out.append(("min_countries", {"min_countries": k}, replace(rules, min_countries=k)))
    if rules.max_per_org is not None:
        for k in range(rules.max_per_org + 1, rules.size + 1):
            out.append(("max_per_org", {"max_per_org": k}, replace(rules, max_per_org=k)))
    for k in range(rules.min_senior - 1, -1, -1):
        out.append(("min_senior", {"min_senior": k}, replace(rules, min_senior=k)))
    if rules.max_gender_share is not None:
        out.append(
            ("max_gender_share", {"max_gender_share": None}, replace(rules, max_gender_share=None))
        )
    if rules.country is not None:
        out.append(("country", {"country": None}, replace(rules, country=None)))
    if rules.common_language:
        out.append(
            ("common_language", {"common_language": False}, replace(rules, common_language=False))
        )
    for k in range(rules.size - 1, 0, -1):
        out.append(
            (
                "size",
                {"size": k},
                replace(rules, size=k, pinned=frozenset(sorted(rules.pinned)[:k])),
            )
        )
    return out


def match_team(
    peers: Sequence[Peer],
    problem: str,
    rules: TeamRules | None = None,
    *,
    encoder: Encoder | None = None,
    relevance_scores: NDArray[np.floating] | None = None,
    time_limit: float | None = None,
    explain: bool = True,
) -> MatchResult:
    """The team of ``rules.size`` peers most relevant to ``problem`` under the rules.

    Proven optimal (exact MILP per language). When no team meets the rules, the result is
    empty and a diagnosis names the rule and the mildest single relaxation that works.

    Complexity: one MILP with n binaries per candidate language (fast in practice: few rows).

    >>> from peerlearn.matching.encoders import TfidfEncoder
    >>> texts = ["bus park ticket revenue", "audit", "bus park fees", "court records"]
    >>> ps = [Peer(str(i), organisation=str(i), languages=("en",), experience=text)
    ...       for i, text in enumerate(texts)]
    >>> res = match_team(ps, "bus park revenue", TeamRules(size=2), encoder=TfidfEncoder())
    >>> sorted(res.groups[0].members)
    ['0', '2']
    """
    started = time.perf_counter()
    rules = rules or TeamRules()
    index = index_peers(peers)
    for pid in set(rules.pinned) | {p for pair in rules.excluded for p in pair}:
        if pid not in index:
            raise ValueError(f"team rules name unknown peer id {pid!r}")
    if not problem.strip():
        raise ValueError("the problem text is empty")
    enc = encoder or default_encoder()
    rel = (
        np.asarray(relevance_scores, dtype=np.float32)
        if relevance_scores is not None
        else relevance(peers, problem, enc)
    )
    found = _best_team(peers, rel, rules, index, time_limit)
    diagnoses: list[Diagnosis] = []
    unmatched: list[Unmatched] = []
    groups: tuple[Group, ...] = ()
    objective = 0.0
    if found is None:
        for name, change, relaxed in _relaxations(rules):
            if _best_team(peers, rel, relaxed, index, time_limit) is not None:
                diagnoses.append(
                    Diagnosis(
                        name,
                        message("diagnosis.team_relaxation", size=rules.size, rule=name),
                        dict(change),
                    )
                )
                break
        else:
            diagnoses.append(Diagnosis("size", message("diagnosis.no_team"), {}))
        unmatched = [Unmatched(pid, message("unmatched.no_team")) for pid in sorted(rules.pinned)]
    else:
        team, lang = found
        team = sorted(team, key=lambda i: -float(rel[i]))
        objective = float(rel[team].sum())
        stop = set(tfidf_stop_words())
        terms = {w.casefold() for w in _WORD.findall(problem)} - stop
        expl = explain_team(peers, team, problem, rel[team], terms) if explain else None
        group = Group(
            members=tuple(peers[i].id for i in team),
            score=objective / max(len(team), 1),
            language=lang,
        )
        if expl is not None:
            group = Group(members=group.members, score=group.score, language=lang, explanation=expl)
        groups = (group,)
    return MatchResult(
        kind="team",
        groups=groups,
        unmatched=tuple(unmatched),
        objective=objective,
        bound=objective if found is not None else None,
        gap=0.0 if found is not None else None,
        optimal=found is not None,
        diagnostics=tuple(diagnoses),
        solver="milp",
        seconds=time.perf_counter() - started,
        encoder=enc.name,
    )
