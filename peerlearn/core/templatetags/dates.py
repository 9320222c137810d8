"""The ``date`` filter, as Django's, writing the first of the month as an ordinal where the
language asks for it (French « 1er décembre 2026 », see ``peerlearn.core.dates``). Installed
as a template builtin (settings ``TEMPLATES`` ``builtins``), it replaces Django's ``date``
filter in every template without a ``{% load %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import dateformat

from peerlearn.core.dates import date_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """``{{ day|date:"DATE_FORMAT" }}``: Django's filter, with « 1er » in French."""
    if value in (None, ""):
        return ""
    try:
        return date_format(value, arg)
    except AttributeError:
        try:
            return dateformat.format(value, arg or "")
        except AttributeError:
            return ""
