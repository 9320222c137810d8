"""How a diagnosis words what stood in the way: one size when the smallest and largest
group are the same, and too few organisations when no group at all can form."""

from __future__ import annotations

from peerlearn.matching import match_groups
from peerlearn.matching.types import GroupRules, Peer

from .conftest import random_profiles


def _stage(stage: int, organisations: list[int]) -> list[Peer]:
    """Peers at ``stage``, as many from each organisation as ``organisations`` says."""
    return [
        Peer(
            f"s{stage}o{o}p{i}", languages=("en",), organisation=f"O{stage}-{o}", reform_stage=stage
        )
        for o, count in enumerate(organisations)
        for i in range(count)
    ]


def test_equal_sizes_read_as_one_size() -> None:
    peers = [Peer(str(i), languages=("en",)) for i in range(5)]
    rules = GroupRules(min_size=4, max_size=4)
    (diag,) = match_groups(peers, rules, profiles=random_profiles(peers, 1)).diagnostics
    assert diag.message.code == "diagnosis.sizes_exact"
    assert str(diag.message).endswith("cannot be split into groups of 4")
    ranged = GroupRules(min_size=4, max_size=6)
    peers = [Peer(str(i), languages=("en",)) for i in range(7)]
    (diag,) = match_groups(peers, ranged, profiles=random_profiles(peers, 1)).diagnostics
    assert str(diag.message).endswith("cannot be split into groups of 4-6")


def test_too_few_organisations_for_any_group_is_said() -> None:
    # 16 peers from 5 organisations: a group of 6 with 1 from each cannot form.
    peers = _stage(1, [4, 3, 3, 3, 3])
    rules = GroupRules(min_size=6, max_size=6, max_per_org=1, same_stage=True)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 2))
    assert not result.groups and len(result.unmatched) == 16
    (diag,) = result.diagnostics
    assert diag.constraint == "max_per_org"
    assert diag.message.code == "diagnosis.organisations"
    assert str(diag.message) == (
        "peers with working language 'en' and reform stage 1 come from 5 organisations, too "
        "few for groups of 6 with at most 1 from each"
    )
    assert diag.relaxation == {"max_size": 8, "max_per_org": 2}


def test_enough_organisations_keep_the_organisation_cap_diagnosis() -> None:
    # 8 organisations are enough for a group of 6; two groups cannot take 4 from one.
    peers = _stage(2, [4, 4, 1, 1, 1, 1, 1, 1])
    rules = GroupRules(min_size=6, max_size=6, max_per_org=1, same_stage=True)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 3))
    assert len(result.groups) == 1
    (diag,) = result.diagnostics
    assert diag.message.code == "diagnosis.organisation_cap"
