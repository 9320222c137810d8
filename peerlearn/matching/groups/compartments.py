"""Compartments and counting conditions: the first stages of the grouping pipeline.

The pool is split into compartments that must stay apart (a working language; a reform
stage with ``same_stage``). Each compartment is then checked against the counting
conditions every valid grouping into k groups must meet (sizes, seniors, organisations,
countries); when no k meets them all, the peers that must be left out are chosen, each with
a reason, and a diagnosis names the binding rule and the mildest relaxation that fits
everyone.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from peerlearn.matching.groups.pool import IntArray, Pool
from peerlearn.matching.messages import Message, message
from peerlearn.matching.types import Diagnosis, GroupRules, Peer


def compartments(
    peers: Sequence[Peer],
    rules: GroupRules,
    pool: Pool,
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


def _groupable(pool: Pool, idx: IntArray, rules: GroupRules) -> bool:
    """True when some number of groups meets every counting condition for ``idx``."""
    kmin, kmax = math.ceil(idx.size / rules.max_size), idx.size // rules.min_size
    return any(counting_ok(pool, idx, k, rules) is None for k in range(kmin, kmax + 1))


def describe(key: tuple[str, int], rules: GroupRules) -> Message:
    """The peers of a compartment in words ("working language 'fr'"), as reasons and
    diagnoses name them; :func:`where_includes` reads it back."""
    lang, stage = key
    if lang and rules.same_stage:
        return message("where.language_stage", language=lang, stage=stage)
    if lang:
        return message("where.language", language=lang)
    if rules.same_stage:
        return message("where.stage", stage=stage)
    return message("where.pool")


def where_includes(where: Message, peer: Peer) -> bool:
    """Whether ``peer`` is one of the peers a :func:`describe` message names: they speak
    its working language and are at its reform stage (every peer, for the whole pool)."""
    language = where.params.get("language")
    stage = where.params.get("stage")
    if language is not None and language not in peer.languages:
        return False
    return stage is None or stage == peer.reform_stage


def diagnosis_where(diagnosis: Diagnosis) -> Message | None:
    """The peers a diagnosis is about, as :func:`describe` names them; None for a diagnosis
    about no compartment (pinned sets, for example)."""
    where = diagnosis.message.params.get("where")
    return where if isinstance(where, Message) else None


def counting_ok(pool: Pool, idx: IntArray, k: int, rules: GroupRules) -> str | None:
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


def plan(
    pool: Pool,
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
        if counting_ok(pool, idx, k, rules) is None:
            return idx, k
    diagnosis = _diagnose(pool, idx, rules, where, kmin, kmax)
    organisations = _organisations_too_few(pool, idx, rules, where)
    if organisations is not None:
        # No group at all can form: say so, rather than what k groups would take. The
        # relaxation found still fits everyone.
        diagnosis = dataclasses.replace(diagnosis, constraint="max_per_org", message=organisations)
    diagnoses.append(diagnosis)
    best: tuple[IntArray, dict[int, Message], int] | None = None
    for k in range(1, kmax + 1):
        why = diagnosis.message if k < kmin else None
        chosen = select(pool, idx, k, rules, where, why)
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
    pool: Pool, idx: IntArray, rules: GroupRules, where: Message, kmin: int, kmax: int
) -> Diagnosis:
    """The rule that stops everyone in ``idx`` being grouped, and the mildest relaxation."""
    m = idx.size
    if kmin > kmax:
        k = max(kmax, 1)
        sized = dataclasses.replace(rules, max_size=math.ceil(m / k))
        if counting_ok(pool, idx, k, sized) is not None:
            # Larger groups alone would not do: name the rule that still stops them, and
            # relax both.
            other = _diagnose(pool, idx, sized, where, k, k)
            return Diagnosis(
                other.constraint,
                other.message,
                {"max_size": sized.max_size, **other.relaxation},
            )
        return Diagnosis("size", _sizes_message(m, where, rules), {"max_size": sized.max_size})
    k = kmin
    failing = counting_ok(pool, idx, k, rules) or "size"
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


def _organisations_too_few(
    pool: Pool, idx: IntArray, rules: GroupRules, where: Message
) -> Message | None:
    """Why no group at all can form from ``idx`` when too few organisations are among them:
    with at most ``max_per_org`` from each of n organisations, a group holds at most
    ``max_per_org * n`` peers, fewer than the smallest group. None when they are enough
    (peers who name no organisation count as their own)."""
    if rules.max_per_org is None or not idx.size:
        return None
    organisations = int(np.unique(pool.org[idx]).size)
    if organisations * rules.max_per_org >= rules.min_size:
        return None
    return message(
        "diagnosis.organisations",
        where=where,
        organisations=organisations,
        min_size=rules.min_size,
        max_per_org=rules.max_per_org,
    )


def _sizes_message(count: int, where: Message, rules: GroupRules) -> Message:
    """Why ``count`` peers cannot be split into groups: the sizes allowed, as a range, or
    as one size when the smallest and largest group are the same.

    >>> pool = message("where.pool")
    >>> str(_sizes_message(5, pool, GroupRules(min_size=4, max_size=4)))
    '5 peers with the pool cannot be split into groups of 4'
    >>> str(_sizes_message(7, pool, GroupRules(min_size=4, max_size=6)))
    '7 peers with the pool cannot be split into groups of 4-6'
    """
    if rules.min_size == rules.max_size:
        return message("diagnosis.sizes_exact", count=count, where=where, size=rules.min_size)
    return message(
        "diagnosis.sizes",
        count=count,
        where=where,
        min_size=rules.min_size,
        max_size=rules.max_size,
    )


def select(
    pool: Pool,
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
        # One (frozen) message per organisation: a large pool tries many k, each leaving
        # out thousands of peers.
        said: dict[str, Message] = {}
        for pos in surplus.tolist():
            i = int(idx[pos])
            organisation = pool.peers[i].organisation
            if organisation not in said:
                said[organisation] = message(
                    "unmatched.organisation_surplus",
                    organisation=organisation,
                    max_per_org=rules.max_per_org,
                    groups=k,
                    where=where,
                )
            reasons[i] = said[organisation]
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
        full = (
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
            reasons[int(idx[pos])] = full
        if dropped < excess:
            return None
    kept = idx[keep]
    if kept.size < k * rules.min_size or counting_ok(pool, kept, k, rules) is not None:
        return None
    return kept, reasons
