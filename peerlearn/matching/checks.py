"""Checkers: verify any grouping, pairing or team against the hard rules, independently.

Each returns a list of :class:`~peerlearn.matching.types.Violation` (empty means valid).
They share no code with the solvers beyond the rule definitions below, so a solver bug
cannot hide itself.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from peerlearn.matching.types import GroupRules, PairRules, Peer, TeamRules, Violation


def common_languages(members: Iterable[Peer]) -> set[str]:
    """Languages every member speaks."""
    langs: set[str] | None = None
    for peer in members:
        mine = set(peer.languages)
        langs = mine if langs is None else langs & mine
    return langs or set()


def gender_shares(pool: Sequence[Peer]) -> dict[str, float]:
    """Share of each stated gender in the pool (unstated counts in the denominator)."""
    if not pool:
        return {}
    counts = Counter(p.gender for p in pool if p.gender)
    return {g: c / len(pool) for g, c in counts.items()}


def gender_cap(size: int, share_limit: float, pool_share: float) -> int:
    """Most members of one gender allowed in a group of ``size``.

    The limit is rounded up to whole people (0.5 of 11 allows 6), and where the pool itself
    holds more of that gender than the limit, the pool's share is used instead: that is
    "where the pool allows it".
    """
    share = max(share_limit, pool_share)
    return max(1, math.ceil(share * size - 1e-9))


def _gender_violation(
    members: Sequence[Peer], share_limit: float, shares: Mapping[str, float]
) -> tuple[str, int, int] | None:
    counts = Counter(p.gender for p in members if p.gender)
    for gender, count in sorted(counts.items()):
        cap = gender_cap(len(members), share_limit, shares.get(gender, 0.0))
        if count > cap:
            return gender, count, cap
    return None


def _lookup(
    by_id: Mapping[str, Peer], ids: Iterable[str], violations: list[Violation], group: int | None
) -> list[Peer]:
    out = []
    for pid in ids:
        peer = by_id.get(pid)
        if peer is None:
            violations.append(Violation("unknown", f"unknown peer id {pid!r}", (pid,), group))
        else:
            out.append(peer)
    return out


def check_groups(
    peers: Sequence[Peer], groups: Sequence[Sequence[str]], rules: GroupRules
) -> list[Violation]:
    """Every hard rule of ``rules`` for every group; ``peers`` is the whole pool.

    >>> ps = [Peer(str(i), languages=("en",), country="KE") for i in range(4)]
    >>> check_groups(ps, [["0", "1"], ["2", "3"]], GroupRules(min_size=2, max_size=2))
    []
    >>> [v.constraint for v in check_groups(ps, [["0", "1", "2"]],
    ...                                      GroupRules(min_size=2, max_size=2))]
    ['size']
    """
    violations: list[Violation] = []
    seen: dict[str, int] = {}
    group_of: dict[str, int] = {}
    shares = gender_shares(peers)
    by_id = {p.id: p for p in peers}
    for g, ids in enumerate(groups):
        for pid in ids:
            if pid in seen:
                violations.append(
                    Violation("duplicate", f"{pid} is in groups {seen[pid]} and {g}", (pid,), g)
                )
            seen[pid] = g
            group_of[pid] = g
        members = _lookup(by_id, ids, violations, g)
        size = len(ids)
        if not rules.min_size <= size <= rules.max_size:
            violations.append(
                Violation(
                    "size",
                    f"group {g} has {size} members, allowed {rules.min_size}-{rules.max_size}",
                    tuple(ids),
                    g,
                )
            )
        if rules.common_language and members and not common_languages(members):
            violations.append(
                Violation("common_language", f"group {g} shares no language", tuple(ids), g)
            )
        if rules.same_stage and len({p.reform_stage for p in members}) > 1:
            violations.append(
                Violation("same_stage", f"group {g} mixes reform stages", tuple(ids), g)
            )
        if rules.max_per_org is not None:
            # Peers who name no organisation are each their own.
            for org, count in Counter(p.organisation for p in members if p.organisation).items():
                if count > rules.max_per_org:
                    violations.append(
                        Violation(
                            "max_per_org",
                            f"group {g} has {count} peers from {org!r}, "
                            f"allowed {rules.max_per_org}",
                            tuple(p.id for p in members if p.organisation == org),
                            g,
                        )
                    )
        countries = {p.country for p in members}
        if len(countries) < rules.min_countries:
            violations.append(
                Violation(
                    "min_countries",
                    f"group {g} spans {len(countries)} countries, needs {rules.min_countries}",
                    tuple(ids),
                    g,
                )
            )
        if rules.max_gender_share is not None:
            bad = _gender_violation(members, rules.max_gender_share, shares)
            if bad:
                violations.append(
                    Violation(
                        "max_gender_share",
                        f"group {g} has {bad[1]} peers of gender {bad[0]!r}, allowed {bad[2]}",
                        tuple(ids),
                        g,
                    )
                )
        seniors = sum(p.is_senior for p in members)
        if seniors < rules.min_senior:
            violations.append(
                Violation(
                    "min_senior",
                    f"group {g} has {seniors} senior peers, needs {rules.min_senior}",
                    tuple(ids),
                    g,
                )
            )
    for pair in rules.excluded:
        a, b = sorted(pair)
        if a in group_of and group_of.get(a) == group_of.get(b):
            violations.append(
                Violation("excluded", f"{a} and {b} must not share a group", (a, b), group_of[a])
            )
    for pin in rules.pinned:
        where = {group_of.get(pid) for pid in pin}
        if len(where) > 1:
            violations.append(
                Violation(
                    "pinned", f"pinned peers {sorted(pin)} are not together", tuple(sorted(pin))
                )
            )
    return violations


def check_pairs(
    peers: Sequence[Peer], pairs: Sequence[tuple[str, str]], rules: PairRules
) -> list[Violation]:
    """Every hard rule for (seeker, provider) pairs.

    >>> ps = [Peer("s", role="seeker", languages=("fr",), organisation="A"),
    ...       Peer("p", role="provider", languages=("fr",), organisation="B")]
    >>> check_pairs(ps, [("s", "p")], PairRules())
    []
    """
    violations: list[Violation] = []
    by_id = {p.id: p for p in peers}
    as_seeker: Counter[str] = Counter()
    as_provider: Counter[str] = Counter()
    for k, (sid, pid) in enumerate(pairs):
        seeker, provider = by_id.get(sid), by_id.get(pid)
        if seeker is None or provider is None:
            missing = sid if seeker is None else pid
            violations.append(Violation("unknown", f"unknown peer id {missing!r}", (missing,), k))
            continue
        as_seeker[sid] += 1
        as_provider[pid] += 1
        if sid == pid:
            violations.append(Violation("self", f"{sid} is paired with themself", (sid,), k))
        if not seeker.seeks:
            violations.append(Violation("role", f"{sid} is not a seeker", (sid,), k))
        if not provider.provides:
            violations.append(Violation("role", f"{pid} is not a provider", (pid,), k))
        if rules.common_language and not set(seeker.languages) & set(provider.languages):
            violations.append(
                Violation("common_language", f"{sid} and {pid} share no language", (sid, pid), k)
            )
        if (
            rules.different_organisation
            and seeker.organisation
            and seeker.organisation == provider.organisation
        ):
            violations.append(
                Violation(
                    "different_organisation",
                    f"{sid} and {pid} work for the same organisation",
                    (sid, pid),
                    k,
                )
            )
        if frozenset((sid, pid)) in rules.excluded:
            violations.append(
                Violation("excluded", f"{sid} and {pid} must not be paired", (sid, pid), k)
            )
    for sid, count in as_seeker.items():
        if count > 1:
            violations.append(
                Violation("duplicate", f"seeker {sid} appears in {count} pairs", (sid,))
            )
    for pid, count in as_provider.items():
        if count > rules.provider_capacity:
            violations.append(
                Violation(
                    "provider_capacity",
                    f"provider {pid} has {count} seekers, capacity {rules.provider_capacity}",
                    (pid,),
                )
            )
    present = set(pairs)
    for pin in rules.pinned:
        if pin not in present:
            violations.append(Violation("pinned", f"pinned pair {pin} is missing", pin))
    return violations


def check_team(peers: Sequence[Peer], members: Sequence[str], rules: TeamRules) -> list[Violation]:
    """Every hard rule for a problem-focused team."""
    violations: list[Violation] = []
    if len(set(members)) != len(members):
        violations.append(
            Violation("duplicate", "a peer appears twice in the team", tuple(members))
        )
    team = _lookup({p.id: p for p in peers}, members, violations, 0)
    if len(members) != rules.size:
        violations.append(
            Violation(
                "size", f"team has {len(members)} members, needs {rules.size}", tuple(members)
            )
        )
    if rules.common_language and team and not common_languages(team):
        violations.append(Violation("common_language", "team shares no language", tuple(members)))
    if rules.country is not None:
        for p in team:
            if p.country != rules.country:
                violations.append(
                    Violation("country", f"{p.id} is not from {rules.country}", (p.id,))
                )
    if rules.max_per_org is not None:
        for org, count in Counter(p.organisation for p in team if p.organisation).items():
            if count > rules.max_per_org:
                violations.append(
                    Violation(
                        "max_per_org",
                        f"{count} team members from {org!r}, allowed {rules.max_per_org}",
                        tuple(p.id for p in team if p.organisation == org),
                    )
                )
    if len({p.country for p in team}) < rules.min_countries:
        violations.append(
            Violation(
                "min_countries",
                f"team spans fewer than {rules.min_countries} countries",
                tuple(members),
            )
        )
    if rules.max_gender_share is not None:
        bad = _gender_violation(team, rules.max_gender_share, gender_shares(peers))
        if bad:
            violations.append(
                Violation(
                    "max_gender_share",
                    f"team has {bad[1]} peers of gender {bad[0]!r}, allowed {bad[2]}",
                    tuple(members),
                )
            )
    if sum(p.is_senior for p in team) < rules.min_senior:
        violations.append(
            Violation("min_senior", f"team needs {rules.min_senior} senior peers", tuple(members))
        )
    chosen = set(members)
    for pair in rules.excluded:
        if pair <= chosen:
            violations.append(
                Violation("excluded", f"{sorted(pair)} must not work together", tuple(sorted(pair)))
            )
    for pid in sorted(rules.pinned - chosen):
        violations.append(Violation("pinned", f"pinned peer {pid} is not in the team", (pid,)))
    return violations
