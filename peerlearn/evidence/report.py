"""The evidence's part of the progress reports and of the open data (see
``reports.sections`` and ``reports.opendata.results``): the results chain with its actuals,
the harvested outcomes, the knowledge transfers and the principles scorecard — each read
with the report's reader's rights, so the public report holds only public evidence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from peerlearn.access.base import Viewer
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.dates import date_format
from peerlearn.evidence.models import IndicatorKind, ResultLevel
from peerlearn.evidence.selectors import (
    PeriodView,
    outcome_list,
    results_chain,
    scorecard_rounds,
    transfer_list,
)
from peerlearn.reports.opendata.results import Indicator as OpenIndicator
from peerlearn.reports.opendata.results import IndicatorMeasure, Period, Result, ResultType
from peerlearn.reports.sections import Audience, Section, Table

# EIP's levels in IATI's result types: outputs, outcomes and impact have their own; inputs
# and activities are "other".
IATI_RESULT_TYPE = {
    ResultLevel.INPUT: ResultType.OTHER,
    ResultLevel.ACTIVITY: ResultType.OTHER,
    ResultLevel.OUTPUT: ResultType.OUTPUT,
    ResultLevel.OUTCOME: ResultType.OUTCOME,
    ResultLevel.IMPACT: ResultType.IMPACT,
}


def _number(value: Decimal | None) -> str | None:
    """``value`` for the open data: plain digits, no grouping, whatever the language."""
    if value is None:
        return None
    return format(value.normalize(), "f")


def public_results(alliance: LearningAlliance) -> list[Result]:
    """The public indicators of a public alliance, one result per level that has any, with
    baselines and each period's target and actual (computed ones included). Qualitative
    indicators have no IATI measure: they stay in the CSV and JSON."""
    chain = results_chain(reader=None, alliance=alliance)
    results = []
    for level in chain.levels:
        indicators = []
        for view in level.indicators:
            indicator = view.indicator
            if indicator.kind == IndicatorKind.QUALITATIVE:
                continue
            measure = (
                IndicatorMeasure.PERCENTAGE
                if indicator.unit.strip() == "%"
                else IndicatorMeasure.UNIT
            )
            indicators.append(
                OpenIndicator(
                    title=indicator.name,
                    measure=measure,
                    description=indicator.means_of_verification,
                    baseline_year=indicator.baseline_date.year if indicator.baseline_date else None,
                    baseline_value=_number(indicator.baseline_value),
                    periods=tuple(
                        Period(
                            start=p.period.starts_on,
                            end=p.period.ends_on,
                            target=_number(p.period.target_value),
                            actual=_number(p.actual),
                        )
                        for p in view.periods
                    ),
                )
            )
        if indicators:
            results.append(
                Result(
                    title=f"{level.label}: {indicators[0].title}"
                    if len(indicators) == 1
                    else str(level.label),
                    type=IATI_RESULT_TYPE[ResultLevel(level.level)],
                    indicators=tuple(indicators),
                )
            )
    return results


def _shown(number: Decimal) -> str:
    """``number`` for a reader, as the evidence pages show it: no decimals for a whole
    number (a count), thousands grouped in the active language ("2,140"; "2 140")."""
    return str(floatformat(number, "-2g"))


def _value(number: Decimal | None, text: str, unit: str = "") -> str:
    if number is not None:
        return f"{_shown(number)} {unit}".strip()
    return text or "—"


def _latest(periods: list[PeriodView]) -> PeriodView | None:
    """The period a report shows: the latest with an actual, or the latest of all before
    any has one (a later period with no actual yet must not hide the one recorded)."""
    measured = [p for p in periods if p.actual is not None or p.period.actual_text]
    shown = measured or periods
    return shown[-1] if shown else None


def _period(period: Any) -> str:
    return "{} – {}".format(
        date_format(period.starts_on, "DATE_FORMAT"), date_format(period.ends_on, "DATE_FORMAT")
    )


def report_sections(
    alliance: LearningAlliance, audience: Audience, reader: Viewer
) -> list[Section]:
    internal = audience == Audience.MEMBERS
    sections = []
    chain = results_chain(reader=reader, alliance=alliance)
    rows: list[list[Any]] = []
    for level in chain.levels:
        for view in level.indicators:
            i = view.indicator
            last = _latest(view.periods)
            rows.append(
                [
                    level.label,
                    i.name,
                    _value(i.baseline_value, i.baseline_text, i.unit),
                    _period(last.period) if last else "—",
                    _value(last.period.target_value, last.period.target_text, i.unit)
                    if last
                    else "—",
                    (
                        _value(last.actual, last.period.actual_text, i.unit)
                        + (" " + _("(counted from the activities)") if last.computed else "")
                    )
                    if last
                    else "—",
                ]
            )
    if rows:
        sections.append(
            Section(
                key="results",
                title=_("Results chain"),
                order=40,
                intro=_(
                    "Indicators from inputs to impact, with their baseline and the latest "
                    "period that has an actual (or the latest period, before any has one)."
                ),
                tables=[
                    Table(
                        caption=_("Indicators"),
                        headers=[
                            _("Level"),
                            _("Indicator"),
                            _("Baseline"),
                            _("Period"),
                            _("Target"),
                            _("Actual"),
                        ],
                        rows=rows,
                    )
                ],
                internal=internal,
            )
        )
    outcomes = list(outcome_list(reader=reader, alliance=alliance))
    if outcomes:
        sections.append(
            Section(
                key="outcomes",
                title=_("Harvested outcomes"),
                order=50,
                tables=[
                    Table(
                        caption=_("Who changed what"),
                        headers=[
                            _("When"),
                            _("Social actor"),
                            _("What changed"),
                            _("Significance"),
                            _("SDG target"),
                        ],
                        rows=[
                            [
                                date_format(o.observed_on, "DATE_FORMAT"),
                                o.social_actor,
                                o.description,
                                o.significance,
                                o.sdg_target.code if o.sdg_target else "—",
                            ]
                            for o in outcomes
                        ],
                    )
                ],
                internal=internal,
            )
        )
    transfers = list(transfer_list(reader=reader, alliance=alliance))
    if transfers:
        sections.append(
            Section(
                key="transfers",
                title=_("Knowledge transfers"),
                order=60,
                tables=[
                    Table(
                        caption=_("Practices taken up elsewhere"),
                        headers=[
                            _("Practice"),
                            _("Learned from"),
                            _("Adopted by"),
                            _("Status"),
                        ],
                        rows=[
                            [
                                t.practice,
                                str(t.origin_organisation or t.origin_country or "—"),
                                ", ".join(str(o) for o in t.adopters.all()) or "—",
                                t.get_status_display(),
                            ]
                            for t in transfers
                        ],
                    )
                ],
                internal=internal,
            )
        )
    rounds = scorecard_rounds(reader=reader, alliance=alliance)
    if rounds:
        sections.append(
            Section(
                key="principles",
                title=_("The principles scorecard"),
                order=70,
                intro=_("Average scores (1–5) against the paper's principles and practical steps."),
                tables=[
                    Table(
                        caption=_("Rounds"),
                        headers=[
                            _("Round"),
                            pgettext("a scorecard round", "Opened"),
                            _("Sheets"),
                            _("Average"),
                        ],
                        rows=[
                            [
                                r.round.title,
                                date_format(r.round.opens_on, "DATE_FORMAT"),
                                r.sheet_count,
                                str(floatformat(r.overall, 2)) if r.overall is not None else "—",
                            ]
                            for r in rounds
                        ],
                    )
                ],
                internal=internal,
            )
        )
    return sections
