"""The results chain: indicators, their periods' values, and harvested outcomes.

Writes: keyword-only, validated (``ValidationError`` keyed by the field, with a
message that names the fix), atomic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.evidence import (
    access_alliance_for_evidence,
)
from peerlearn.access.visibility import alliance_item_level_problem
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.dates import date_format
from peerlearn.core.models import SDGTarget
from peerlearn.evidence.models import (
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    IndicatorSource,
    OutcomeStatement,
)

#: The fields of an indicator its facilitators set (the services' keyword arguments, in
#: the form's order; its periods are recorded apart).
INDICATOR_FIELDS = (
    "level",
    "result",
    "name",
    "kind",
    "unit",
    "source",
    "baseline_value",
    "baseline_text",
    "baseline_date",
    "means_of_verification",
    "visibility",
)
#: The fields of a harvested outcome (the services' keyword arguments, in the form's order).
OUTCOME_FIELDS = (
    "social_actor",
    "change_kind",
    "description",
    "observed_on",
    "place",
    "significance",
    "contribution",
    "sources",
    "substantiator",
    "substantiation",
    "intended",
    "effect",
    "sdg_target",
    "visibility",
)


#: Units that make an indicator's figures a share of a whole in per cent, which lies from 0
#: to 100 (case and spaces aside). An indicator holds levels — a baseline, then each
#: period's target and actual — so a figure in "%" is the share reached, never below 0. A
#: change ("% change", "percentage points") or a rate that may pass 100 ("% of budget
#: spent") says so in its unit, and takes any figure.
SHARE_UNITS = frozenset({"%", "percent", "per cent", "percentage", "pct"})


def is_share_unit(unit: str) -> bool:
    """Whether the unit makes figures a share in per cent (:data:`SHARE_UNITS`)."""
    return " ".join(unit.lower().split()) in SHARE_UNITS


def share_problems(*, unit: str, **values: Decimal | None) -> dict[str, list[str]]:
    """The figures, by field, that a share in per cent cannot take (below 0, above 100).

    >>> sorted(share_problems(unit=" % ", target_value=Decimal("-5"), actual_value=None))
    ['target_value']
    >>> share_problems(unit="percentage points", target_value=Decimal("-5"))
    {}
    """
    if not is_share_unit(unit):
        return {}
    return {
        field: [
            _(
                "A share in per cent lies between 0 and 100: give a figure from 0 to 100. "
                "For a change, or a rate that can pass 100, say so in the indicator's unit, "
                "e.g. “percentage points” or “change in %”."
            )
        ]
        for field, value in values.items()
        if value is not None and not 0 <= value <= 100
    }


def period_dates_problems(
    *, starts_on: dt.date | None, ends_on: dt.date | None
) -> dict[str, list[str]]:
    """An indicator period that ends before it starts: the service and its form both ask."""
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        return {"ends_on": [_("The period must end on or after its start date.")]}
    return {}


def computed_unit(source: str, unit: str) -> str:
    """The unit as written, or, left empty on a computed indicator, what it counts (in the
    writer's language: a unit is stored as text).

    >>> computed_unit(IndicatorSource.ACTIVITIES_HELD, "")
    'activities'
    >>> computed_unit(IndicatorSource.ACTIVITIES_HELD, " meetings ")
    'meetings'
    >>> computed_unit(IndicatorSource.MANUAL, "")
    ''
    """
    if unit.strip():
        return unit.strip()
    counted: dict[str, str] = {
        IndicatorSource.ACTIVITIES_HELD: _("activities"),
        IndicatorSource.TOTAL_ATTENDANCE: _("attendances"),
        IndicatorSource.DISTINCT_PARTICIPANTS: _("participants"),
    }
    return counted.get(source, "")


def _indicator_problems(
    *,
    alliance: LearningAlliance,
    kind: str,
    unit: str,
    source: str,
    baseline_value: Decimal | None,
    baseline_text: str,
    baseline_date: dt.date | None,
    visibility: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind == IndicatorKind.QUANTITATIVE and not unit.strip():
        errors["unit"] = [
            _("A quantitative indicator entered by hand needs a unit, e.g. “KES million” or “%”.")
        ]
    if kind == IndicatorKind.QUALITATIVE and unit.strip():
        errors["unit"] = [
            _(
                "A qualitative indicator is described in words and has no unit: leave the "
                "unit empty, or make the indicator quantitative."
            )
        ]
    if kind == IndicatorKind.QUALITATIVE and source != IndicatorSource.MANUAL:
        errors["source"] = [
            _("Only a quantitative indicator can be computed; choose “Entered by hand”.")
        ]
    if kind == IndicatorKind.QUALITATIVE and baseline_value is not None:
        errors["baseline_value"] = [
            _("A qualitative indicator's baseline is a description: leave the value empty.")
        ]
    if kind == IndicatorKind.QUANTITATIVE:
        errors.update(share_problems(unit=unit, baseline_value=baseline_value))
    if (baseline_value is not None or baseline_text.strip()) and baseline_date is None:
        errors["baseline_date"] = [_("Give the date the baseline was measured.")]
    if too_wide := alliance_item_level_problem(visibility, alliance.visibility):
        errors["visibility"] = [too_wide]
    return errors


@transaction.atomic
def indicator_create(
    *,
    alliance: LearningAlliance,
    created_by: User,
    level: int,
    result: str,
    name: str,
    kind: str = IndicatorKind.QUANTITATIVE,
    unit: str = "",
    source: str = IndicatorSource.MANUAL,
    baseline_value: Decimal | None = None,
    baseline_text: str = "",
    baseline_date: dt.date | None = None,
    means_of_verification: str = "",
    visibility: str,
) -> Indicator:
    """Add an indicator to the alliance's results chain (its facilitators only). A computed
    indicator left without a unit counts what it computes (``computed_unit``)."""
    access_alliance_for_evidence(created_by, alliance)
    if kind == IndicatorKind.QUANTITATIVE:
        unit = computed_unit(source, unit)
    errors = _indicator_problems(
        alliance=alliance,
        kind=kind,
        unit=unit,
        source=source,
        baseline_value=baseline_value,
        baseline_text=baseline_text,
        baseline_date=baseline_date,
        visibility=visibility,
    )
    if errors:
        raise ValidationError(errors)
    position = Indicator.objects.filter(alliance=alliance, level=level).count()
    indicator = Indicator(
        alliance=alliance,
        created_by=created_by,
        level=level,
        result=result.strip(),
        name=name.strip(),
        kind=kind,
        unit=unit.strip(),
        source=source,
        baseline_value=baseline_value,
        baseline_text=baseline_text.strip(),
        baseline_date=baseline_date,
        means_of_verification=means_of_verification.strip(),
        visibility=visibility,
        position=position,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    updated_by: User,
    level: int,
    result: str,
    name: str,
    kind: str = IndicatorKind.QUANTITATIVE,
    unit: str = "",
    source: str = IndicatorSource.MANUAL,
    baseline_value: Decimal | None = None,
    baseline_text: str = "",
    baseline_date: dt.date | None = None,
    means_of_verification: str = "",
    visibility: str,
) -> Indicator:
    """Change an indicator's fields (not its periods; its facilitators only). An indicator
    whose periods hold figures stays quantitative; one moved to another level goes last
    in it."""
    alliance = indicator.alliance
    access_alliance_for_evidence(updated_by, alliance)
    if kind == IndicatorKind.QUANTITATIVE:
        unit = computed_unit(source, unit)
    errors = _indicator_problems(
        alliance=alliance,
        kind=kind,
        unit=unit,
        source=source,
        baseline_value=baseline_value,
        baseline_text=baseline_text,
        baseline_date=baseline_date,
        visibility=visibility,
    )
    figures = indicator.periods.filter(
        Q(target_value__isnull=False) | Q(actual_value__isnull=False)
    ).exists()
    if kind == IndicatorKind.QUALITATIVE and figures and "kind" not in errors:
        errors["kind"] = [
            _(
                "Its periods hold figures: keep it quantitative, or add a qualitative "
                "indicator beside it."
            )
        ]
    outside_a_share = indicator.periods.filter(
        Q(target_value__lt=0)
        | Q(target_value__gt=100)
        | Q(actual_value__lt=0)
        | Q(actual_value__gt=100)
    )
    if "unit" not in errors and is_share_unit(unit) and outside_a_share.exists():
        errors["unit"] = [
            _(
                "Its periods hold figures below 0 or above 100, which a share in per cent "
                "cannot take: correct them first, or say in the unit that it is a change or "
                "a rate, e.g. “percentage points” or “change in %”."
            )
        ]
    if errors:
        raise ValidationError(errors)
    # Compared with the stored row: a bound form may have set the new level on the object.
    stored_level = Indicator.objects.filter(id=indicator.id).values_list("level", flat=True).get()
    if int(level) != stored_level:
        indicator.position = (
            Indicator.objects.filter(alliance=alliance, level=level)
            .exclude(id=indicator.id)
            .count()
        )
    indicator.level = level
    indicator.result = result.strip()
    indicator.name = name.strip()
    indicator.kind = kind
    indicator.unit = unit.strip()
    indicator.source = source
    indicator.baseline_value = baseline_value
    indicator.baseline_text = baseline_text.strip()
    indicator.baseline_date = baseline_date
    indicator.means_of_verification = means_of_verification.strip()
    indicator.visibility = visibility
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, deleted_by: User) -> None:
    """Remove an indicator from the results chain, with its recorded periods (its
    facilitators only)."""
    access_alliance_for_evidence(deleted_by, indicator.alliance)
    indicator.delete()


@transaction.atomic
def indicator_period_save(
    *,
    indicator: Indicator,
    saved_by: User,
    starts_on: dt.date,
    ends_on: dt.date,
    target_value: Decimal | None = None,
    target_text: str = "",
    actual_value: Decimal | None = None,
    actual_text: str = "",
    note: str = "",
) -> IndicatorPeriod:
    """Record a period's target and actual value; a period with the same start is updated."""
    access_alliance_for_evidence(saved_by, indicator.alliance)
    errors: dict[str, list[str]] = period_dates_problems(starts_on=starts_on, ends_on=ends_on)
    if starts_on > timezone.localdate() and (actual_value is not None or actual_text.strip()):
        errors["actual_value" if actual_value is not None else "actual_text"] = [
            _(
                "This period has not begun: give its target now, and its actual value once "
                "it has begun."
            )
        ]
    if indicator.source != IndicatorSource.MANUAL and actual_value is not None:
        errors["actual_value"] = [
            _(
                "This indicator's actual values are counted from the alliance's activities: "
                "leave the actual empty."
            )
        ]
    shares = share_problems(
        unit=indicator.unit, target_value=target_value, actual_value=actual_value
    )
    for field, problem in shares.items():
        errors.setdefault(field, problem)
    if indicator.kind == IndicatorKind.QUALITATIVE and (
        target_value is not None or actual_value is not None
    ):
        errors["target_value" if target_value is not None else "actual_value"] = [
            _("A qualitative indicator takes descriptions: use the text fields instead.")
        ]
    if "ends_on" not in errors:
        overlapping = (
            IndicatorPeriod.objects.filter(
                indicator=indicator, starts_on__lte=ends_on, ends_on__gte=starts_on
            )
            .exclude(starts_on=starts_on)
            .order_by("starts_on")
            .first()
        )
        if overlapping is not None:
            # Two periods covering the same days would make the latest actual ambiguous.
            errors["starts_on"] = [
                _(
                    "These dates overlap the period from %(start)s to %(end)s: choose dates "
                    "outside it, or start on %(start)s to update that period."
                )
                % {
                    "start": date_format(overlapping.starts_on),
                    "end": date_format(overlapping.ends_on),
                }
            ]
    if errors:
        raise ValidationError(errors)
    period = (
        IndicatorPeriod.objects.select_for_update()
        .filter(indicator=indicator, starts_on=starts_on)
        .first()
    ) or IndicatorPeriod(indicator=indicator, alliance_id=indicator.alliance_id)
    period.starts_on = starts_on
    period.ends_on = ends_on
    period.target_value = target_value
    period.target_text = target_text.strip()
    period.actual_value = actual_value
    period.actual_text = actual_text.strip()
    period.note = note.strip()
    period.full_clean()
    period.save()
    return period


def outcome_problems(
    *, substantiation: str | None, substantiator: str | None, observed_on: dt.date | None
) -> dict[str, list[str]]:
    """Why an outcome cannot be harvested as given, every reason at once: a substantiated
    status with nobody named, or a change that has not happened yet. The service and the
    form both ask."""
    problems: dict[str, list[str]] = {}
    if (
        substantiation in ("substantiated", "partly", "disputed")
        and not (substantiator or "").strip()
    ):
        problems["substantiator"] = [
            _("Name who substantiated the outcome, or set the status to “not yet”.")
        ]
    if observed_on is not None and observed_on > timezone.localdate():
        problems["observed_on"] = [_("An outcome is harvested once it happened: use a past date.")]
    return problems


@transaction.atomic
def outcome_create(
    *,
    alliance: LearningAlliance,
    created_by: User,
    social_actor: str,
    change_kind: str,
    description: str,
    observed_on: dt.date,
    place: str,
    significance: str,
    contribution: str,
    sources: str = "",
    substantiator: str = "",
    substantiation: str = "not_yet",
    intended: bool = True,
    effect: str = "positive",
    sdg_target: SDGTarget | None = None,
    visibility: str,
) -> OutcomeStatement:
    """Harvest an outcome of the alliance (its facilitators only)."""
    access_alliance_for_evidence(created_by, alliance)
    outcome = OutcomeStatement(alliance=alliance, created_by=created_by)
    return _outcome_save(
        outcome,
        social_actor=social_actor,
        change_kind=change_kind,
        description=description,
        observed_on=observed_on,
        place=place,
        significance=significance,
        contribution=contribution,
        sources=sources,
        substantiator=substantiator,
        substantiation=substantiation,
        intended=intended,
        effect=effect,
        sdg_target=sdg_target,
        visibility=visibility,
    )


@transaction.atomic
def outcome_update(
    *,
    outcome: OutcomeStatement,
    updated_by: User,
    social_actor: str,
    change_kind: str,
    description: str,
    observed_on: dt.date,
    place: str,
    significance: str,
    contribution: str,
    sources: str = "",
    substantiator: str = "",
    substantiation: str = "not_yet",
    intended: bool = True,
    effect: str = "positive",
    sdg_target: SDGTarget | None = None,
    visibility: str,
) -> OutcomeStatement:
    """Change a harvested outcome, e.g. once its substantiator has answered (the
    alliance's facilitators only)."""
    access_alliance_for_evidence(updated_by, outcome.alliance)
    return _outcome_save(
        outcome,
        social_actor=social_actor,
        change_kind=change_kind,
        description=description,
        observed_on=observed_on,
        place=place,
        significance=significance,
        contribution=contribution,
        sources=sources,
        substantiator=substantiator,
        substantiation=substantiation,
        intended=intended,
        effect=effect,
        sdg_target=sdg_target,
        visibility=visibility,
    )


@transaction.atomic
def outcome_delete(*, outcome: OutcomeStatement, deleted_by: User) -> None:
    """Remove an outcome harvested by mistake (the alliance's facilitators only)."""
    access_alliance_for_evidence(deleted_by, outcome.alliance)
    outcome.delete()


def _outcome_save(
    outcome: OutcomeStatement,
    *,
    social_actor: str,
    change_kind: str,
    description: str,
    observed_on: dt.date,
    place: str,
    significance: str,
    contribution: str,
    sources: str,
    substantiator: str,
    substantiation: str,
    intended: bool,
    effect: str,
    sdg_target: SDGTarget | None,
    visibility: str,
) -> OutcomeStatement:
    problems = outcome_problems(
        substantiation=substantiation, substantiator=substantiator, observed_on=observed_on
    )
    if too_wide := alliance_item_level_problem(visibility, outcome.alliance.visibility):
        problems["visibility"] = [too_wide]
    if problems:
        raise ValidationError(problems)
    outcome.social_actor = social_actor.strip()
    outcome.change_kind = change_kind
    outcome.description = description.strip()
    outcome.observed_on = observed_on
    outcome.place = place.strip()
    outcome.significance = significance.strip()
    outcome.contribution = contribution.strip()
    outcome.sources = sources.strip()
    outcome.substantiator = substantiator.strip()
    outcome.substantiation = substantiation
    outcome.intended = intended
    outcome.effect = effect
    outcome.sdg_target = sdg_target
    outcome.visibility = visibility
    outcome.full_clean()
    outcome.save()
    return outcome
