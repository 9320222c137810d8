"""Brute-force optima for tiny instances, independent of every solver under test."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from peerlearn.matching.checks import check_groups
from peerlearn.matching.types import GroupRules, Peer


def partitions(items: list[int]) -> Iterator[list[list[int]]]:
    """Every set partition of ``items``."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in partitions(rest):
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1 :]]
        yield [[first], *part]


def best_groups(
    peers: Sequence[Peer], w: NDArray[np.float64], rules: GroupRules
) -> tuple[int, float] | None:
    """(most peers placed, best ordered-pair objective) over all valid groupings, allowing
    some peers to stay out; None when no valid grouping places anyone."""
    n = len(peers)
    best: tuple[int, float] | None = None
    for mask in range(1, 1 << n):
        chosen = [i for i in range(n) if mask >> i & 1]
        if best is not None and len(chosen) < best[0]:
            continue
        for part in partitions(chosen):
            ids = [[peers[i].id for i in g] for g in part]
            if check_groups(peers, ids, rules):
                continue
            value = sum(float(w[np.ix_(g, g)].sum()) for g in part)
            key = (len(chosen), value)
            if best is None or key > best:
                best = key
    return best
