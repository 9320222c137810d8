"""The stage-over-time chart: its points and its date axis."""

from __future__ import annotations

import doctest
import re
from datetime import date

from peerlearn.reports import report
from peerlearn.reports.charts import stage_timeline_svg

STAGES = ["Pre-assessment", "Foundational", "Sustained contact", "Outcomes", "At scale"]


def test_doctests() -> None:
    assert doctest.testmod(report).failed == 0


def _dates(svg: str) -> list[str]:
    return re.findall(r">\s*(\d{4}(?:-\d\d){0,2})\s*<", svg)


def test_a_few_months_of_history_get_a_few_readable_dates() -> None:
    """Four months used to get nine half-month dates, which ran into each other."""
    svg = stage_timeline_svg(
        title="Stage over time",
        points=[(date(2026, 7, 27), 0), (date(2026, 8, 26), 1), (date(2026, 10, 10), 2)],
        stage_labels=STAGES,
        until=date(2026, 12, 4),
    )
    labels = _dates(svg)
    assert labels == ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]


def test_a_short_history_gets_days_and_a_long_one_years() -> None:
    short = stage_timeline_svg(
        title="Stage over time",
        points=[(date(2026, 3, 2), 0)],
        stage_labels=STAGES,
        until=date(2026, 3, 5),
    )
    assert 3 <= len(_dates(short)) <= 6
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d|\d{4}-\d\d", d) for d in _dates(short))
    long = stage_timeline_svg(
        title="Stage over time",
        points=[(date(2019, 1, 10), 0), (date(2023, 5, 1), 3)],
        stage_labels=STAGES,
        until=date(2026, 12, 4),
    )
    assert 3 <= len(_dates(long)) <= 6
    assert all(re.fullmatch(r"\d{4}", d) for d in _dates(long))
