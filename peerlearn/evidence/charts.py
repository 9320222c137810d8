"""The scorecard's charts, drawn on the server as SVG with matplotlib (a ``Figure`` on the SVG
canvas: no pyplot, no display): a radar chart of a round's average scores (the round before
it dashed, for the trend) and a line chart of the average across rounds. Text stays text in
the SVG (``svg.fonttype: none``), so screen readers and search read the labels; every chart
sits beside a table of the same figures in the page."""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from peerlearn.core.charts import cached_svg
from peerlearn.evidence.principles import MAX_SCORE, MIN_SCORE

_STYLE: Any = {"svg.fonttype": "none", "svg.hashsalt": "peerlearn", "font.size": 10}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
#: A series' label in a chart's legend is cut to this many characters (the table beside
#: the chart names it in full).
LEGEND_CHARS = 48


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure)
    with matplotlib.rc_context(_STYLE):
        # "tight": the drawing's own extent, legends below a chart included.
        figure.savefig(
            buffer,
            format="svg",
            bbox_inches="tight",
            pad_inches=0.05,
            metadata={"Title": title, "Date": None},
        )
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    # An accessible name for the inline SVG (the figures are in the table beside it).
    return svg.replace("<svg ", '<svg role="img" aria-label="' + _attr(title) + '" ', 1)


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


@cached_svg
def radar_svg(axes: Sequence[str], series: Sequence[Series], *, title: str) -> str:
    """A radar chart: one axis per label, one polygon per series (the first solid, the rest
    dashed), scores from 1 to 5."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(5.2, 5.2))
        ax: PolarAxes = figure.add_subplot(projection="polar")  # type: ignore[assignment]
        n = len(axes)
        angles = [2 * math.pi * i / n for i in range(n)]
        lines = []
        for i, s in enumerate(series):
            values = [v if v is not None else 0.0 for v in s.values]
            (line,) = ax.plot(
                [*angles, angles[0]],
                [*values, values[0]],
                linestyle="-" if i == 0 else "--",
                linewidth=2 if i == 0 else 1.2,
            )
            lines.append(line)
            if i == 0:
                ax.fill([*angles, angles[0]], [*values, values[0]], alpha=0.15)
        ax.set_xticks(angles)
        ax.set_xticklabels(list(axes))
        # The outer ring lies a little beyond the top score, so the score labels stay clear
        # of the axes' labels around it.
        ax.set_ylim(0, MAX_SCORE + 0.4)
        ax.set_yticks(range(MIN_SCORE, MAX_SCORE + 1))
        # The scores' labels run halfway between the first two axes, clear of their labels.
        ax.set_rlabel_position(180 / max(n, 1))
        if series:
            # Below the chart, one series a line, so a long round title never covers the
            # axes' labels, on a phone either.
            ax.legend(
                lines,
                [textwrap.shorten(s.label, LEGEND_CHARS, placeholder="…") for s in series],
                loc="upper center",
                bbox_to_anchor=(0.5, -0.08),
                fontsize=9,
                frameon=False,
            )
        figure.tight_layout()
        return _svg(figure, title)


@cached_svg
def trend_svg(rounds: Sequence[str], series: Sequence[Series], *, title: str) -> str:
    """Average scores per round, one line per series."""
    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(6.0, 3.2))
        ax = figure.add_subplot()
        xs = list(range(len(rounds)))
        drawn = 0
        for s in series:
            points = [(x, v) for x, v in zip(xs, s.values, strict=True) if v is not None]
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=s.label)
                drawn += 1
        ax.set_xticks(xs)
        ax.set_xticklabels(list(rounds))
        ax.set_ylim(MIN_SCORE - 0.2, MAX_SCORE + 0.2)
        # Whole scores: labels without decimals read alike in every language ("2.5" is
        # "2,5" in French, and the chart is drawn once for all).
        ax.set_yticks(range(MIN_SCORE, MAX_SCORE + 1))
        ax.set_ylabel("1–5")
        ax.grid(True, alpha=0.3)
        if drawn:
            ax.legend(fontsize=9)
        figure.tight_layout()
        return _svg(figure, title)
