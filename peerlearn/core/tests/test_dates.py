"""The first of the month reads « 1er décembre » in French, in templates and in Python, and
nothing else changes: English dates, other days, numeric short dates."""

from __future__ import annotations

import datetime as dt
import doctest

from django.template import engines
from django.utils import translation

from peerlearn.core import dates


def render(text: str, **context: object) -> str:
    return engines["django"].from_string(text).render(context)


def test_the_date_filter_writes_the_first_of_the_month_as_an_ordinal_in_french() -> None:
    first, second = dt.date(2026, 12, 1), dt.date(2026, 12, 2)
    at = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    template = (
        '{{ first|date:"DATE_FORMAT" }}|{{ second|date:"DATE_FORMAT" }}|'
        '{{ first|date:"MONTH_DAY_FORMAT" }}|{{ first|date }}|{{ at|date:"DATETIME_FORMAT" }}|'
        '{{ first|date:"SHORT_DATE_FORMAT" }}|{{ first|date:"F Y" }}'
    )
    with translation.override("fr"):
        shown = render(template, first=first, second=second, at=at)
    assert shown.split("|") == [
        "1er décembre 2026",
        "2 décembre 2026",
        "1er décembre",
        "1er décembre 2026",
        "1er décembre 2026 09:30",
        "01/12/2026",
        "décembre 2026",
    ]
    with translation.override("en"):
        shown = render(template, first=first, second=second, at=at)
    assert shown.split("|")[:4] == [
        "December 1, 2026",
        "December 2, 2026",
        "December 1",
        "December 1, 2026",
    ]
    assert render("{{ nothing|date }}", nothing=None) == ""


def test_python_dates_say_the_same() -> None:
    with translation.override("fr"):
        assert dates.date_format(dt.date(2027, 1, 1)) == "1er janvier 2027"
        assert dates.date_format(dt.date(2027, 1, 11)) == "11 janvier 2027"
    result = doctest.testmod(dates)
    assert result.failed == 0 and result.attempted > 0
