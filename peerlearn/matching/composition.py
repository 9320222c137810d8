"""What the solvers read off a set of peers: the languages they share, the pool's gender
shares and the most members of one gender a group may hold.

The checkers (:mod:`peerlearn.matching.checks`) compute the same facts with their own code:
solvers and checkers share nothing but the rule definitions in
:mod:`peerlearn.matching.types`, so a mistake in one shows up as a disagreement with the
other instead of hiding in both.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from peerlearn.matching.types import Peer


def common_languages(members: Iterable[Peer]) -> set[str]:
    """Languages every member speaks (none for no members).

    >>> sorted(common_languages([Peer("a", languages=("en", "fr")), Peer("b", languages=("fr",))]))
    ['fr']
    """
    spoken = [set(p.languages) for p in members]
    return set.intersection(*spoken) if spoken else set()


def gender_shares(pool: Sequence[Peer]) -> dict[str, float]:
    """Share of each stated gender in the pool; peers who state none count in the total.

    >>> gender_shares([Peer("a", gender="female"), Peer("b", gender="male"), Peer("c")])
    {'female': 0.3333333333333333, 'male': 0.3333333333333333}
    """
    total = len(pool)
    shares: dict[str, float] = {}
    for peer in pool:
        if peer.gender:
            shares[peer.gender] = shares.get(peer.gender, 0.0) + 1.0
    return {gender: count / total for gender, count in sorted(shares.items())}


def gender_cap(size: int, share_limit: float, pool_share: float) -> int:
    """Most members of one gender in a group of ``size``: the limit rounded up to whole
    people, or the pool's own share of that gender where it is higher, and at least one.

    >>> gender_cap(11, 0.5, 0.3), gender_cap(10, 0.5, 0.7)
    (6, 7)
    """
    return max(1, math.ceil(max(share_limit, pool_share) * size - 1e-9))
