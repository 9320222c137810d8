"""The stage-over-time chart: its points and its date axis, written in the reader's
language."""

from __future__ import annotations

import doctest
import re
from datetime import date

import pytest
from django.utils import translation

from peerlearn.reports import charts, report
from peerlearn.reports.charts import stage_timeline_svg

STAGES = ["Pre-assessment", "Foundational", "Sustained contact", "Outcomes", "At scale"]


def test_doctests() -> None:
    assert doctest.testmod(report).failed == 0
    assert doctest.testmod(charts).failed == 0


def _dates(svg: str) -> list[str]:
    """The x axis's labels: every text of the chart but its title and the stages."""
    texts = [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    return [t for t in texts if t and t not in STAGES and t != "Stage over time"]


FOUR_MONTHS = {
    "title": "Stage over time",
    "points": [(date(2026, 7, 27), 0), (date(2026, 8, 26), 1), (date(2026, 10, 10), 2)],
    "stage_labels": STAGES,
    "until": date(2026, 12, 4),
}


def test_a_few_months_of_history_get_a_few_readable_months() -> None:
    """Four months used to get nine half-month dates, which ran into each other; then five
    ISO months (2026-08), in French too."""
    with translation.override("en"):
        english = _dates(stage_timeline_svg(**FOUR_MONTHS))  # type: ignore[arg-type]
    with translation.override("fr"):
        french = _dates(stage_timeline_svg(**FOUR_MONTHS))  # type: ignore[arg-type]
    assert english == ["Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026", "Dec 2026"]
    assert french == ["août 2026", "sept. 2026", "oct. 2026", "nov. 2026", "déc. 2026"]


def test_a_short_history_gets_short_dates_and_a_long_one_years() -> None:
    short = {
        "title": "Stage over time",
        "points": [(date(2026, 3, 2), 0)],
        "stage_labels": STAGES,
        "until": date(2026, 3, 5),
    }
    with translation.override("en"):
        english = _dates(stage_timeline_svg(**short))  # type: ignore[arg-type]
    with translation.override("fr"):
        french = _dates(stage_timeline_svg(**short))  # type: ignore[arg-type]
    # Two or three dates on a fortnight: five ran into each other beside the stages' names.
    assert 2 <= len(english) <= 3 and len(french) == len(english)
    assert "Mar 1, 2026" in english and "01/03/2026" in french
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", d) for d in english)
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", d) for d in french)
    long = stage_timeline_svg(
        title="Stage over time",
        points=[(date(2019, 1, 10), 0), (date(2023, 5, 1), 3)],
        stage_labels=STAGES,
        until=date(2026, 12, 4),
    )
    assert 3 <= len(_dates(long)) <= 6
    assert all(re.fullmatch(r"\d{4}", d) for d in _dates(long))


def _days(labels: list[str]) -> list[date]:
    from datetime import datetime

    formats = ("%b %d, %Y", "%b %Y", "%Y")
    days = []
    for label in labels:
        for f in formats:
            try:
                days.append(datetime.strptime(label, f).date())
                break
            except ValueError:
                continue
        else:
            raise AssertionError(f"not a date: {label!r}")
    return days


@pytest.mark.parametrize(
    ("points", "until"),
    [
        # A day-old alliance: its axis ran a week into dates to come.
        ([(date(2026, 3, 4), 0)], date(2026, 3, 5)),
        ([(date(2026, 3, 5), 0)], date(2026, 3, 5)),
        # Years of history: matplotlib's margin reached into the next year.
        ([(date(2019, 1, 10), 0), (date(2023, 5, 1), 3)], date(2026, 12, 4)),
        ([(date(2026, 7, 27), 0), (date(2026, 10, 10), 2)], date(2026, 12, 30)),
    ],
)
def test_the_date_axis_ends_at_until(points: list[tuple[date, int]], until: date) -> None:
    with translation.override("en"):
        svg = stage_timeline_svg(
            title="Stage over time", points=points, stage_labels=STAGES, until=until
        )
    days = _days(_dates(svg))
    assert len(days) >= 2
    assert max(days) <= until
