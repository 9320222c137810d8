"""Charts drawn once per set of figures.

Drawing a chart with matplotlib takes a tenth of a second or more, and the same chart is
asked for again and again (every reader of a report, every refresh of a scorecard) while
its figures have not changed. A chart function here is pure: it takes plain values and
returns an SVG string. ``cached_svg`` keeps that string in the platform's cache under a
digest of the function and of everything passed to it, so the key changes when any figure,
label or title does (labels arrive already translated, so each language has its own entry)
and a stale chart is never served; entries simply age out.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import ParamSpec

from django.core.cache import cache

P = ParamSpec("P")

#: How long a drawn chart stays in the cache. Charts of figures that no longer exist are
#: never asked for again; they leave the cache after this time.
CHART_CACHE_SECONDS = 24 * 3600

#: Part of every key: change it when the drawing code changes, so charts drawn by the old
#: code are not served.
CHART_STYLE_VERSION = "2"


def chart_key(name: str, args: tuple[object, ...], kwargs: dict[str, object]) -> str:
    """The cache key of one chart: the function's name and a digest of its arguments'
    ``repr`` (plain values and frozen dataclasses, whose ``repr`` shows every field).

    >>> chart_key("bars", ([("a", 1)],), {"title": "T"}) == chart_key(
    ...     "bars", ([("a", 1)],), {"title": "T"})
    True
    >>> chart_key("bars", ([("a", 1)],), {"title": "T"}) == chart_key(
    ...     "bars", ([("a", 2)],), {"title": "T"})
    False
    """
    text = repr((CHART_STYLE_VERSION, name, args, sorted(kwargs.items())))
    return "chart:" + hashlib.sha256(text.encode()).hexdigest()


def cached_svg(draw: Callable[P, str]) -> Callable[P, str]:
    """Serve ``draw``'s SVG from the cache when the same figures were drawn before."""
    name = f"{draw.__module__}.{draw.__qualname__}"

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        key = chart_key(name, args, dict(kwargs))
        cached: str | None = cache.get(key)
        if cached is not None:
            return cached
        svg = draw(*args, **kwargs)
        cache.set(key, svg, CHART_CACHE_SECONDS)
        return svg

    return wrapper
