"""Names of countries, regions and languages in the reader's language (CLDR via Babel)."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def current_locale() -> Locale | None:
    """The active language's CLDR locale (parsed once per language), None if Babel has none."""
    return _locale(get_language() or "en")


def country_name(code: str, *, default: str = "") -> str:
    """The country's name in the active language, e.g. ``country_name("KE") == "Kenya"``."""
    locale = current_locale()
    if locale is not None:
        name = locale.territories.get(code)
        if name:
            return str(name)
    return default or code


def region_name(m49_code: str) -> str:
    """A UN M49 region's name, e.g. ``region_name("002") == "Africa"``."""
    locale = current_locale()
    if locale is not None:
        name = locale.territories.get(m49_code)
        if name:
            return str(name)
    return m49_code


def language_name(code: str, *, default: str = "") -> str:
    """A language's name in the active language, e.g. ``language_name("fr") == "French"``."""
    locale = current_locale()
    if locale is not None:
        name = locale.languages.get(code)
        if name:
            return str(name)
    return default or code
