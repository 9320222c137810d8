"""Validation of ISO codes and of dates with messages that name the fix."""

from __future__ import annotations

import datetime as dt

import pycountry
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.core.dates import date_format


def normalise_country_code(value: str) -> str:
    """Return the upper-case alpha-2 code, or raise a ValidationError that says what to use."""
    code = (value or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValidationError(
            _(
                "Unknown country code “%(value)s”: use an ISO 3166-1 alpha-2 code such as "
                "KE (Kenya) or FR (France)."
            ),
            code="unknown_country",
            params={"value": value},
        )
    return code


def normalise_language_code(value: str) -> str:
    """Return the lower-case ISO 639-1 code, or raise a ValidationError that says what to use."""
    code = (value or "").strip().lower()
    if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
        raise ValidationError(
            _(
                "Unknown language code “%(value)s”: use an ISO 639-1 two-letter code such as "
                "en (English), fr (French), es (Spanish) or ru (Russian)."
            ),
            code="unknown_language",
            params={"value": value},
        )
    return code


#: The earliest date of something that happened and is recorded here: a baseline may be
#: decades old, but a date before this one (0001, 1901) is a slip of the keyboard.
EARLIEST_PAST_DATE = dt.date(1950, 1, 1)


def not_after_tomorrow(value: dt.date) -> None:
    """A date of something that happened (a diary entry, a transfer, an assessment): today
    or earlier, tomorrow allowed for a writer whose day has already turned, east of the
    site's time zone; and not before ``EARLIEST_PAST_DATE``."""
    if value < EARLIEST_PAST_DATE:
        raise ValidationError(
            _("%(date)s is too far back: give the day it happened, from %(earliest)s on."),
            code="too_early",
            params={"date": date_format(value), "earliest": date_format(EARLIEST_PAST_DATE)},
        )
    today = timezone.localdate()
    if value > today + dt.timedelta(days=1):
        raise ValidationError(
            _(
                "%(date)s is still to come. Give the day it happened: today (%(today)s) "
                "or an earlier date."
            ),
            code="future",
            params={"date": date_format(value), "today": date_format(today)},
        )
