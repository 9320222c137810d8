"""Dates in the reader's language, as Django writes them, with the first of the month an
ordinal where the language's format module asks for it (``FIRST_OF_MONTH_SUFFIX``:
French « 1er décembre 2026 »). Templates get it through the ``date`` filter
(``templatetags/dates.py``, a builtin that takes the place of Django's); Python calls
:func:`date_format` in place of ``django.utils.formats.date_format``.

>>> import datetime
>>> from django.utils import translation
>>> with translation.override("fr"):
...     date_format(datetime.date(2026, 12, 1)), date_format(datetime.date(2026, 12, 2))
('1er décembre 2026', '2 décembre 2026')
>>> with translation.override("en"):
...     date_format(datetime.date(2026, 12, 1))
'December 1, 2026'
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import dateformat
from django.utils.formats import get_format, get_format_modules

#: The day without a leading zero (``j``, not escaped) written before a month's name.
_DAY_BEFORE_MONTH = re.compile(r"(?<!\\)j(?=\s+[FNEbM])")


def _first_of_month_suffix() -> str:
    for module in get_format_modules():
        suffix = getattr(module, "FIRST_OF_MONTH_SUFFIX", None)
        if suffix is not None:
            return str(suffix)
    return ""


def date_format(value: Any, format: str | None = None, use_l10n: bool | None = None) -> str:
    """``django.utils.formats.date_format``, with « 1er » on the first of the month in a
    language that writes it so."""
    pattern = str(get_format(format or "DATE_FORMAT", use_l10n=use_l10n))
    if getattr(value, "day", None) == 1 and (suffix := _first_of_month_suffix()):
        escaped = "".join("\\" + char for char in suffix)
        pattern = _DAY_BEFORE_MONTH.sub(lambda _m: "j" + escaped, pattern, count=1)
    return dateformat.format(value, pattern)
