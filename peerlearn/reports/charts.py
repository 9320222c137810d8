"""Charts drawn on the server with matplotlib (the Agg backend, no display) as inline SVG.

Text stays text (``svg.fonttype = none``), so a chart's title and labels are searchable and
readable by screen readers, in the page and in the PDF. Each function takes plain values and
returns an SVG string with no XML prologue, ready to embed in HTML.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import textwrap
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib
from django.conf import settings
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import get_language

from peerlearn.core.dates import date_format

matplotlib.use("Agg")

from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from peerlearn.core.charts import cached_svg

WIDTH_IN = 6.5
INK = "#1f2933"
ACCENT = "#2b6cb0"
MUTED = "#9aa5b1"
# Completion, from "not started" to "complete".
LEVEL_COLOURS = ("#cbd2d9", "#f0b429", "#3ebd93", "#147d64")

_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_RC: Any = {
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "svg.hashsalt": "peerlearn",  # stable ids: the same data draws the same SVG
}


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    # matplotlib names its elements alike in every chart ("figure_1", "patch_2"): give each
    # chart's ids a prefix of its own, so that several charts can share one HTML page.
    prefix = "c" + hashlib.sha1(svg.encode(), usedforsecurity=False).hexdigest()[:8] + "-"
    svg = svg.replace(' id="', f' id="{prefix}')
    svg = svg.replace("url(#", f"url(#{prefix}").replace('href="#', f'href="#{prefix}')
    return svg


def svg_data_uri(svg: str) -> str:
    """The chart as a ``data:`` address, for an ``<img>`` (the PDF draws it as vectors)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _figure(height_in: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(WIDTH_IN, height_in))


def _wrap(label: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(label, width)[:2]) or "—"


def date_tick_labels(days: Sequence[date]) -> list[str]:
    """The labels of a date axis's ticks in the active language: years alone when every
    tick is a new year; a month and its year when every tick is a month's first day (the
    month abbreviated as the language's short dates write it: "Sep 2026" in English, whose
    short dates name the month, Django's usual abbreviation elsewhere: "sept. 2026");
    otherwise the short date ("Sep 15, 2026", "15/09/2026").

    >>> from django.utils import translation
    >>> from datetime import date as d
    >>> with translation.override("fr"):
    ...     date_tick_labels([d(2026, 9, 1), d(2026, 10, 1)])
    ['sept. 2026', 'oct. 2026']
    >>> with translation.override("en"):
    ...     date_tick_labels([d(2026, 9, 1), d(2026, 9, 8)])
    ['Sep 1, 2026', 'Sep 8, 2026']
    >>> date_tick_labels([d(2025, 1, 1), d(2026, 1, 1)])
    ['2025', '2026']
    """
    if days and all((d.month, d.day) == (1, 1) for d in days):
        return [str(d.year) for d in days]
    if days and all(d.day == 1 for d in days):
        month = "M Y" if "M" in str(get_format("SHORT_DATE_FORMAT")) else "N Y"
        return [date_format(d, month) for d in days]
    return [date_format(d, "SHORT_DATE_FORMAT") for d in days]


class _LocalDates(Formatter):
    """Tick labels by :func:`date_tick_labels`, which looks at every tick at once."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self.format_ticks([x])[0]

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        days = [mdates.num2date(v).date() for v in values]  # type: ignore[no-untyped-call]
        return date_tick_labels(days)


def stage_timeline_svg(
    *,
    title: str,
    points: Sequence[tuple[date, int]],
    stage_labels: Sequence[str],
    until: date,
) -> str:
    """The stage an alliance was at over time: a step line from each change to the next,
    drawn on to ``until``, where the date axis ends; its dates written in the reader's
    language."""
    return _stage_timeline_svg(
        title=title,
        points=points,
        stage_labels=stage_labels,
        until=until,
        language=get_language() or settings.LANGUAGE_CODE,
    )


@cached_svg
def _stage_timeline_svg(
    *,
    title: str,
    points: Sequence[tuple[date, int]],
    stage_labels: Sequence[str],
    until: date,
    language: str,
) -> str:
    with matplotlib.rc_context(_RC), translation.override(language):
        fig = _figure(2.6)
        ax = fig.add_subplot()
        if points:
            dates = [d for d, _ in points] + [max(until, points[-1][0])]
            days = [float(mdates.date2num(d)) for d in dates]  # type: ignore[no-untyped-call]
            stages = [s for _, s in points] + [points[-1][1]]
            ax.step(days, stages, where="post", color=ACCENT, linewidth=2)
            # A change on the axis's last day sits on its edge: draw all of its dot.
            ax.plot(days[:-1], stages[:-1], "o", color=ACCENT, markersize=5, clip_on=False)
            # The axis ends at ``until``: no tick past it (matplotlib's margin would reach
            # into dates to come). A date axis needs some span to place its ticks: a
            # fortnight at least, taken from before the first point.
            span = days[-1] - days[0]
            ax.set_xlim(days[-1] - 14 if span < 14 else days[0] - span * 0.05, days[-1])
        ax.set_yticks(range(len(stage_labels)))
        ax.set_yticklabels([_wrap(label, 28) for label in stage_labels])
        ax.set_ylim(-0.5, len(stage_labels) - 0.5)
        # Three to six ticks (the locator's default minimum of five forced half-months on
        # a few months' history, whose labels ran into each other), three at most for
        # days, whose labels are longest (five ran into each other beside the stages'
        # names); labelled in the reader's language: years, then months (Sep 2026), then
        # days (Sep 15, 2026; 15/09/2026).
        locator = mdates.AutoDateLocator(  # type: ignore[no-untyped-call]
            minticks=3,
            maxticks={
                mdates.YEARLY: 6,
                mdates.MONTHLY: 6,
                mdates.DAILY: 3,
                mdates.HOURLY: 4,
                mdates.MINUTELY: 4,
                mdates.SECONDLY: 4,
                mdates.MICROSECONDLY: 4,
            },
        )
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(_LocalDates())
        ax.grid(axis="y", color="#e4e7eb")
        ax.set_title(title, loc="left", color=INK)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _svg(fig)


@cached_svg
def bar_chart_svg(*, title: str, items: Sequence[tuple[str, int]], xlabel: str = "") -> str:
    """Horizontal bars, one per label, in the order given."""
    with matplotlib.rc_context(_RC):
        fig = _figure(0.9 + 0.32 * max(len(items), 1))
        ax = fig.add_subplot()
        labels = [_wrap(label) for label, _ in items][::-1]
        values = [value for _, value in items][::-1]
        bars = ax.barh(labels, values, color=ACCENT)
        ax.bar_label(bars, padding=3, color=INK)
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left", color=INK)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _svg(fig)


@cached_svg
def completion_chart_svg(
    *, title: str, items: Sequence[tuple[str, int | None]], level_labels: Sequence[str]
) -> str:
    """One bar per priority, as long as its completion level (empty when unassessed)."""
    with matplotlib.rc_context(_RC):
        fig = _figure(0.9 + 0.36 * max(len(items), 1))
        ax = fig.add_subplot()
        labels = [_wrap(label) for label, _ in items][::-1]
        levels = [level for _, level in items][::-1]
        widths = [(level + 1) if level is not None else 0 for level in levels]
        colours = [LEVEL_COLOURS[level] if level is not None else MUTED for level in levels]
        ax.barh(labels, widths, color=colours)
        ax.set_xlim(0, len(level_labels))
        ax.set_xticks([i + 1 for i in range(len(level_labels))])
        ax.set_xticklabels([_wrap(label, 14) for label in level_labels])
        ax.set_title(title, loc="left", color=INK)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return _svg(fig)
