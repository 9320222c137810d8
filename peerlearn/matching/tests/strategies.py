"""Hypothesis strategies: small random pools and rules that exercise every constraint."""

from __future__ import annotations

from hypothesis import strategies as st

from peerlearn.matching.types import ROLES, GroupRules, PairRules, Peer

LANGS = (("en",), ("fr",), ("en", "fr"), ("es",), ("en", "es"))


@st.composite
def pools(draw: st.DrawFn, min_size: int = 2, max_size: int = 14) -> list[Peer]:
    n = draw(st.integers(min_size, max_size))
    peers = []
    for i in range(n):
        peers.append(
            Peer(
                id=f"p{i}",
                organisation=draw(
                    st.sampled_from(["", *(f"org{k}" for k in range(max(2, n // 3 + 1)))])
                ),
                country=draw(st.sampled_from(["KE", "UG", "GH", "PE"])),
                languages=draw(st.sampled_from(LANGS)),
                gender=draw(st.sampled_from(["female", "male", ""])),
                seniority=draw(st.integers(1, 5)),
                reform_stage=draw(st.integers(1, 3)),
                role=draw(st.sampled_from(ROLES)),
            )
        )
    return peers


@st.composite
def group_rules(draw: st.DrawFn, peers: list[Peer]) -> GroupRules:
    lo = draw(st.integers(2, 4))
    hi = draw(st.integers(lo, lo + 2))
    ids = [p.id for p in peers]
    excluded = set()
    if len(ids) >= 2:
        for _ in range(draw(st.integers(0, 3))):
            a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
            excluded.add(frozenset((a, b)))
    pinned: tuple[frozenset[str], ...] = ()
    if len(ids) >= 2 and draw(st.booleans()):
        pin = frozenset(draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True)))
        if pin not in excluded:
            pinned = (pin,)
    return GroupRules(
        min_size=lo,
        max_size=hi,
        common_language=draw(st.booleans()),
        min_countries=draw(st.integers(1, 3)),
        max_per_org=draw(st.sampled_from([None, 1, 2])),
        max_gender_share=draw(st.sampled_from([None, 0.5, 0.7])),
        min_senior=draw(st.integers(0, 1)),
        same_stage=draw(st.booleans()),
        excluded=frozenset(excluded),
        pinned=pinned,
    )


@st.composite
def pair_rules(draw: st.DrawFn, peers: list[Peer]) -> PairRules:
    ids = [p.id for p in peers]
    excluded = set()
    if len(ids) >= 2:
        for _ in range(draw(st.integers(0, 3))):
            a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
            excluded.add(frozenset((a, b)))
    return PairRules(
        provider_capacity=draw(st.integers(1, 3)),
        common_language=draw(st.booleans()),
        different_organisation=draw(st.booleans()),
        excluded=frozenset(excluded),
    )
