"""Evidence content: every role against every visibility level."""

from __future__ import annotations

import datetime as dt
import doctest
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from peerlearn.access import visibility
from peerlearn.access.base import AccessDenied, NotFound
from peerlearn.access.evidence import (
    access_alliance_for_evidence,
    access_indicator_by_id,
    access_indicator_for_manage,
    access_outcome_for_manage,
    access_scorecard_round_for_manage,
    access_scorecard_round_for_sheet,
    alliance_shown_to,
    diary_entries_visible_to,
    digest_entries_for,
    indicator_periods_visible_to,
    indicators_visible_to,
    insights_visible_to,
    may_fill_in_scorecard,
    outcomes_visible_to,
    scorecard_round_closed_reason,
    scorecard_rounds_visible_to,
    scorecard_sheets_visible_to,
    transfers_visible_to,
)
from peerlearn.access.visibility import (
    VISIBILITY_ORDER,
    Visibility,
    alliance_item_choices,
    alliance_item_reach,
)
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import alliance_member_add
from peerlearn.evidence.models import (
    DiaryEntry,
    Indicator,
    IndicatorPeriod,
    Insight,
    KnowledgeTransfer,
    OutcomeStatement,
    ScorecardRound,
    ScorecardSheet,
)

WHO = (
    "anonymous",
    "outsider",
    "member_platform",
    "facilitator",
    "authoriser_a",
    "funder",
    "admin",
)
TODAY = dt.date(2026, 6, 1)


def viewer(w: SimpleNamespace, name: str) -> Any:
    if name == "anonymous":
        return AnonymousUser()
    obj = getattr(w, name)
    return getattr(obj, "user", obj)


@pytest.fixture
def ev(world: SimpleNamespace) -> SimpleNamespace:
    """Evidence at every level in the public alliance, which member_platform joins and the
    donor funds; and at public level in the private (draft) alliance."""
    w = world
    alliance = w.public_alliance
    alliance_member_add(alliance=alliance, user=w.member_platform.user, role=MemberRole.PEER)
    alliance.funders.add(w.donor)
    e = SimpleNamespace(world=w, alliance=alliance)
    e.indicators, e.outcomes, e.transfers, e.rounds, e.insights = {}, {}, {}, {}, {}
    for level in Visibility.values:
        e.indicators[level] = Indicator.objects.create(
            alliance=alliance,
            level=4,
            result="More revenue",
            name=f"indicator {level}",
            unit="KES",
            visibility=level,
            created_by=w.facilitator,
        )
        IndicatorPeriod.objects.create(
            alliance=alliance,
            indicator=e.indicators[level],
            starts_on=TODAY,
            ends_on=TODAY,
            note=f"period {level}",
        )
        e.outcomes[level] = OutcomeStatement.objects.create(
            alliance=alliance,
            social_actor=f"outcome {level}",
            change_kind="practice",
            description="x",
            observed_on=TODAY,
            place="Kisumu",
            significance="x",
            contribution="x",
            visibility=level,
            created_by=w.facilitator,
        )
        t = KnowledgeTransfer.objects.create(
            alliance=alliance,
            practice=f"transfer {level}",
            origin_organisation=w.county_a,
            origin_country=w.county_a.country,
            transferred_on=TODAY,
            visibility=level,
            created_by=w.facilitator,
        )
        t.adopters.set([w.county_b])
        e.transfers[level] = t
        e.rounds[level] = ScorecardRound.objects.create(
            alliance=alliance,
            title=f"round {level}",
            opens_on=TODAY,
            closes_on=TODAY,
            visibility=level,
            created_by=w.facilitator,
        )
        e.insights[level] = Insight.objects.create(
            alliance=alliance,
            title=f"insight {level}",
            text="x",
            visibility=level,
            created_by=w.facilitator,
        )
    e.hidden_indicator = Indicator.objects.create(
        alliance=w.private_alliance,
        level=4,
        result="x",
        name="public in a draft alliance",
        unit="%",
        visibility=Visibility.PUBLIC,
        created_by=w.facilitator,
    )
    e.hidden_transfer = KnowledgeTransfer.objects.create(
        alliance=w.private_alliance,
        practice="public transfer of a draft alliance",
        origin_organisation=w.county_a,
        origin_country=w.county_a.country,
        transferred_on=TODAY,
        visibility=Visibility.PUBLIC,
        created_by=w.facilitator,
    )
    e.sheet = ScorecardSheet.objects.create(
        alliance=alliance, round=e.rounds["public"], assessor=w.member_platform.user, kind="self"
    )
    return e


SIGNED_IN = {"outsider", "member_platform", "facilitator", "authoriser_a", "funder", "admin"}
INSIDE = {"member_platform", "facilitator", "funder", "admin"}
# Who sees content at each level, written by the facilitator in an alliance anyone may see.
LEVEL_MATRIX = {
    Visibility.PRIVATE: {"facilitator", "admin"},
    Visibility.ALLIANCE: INSIDE,
    Visibility.PLATFORM: SIGNED_IN,
    Visibility.PUBLIC: SIGNED_IN | {"anonymous"},
}


def _seen(ev: SimpleNamespace, qs_for: Any, objects: dict[str, Any]) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {level: set() for level in objects}
    for who in WHO:
        ids = set(qs_for(viewer(ev.world, who)).values_list("id", flat=True))
        for level, obj in objects.items():
            if obj.id in ids:
                seen[level].add(who)
    return seen


@pytest.mark.parametrize(
    ("qs_for", "attr"),
    [
        (indicators_visible_to, "indicators"),
        (outcomes_visible_to, "outcomes"),
        (transfers_visible_to, "transfers"),
        (scorecard_rounds_visible_to, "rounds"),
        (insights_visible_to, "insights"),
    ],
)
def test_each_role_sees_each_level(ev: SimpleNamespace, qs_for: Any, attr: str) -> None:
    assert _seen(ev, qs_for, getattr(ev, attr)) == LEVEL_MATRIX


def test_periods_are_as_visible_as_their_indicator(ev: SimpleNamespace) -> None:
    for who in WHO:
        periods = indicator_periods_visible_to(viewer(ev.world, who))
        notes = set(periods.values_list("note", flat=True))
        expected = {f"period {level}" for level, people in LEVEL_MATRIX.items() if who in people}
        assert notes == expected, who


def test_public_results_of_a_hidden_alliance_stay_hidden(ev: SimpleNamespace) -> None:
    w = ev.world
    for who in WHO:
        ids = set(indicators_visible_to(viewer(w, who)).values_list("id", flat=True))
        assert (ev.hidden_indicator.id in ids) == (who in {"facilitator", "admin"}), who
    with pytest.raises(NotFound):
        access_indicator_by_id(AnonymousUser(), ev.hidden_indicator.id)


def test_the_transfer_register_is_platform_wide_but_names_only_visible_alliances(
    ev: SimpleNamespace,
) -> None:
    w = ev.world
    assert transfers_visible_to(AnonymousUser()).filter(id=ev.hidden_transfer.id).exists()
    assert not alliance_shown_to(AnonymousUser(), w.private_alliance.id)
    assert alliance_shown_to(w.facilitator, w.private_alliance.id)


def test_scorecard_sheets_stay_inside_the_alliance(ev: SimpleNamespace) -> None:
    for who in WHO:
        found = scorecard_sheets_visible_to(viewer(ev.world, who)).filter(id=ev.sheet.id).exists()
        assert found == (who in INSIDE), who


@pytest.mark.parametrize("who", WHO)
def test_only_facilitators_keep_the_evidence(ev: SimpleNamespace, who: str) -> None:
    user = viewer(ev.world, who)
    if who in {"facilitator", "admin"}:
        assert access_alliance_for_evidence(user, ev.alliance) == ev.alliance
    else:
        with pytest.raises(AccessDenied):
            access_alliance_for_evidence(user, ev.alliance)


@pytest.mark.parametrize("who", WHO)
def test_only_members_fill_in_a_scorecard(ev: SimpleNamespace, who: str) -> None:
    user = viewer(ev.world, who)
    public_round = ev.rounds[Visibility.PUBLIC]
    if who in {"member_platform", "facilitator"}:
        assert access_scorecard_round_for_sheet(user, public_round.id) == public_round
    else:
        with pytest.raises(AccessDenied):
            access_scorecard_round_for_sheet(user, public_round.id)


@pytest.mark.parametrize("who", WHO)
def test_only_facilitators_change_or_delete_the_evidence(ev: SimpleNamespace, who: str) -> None:
    """Who may see a public item, but not keep the alliance's evidence, is refused (403);
    who may not see it at all gets 404."""
    user = viewer(ev.world, who)
    checks = (
        (access_indicator_for_manage, ev.indicators[Visibility.PUBLIC]),
        (access_outcome_for_manage, ev.outcomes[Visibility.PUBLIC]),
        (access_scorecard_round_for_manage, ev.rounds[Visibility.PUBLIC]),
    )
    for access, item in checks:
        if who in {"facilitator", "admin"}:
            assert access(user, item.id) == item
        else:
            with pytest.raises(AccessDenied):
                access(user, item.id)
    if who not in {"facilitator", "admin"}:
        with pytest.raises(NotFound):
            access_outcome_for_manage(user, ev.outcomes[Visibility.PRIVATE].id)


def test_a_member_fills_in_a_scorecard_only_while_its_round_is_open(ev: SimpleNamespace) -> None:
    found = ev.rounds[Visibility.PUBLIC]
    member = viewer(ev.world, "member_platform")
    day = dt.timedelta(days=1)
    assert scorecard_round_closed_reason(found, found.opens_on) is None
    assert scorecard_round_closed_reason(found, found.closes_on) is None
    before = scorecard_round_closed_reason(found, found.opens_on - day)
    after = scorecard_round_closed_reason(found, found.closes_on + day)
    assert before is not None and before[0] == "opens_on"
    assert after is not None and after[0] == "closes_on"
    found.opens_on = found.closes_on = timezone.localdate()
    assert may_fill_in_scorecard(member, found)
    assert not may_fill_in_scorecard(viewer(ev.world, "funder"), found)
    found.opens_on = found.closes_on = timezone.localdate() - day * 2
    assert not may_fill_in_scorecard(member, found)
    # The page and API reach the service, whose refusal names the dates.
    assert access_scorecard_round_for_sheet(member, found.id) == found


# Diary entries by member_platform (a member of the inner alliance), with no alliance.
DIARY_MATRIX = {
    # "Private — only me": administrators included, unlike other private content.
    Visibility.PRIVATE: {"member_platform"},
    # Whoever shares an alliance with the author: the inner alliance's people (and, here,
    # the public alliance's, which the author joined too).
    Visibility.ALLIANCE: {"member_platform", "facilitator", "funder", "admin"},
    Visibility.PLATFORM: SIGNED_IN,
    # The author's profile is at platform level: a public entry reaches no further.
    Visibility.PUBLIC: SIGNED_IN,
}


def test_diary_entries_by_level(ev: SimpleNamespace) -> None:
    w = ev.world
    entries = {
        level: DiaryEntry.objects.create(
            author=w.member_platform.user,
            title=f"entry {level}",
            text="x",
            written_on=TODAY,
            visibility=level,
        )
        for level in Visibility.values
    }
    assert _seen(ev, diary_entries_visible_to, entries) == DIARY_MATRIX


def test_a_digest_holds_only_the_organisations_entries_its_authoriser_may_see(
    ev: SimpleNamespace,
) -> None:
    w = ev.world
    # member_alliance works for county A, whose authoriser is authoriser_a; member_platform
    # works for county B.
    entries = {
        (who, level): DiaryEntry.objects.create(
            author=getattr(w, who).user,
            title=f"{who} {level}",
            text="x",
            written_on=TODAY,
            visibility=level,
        )
        for who in ("member_alliance", "member_platform")
        for level in Visibility.values
    }
    found = set(
        digest_entries_for(w.authoriser_a, starts_on=TODAY, ends_on=TODAY).values_list(
            "title", flat=True
        )
    )
    # Platform and public entries of county A's peer; not the alliance-level one (the
    # authoriser is in none of its alliances), not private, not county B's.
    assert found == {"member_alliance platform", "member_alliance public"}
    assert entries  # all planted


def test_a_diary_entry_is_never_wider_than_its_authors_profile(ev: SimpleNamespace) -> None:
    w = ev.world
    entry = DiaryEntry.objects.create(
        author=w.member_private.user,
        title="public entry behind a private profile",
        text="x",
        written_on=TODAY,
        visibility=Visibility.PUBLIC,
    )
    for who in WHO:
        seen = diary_entries_visible_to(viewer(w, who)).filter(id=entry.id).exists()
        assert seen == (who == "admin"), who
    assert diary_entries_visible_to(w.member_private.user).filter(id=entry.id).exists()


def test_visibility_doctests() -> None:
    assert doctest.testmod(visibility).failed == 0


@pytest.mark.parametrize("alliance", [v.value for v in VISIBILITY_ORDER])
def test_an_alliance_item_is_offered_exactly_the_levels_it_would_reach(alliance: str) -> None:
    offered = [value for value, _ in alliance_item_choices(alliance)]
    reached_as_chosen = [
        v.value for v in VISIBILITY_ORDER if alliance_item_reach(v.value, alliance)[0] == v
    ]
    assert offered == reached_as_chosen
    assert offered[-1] == alliance
