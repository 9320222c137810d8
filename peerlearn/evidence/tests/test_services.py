"""The evidence services: what they store, and field-keyed errors that name the fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from peerlearn.access.base import AccessDenied
from peerlearn.access.visibility import Visibility
from peerlearn.evidence import services
from peerlearn.evidence.models import (
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    IndicatorSource,
    Insight,
    KnowledgeTransfer,
    OutcomeStatement,
    ScorecardRound,
    ScorecardSheet,
    ScorecardSheetScore,
)
from peerlearn.evidence.principles import CODES

from .conftest import TODAY, on_day


def _indicator(w: SimpleNamespace, **kw: object) -> object:
    data: dict[str, object] = {
        "alliance": w.inner,
        "created_by": w.facilitator,
        "level": 4,
        "result": "Counties collect more",
        "name": "Own-source revenue",
        "unit": "KES million",
        "visibility": Visibility.ALLIANCE,
    }
    data.update(kw)
    return services.indicator_create(**data)  # type: ignore[arg-type]


def _errors(e: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return e.value.message_dict


def test_an_indicator_and_its_periods(ev: SimpleNamespace) -> None:
    indicator = _indicator(ev, baseline_value=Decimal("100"), baseline_date=TODAY)
    period = services.indicator_period_save(
        indicator=indicator,  # type: ignore[arg-type]
        saved_by=ev.facilitator,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=30),
        target_value=Decimal("120"),
        actual_value=Decimal("110"),
    )
    assert period.alliance_id == ev.inner.id
    # The same start date updates the period.
    services.indicator_period_save(
        indicator=indicator,  # type: ignore[arg-type]
        saved_by=ev.facilitator,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=30),
        actual_value=Decimal("125"),
    )
    assert IndicatorPeriod.objects.get().actual_value == Decimal("125")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"unit": ""}, "unit"),
        ({"kind": IndicatorKind.QUALITATIVE, "unit": "", "source": "activities_held"}, "source"),
        (
            {"kind": IndicatorKind.QUALITATIVE, "unit": "", "baseline_value": Decimal(1)},
            "baseline_value",
        ),
        ({"baseline_value": Decimal(1)}, "baseline_date"),
        ({"kind": IndicatorKind.QUALITATIVE, "unit": "%"}, "unit"),
    ],
)
def test_indicator_errors_name_the_field(ev: SimpleNamespace, kw: dict, field: str) -> None:
    with pytest.raises(ValidationError) as e:
        _indicator(ev, **kw)
    assert field in _errors(e)


def test_only_facilitators_change_the_results_chain(ev: SimpleNamespace) -> None:
    with pytest.raises(AccessDenied):
        _indicator(ev, created_by=ev.member_platform.user)


def test_period_errors(ev: SimpleNamespace) -> None:
    indicator = _indicator(ev)
    with pytest.raises(ValidationError) as e:
        services.indicator_period_save(
            indicator=indicator,  # type: ignore[arg-type]
            saved_by=ev.facilitator,
            starts_on=TODAY,
            ends_on=TODAY - dt.timedelta(days=1),
        )
    assert "ends_on" in _errors(e)
    computed = _indicator(ev, name="Activities held", source=IndicatorSource.ACTIVITIES_HELD)
    with pytest.raises(ValidationError) as e:
        services.indicator_period_save(
            indicator=computed,  # type: ignore[arg-type]
            saved_by=ev.facilitator,
            starts_on=TODAY,
            ends_on=TODAY,
            actual_value=Decimal(3),
        )
    assert "actual_value" in _errors(e)
    assert "activities" in _errors(e)["actual_value"][0]


def test_a_share_in_per_cent_lies_between_0_and_100(ev: SimpleNamespace) -> None:
    """An indicator in "%" holds the share reached: below 0 or above 100 is refused beside
    the field; a unit that names a change takes any figure."""
    with pytest.raises(ValidationError) as e:
        _indicator(ev, unit="%", baseline_value=Decimal("-1"), baseline_date=TODAY)
    assert "from 0 to 100" in _errors(e)["baseline_value"][0]
    share = _indicator(ev, unit="%", baseline_value=Decimal("18"), baseline_date=TODAY)
    period = {"indicator": share, "saved_by": ev.facilitator, "starts_on": TODAY}
    with pytest.raises(ValidationError) as e:
        services.indicator_period_save(
            **period,  # type: ignore[arg-type]
            ends_on=TODAY,
            target_value=Decimal("-5"),
            actual_value=Decimal("100.5"),
        )
    assert set(_errors(e)) == {"target_value", "actual_value"}
    assert "percentage points" in _errors(e)["target_value"][0]
    services.indicator_period_save(
        **period,  # type: ignore[arg-type]
        ends_on=TODAY,
        target_value=Decimal("0"),
        actual_value=Decimal("100"),
    )
    change = _indicator(ev, name="Change in arrears", unit="percentage points")
    services.indicator_period_save(
        indicator=change,  # type: ignore[arg-type]
        saved_by=ev.facilitator,
        starts_on=TODAY,
        ends_on=TODAY,
        target_value=Decimal("-5"),
        actual_value=Decimal("-7.5"),
    )
    # The unit cannot become a share under figures that no share takes.
    fields = {f: getattr(change, f) for f in services.INDICATOR_FIELDS}
    with pytest.raises(ValidationError) as e:
        services.indicator_update(
            indicator=change,  # type: ignore[arg-type]
            updated_by=ev.facilitator,
            **{**fields, "unit": "Per cent"},
        )
    assert "correct them first" in _errors(e)["unit"][0]


def test_a_period_overlapping_another_is_refused_naming_it(ev: SimpleNamespace) -> None:
    indicator = _indicator(ev)
    first = {"indicator": indicator, "saved_by": ev.facilitator}
    services.indicator_period_save(
        **first,  # type: ignore[arg-type]
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 31),
        actual_value=Decimal(10),
    )
    with pytest.raises(ValidationError) as e:
        services.indicator_period_save(
            **first,  # type: ignore[arg-type]
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 4, 30),
            actual_value=Decimal(20),
        )
    assert _errors(e)["starts_on"] == [
        "These dates overlap the period from January 1, 2026 to March 31, 2026: choose dates "
        "outside it, or start on January 1, 2026 to update that period."
    ]
    assert IndicatorPeriod.objects.count() == 1
    # The next period, and the same start (an update), are accepted.
    services.indicator_period_save(
        **first,  # type: ignore[arg-type]
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 4, 30),
    )
    services.indicator_period_save(
        **first,  # type: ignore[arg-type]
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 31),
        actual_value=Decimal(12),
    )
    assert IndicatorPeriod.objects.count() == 2


def _outcome(w: SimpleNamespace, **kw: object) -> object:
    data: dict[str, object] = {
        "alliance": w.inner,
        "created_by": w.facilitator,
        "social_actor": "Kisumu revenue department",
        "change_kind": "practice",
        "description": "Seasonal tickets",
        "observed_on": dt.date(2026, 1, 1),
        "place": "Kisumu",
        "significance": "Revenue rose",
        "contribution": "Discussed in the alliance",
        "visibility": Visibility.ALLIANCE,
    }
    data.update(kw)
    return services.outcome_create(**data)  # type: ignore[arg-type]


def test_outcome_errors(ev: SimpleNamespace) -> None:
    assert _outcome(ev).pk
    with pytest.raises(ValidationError) as e:
        _outcome(ev, substantiation="substantiated", substantiator="")
    assert "substantiator" in _errors(e)
    with pytest.raises(ValidationError) as e:
        _outcome(ev, observed_on=dt.date(2999, 1, 1))
    assert "observed_on" in _errors(e)
    with pytest.raises(ValidationError) as e:
        _outcome(ev, change_kind="weather")
    assert "change_kind" in _errors(e)


def _transfer(w: SimpleNamespace, **kw: object) -> KnowledgeTransfer:
    data: dict[str, object] = {
        "created_by": w.facilitator,
        "alliance": w.inner,
        "practice": "Seasonal bus-park ticket",
        "origin_organisation": w.county_b,
        "origin_country": w.county_b.country,
        "adopters": [w.county_a],
        "transferred_on": TODAY,
        "status": "adapted",
        "visibility": Visibility.PUBLIC,
    }
    data.update(kw)
    return services.transfer_create(**data)  # type: ignore[arg-type]


def test_transfer_errors(ev: SimpleNamespace) -> None:
    assert list(_transfer(ev).adopters.all()) == [ev.county_a]
    with pytest.raises(ValidationError) as e:
        _transfer(ev, adopters=[])
    assert "adopters" in _errors(e)
    with pytest.raises(ValidationError) as e:
        _transfer(ev, adopters=[ev.county_b])
    assert "adopters" in _errors(e)
    with pytest.raises(ValidationError) as e:
        _transfer(ev, created_by=ev.member_platform.user, alliance=None)
    assert "alliance" in _errors(e)
    assert KnowledgeTransfer.objects.count() == 1


def test_a_transfer_origin_country_is_its_organisation_s(ev: SimpleNamespace) -> None:
    """Kisumu County is in Kenya: it cannot be registered as a Ghanaian origin. An
    organisation with no country (an international one) may be placed anywhere."""
    from peerlearn.core.models import Country

    ghana = Country.objects.get(code="GH")
    with pytest.raises(ValidationError) as e:
        _transfer(ev, origin_country=ghana)
    assert _errors(e) == {
        "origin_country": [
            "Kisumu County is in Kenya: choose Kenya as the origin country, or choose the "
            "organisation the practice came from."
        ]
    }
    assert not KnowledgeTransfer.objects.exists()
    made = _transfer(ev, origin_organisation=ev.donor, origin_country=ghana)
    assert made.origin_country == ghana


def test_the_same_transfer_is_not_registered_twice(ev: SimpleNamespace) -> None:
    first = _transfer(ev)
    with pytest.raises(ValidationError) as e:
        _transfer(ev, practice="  seasonal BUS-PARK ticket ", alliance=None)
    assert list(_errors(e)) == ["practice"]
    message = _errors(e)["practice"][0]
    assert "already in the register" in message
    assert "“Seasonal bus-park ticket”, from Kisumu County to Nakuru County on June 1, 2026" in (
        message
    )
    assert KnowledgeTransfer.objects.get() == first
    # Another day, another adopter or another practice is another transfer.
    _transfer(ev, transferred_on=TODAY - dt.timedelta(days=1))
    _transfer(ev, adopters=[ev.county_a, ev.ministry])
    _transfer(ev, practice="Cashless parking")
    assert KnowledgeTransfer.objects.count() == 4


def test_a_duplicate_the_facilitator_may_not_see_is_not_named(ev: SimpleNamespace) -> None:
    """The check reads the register with the writer's rights: another facilitator's private
    entry is neither named nor in the way."""
    from peerlearn.access.roles import Role
    from peerlearn.conftest import make_user

    _transfer(ev, visibility=Visibility.PRIVATE, alliance=None)
    other = make_user("facilitator_two", role=Role.FACILITATOR, organisation=ev.ngo)
    _transfer(ev, created_by=other, alliance=None)
    assert KnowledgeTransfer.objects.count() == 2


def test_diary_and_insight(ev: SimpleNamespace) -> None:
    peer = ev.member_platform.user
    private = services.diary_entry_create(author=peer, title="Mine", text="x", written_on=TODAY)
    assert private.visibility == Visibility.PRIVATE
    shared = services.diary_entry_create(
        author=peer,
        title="Shared",
        text="x",
        written_on=TODAY,
        alliance=ev.inner,
        visibility=Visibility.ALLIANCE,
    )
    with pytest.raises(ValidationError) as e:
        services.diary_entry_create(
            author=peer, title="x", text="x", written_on=TODAY, alliance=ev.private_alliance
        )
    assert "alliance" in _errors(e)
    with pytest.raises(ValidationError) as e:
        services.insight_create(
            created_by=ev.facilitator,
            title="x",
            text="x",
            sources=[private],
            visibility=Visibility.ALLIANCE,
        )
    assert "sources" in _errors(e)
    with pytest.raises(ValidationError) as e:
        services.insight_create(
            created_by=ev.facilitator, title="x", text="x", sources=[], visibility="alliance"
        )
    assert "sources" in _errors(e)
    insight = services.insight_create(
        created_by=ev.facilitator,
        title="Collective payment",
        text="x",
        sources=[shared],
        alliance=ev.inner,
        visibility=Visibility.ALLIANCE,
    )
    assert list(insight.sources.all()) == [shared]
    # Never wider than its alliance: the access layer would not show it further.
    with pytest.raises(ValidationError) as e:
        services.insight_create(
            created_by=ev.facilitator,
            title="Wide",
            text="x",
            sources=[shared],
            alliance=ev.inner,
            visibility=Visibility.PUBLIC,
        )
    assert "choose Alliance or a narrower level" in _errors(e)["visibility"][0]
    with pytest.raises(ValidationError):
        services.insight_create(
            created_by=peer, title="x", text="x", sources=[shared], visibility="alliance"
        )
    assert Insight.objects.count() == 1


def test_scorecard_sheet(ev: SimpleNamespace) -> None:
    today = timezone.localdate()
    found = services.scorecard_round_create(
        alliance=ev.inner,
        created_by=ev.facilitator,
        title="First",
        opens_on=today,
        closes_on=today,
        visibility=Visibility.ALLIANCE,
    )
    with pytest.raises(ValidationError) as e:
        services.scorecard_round_create(
            alliance=ev.inner,
            created_by=ev.facilitator,
            title="Backwards",
            opens_on=today,
            closes_on=today - dt.timedelta(days=1),
            visibility=Visibility.ALLIANCE,
        )
    assert "closes_on" in _errors(e)
    with pytest.raises(ValidationError) as e:  # a second round of the same title
        services.scorecard_round_create(
            alliance=ev.inner,
            created_by=ev.facilitator,
            title="first ",
            opens_on=today,
            closes_on=today,
            visibility=Visibility.ALLIANCE,
        )
    assert "title" in _errors(e)
    with pytest.raises(ValidationError) as e:  # every problem named on the first answer
        services.scorecard_round_create(
            alliance=ev.inner,
            created_by=ev.facilitator,
            title="FIRST",
            opens_on=today,
            closes_on=today - dt.timedelta(days=1),
            visibility=Visibility.ALLIANCE,
        )
    assert set(_errors(e)) == {"title", "closes_on"}
    peer = ev.member_platform.user
    scores = dict.fromkeys(CODES, (3, ""))
    with pytest.raises(ValidationError) as e:
        services.scorecard_sheet_submit(
            scorecard_round=found, assessor=peer, kind="self", scores={**scores, "trust": (9, "")}
        )
    assert set(_errors(e)) == {"score_trust"}
    with pytest.raises(ValidationError) as e:
        services.scorecard_sheet_submit(
            scorecard_round=found, assessor=peer, kind="self", scores={"trust": (3, "")}
        )
    assert len(_errors(e)) == len(CODES) - 1
    services.scorecard_sheet_submit(
        scorecard_round=found, assessor=peer, kind="self", scores=scores
    )
    # Sending again replaces the sheet.
    services.scorecard_sheet_submit(
        scorecard_round=found, assessor=peer, kind="self", scores={**scores, "trust": (5, "ok")}
    )
    assert ScorecardSheetScore.objects.count() == len(CODES)
    assert ScorecardSheetScore.objects.get(item="trust").score == 5
    with pytest.raises(AccessDenied):
        services.scorecard_sheet_submit(
            scorecard_round=found, assessor=ev.outsider.user, kind="self", scores=scores
        )


def test_an_open_scorecard_round_waits_for_each_member_until_they_fill_it_in(
    ev: SimpleNamespace,
) -> None:
    from django.utils import timezone

    from peerlearn.notifications.needs import needs_for

    today = timezone.localdate()
    peer = ev.member_alliance.user

    def waiting(user: object) -> list[str]:
        return [n.url for n in needs_for(user) if n.kind == "scorecard"]  # type: ignore[arg-type]

    later = services.scorecard_round_create(
        alliance=ev.inner,
        created_by=ev.facilitator,
        title="Later",
        opens_on=today + dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=9),
        visibility=Visibility.ALLIANCE,
    )
    now = services.scorecard_round_create(
        alliance=ev.inner,
        created_by=ev.facilitator,
        title="Now",
        opens_on=today,
        closes_on=today + dt.timedelta(days=5),
        visibility=Visibility.ALLIANCE,
    )
    assert waiting(peer) == [f"/evidence/rounds/{now.id}/"]  # not the one opening later
    assert f"/evidence/rounds/{later.id}/" not in waiting(peer)
    assert waiting(ev.outsider.user) == []  # not a member of the alliance
    scores = dict.fromkeys(CODES, (4, ""))
    services.scorecard_sheet_submit(scorecard_round=now, assessor=peer, kind="self", scores=scores)
    assert waiting(peer) == []


def _open_round(w: SimpleNamespace, opens: dt.date, closes: dt.date) -> ScorecardRound:
    """A round whose dates may be past or to come (as if opened back then)."""
    with on_day(opens):
        return services.scorecard_round_create(
            alliance=w.inner,
            created_by=w.facilitator,
            title=f"Round of {opens}",
            opens_on=opens,
            closes_on=closes,
            visibility=Visibility.ALLIANCE,
        )


def test_a_round_takes_scorecards_only_from_its_opening_to_its_closing_day(
    ev: SimpleNamespace,
) -> None:
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    peer = ev.member_platform.user
    scores = dict.fromkeys(CODES, (3, ""))
    closed = _open_round(ev, today - 10 * day, today - day)
    with pytest.raises(ValidationError) as e:
        services.scorecard_sheet_submit(
            scorecard_round=closed, assessor=peer, kind="self", scores=scores
        )
    when = date_format(today - day, "DATE_FORMAT")
    assert _errors(e) == {"closes_on": [f"This round closed on {when}: its scorecards are final."]}
    coming = _open_round(ev, today + day, today + 5 * day)
    with pytest.raises(ValidationError) as e:
        services.scorecard_sheet_submit(
            scorecard_round=coming, assessor=peer, kind="self", scores=scores
        )
    assert _errors(e) == {
        "opens_on": [f"This round opens on {date_format(today + day, 'DATE_FORMAT')}."]
    }
    assert ScorecardSheet.objects.count() == 0
    # On its opening and closing days it takes them; once closed, a sheet is final.
    with on_day(today + day):
        services.scorecard_sheet_submit(
            scorecard_round=coming, assessor=peer, kind="self", scores=scores
        )
    with on_day(today + 5 * day):
        services.scorecard_sheet_submit(
            scorecard_round=coming, assessor=peer, kind="peer", scores=scores
        )
    with on_day(today + 6 * day), pytest.raises(ValidationError):
        services.scorecard_sheet_submit(
            scorecard_round=coming,
            assessor=peer,
            kind="self",
            scores={**scores, "trust": (5, "")},
        )
    sheet = ScorecardSheet.objects.get()
    assert sheet.kind == "peer" and sheet.scores.get(item="trust").score == 3
    # A non-member is refused as before, whatever the dates.
    with pytest.raises(AccessDenied):
        services.scorecard_sheet_submit(
            scorecard_round=closed, assessor=ev.outsider.user, kind="self", scores=scores
        )


def test_a_round_cannot_be_opened_with_a_closing_date_past(ev: SimpleNamespace) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as e:
        services.scorecard_round_create(
            alliance=ev.inner,
            created_by=ev.facilitator,
            title="Late",
            opens_on=today - dt.timedelta(days=30),
            closes_on=today - dt.timedelta(days=1),
            visibility=Visibility.ALLIANCE,
        )
    assert _errors(e) == {
        "closes_on": [
            "This closing date has passed: choose today or a later day to close the round."
        ]
    }
    assert services.round_dates_problems(opens_on=today, closes_on=today) == {}
    assert "closes_on" in services.round_dates_problems(
        opens_on=today, closes_on=today - dt.timedelta(days=1)
    )


def test_a_facilitator_changes_and_deletes_an_indicator(ev: SimpleNamespace) -> None:
    indicator: Any = _indicator(ev)
    other: Any = _indicator(ev, name="Another", level=3)
    services.indicator_period_save(
        indicator=indicator,
        saved_by=ev.facilitator,
        starts_on=TODAY,
        ends_on=TODAY,
        target_value=Decimal(5),
    )
    fields: dict[str, Any] = {
        "level": 3,
        "result": "Counties collect more",
        "name": "Own-source revenue (corrected)",
        "kind": IndicatorKind.QUANTITATIVE,
        "unit": "KES million",
        "visibility": Visibility.ALLIANCE,
    }
    with pytest.raises(AccessDenied):
        services.indicator_update(indicator=indicator, updated_by=ev.member_platform.user, **fields)
    with pytest.raises(ValidationError) as e:
        services.indicator_update(
            indicator=indicator, updated_by=ev.facilitator, **{**fields, "unit": ""}
        )
    assert set(_errors(e)) == {"unit"}
    with pytest.raises(ValidationError) as e:  # no wider than its alliance
        services.indicator_update(
            indicator=indicator, updated_by=ev.facilitator, **{**fields, "visibility": "public"}
        )
    assert set(_errors(e)) == {"visibility"}
    with pytest.raises(ValidationError) as e:  # its periods hold figures
        services.indicator_update(
            indicator=indicator,
            updated_by=ev.facilitator,
            **{**fields, "kind": IndicatorKind.QUALITATIVE, "unit": ""},
        )
    assert set(_errors(e)) == {"kind"}
    services.indicator_update(indicator=indicator, updated_by=ev.facilitator, **fields)
    indicator.refresh_from_db()
    assert indicator.name == "Own-source revenue (corrected)" and indicator.level == 3
    assert indicator.position == 1 and other.position == 0  # last in its new level
    with pytest.raises(AccessDenied):
        services.indicator_delete(indicator=indicator, deleted_by=ev.member_platform.user)
    services.indicator_delete(indicator=indicator, deleted_by=ev.facilitator)
    assert not Indicator.objects.filter(id=indicator.id).exists()
    assert IndicatorPeriod.objects.count() == 0  # its periods went with it


def test_a_facilitator_changes_and_deletes_an_outcome(ev: SimpleNamespace) -> None:
    outcome: Any = _outcome(ev, substantiation="pending", substantiator="County officer")
    fields: dict[str, Any] = {
        f: getattr(outcome, f)
        for f in (
            "social_actor",
            "change_kind",
            "description",
            "observed_on",
            "place",
            "significance",
            "contribution",
            "substantiator",
            "visibility",
        )
    }
    with pytest.raises(AccessDenied):
        services.outcome_update(
            outcome=outcome, updated_by=ev.member_platform.user, substantiation="x", **fields
        )
    with pytest.raises(ValidationError) as e:
        services.outcome_update(
            outcome=outcome,
            updated_by=ev.facilitator,
            **{**fields, "substantiator": "", "substantiation": "substantiated"},
        )
    assert set(_errors(e)) == {"substantiator"}
    with pytest.raises(ValidationError) as e:
        services.outcome_update(
            outcome=outcome,
            updated_by=ev.facilitator,
            **{**fields, "visibility": "public"},
        )
    assert set(_errors(e)) == {"visibility"}
    services.outcome_update(
        outcome=outcome, updated_by=ev.facilitator, substantiation="substantiated", **fields
    )
    outcome.refresh_from_db()
    assert outcome.substantiation == "substantiated"
    with pytest.raises(AccessDenied):
        services.outcome_delete(outcome=outcome, deleted_by=ev.member_platform.user)
    services.outcome_delete(outcome=outcome, deleted_by=ev.facilitator)
    assert not OutcomeStatement.objects.exists()


def test_a_round_is_deleted_only_before_anyone_fills_it_in(ev: SimpleNamespace) -> None:
    today = timezone.localdate()
    empty = _open_round(ev, today, today)
    with pytest.raises(AccessDenied):
        services.scorecard_round_delete(scorecard_round=empty, deleted_by=ev.member_platform.user)
    services.scorecard_round_delete(scorecard_round=empty, deleted_by=ev.facilitator)
    assert not ScorecardRound.objects.exists()
    filled = _open_round(ev, today, today)
    services.scorecard_sheet_submit(
        scorecard_round=filled,
        assessor=ev.member_platform.user,
        kind="self",
        scores=dict.fromkeys(CODES, (3, "")),
    )
    with pytest.raises(ValidationError) as e:
        services.scorecard_round_delete(scorecard_round=filled, deleted_by=ev.facilitator)
    assert _errors(e) == {
        "round": [
            "1 scorecard is recorded in this round: a round is deleted only before anyone "
            "fills it in."
        ]
    }
    assert ScorecardRound.objects.filter(id=filled.id).exists()


def test_a_round_is_changed_reopened_and_keeps_its_scorecards_inside_its_dates(
    ev: SimpleNamespace,
) -> None:
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    scores = dict.fromkeys(CODES, (3, ""))
    found = _open_round(ev, today - 10 * day, today + 10 * day)
    services.scorecard_sheet_submit(
        scorecard_round=found, assessor=ev.member_platform.user, kind="self", scores=scores
    )
    ScorecardSheet.objects.update(submitted_at=timezone.now() - 8 * day)
    fields = {
        "title": found.title,
        "opens_on": found.opens_on,
        "closes_on": found.closes_on,
        "visibility": found.visibility,
    }

    def update(by: Any = ev.facilitator, **changes: Any) -> ScorecardRound:
        return services.scorecard_round_update(
            scorecard_round=found, updated_by=by, **{**fields, **changes}
        )

    with pytest.raises(AccessDenied):
        update(by=ev.member_platform.user, title="Mine")
    filled_on = date_format(today - 8 * day)
    with pytest.raises(ValidationError) as e:
        update(opens_on=today - 5 * day, closes_on=today - 9 * day)
    assert _errors(e)["closes_on"] == ["A round closes on or after the day it opens."]
    with pytest.raises(ValidationError) as e:
        update(opens_on=today - 5 * day)
    assert _errors(e) == {
        "opens_on": [
            f"A scorecard was filled in on {filled_on}: open the round on that day or before."
        ]
    }
    with pytest.raises(ValidationError) as e:
        update(closes_on=today - 9 * day)
    assert "closes_on" in _errors(e)
    with pytest.raises(ValidationError) as e:
        update(visibility=Visibility.PUBLIC)
    assert "visibility" in _errors(e)
    other = _open_round(ev, today, today)
    with pytest.raises(ValidationError) as e:
        update(title=other.title.upper())
    assert "title" in _errors(e)
    found.refresh_from_db()
    assert found.title == fields["title"] and found.opens_on == today - 10 * day
    # Closed early (today); tomorrow its record is corrected with the day kept, or it is
    # reopened, but not moved to another day past.
    update(closes_on=today)
    with on_day(today + day):
        update(title="Baseline round (corrected)", closes_on=today)
        found.refresh_from_db()
        assert found.title == "Baseline round (corrected)"
        with pytest.raises(ValidationError) as e:
            update(closes_on=today - day)
        assert "has passed" in _errors(e)["closes_on"][0]
        update(closes_on=today + 5 * day)
        services.scorecard_sheet_submit(
            scorecard_round=found, assessor=ev.member_platform.user, kind="peer", scores=scores
        )
    assert found.sheets.get().kind == "peer"
