"""The pool, coded once: per-peer integer codes every stage of the grouping pipeline reads.

Organisations, countries and genders become small integers; pinned sets become *units*
(every member of a pinned set carries the id of its first member, everyone else their own),
so the later stages place a pinned set as one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from peerlearn.matching.composition import gender_shares
from peerlearn.matching.types import GroupRules, Peer

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Pool:
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


def make_pool(peers: Sequence[Peer], rules: GroupRules, index: dict[str, int]) -> Pool:
    genders = sorted({p.gender for p in peers if p.gender})
    gpos = {g: i for i, g in enumerate(genders)}
    gender = np.array([gpos.get(p.gender, len(genders)) for p in peers], dtype=np.int64)
    shares = gender_shares(peers)
    limit = rules.max_gender_share if rules.max_gender_share is not None else 1.0
    share = np.array([max(limit, shares[g]) for g in genders] + [1.0])
    unit = np.arange(len(peers), dtype=np.int64)
    for pin in merged_pins(rules, index):
        members = np.array(sorted(index[p] for p in pin), dtype=np.int64)
        unit[members] = members[0]
    return Pool(
        peers=peers,
        org=_codes([p.organisation or f"\0{p.id}" for p in peers]),
        country=_codes([p.country for p in peers]),
        gender=gender,
        gender_share=share,
        senior=np.array([int(p.is_senior) for p in peers], dtype=np.int64),
        unit=unit,
        pinned=np.bincount(unit, minlength=len(peers))[unit] > 1,
    )


def merged_pins(rules: GroupRules, index: dict[str, int]) -> list[frozenset[str]]:
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
