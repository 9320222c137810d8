"""Charts are drawn once per set of figures and drawn again when any figure changes."""

from __future__ import annotations

import doctest

from django.core.cache import cache

from peerlearn.core import charts
from peerlearn.core.charts import cached_svg
from peerlearn.evidence import charts as scorecard_charts
from peerlearn.reports import charts as report_charts


def test_doctests() -> None:
    assert doctest.testmod(charts).failed == 0


def test_the_same_figures_are_drawn_once_and_new_figures_again() -> None:
    cache.clear()
    drawn: list[tuple[str, int]] = []

    @cached_svg
    def bars(*, title: str, value: int) -> str:
        drawn.append((title, value))
        return f"<svg>{title} {value}</svg>"

    assert bars(title="Visits", value=3) == "<svg>Visits 3</svg>"
    assert bars(title="Visits", value=3) == "<svg>Visits 3</svg>"
    assert drawn == [("Visits", 3)]
    assert bars(title="Visits", value=4) == "<svg>Visits 4</svg>"
    assert bars(title="Visites", value=4) == "<svg>Visites 4</svg>"
    assert drawn == [("Visits", 3), ("Visits", 4), ("Visites", 4)]


def test_a_cached_chart_is_the_chart_drawn_afresh() -> None:
    cache.clear()
    items = [("Peer visits", 3), ("Workshops", 1)]
    first = report_charts.bar_chart_svg(title="Activities", items=items)
    assert first.startswith("<svg") and "Peer visits" in first
    assert report_charts.bar_chart_svg(title="Activities", items=items) == first
    assert report_charts.bar_chart_svg.__wrapped__(title="Activities", items=items) == first  # type: ignore[attr-defined]
    changed = report_charts.bar_chart_svg(title="Activities", items=[("Peer visits", 4)])
    assert changed != first and ">4<" in changed.replace(" ", "")


def test_two_functions_with_the_same_arguments_do_not_share_an_entry() -> None:
    cache.clear()
    series = [scorecard_charts.Series("Round 1", [3.0, 4.0, 2.5])]
    radar = scorecard_charts.radar_svg(["A", "B", "C"], series, title="Scores")
    trend = scorecard_charts.trend_svg(["A", "B", "C"], series, title="Scores")
    assert radar != trend
    assert 'aria-label="Scores"' in radar and 'aria-label="Scores"' in trend
