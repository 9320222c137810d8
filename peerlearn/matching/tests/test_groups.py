from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerlearn.matching import check_groups, match_groups
from peerlearn.matching.encoders import TfidfEncoder
from peerlearn.matching.features import group_weights
from peerlearn.matching.messages import message
from peerlearn.matching.types import GroupRules, Peer

from .brute import best_groups
from .conftest import random_profiles
from .strategies import group_rules, pools

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _assert_sound(peers: list[Peer], rules: GroupRules, result) -> None:  # type: ignore[no-untyped-def]
    assert check_groups(peers, result.member_lists(), rules) == []
    placed = [pid for g in result.groups for pid in g.members]
    assert len(placed) == len(set(placed)), "a peer appears twice"
    out = {u.id for u in result.unmatched}
    assert not out & set(placed)
    assert out | set(placed) == {p.id for p in peers}, "every peer is placed or explained"
    assert all(u.reason for u in result.unmatched)
    if result.bound is not None:
        assert result.objective <= result.bound + 1e-6


@FAST
@given(data=st.data())
def test_heuristic_results_always_pass_the_checkers(data: st.DataObject) -> None:
    peers = data.draw(pools(max_size=40))
    rules = data.draw(group_rules(peers))
    prof = random_profiles(peers, seed=len(peers))
    result = match_groups(peers, rules, profiles=prof, exact_limit=0, explain=False)
    _assert_sound(peers, rules, result)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_small_instances_reach_the_brute_force_optimum(data: st.DataObject) -> None:
    peers = data.draw(pools(min_size=3, max_size=7))
    rules = data.draw(group_rules(peers))
    prof = random_profiles(peers, seed=3)
    result = match_groups(peers, rules, profiles=prof, explain=False)
    _assert_sound(peers, rules, result)
    best = best_groups(peers, group_weights(prof), rules)
    placed = sum(len(g.members) for g in result.groups)
    if best is None:
        assert placed == 0
    else:
        assert result.optimal
        assert placed == best[0]
        assert result.objective == pytest.approx(best[1], abs=1e-6)


def test_scalable_solver_alone_finds_the_optimum_on_small_instances() -> None:
    rng = np.random.default_rng(0)
    for trial in range(5):
        peers = [Peer(f"p{i}", country="KE", languages=("en",)) for i in range(9)]
        prof = random_profiles(peers, seed=trial)
        rules = GroupRules(min_size=3, max_size=3)
        result = match_groups(
            peers, rules, profiles=prof, exact_limit=0, explain=False, seed=int(rng.integers(100))
        )
        best = best_groups(peers, group_weights(prof), rules)
        assert best is not None
        assert result.objective == pytest.approx(best[1], abs=1e-6)


def test_groups_of_similar_challenges_form_together() -> None:
    texts = ["market fee revenue collection"] * 4 + ["parliament research evidence"] * 4
    peers = [
        Peer(
            str(i),
            country=["KE", "UG"][i % 2],
            languages=("en",),
            challenge=t,
            organisation=f"o{i}",
        )
        for i, t in enumerate(texts)
    ]
    result = match_groups(
        peers, GroupRules(min_size=4, max_size=4, min_countries=2), encoder=TfidfEncoder()
    )
    assert sorted(sorted(g.members) for g in result.groups) == [
        ["0", "1", "2", "3"],
        ["4", "5", "6", "7"],
    ]
    assert result.optimal and result.gap == 0


def test_too_few_seniors_names_the_rule_and_the_relaxation() -> None:
    peers = [
        Peer(str(i), country="KE", languages=("en",), seniority=5 if i < 2 else 1)
        for i in range(12)
    ]
    rules = GroupRules(min_size=4, max_size=4, min_senior=1)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 1), explain=False)
    assert check_groups(peers, result.member_lists(), rules) == []
    assert len(result.groups) == 2
    assert len(result.unmatched) == 4
    assert all("senior" in u.reason.text for u in result.unmatched)
    diag = [d for d in result.diagnostics if d.constraint == "min_senior"]
    assert diag and diag[0].relaxation == {"min_senior": 0}
    assert diag[0].message.code == "diagnosis.seniors"
    assert diag[0].message.params["seniors"] == 2
    assert diag[0].message.params["where"] == message("where.language", language="en")
    assert diag[0].message.text == "2 senior peers with working language 'en'; 3 groups need 3"


def test_organisation_cap_leaves_out_the_surplus_with_a_reason() -> None:
    peers = [
        Peer(str(i), organisation="same" if i < 6 else f"o{i}", country="KE", languages=("en",))
        for i in range(8)
    ]
    rules = GroupRules(min_size=4, max_size=4, max_per_org=2)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 2), explain=False)
    assert check_groups(peers, result.member_lists(), rules) == []
    assert {u.id for u in result.unmatched} <= {str(i) for i in range(6)}
    assert any(
        d.constraint == "max_per_org" and d.relaxation == {"max_per_org": 3}
        for d in result.diagnostics
    )


def test_language_island_is_unmatched_with_a_reason() -> None:
    peers = [Peer(str(i), country="KE", languages=("en",)) for i in range(6)]
    peers.append(Peer("ru1", country="KZ", languages=("ru",)))
    rules = GroupRules(min_size=3, max_size=4)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 3), explain=False)
    assert [u.id for u in result.unmatched] == ["ru1"]
    reason = result.unmatched[0].reason
    assert "'ru'" in reason.text
    assert reason.code == "unmatched.too_few"
    assert reason.text == "only 1 peer shares working language 'ru'; a group needs at least 3"
    assert result.to_json()["unmatched"] == [
        {
            "id": "ru1",
            "reason": reason.text,
            "code": "unmatched.too_few",
            "params": {
                "count": 1,
                "min_size": 3,
                "where": {
                    "code": "where.language",
                    "params": {"language": "ru"},
                    "text": "working language 'ru'",
                },
            },
        }
    ]


def test_countries_rule_is_diagnosed_when_the_pool_is_too_narrow() -> None:
    peers = [Peer(str(i), country="KE", languages=("en",)) for i in range(8)]
    rules = GroupRules(min_size=4, max_size=4, min_countries=2)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 4), explain=False)
    assert result.groups == ()
    assert any(d.constraint == "min_countries" for d in result.diagnostics)
    assert len(result.unmatched) == 8


def test_when_sizes_and_countries_both_block_the_relaxation_names_both() -> None:
    # 15 peers from two countries, groups of exactly 12 from at least 4 countries: larger
    # groups alone would not do, so the diagnosis names the countries and relaxes both.
    peers = [
        Peer(str(i), organisation=f"o{i}", country="KE" if i % 2 else "RW", languages=("en",))
        for i in range(15)
    ]
    rules = GroupRules(min_size=12, max_size=12, min_countries=4)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 5), explain=False)
    assert result.groups == () and len(result.unmatched) == 15
    (diag,) = result.diagnostics
    assert diag.constraint == "min_countries"
    assert diag.relaxation == {"max_size": 15, "min_countries": 2}
    assert all("min_countries" in u.reason.text for u in result.unmatched)
    relaxed = dataclasses.replace(rules, **diag.relaxation)
    again = match_groups(peers, relaxed, profiles=random_profiles(peers, 5), explain=False)
    assert len(again.groups) == 1 and again.unmatched == ()
    # Sizes alone: the size relaxation, as before.
    sizes = dataclasses.replace(rules, min_countries=2)
    (only,) = match_groups(peers, sizes, profiles=random_profiles(peers, 5)).diagnostics
    assert only.constraint == "size" and only.relaxation == {"max_size": 15}


def test_pinned_and_excluded_are_respected() -> None:
    peers = [Peer(str(i), country="KE", languages=("en",)) for i in range(8)]
    rules = GroupRules(
        min_size=4,
        max_size=4,
        pinned=(frozenset({"0", "7"}),),
        excluded=frozenset({frozenset({"1", "2"})}),
    )
    for seed in range(5):
        result = match_groups(
            peers,
            rules,
            profiles=random_profiles(peers, seed),
            seed=seed,
            exact_limit=0,
            explain=False,
        )
        assert check_groups(peers, result.member_lists(), rules) == []


def test_inputs_are_not_mutated(sample_peers: list[Peer]) -> None:
    before = list(sample_peers)
    rules = GroupRules(min_size=5, max_size=7, excluded=frozenset({frozenset({"P001", "P002"})}))
    match_groups(sample_peers, rules, encoder=TfidfEncoder())
    assert sample_peers == before


def test_sample_pool_gets_explanations(sample_peers: list[Peer]) -> None:
    rules = GroupRules(
        min_size=5, max_size=7, min_countries=3, max_per_org=1, max_gender_share=0.6, min_senior=1
    )
    result = match_groups(sample_peers, rules, encoder=TfidfEncoder())
    assert check_groups(sample_peers, result.member_lists(), rules) == []
    for group in result.groups:
        expl = group.explanation
        assert expl.summary and expl.reasons
        assert any("language" in r.text for r in expl.reasons)
        assert expl.reasons[0].code == "reason.shared_language"
        assert isinstance(expl.reasons[0].params["languages"], tuple)
        assert [c.id for c in expl.contributions] == list(group.members)
    payload = result.to_json()
    assert set(payload) >= {"groups", "unmatched", "objective", "bound", "gap"}


def test_unknown_ids_in_rules_are_refused() -> None:
    peers = [Peer("a"), Peer("b")]
    with pytest.raises(ValueError, match="unknown peer id 'zz'"):
        match_groups(
            peers,
            GroupRules(min_size=2, max_size=2, excluded=frozenset({frozenset({"a", "zz"})})),
            profiles=random_profiles(peers, 0),
        )


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        match_groups(
            [Peer("a"), Peer("a")],
            GroupRules(min_size=2, max_size=2),
            profiles=random_profiles([Peer("a"), Peer("a")], 0),
        )


@pytest.mark.parametrize("seed", range(6))
def test_a_pool_with_a_surplus_fills_every_group_it_can(seed: int) -> None:
    # 29 peers, groups of 10-12: two full groups, five left out. The search also chooses
    # who is left out; every group it forms must still fit the size rule.
    peers = [
        Peer(f"p{i}", organisation=f"o{i}", country="SN", languages=("fr",)) for i in range(29)
    ]
    rules = GroupRules(min_size=10, max_size=12)
    result = match_groups(
        peers, rules, profiles=random_profiles(peers, seed), explain=False, seed=seed
    )
    assert check_groups(peers, result.member_lists(), rules) == []
    assert [len(g.members) for g in result.groups] == [12, 12]
    assert len(result.unmatched) == 5
    assert all(u.reason.code != "unmatched.rule_kept_breaking" for u in result.unmatched)


# Sixteen peers whose organisations and languages allow three groups of four but not four:
# the counting conditions alone would ask for four.
_LANGUAGE_BOUND = [
    ("o7", "GH", "fr", 3), ("o6", "SN", "en", 2), ("o2", "SN", "en fr", 3),
    ("o6", "KE", "en fr", 3), ("o6", "UG", "en", 4), ("o2", "SN", "en", 3),
    ("o4", "GH", "fr", 5), ("o6", "GH", "fr", 5), ("o3", "KE", "en fr", 5),
    ("o4", "KE", "en", 1), ("o1", "GH", "en fr", 5), ("o7", "SN", "fr", 3),
    ("o2", "UG", "en", 5), ("o0", "KE", "en", 4), ("o7", "KE", "fr", 3),
    ("o0", "GH", "en fr", 1),
]  # fmt: skip


@pytest.mark.parametrize("seed", range(4))
def test_when_languages_rule_out_a_group_one_fewer_is_formed(seed: int) -> None:
    peers = [
        Peer(f"p{i}", organisation=org, country=cc, languages=tuple(langs.split()),
             seniority=senior)
        for i, (org, cc, langs, senior) in enumerate(_LANGUAGE_BOUND)
    ]  # fmt: skip
    rules = GroupRules(min_size=4, max_size=4, min_countries=2, max_per_org=1, min_senior=1)
    result = match_groups(peers, rules, profiles=random_profiles(peers, seed), exact_limit=0,
                          explain=False, seed=seed)  # fmt: skip
    assert check_groups(peers, result.member_lists(), rules) == []
    assert len(result.groups) == 3 and len(result.unmatched) == 4


def test_blocks_searched_beside_give_the_groups_searched_here(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """Large pools' blocks are shared with a spawned process (the threshold is lowered
    here): the groups are those of the same search on one core, block for block."""
    from peerlearn.matching import beside
    from peerlearn.matching.groups import match as match_module
    from peerlearn.matching.groups import solve

    peers = [
        Peer(
            f"p{i}",
            organisation=f"org{i % 97}",
            country=("KE", "UG", "GH", "PE", "FR")[i % 5],
            languages=("en",) if i % 4 else ("fr",),
        )
        for i in range(700)
    ]
    prof = random_profiles(peers, seed=5)
    rules = GroupRules(min_size=10, max_size=12, common_language=True, max_per_org=2)
    monkeypatch.setattr(match_module, "BLOCKS_BESIDE", 10)
    monkeypatch.setattr(solve, "BLOCKS_BESIDE", 10)
    monkeypatch.setattr(solve, "_AHEAD", 1)
    one_core = match_groups(peers, rules, profiles=prof, seed=3, explain=False)
    submitted: list[object] = []

    class Counted(beside.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            submitted.append(fn)
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(beside, "ProcessPoolExecutor", Counted)
    two_cores = match_groups(peers, rules, profiles=prof, seed=3, explain=False, processes=2)
    assert submitted, "some blocks were searched in the second process"
    assert "second one failed" not in caplog.text
    assert len(one_core.groups) > 40  # several blocks of about twelve groups
    assert [g.members for g in two_cores.groups] == [g.members for g in one_core.groups]
    assert two_cores.unmatched == one_core.unmatched
    assert two_cores.objective == pytest.approx(one_core.objective)
