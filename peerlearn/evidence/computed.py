"""Actual values computed from the alliance's activities, so nobody retypes them.

An indicator whose ``source`` is not ``manual`` takes its actual value in each period from
the alliance's activities and their attendance:

* ``activities_held`` — activities held in the period;
* ``total_attendance`` — attendances recorded at them;
* ``distinct_participants`` — different people who attended at least one.

The counts come from one provider, :func:`activity_figures`, which asks the activities app
(``peerlearn.activities``) through ``peerlearn.activities.selectors.activity_figures(
alliance_id=…, starts_on=…, ends_on=…)`` — expected to return a mapping (or object) with
``activities_held``, ``total_attendance`` and ``distinct_participants``. While that app is
not installed, or offers no such function, the provider returns ``None`` and a computed
indicator shows no actual ("not yet available") rather than a wrong zero.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps

from peerlearn.evidence.models import Indicator, IndicatorPeriod, IndicatorSource

ACTIVITIES_APP = "peerlearn.activities"


@dataclass(frozen=True)
class ActivityFigures:
    activities_held: int
    total_attendance: int
    distinct_participants: int


def activity_figures(
    *, alliance_id: int, starts_on: dt.date, ends_on: dt.date
) -> ActivityFigures | None:
    """The alliance's activity counts between two dates (inclusive), or ``None`` when the
    activities app is absent."""
    if not apps.is_installed(ACTIVITIES_APP):
        return None
    try:
        selectors = importlib.import_module(f"{ACTIVITIES_APP}.selectors")
    except ImportError:
        return None
    provider = getattr(selectors, "activity_figures", None)
    if provider is None:
        return None
    found: Any = provider(alliance_id=alliance_id, starts_on=starts_on, ends_on=ends_on)
    if found is None:
        return None

    def read(name: str) -> int:
        value = found.get(name) if isinstance(found, dict) else getattr(found, name)
        return int(value or 0)

    return ActivityFigures(
        activities_held=read("activities_held"),
        total_attendance=read("total_attendance"),
        distinct_participants=read("distinct_participants"),
    )


def computed_actual(indicator: Indicator, period: IndicatorPeriod) -> Decimal | None:
    """One period's computed actual, or ``None`` (manual indicator, or no activities app)."""
    if indicator.source == IndicatorSource.MANUAL:
        return None
    figures = activity_figures(
        alliance_id=indicator.alliance_id, starts_on=period.starts_on, ends_on=period.ends_on
    )
    if figures is None:
        return None
    return Decimal(getattr(figures, str(indicator.source)))


def computed_actuals(indicator: Indicator) -> dict[int, Decimal | None] | None:
    """The computed actual of each of the indicator's periods, by period id; ``None`` for a
    manual indicator."""
    if indicator.source == IndicatorSource.MANUAL:
        return None
    return {period.id: computed_actual(indicator, period) for period in indicator.periods.all()}
