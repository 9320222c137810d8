"""Charts drawn on the server as plain SVG: paired bars (demand against supply per
category) and two lines over months. The templates draw the shapes these compute; each
chart has a title and sits next to the same figures as a table.

>>> from peerlearn.demand.selectors import Balance
>>> chart = bar_chart([Balance("a", "A", 4, 2), Balance("b", "B", 0, 1)])
>>> [(r.label, r.demand_width, r.supply_width) for r in chart.rows]
[('A', 400, 200), ('B', 0, 100)]

A long label is written on two lines rather than cut:

>>> label_lines("Revenue and public financial management")
('Revenue and public financial', 'management')
>>> label_lines("Centre of government and coordination of the whole state apparatus")
('Centre of government and', 'coordination of the whole s…')
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from peerlearn.demand.selectors import Balance, Month

BAR_AREA = 400  # px of the longest bar
LABEL_WIDTH = 240  # room for 28 characters at 13 px
LABEL_LINE = 28  # characters of a label's line; a longer label takes two lines
ROW_HEIGHT = 26
BAR_HEIGHT = 10


@dataclass(frozen=True)
class BarRow:
    label: str
    demand: int
    supply: int
    y: int
    demand_width: int
    supply_width: int

    @property
    def lines(self) -> tuple[str, ...]:
        return label_lines(self.label)


def label_lines(label: str) -> tuple[str, ...]:
    """A category's name on one line, or two when it is long (a third would not fit beside
    its bars: what is left is cut with an ellipsis, the full name is in the bar's title)."""
    lines = textwrap.wrap(label, LABEL_LINE, break_on_hyphens=False) or [""]
    if len(lines) <= 2:
        return tuple(lines)
    rest = " ".join(lines[1:])
    return lines[0], rest[: LABEL_LINE - 1] + "…"


@dataclass(frozen=True)
class BarChart:
    rows: list[BarRow]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(rows: Sequence[Balance], *, limit: int = 15) -> BarChart:
    shown = list(rows)[:limit]
    top = max((max(r.demand, r.supply) for r in shown), default=0) or 1
    out = [
        BarRow(
            label=r.label,
            demand=r.demand,
            supply=r.supply,
            y=i * ROW_HEIGHT + 4,
            demand_width=round(BAR_AREA * r.demand / top),
            supply_width=round(BAR_AREA * r.supply / top),
        )
        for i, r in enumerate(shown)
    ]
    return BarChart(out, LABEL_WIDTH + BAR_AREA + 60, max(1, len(out)) * ROW_HEIGHT + 8)


#: The y-axis' own SVG, beside the plot's: its figures, right-aligned against the plot.
AXIS_WIDTH = 44


@dataclass(frozen=True)
class LineChart:
    """Two SVGs of the same height, so of the same scale: the y-axis (``axis_width`` wide)
    and the plot, which scrolls on a phone while the axis beside it stays in view."""

    demand_points: str  # "x,y x,y …" for <polyline>
    supply_points: str
    labels: list[tuple[int, str]]  # x and the month's label
    ticks: list[tuple[int, int]]  # y and the figure, for the axis and the plot's grid lines
    top: int
    width: int  # the plot's
    height: int
    plot_top: int
    plot_bottom: int
    axis_width: int = AXIS_WIDTH


def line_chart(months: Sequence[Month], *, width: int = 600, height: int = 220) -> LineChart:
    """Demand and supply per month. ``>>> line_chart([])`` has empty lines.

    >>> [value for _y, value in line_chart([]).ticks]
    [1, 0]
    """
    # The month labels are centred on their point: the margins hold half the first and
    # the last one ("12/26" at 13 px is about 36 px wide), which the plot's edges would cut.
    left, right, top_pad, bottom_pad = 20, 24, 10, 30
    top = max((max(m.demand, m.supply) for m in months), default=0) or 1
    n = max(1, len(months) - 1)
    plot_h = height - top_pad - bottom_pad

    def y_of(value: int) -> int:
        return round(top_pad + plot_h * (1 - value / top))

    def point(i: int, value: int) -> str:
        x = left + (width - left - right) * i / n
        return f"{x:.0f},{y_of(value)}"

    # The top, a whole number about halfway (where there is room for one), and 0.
    values = [top, top // 2, 0] if top >= 4 else [top, 0]
    return LineChart(
        demand_points=" ".join(point(i, m.demand) for i, m in enumerate(months)),
        supply_points=" ".join(point(i, m.supply) for i, m in enumerate(months)),
        labels=[
            (round(left + (width - left - right) * i / n), m.month.strftime("%m/%y"))
            for i, m in enumerate(months)
        ],
        ticks=[(y_of(v), v) for v in values],
        top=top,
        width=width,
        height=height,
        plot_top=top_pad,
        plot_bottom=height - bottom_pad,
    )
