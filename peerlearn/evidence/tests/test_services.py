"""The evidence services: what they store, and field-keyed errors that name the fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from peerlearn.access.base import AccessDenied
from peerlearn.access.visibility import Visibility
from peerlearn.evidence import services
from peerlearn.evidence.models import (
    IndicatorKind,
    IndicatorPeriod,
    IndicatorSource,
    Insight,
    KnowledgeTransfer,
    ScorecardSheetScore,
)
from peerlearn.evidence.principles import CODES

from .conftest import TODAY


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
    with pytest.raises(ValidationError):
        services.insight_create(
            created_by=peer, title="x", text="x", sources=[shared], visibility="alliance"
        )
    assert Insight.objects.count() == 1


def test_scorecard_sheet(ev: SimpleNamespace) -> None:
    found = services.scorecard_round_create(
        alliance=ev.inner,
        created_by=ev.facilitator,
        title="First",
        opens_on=TODAY,
        closes_on=TODAY,
        visibility=Visibility.ALLIANCE,
    )
    with pytest.raises(ValidationError) as e:
        services.scorecard_round_create(
            alliance=ev.inner,
            created_by=ev.facilitator,
            title="Backwards",
            opens_on=TODAY,
            closes_on=TODAY - dt.timedelta(days=1),
            visibility=Visibility.ALLIANCE,
        )
    assert "closes_on" in _errors(e)
    with pytest.raises(ValidationError) as e:  # a second round of the same title
        services.scorecard_round_create(
            alliance=ev.inner,
            created_by=ev.facilitator,
            title="first ",
            opens_on=TODAY,
            closes_on=TODAY,
            visibility=Visibility.ALLIANCE,
        )
    assert "title" in _errors(e)
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
