"""A world map drawn on the server: one SVG shape per country, shaded by a count.

The shapes come with the code (``data/worldmap.json``, built by ``data/build_worldmap.py``
from pygal's world map), so the map needs no tile server, works offline and is plain SVG:
every shaded country is a link, with a title a screen reader or a hover reads, and the page
that shows it also lists the same counts as a table.

>>> m = world_map({"KE": 3, "GB": 1}, href=lambda code: f"?country={code}",
...               describe=lambda name, n: f"{name}: {n}")
>>> [(c.code, c.count, c.level) for c in m.countries if c.count]
[('GB', 1, 2), ('KE', 3, 5)]
>>> m.maximum, [step.level for step in m.legend]
(3, [2, 4, 5])
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from peerlearn.core.geography import country_name

SHAPES = Path(__file__).with_name("data") / "worldmap.json"

# Shades from the lightest (1) to the darkest (LEVELS); 0 is a country with nothing.
LEVELS = 5


@dataclass(frozen=True)
class MapCountry:
    code: str
    name: str
    path: str
    count: int
    level: int  # 0 for none, else 1..LEVELS
    href: str  # empty for a country with nothing to list
    title: str  # what the link of a shaded country says; empty for one with nothing


@dataclass(frozen=True)
class LegendStep:
    level: int
    low: int
    high: int


@dataclass(frozen=True)
class WorldMap:
    view_box: str
    countries: list[MapCountry]
    maximum: int
    legend: list[LegendStep]

    @property
    def shaded(self) -> list[MapCountry]:
        """The countries with something, most first: the map's table."""
        return sorted((c for c in self.countries if c.count), key=lambda c: (-c.count, c.name))

    @property
    def svg_shapes(self) -> SafeString:
        """The SVG of every country with a shape: a titled shape, inside a link for a shaded
        country. Written here rather than by a loop in the template: some 200 shapes, each
        with five values to look up and escape, cost the template several milliseconds (a
        country with nothing is written once per process and language)."""
        shapes = []
        for c in self.countries:
            if not c.path:
                continue
            if c.href:
                shapes.append(
                    format_html(
                        '<a href="{}" aria-label="{}"><path class="l{}" d="{}" '
                        'data-country="{}"><title>{}</title></path></a>',
                        c.href,
                        c.title,
                        c.level,
                        c.path,
                        c.code,
                        c.title,
                    )
                )
            else:
                shapes.append(_plain_shape(c.path, c.code, c.name))
        return mark_safe("".join(shapes))


@lru_cache(maxsize=2048)
def _plain_shape(path: str, code: str, name: str) -> SafeString:
    """A country with nothing: the same for every page in a language, written once."""
    return format_html(
        '<path class="l0" d="{}" data-country="{}"><title>{}</title></path>', path, code, name
    )


@lru_cache(maxsize=1)
def _shapes() -> tuple[str, dict[str, str]]:
    doc = json.loads(SHAPES.read_text())
    return " ".join(str(v) for v in doc["viewBox"]), doc["countries"]


def level_of(count: int, maximum: int) -> int:
    """The shade of ``count`` on a scale up to ``maximum``: linear for small maxima, where
    every step can be told apart, logarithmic beyond, so one country with hundreds of peers
    does not leave every other one at the lightest shade.

    >>> [level_of(n, 5) for n in range(6)]
    [0, 1, 2, 3, 4, 5]
    >>> [level_of(n, 1000) for n in (1, 10, 100, 1000)]
    [1, 2, 4, 5]
    """
    if count <= 0 or maximum <= 0:
        return 0
    if maximum <= LEVELS:
        return max(1, math.ceil(LEVELS * count / maximum))
    return 1 + min(LEVELS - 1, int((LEVELS - 1) * math.log(count) / math.log(maximum) + 0.5))


def _legend(maximum: int) -> list[LegendStep]:
    steps: dict[int, list[int]] = {}
    for n in range(1, maximum + 1) if maximum <= 10_000 else ():
        steps.setdefault(level_of(n, maximum), []).append(n)
    return [LegendStep(level, ns[0], ns[-1]) for level, ns in sorted(steps.items())]


def world_map(
    counts: dict[str, int],
    *,
    href: Callable[[str], str],
    describe: Callable[[str, int], str],
) -> WorldMap:
    """The map of ``counts`` (ISO alpha-2 → number): ``href(code)`` is where a shaded
    country leads, ``describe(name, count)`` its title. Countries without a shape (a few
    small territories) are still in :attr:`WorldMap.shaded`, so the table lists them."""
    view_box, shapes = _shapes()
    maximum = max(counts.values(), default=0)
    countries = []
    for code in sorted(set(shapes) | {c for c, n in counts.items() if n}):
        count = counts.get(code, 0)
        name = country_name(code)
        countries.append(
            MapCountry(
                code=code,
                name=name,
                path=shapes.get(code, ""),
                count=count,
                level=level_of(count, maximum),
                href=href(code) if count else "",
                title=describe(name, count) if count else "",
            )
        )
    return WorldMap(
        view_box=view_box, countries=countries, maximum=maximum, legend=_legend(maximum)
    )
