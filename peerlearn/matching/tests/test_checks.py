from __future__ import annotations

import pytest

from peerlearn.matching.checks import check_groups, check_pairs, check_team, gender_cap
from peerlearn.matching.types import GroupRules, PairRules, Peer, TeamRules


def _peer(pid: str, **kw: object) -> Peer:
    base: dict[str, object] = {"country": "KE", "languages": ("en",), "organisation": pid}
    base.update(kw)
    return Peer(pid, **base)  # type: ignore[arg-type]


def _rules(**kw: object) -> GroupRules:
    base: dict[str, object] = {"min_size": 2, "max_size": 3}
    base.update(kw)
    return GroupRules(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("peers", "groups", "rules", "expected"),
    [
        ([_peer("a"), _peer("b")], [["a", "b", "a"]], _rules(), {"duplicate"}),
        ([_peer("a")], [["a", "zz"]], _rules(), {"unknown"}),
        ([_peer("a"), _peer("b", languages=("fr",))], [["a", "b"]], _rules(), {"common_language"}),
        (
            [_peer("a"), _peer("b", organisation="a")],
            [["a", "b"]],
            _rules(max_per_org=1),
            {"max_per_org"},
        ),
        ([_peer("a"), _peer("b")], [["a", "b"]], _rules(min_countries=2), {"min_countries"}),
        (
            [
                _peer("a", gender="f"),
                _peer("b", gender="f"),
                _peer("c", gender="m"),
                _peer("d", gender="m"),
            ],
            [["a", "b"], ["c", "d"]],
            _rules(max_gender_share=0.5),
            {"max_gender_share"},
        ),
        ([_peer("a"), _peer("b")], [["a", "b"]], _rules(min_senior=1), {"min_senior"}),
        (
            [_peer("a"), _peer("b")],
            [["a", "b"]],
            _rules(excluded=frozenset({frozenset({"a", "b"})})),
            {"excluded"},
        ),
        (
            [_peer("a"), _peer("b"), _peer("c"), _peer("d")],
            [["a", "c"], ["b", "d"]],
            _rules(pinned=(frozenset({"a", "b"}),)),
            {"pinned"},
        ),
        (
            [_peer("a", reform_stage=1), _peer("b", reform_stage=2)],
            [["a", "b"]],
            _rules(same_stage=True),
            {"same_stage"},
        ),
        ([_peer("a")], [["a"]], _rules(), {"size"}),
    ],
)
def test_each_group_rule_is_detected(
    peers: list[Peer], groups: list[list[str]], rules: GroupRules, expected: set[str]
) -> None:
    assert {v.constraint for v in check_groups(peers, groups, rules)} == expected


def test_gender_cap_rounds_up_and_yields_to_the_pool() -> None:
    assert gender_cap(11, 0.5, 0.4) == 6
    assert gender_cap(10, 0.5, 0.8) == 8
    assert gender_cap(10, 0.6, 0.0) == 6


def test_pair_rules_are_detected() -> None:
    peers = [
        _peer("s", role="seeker"),
        _peer("p", role="provider", organisation="s"),
        _peer("q", role="provider", languages=("fr",)),
        _peer("r", role="seeker"),
    ]
    found = {
        v.constraint
        for v in check_pairs(
            peers,
            [("s", "p"), ("r", "q"), ("p", "s"), ("s", "s")],
            PairRules(excluded=frozenset({frozenset({"r", "q"})}), pinned=(("r", "s"),)),
        )
    }
    assert found >= {
        "different_organisation",
        "common_language",
        "role",
        "duplicate",
        "excluded",
        "self",
        "pinned",
    }


def test_team_rules_are_detected() -> None:
    peers = [_peer("a", organisation="o", country="UG"), _peer("b", organisation="o")]
    found = {
        v.constraint
        for v in check_team(
            peers,
            ["a", "b"],
            TeamRules(
                size=3,
                max_per_org=1,
                country="KE",
                min_senior=1,
                min_countries=3,
                pinned=frozenset({"zz"}),
            ),
        )
    }
    assert found == {"size", "max_per_org", "country", "min_senior", "min_countries", "pinned"}


def test_peers_without_an_organisation_are_each_their_own() -> None:
    """As the solvers (and the pair checker) read them: no organisation is no shared one."""
    peers = [
        _peer(pid, organisation="", country=c)
        for pid, c in zip("abc", ["KE", "UG", "GH"], strict=True)
    ]
    assert check_groups(peers, [["a", "b", "c"]], _rules(max_size=3, max_per_org=1)) == []
    assert check_team(peers, ["a", "b", "c"], TeamRules(size=3, max_per_org=1)) == []
    both = [_peer("a", organisation="o"), _peer("b", organisation="o")]
    assert [v.constraint for v in check_groups(both, [["a", "b"]], _rules(max_per_org=1))] == [
        "max_per_org"
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_size": 1},
        {"min_size": 5, "max_size": 4},
        {"min_countries": 0},
        {"max_per_org": 0},
        {"max_gender_share": 0},
        {"max_gender_share": 1.5},
        {"min_senior": -1},
        {"excluded": frozenset({frozenset({"a"})})},
    ],
)
def test_impossible_rules_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        GroupRules(**kwargs)  # type: ignore[arg-type]
