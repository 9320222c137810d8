"""The results seam: an alliance's results chain as open data (IATI ``result`` elements and
the ``results`` table).

Any installed app may supply results with a ``report`` module holding::

    def public_results(alliance) -> list[Result]: ...

called only for alliances that are public. It must return only what may be published —
results, indicators and values an anonymous visitor may see. With no app supplying any,
every alliance has no results and the exports say so by leaving them out.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.apps import apps as django_apps

if TYPE_CHECKING:
    from peerlearn.alliances.models import LearningAlliance


class ResultType:
    """IATI ResultType codes."""

    OUTPUT = "1"
    OUTCOME = "2"
    IMPACT = "3"
    OTHER = "9"


class IndicatorMeasure:
    """IATI IndicatorMeasure codes in the 2.03 codelist kept with the schema. Qualitative
    indicators have no code there: they go to CSV and JSON, not to IATI."""

    UNIT = "1"
    PERCENTAGE = "2"
    QUALITATIVE = ""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    target: str | None = None
    actual: str | None = None


@dataclass(frozen=True)
class Indicator:
    title: str
    measure: str = IndicatorMeasure.UNIT
    ascending: bool = True
    description: str = ""
    baseline_year: int | None = None
    baseline_value: str | None = None
    periods: Sequence[Period] = field(default_factory=tuple)


@dataclass(frozen=True)
class Result:
    title: str
    type: str = ResultType.OUTCOME
    description: str = ""
    indicators: Sequence[Indicator] = field(default_factory=tuple)


ResultsProvider = Callable[["LearningAlliance"], list[Result]]


def results_providers() -> list[ResultsProvider]:
    found = []
    for app in django_apps.get_app_configs():
        name = f"{app.name}.report"
        if not app.name.startswith("peerlearn.") or importlib.util.find_spec(name) is None:
            continue
        provider = getattr(importlib.import_module(name), "public_results", None)
        if provider is not None:
            found.append(provider)
    return found


def public_results(
    alliance: LearningAlliance, providers: Sequence[ResultsProvider] | None = None
) -> list[Result]:
    """Every app's published results for a public alliance (``providers``: found once by
    the caller that asks for many alliances)."""
    results: list[Result] = []
    for provider in results_providers() if providers is None else providers:
        results.extend(provider(alliance))
    return results
