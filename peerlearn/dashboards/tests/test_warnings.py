"""Each principle check, triggered and not, on hand-made facts; then the facts gathered
from the database for a real alliance."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from peerlearn.alliances.models import AllianceStage, LearningAlliance, MemberRole
from peerlearn.alliances.services import alliance_member_add
from peerlearn.conftest import make_peer
from peerlearn.dashboards import warnings as w
from peerlearn.dashboards.facts import (
    ACTIVITY_KINDS,
    LAST_ENGAGED,
    LAST_HELD,
    LOW_SCORES,
    Facts,
    dashboard_facts,
)
from peerlearn.peers.models import Authorisation, AuthorisationStatus
from peerlearn.strategy import services
from peerlearn.strategy.selectors import StrategySummary

TODAY = date(2026, 6, 1)
A = LearningAlliance(id=1, slug="a", name="A", stage=AllianceStage.FOUNDATIONAL)


def codes(check: w.Check, facts: Facts, alliance: LearningAlliance = A) -> list[str]:
    return [warning.code for _id, warning in check([alliance], facts)]


def facts(**kwargs: object) -> Facts:
    return Facts(today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_every_check_is_registered() -> None:
    names = {fn.__name__ for fn in w.CHECKS}
    assert names == {
        "no_senior_member",
        "peers_not_authorised",
        "gender_imbalance",
        "no_expected_results",
        "strategy_unconfirmed",
        "long_in_stage",
        "only_one_off_events",
        "no_recent_activity",
        "low_principle_scores",
    }


def test_no_senior_member() -> None:
    assert codes(w.no_senior_member, facts(learners={1: 3})) == ["no_senior_member"]
    assert codes(w.no_senior_member, facts(learners={1: 3}, seniors={1: 1})) == []
    assert codes(w.no_senior_member, facts()) == []  # no learners: nothing to say


def test_peers_not_authorised() -> None:
    found = list(w.peers_not_authorised([A], facts(unauthorised={1: 2})))
    assert [x.code for _i, x in found] == ["peers_not_authorised"]
    assert "2 peers" in found[0][1].message and found[0][1].link == "/alliances/a/#members-h"
    assert codes(w.peers_not_authorised, facts(unauthorised={1: 0})) == []


def test_gender_imbalance_above_three_quarters() -> None:
    assert codes(w.gender_imbalance, facts(genders={1: Counter(female=4, male=1)})) == [
        "gender_imbalance"
    ]
    assert codes(w.gender_imbalance, facts(genders={1: Counter(female=3, male=1)})) == []
    assert codes(w.gender_imbalance, facts(genders={1: Counter(male=1)})) == []
    assert codes(w.gender_imbalance, facts()) == []


def test_no_expected_results() -> None:
    assert codes(w.no_expected_results, facts()) == ["no_expected_results"]
    empty = StrategySummary(parts=3, confirmed=0, with_expected_result=0)
    assert codes(w.no_expected_results, facts(strategy={1: empty})) == ["no_expected_results"]
    agreed = StrategySummary(parts=3, confirmed=1, with_expected_result=2)
    assert codes(w.no_expected_results, facts(strategy={1: agreed})) == []
    link = next(w.no_expected_results([A], facts()))[1].link
    assert link == "/alliances/a/strategy/"


def test_strategy_unconfirmed() -> None:
    nobody = StrategySummary(parts=3, confirmed=0, with_expected_result=3)
    assert codes(w.strategy_unconfirmed, facts(strategy={1: nobody})) == ["strategy_unconfirmed"]
    one = StrategySummary(parts=3, confirmed=1, with_expected_result=3)
    assert codes(w.strategy_unconfirmed, facts(strategy={1: one})) == []
    assert codes(w.strategy_unconfirmed, facts()) == []  # no strategy: the other warning
    blank = StrategySummary(parts=3, confirmed=0, with_expected_result=0)
    assert codes(w.strategy_unconfirmed, facts(strategy={1: blank})) == []


def test_long_in_stage() -> None:
    limit = w.LONG_IN_STAGE_DAYS[AllianceStage.FOUNDATIONAL]
    long_ago = datetime.combine(TODAY - timedelta(days=limit + 1), datetime.min.time(), UTC)
    recent = datetime.combine(TODAY - timedelta(days=limit), datetime.min.time(), UTC)
    assert codes(w.long_in_stage, facts(stage_since={1: long_ago})) == ["long_in_stage"]
    assert codes(w.long_in_stage, facts(stage_since={1: recent})) == []
    last = LearningAlliance(id=1, slug="a", stage=AllianceStage.APPLIED_AT_SCALE)
    assert codes(w.long_in_stage, facts(stage_since={1: long_ago}), last) == []


def test_only_one_off_events_needs_the_activities_fact() -> None:
    one = {1: ["workshop"]}
    assert codes(w.only_one_off_events, facts(activity_kinds=one)) == []  # not gathered
    g = frozenset({ACTIVITY_KINDS})
    assert codes(w.only_one_off_events, facts(activity_kinds=one, gathered=g)) == [
        "only_one_off_events"
    ]
    conferences = {1: ["conference", "webinar"]}
    assert codes(w.only_one_off_events, facts(activity_kinds=conferences, gathered=g)) == [
        "only_one_off_events"
    ]
    repeated = {1: ["workshop", "coaching", "exchange_visit"]}
    assert codes(w.only_one_off_events, facts(activity_kinds=repeated, gathered=g)) == []
    assert codes(w.only_one_off_events, facts(gathered=g)) == []  # none held yet


def test_no_recent_activity_needs_the_activities_fact() -> None:
    g = frozenset({LAST_HELD})
    old = {1: TODAY - timedelta(days=w.NO_ACTIVITY_DAYS + 1)}
    fresh = {1: TODAY - timedelta(days=w.NO_ACTIVITY_DAYS)}
    assert codes(w.no_recent_activity, facts(last_held=old)) == []  # not gathered
    assert codes(w.no_recent_activity, facts(last_held=old, gathered=g)) == ["no_recent_activity"]
    assert codes(w.no_recent_activity, facts(gathered=g)) == ["no_recent_activity"]
    assert codes(w.no_recent_activity, facts(last_held=fresh, gathered=g)) == []
    pre = LearningAlliance(id=1, slug="a", stage=AllianceStage.PRE_ASSESSMENT)
    assert codes(w.no_recent_activity, facts(gathered=g), pre) == []
    # Made recently, it has had no time to meet: counted from its creation.
    made = datetime(2026, 5, 20, 12, tzinfo=UTC)
    new = LearningAlliance(id=1, slug="a", stage=AllianceStage.FOUNDATIONAL, created_at=made)
    assert codes(w.no_recent_activity, facts(gathered=g), new) == []
    assert codes(w.no_recent_activity, facts(last_held=old, gathered=g), new) == []
    new.created_at = made - timedelta(days=w.NO_ACTIVITY_DAYS + 30)
    assert codes(w.no_recent_activity, facts(gathered=g), new) == ["no_recent_activity"]


def test_low_principle_scores_need_the_evidence_fact() -> None:
    low = {1: ["Trust and a safe space"]}
    assert codes(w.low_principle_scores, facts(low_scores=low)) == []  # not gathered
    g = frozenset({LOW_SCORES})
    found = list(w.low_principle_scores([A], facts(low_scores=low, gathered=g)))
    assert [x.code for _id, x in found] == ["low_principle_scores"]
    assert "Trust and a safe space" in found[0][1].message
    assert found[0][1].link == "/evidence/alliances/a/"
    assert codes(w.low_principle_scores, facts(gathered=g)) == []


def test_members_not_engaged() -> None:
    engaged = {1: {10: TODAY, 11: TODAY - timedelta(days=61), 12: None}}
    assert w.not_engaged_count(facts(last_engaged=engaged), 1) is None
    f = facts(last_engaged=engaged, gathered=frozenset({LAST_ENGAGED}))
    assert w.not_engaged_count(f, 1) == 2


@pytest.mark.django_db
def test_facts_from_the_database(world: SimpleNamespace) -> None:
    inner = world.inner
    f = dashboard_facts([inner.id], today=date.today())
    # Three peer learners, none senior, none authorised, no gender stated, no strategy.
    assert (f.learners[inner.id], f.seniors.get(inner.id, 0)) == (3, 0)
    assert f.unauthorised[inner.id] == 3
    assert inner.id in f.stage_since
    found = {x.code for x in w.run_checks([inner], f)[inner.id]}
    assert found == {"no_senior_member", "peers_not_authorised", "no_expected_results"}

    senior = make_peer("director", world.county_a, seniority=4, gender="Female")
    alliance_member_add(alliance=inner, user=senior.user, role=MemberRole.RESOURCE)
    for peer in (world.member_alliance, world.member_platform, world.member_private):
        peer.gender = "female"
        peer.save(update_fields=["gender"])
        Authorisation.objects.create(
            peer=peer, authoriser=world.authoriser_a, status=AuthorisationStatus.GRANTED
        )
    services.strategy_parts_start(alliance=inner)
    f = dashboard_facts([inner.id], today=date.today())
    assert f.genders[inner.id] == Counter(female=4)
    assert f.unauthorised.get(inner.id, 0) == 0  # the resource peer needs none
    found = {x.code for x in w.run_checks([inner], f)[inner.id]}
    assert found == {"gender_imbalance", "no_expected_results"}
    part = inner.strategy_parts.get(member=world.member_platform.user)
    services.strategy_part_update(
        part=part, expected_result="Contracts", objectives=[services.ObjectiveInput(what="x")]
    )
    f = dashboard_facts([inner.id], today=date.today())
    found = {x.code for x in w.run_checks([inner], f)[inner.id]}
    assert found == {"gender_imbalance", "strategy_unconfirmed"}
    services.strategy_part_confirm(part=part)
    f = dashboard_facts([inner.id], today=date.today())
    assert {x.code for x in w.run_checks([inner], f)[inner.id]} == {"gender_imbalance"}
