"""Whether a diagnosis's relaxation alone places the peers left out, checked on the final
groups with the checker."""

from __future__ import annotations

import pytest

from peerlearn.matching import match_groups
from peerlearn.matching.encoders import TfidfEncoder
from peerlearn.matching.groups import relaxations
from peerlearn.matching.groups.relaxations import Placement, judge_relaxations, placement
from peerlearn.matching.messages import message
from peerlearn.matching.types import Diagnosis, GroupRules, Peer

from .conftest import random_profiles

MARKET_FEES = "Cash collection of market fees leaks revenue at every market gate."
SCHOOLS = "Procurement audit of school construction contracts is late."
#: Three peers working in French and Spanish, one in Spanish only, and Odile in French only
#: with another concern: groups of exactly four leave her out.
BILINGUAL = [
    Peer("ana", country="KE", languages=("es", "fr"), challenge=MARKET_FEES),
    Peer("bruno", country="UG", languages=("es", "fr"), challenge=MARKET_FEES),
    Peer("carla", country="GH", languages=("es", "fr"), challenge=MARKET_FEES),
    Peer("diego", country="KE", languages=("es",), challenge=MARKET_FEES),
    Peer("odile", country="UG", languages=("fr",), challenge=SCHOOLS),
]
SIZES = Diagnosis("size", message("where.pool"), {"max_size": 5})


def test_larger_groups_place_a_fifth_peer_who_fits() -> None:
    peers = [Peer(str(i), country="KE", languages=("en",)) for i in range(5)]
    rules = GroupRules(min_size=4, max_size=4)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 1), explain=False)
    assert len(result.unmatched) == 1
    (diag,) = result.diagnostics
    assert diag.relaxation == {"max_size": 5}
    assert diag.relaxation_places is True
    assert diag.to_json()["relaxation_places"] is True
    assert diag.relaxation_blocked_by is None
    assert str(diag.message) == (
        "5 peers with working language 'en' cannot be split into groups of 4"
    )


def test_larger_groups_alone_do_not_place_odile() -> None:
    rules = GroupRules(min_size=4, max_size=4, common_language=True)
    result = match_groups(BILINGUAL, rules, encoder=TfidfEncoder(), explain=False)
    assert [u.id for u in result.unmatched] == ["odile"]
    (diag,) = result.diagnostics
    assert diag.relaxation == {"max_size": 5}
    assert diag.relaxation_places is False
    assert diag.to_json()["relaxation_places"] is False
    assert diag.relaxation_blocked_by == "common_language"
    assert diag.to_json()["relaxation_blocked_by"] == "common_language"


def test_a_smaller_minimum_places_a_language_island_as_its_own_group() -> None:
    peers = [Peer(str(i), country="KE", languages=("en",)) for i in range(6)]
    peers += [Peer(f"ru{i}", country="KZ", languages=("ru",)) for i in range(2)]
    rules = GroupRules(min_size=3, max_size=4)
    result = match_groups(peers, rules, profiles=random_profiles(peers, 3), explain=False)
    assert {u.id for u in result.unmatched} == {"ru0", "ru1"}
    (diag,) = result.diagnostics
    assert diag.relaxation == {"min_size": 2}
    assert diag.relaxation_places is True


def test_the_checker_judges_each_candidate_under_the_relaxed_rules() -> None:
    rules = GroupRules(min_size=4, max_size=4)
    final = [["ana", "bruno", "carla", "diego"]]
    assert placement(BILINGUAL, rules, final, [["odile"]], SIZES).places is False
    # Without the common language, the size is the only obstacle.
    spoken = GroupRules(min_size=4, max_size=4, common_language=False)
    assert placement(BILINGUAL, spoken, final, [["odile"]], SIZES).places is True
    # A relaxation of a field the rules do not have is not judged.
    unknown = Diagnosis("size", message("where.pool"), {"no_such_rule": 1})
    assert placement(BILINGUAL, rules, final, [["odile"]], unknown).places is None


def test_a_pinned_set_is_placed_whole() -> None:
    peers = [Peer(str(i), country="KE", languages=("en",)) for i in range(6)]
    rules = GroupRules(min_size=2, max_size=3, pinned=(frozenset({"4", "5"}),))
    final = [["0", "1", "2"], ["3"]]
    assert placement(peers, rules, final[:1], [["4", "5"]], SIZES).places is True
    assert placement(peers, rules, final[:1], [["4"]], SIZES).places is False


def test_a_new_group_is_built_from_the_peers_left_out() -> None:
    peers = [Peer(str(i), country="KE" if i < 4 else "UG", languages=("en",)) for i in range(7)]
    rules = GroupRules(min_size=3, max_size=4, min_countries=2)
    relax = Diagnosis("min_countries", message("where.pool"), {"min_countries": 1})
    final = [["0", "1", "4", "5"]]
    # Neither fits the full group; together with the third they make one of their own.
    assert placement(peers, rules, final, [["2"], ["3"], ["6"]], relax).places is True
    assert placement(peers, rules, final, [["2"], ["3"]], relax).places is False


def test_diagnoses_beyond_the_budget_are_not_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    final = [["ana", "bruno", "carla", "diego"]]
    rules = GroupRules(min_size=4, max_size=4)
    monkeypatch.setattr(relaxations, "RELAXATION_CHECKS", 2)
    (diag,) = judge_relaxations(BILINGUAL, rules, final, [["odile"]], [SIZES])
    assert diag.relaxation_places is None
    monkeypatch.setattr(relaxations, "RELAXATION_CHECKS", 3)
    (diag,) = judge_relaxations(BILINGUAL, rules, final, [["odile"]], [SIZES])
    assert diag.relaxation_places is False


def test_a_diagnosis_is_about_the_peers_its_compartment_names() -> None:
    rules = GroupRules(min_size=4, max_size=4, common_language=False)
    final = [["ana", "bruno", "carla", "diego"]]
    spanish = Diagnosis(
        "size",
        message("diagnosis.too_few", count=1, where=message("where.language", language="es")),
        {"max_size": 5},
    )
    none = Diagnosis("size", message("where.pool"))
    judged = judge_relaxations(BILINGUAL, rules, final, [["odile"]], [spanish, none, SIZES])
    assert [d.relaxation_places for d in judged] == [None, None, True]


def test_the_rule_blocking_most_candidates_is_named() -> None:
    # Odile joins no Spanish-speaking group; beside two more groups from her organisation,
    # the organisation rule blocks more of the candidates than the language.
    peers = [*BILINGUAL[:4], Peer("odile", country="UG", languages=("fr",), organisation="MoF")]
    peers += [Peer(f"m{i}", country="GH", languages=("fr",), organisation="MoF") for i in range(8)]
    rules = GroupRules(min_size=4, max_size=4, max_per_org=1)
    spanish = [["ana", "bruno", "carla", "diego"]]
    ministry = [["m0", "m1", "m2", "m3"], ["m4", "m5", "m6", "m7"]]
    assert placement(peers, rules, spanish, [["odile"]], SIZES) == Placement(
        False, "common_language"
    )
    assert placement(peers, rules, [*spanish, *ministry], [["odile"]], SIZES) == Placement(
        False, "max_per_org"
    )
    assert placement(peers, rules, spanish[:0], [["odile"]], SIZES) == Placement(False, None)


def test_a_relaxation_that_places_someone_names_no_blocking_rule() -> None:
    rules = GroupRules(min_size=4, max_size=4, common_language=False)
    final = [["ana", "bruno", "carla", "diego"]]
    (diag,) = judge_relaxations(BILINGUAL, rules, final, [["odile"]], [SIZES])
    assert (diag.relaxation_places, diag.relaxation_blocked_by) == (True, None)
