"""Aggregating the members' rankings of the groups of needs: a Borda count.

With ``n`` groups, a group a member ranks ``r``-th (1 = most important) earns ``n − r``
points from that member; a group a member left out earns nothing from them. Groups are
ordered by total points; ties go to the group with more first places, then more second
places, and so on, then to the group listed first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    group: int
    points: int
    places: tuple[int, ...]  # how many members put the group 1st, 2nd, …


def borda(groups: Sequence[int], rankings: Iterable[Mapping[int, int]]) -> list[Tally]:
    """Order ``groups`` (ids, in their listed order) by the Borda count of ``rankings``
    (each a member's ``{group: rank}``, rank 1 the most important).

    >>> borda([10, 20, 30], [{10: 1, 20: 2, 30: 3}, {20: 1, 10: 2, 30: 3}, {20: 1, 30: 2, 10: 3}])
    ... # doctest: +NORMALIZE_WHITESPACE
    [Tally(group=20, points=5, places=(2, 1, 0)), Tally(group=10, points=3, places=(1, 1, 1)),
     Tally(group=30, points=1, places=(0, 1, 2))]
    """
    n = len(groups)
    points = dict.fromkeys(groups, 0)
    places = {g: [0] * n for g in groups}
    for ranking in rankings:
        for group, rank in ranking.items():
            if group not in points or not 1 <= rank <= n:
                continue
            points[group] += n - rank
            places[group][rank - 1] += 1
    order = {g: i for i, g in enumerate(groups)}
    tallies = [Tally(g, points[g], tuple(places[g])) for g in groups]
    tallies.sort(key=lambda t: (-t.points, tuple(-p for p in t.places), order[t.group]))
    return tallies
