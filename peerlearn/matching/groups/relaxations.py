"""Whether a diagnosis's relaxation alone would place the peers it is about.

A diagnosis's ``relaxation`` is the smallest change of one rule that removes its obstacle,
found for that rule on its own; the other rules may still keep the left-out peers out. Once
the final groups are chosen, :func:`judge_relaxations` applies each relaxation to the rules
and tries, with the independent checker
(:func:`~peerlearn.matching.checks.check_groups`), to place the left-out peers the diagnosis
is about: each of them (a pinned set whole) added to each final group, and, when there are
enough of them, a new group built greedily from them. The answer is recorded as
``Diagnosis.relaxation_places``: True when some candidate group is valid, False when none
is, and None when the diagnosis was not checked (no relaxation, nobody left out, or a check
beyond the budget of :data:`RELAXATION_CHECKS` and :data:`RELAXATION_READS`).

When none is valid, ``Diagnosis.relaxation_blocked_by`` names the rule that still keeps them
apart: the checker's violation (its ``constraint`` code, e.g. ``max_per_org``) found in the
most of the failed candidates, ties going to the rule listed first in
:data:`~peerlearn.matching.rules.RULES`. It is None whenever ``relaxation_places`` is not
False.

The candidates are few and cheap, not a new matching: True means the setting does place
someone, False that none of these simple placements works.

    >>> from peerlearn.matching.messages import message
    >>> peers = [Peer(str(i), languages=("en",), country="KE") for i in range(5)]
    >>> rules = GroupRules(min_size=4, max_size=4)
    >>> sizes = Diagnosis("size", message("where.pool"), {"max_size": 5})
    >>> placement(peers, rules, [["0", "1", "2", "3"]], [["4"]], sizes).places
    True
    >>> peers[4] = Peer("4", languages=("fr",), country="KE")
    >>> placement(peers, rules, [["0", "1", "2", "3"]], [["4"]], sizes).places
    False
    >>> placement(peers, rules, [["0", "1", "2", "3"]], [["4"]], sizes)
    Placement(places=False, blocked_by='common_language')
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from peerlearn.matching.checks import check_groups
from peerlearn.matching.groups.compartments import diagnosis_where, where_includes
from peerlearn.matching.rules import RULES
from peerlearn.matching.types import Diagnosis, GroupRules, Peer

#: Most candidate groups the checker is asked about in one matching, over all diagnoses
#: (each check of a small group costs some tens of microseconds). A diagnosis whose
#: candidates would exceed what is left is not checked.
RELAXATION_CHECKS = 2_000
#: With a gender-share rule the checker reads the whole pool for every candidate (the
#: shares are the pool's): most peers read in one matching, over all diagnoses.
RELAXATION_READS = 1_000_000
#: Violations a group still being built may have: it may yet gain the members it lacks.
_UNFINISHED = frozenset({"size", "min_senior", "min_countries"})
#: Each rule's place in the rules table: between rules that block equally many candidates,
#: the one listed first is named. Codes the table does not list come after, by name.
_RULE_ORDER: dict[str, int] = {r.name: n for n, r in enumerate(RULES)}


class Placement(NamedTuple):
    """What a relaxation alone does for the left-out peers of a diagnosis.

    ``places`` is True when some candidate group is valid, False when none is, None when
    the relaxation is not a change of the rules. ``blocked_by`` is, when ``places`` is
    False, the checker's constraint code found in the most failed candidates (ties to the
    rule listed first in :data:`~peerlearn.matching.rules.RULES`); None otherwise.
    """

    places: bool | None
    blocked_by: str | None = None


def judge_relaxations(
    peers: Sequence[Peer],
    rules: GroupRules,
    groups: Sequence[Sequence[str]],
    left_out: Sequence[Sequence[str]],
    diagnoses: Sequence[Diagnosis],
) -> list[Diagnosis]:
    """The diagnoses, each with ``relaxation_places`` set where it could be checked.

    ``groups`` are the final groups, ``left_out`` the peers left out, a pinned set as one
    unit. A diagnosis is about the left-out peers its :func:`diagnosis_where` names, or all
    of them when it names none (the whole pool, pinned sets). Diagnoses are checked in
    order while the budget lasts; the rest keep ``relaxation_places`` None.

    Cost: for L left-out units and G groups, at most L * (G + L + 1) checks of one group
    each, bounded by :data:`RELAXATION_CHECKS` (and :data:`RELAXATION_READS` with a
    gender-share rule).
    """
    by_id = {p.id: p for p in peers}
    checks = RELAXATION_CHECKS
    if rules.max_gender_share is not None:
        checks = min(checks, RELAXATION_READS // max(len(peers), 1))
    out = []
    for d in diagnoses:
        units = _concerned(d, left_out, by_id)
        cost = len(units) * (len(groups) + len(units) + 1)
        if not d.relaxation or not units or cost > checks:
            out.append(d)
            continue
        checks -= cost
        verdict = placement(peers, rules, groups, units, d)
        out.append(
            dataclasses.replace(
                d, relaxation_places=verdict.places, relaxation_blocked_by=verdict.blocked_by
            )
        )
    return out


def _concerned(
    diagnosis: Diagnosis, left_out: Sequence[Sequence[str]], by_id: dict[str, Peer]
) -> list[Sequence[str]]:
    """The left-out units with at least one peer the diagnosis is about."""
    where = diagnosis_where(diagnosis)
    if where is None:
        return list(left_out)
    return [u for u in left_out if any(where_includes(where, by_id[pid]) for pid in u)]


def placement(
    peers: Sequence[Peer],
    rules: GroupRules,
    groups: Sequence[Sequence[str]],
    units: Sequence[Sequence[str]],
    diagnosis: Diagnosis,
) -> Placement:
    """Whether the diagnosis's relaxation alone places one of the left-out ``units`` (see
    :func:`places`) and, when it does not, the rule that blocks the candidates it tried:
    each unit beside each of ``groups``, then a new group grown greedily from each unit."""
    try:
        relaxed = dataclasses.replace(rules, **diagnosis.relaxation)
    except (TypeError, ValueError):
        return Placement(None)
    ids = {pid for u in units for pid in u}
    # Only the pairs and pinned sets of the units can be broken by placing them: the final
    # groups already meet the others.
    relaxed = dataclasses.replace(
        relaxed,
        excluded=frozenset(pair for pair in relaxed.excluded if pair & ids),
        pinned=tuple(pin for pin in relaxed.pinned if pin & ids),
    )
    # Without a gender-share rule, the pool the checker reads is the candidate's members.
    pool = peers if relaxed.max_gender_share is not None else None
    by_id = {p.id: p for p in peers}
    # How many of the failed candidates each rule blocks.
    blocking: Counter[str] = Counter()

    def violations(members: list[str]) -> set[str]:
        seen = pool if pool is not None else [by_id[pid] for pid in members]
        return {v.constraint for v in check_groups(seen, [members], relaxed)}

    for unit in units:
        for group in groups:
            broken = violations([*group, *unit])
            if not broken:
                return Placement(True)
            blocking.update(broken)
    if sum(len(u) for u in units) >= relaxed.min_size:
        for start, seed in enumerate(units):
            members = list(seed)
            for unit in [*units[start + 1 :], *units[:start]]:
                if len(members) + len(unit) > relaxed.max_size:
                    continue
                if violations([*members, *unit]) <= _UNFINISHED:
                    members.extend(unit)
            broken = violations(members)
            if len(members) >= relaxed.min_size and not broken:
                return Placement(True)
            blocking.update(broken)
    return Placement(False, blocking_rule(blocking))


def blocking_rule(blocking: Counter[str]) -> str | None:
    """The rule that blocks the most candidates, ties to the rule listed first in
    :data:`~peerlearn.matching.rules.RULES`; None when nothing was counted.

    >>> blocking_rule(Counter({"size": 2, "max_per_org": 2, "common_language": 1}))
    'max_per_org'
    >>> blocking_rule(Counter()) is None
    True
    """
    if not blocking:
        return None
    return min(blocking, key=lambda c: (-blocking[c], _RULE_ORDER.get(c, len(_RULE_ORDER)), c))
