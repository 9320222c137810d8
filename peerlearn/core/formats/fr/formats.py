"""French dates: Django's own formats ("1 décembre 2026" is written "j F Y"), and the first
of the month as an ordinal, « 1er décembre 2026 », « 2 décembre 2026 ». A date format string
cannot say "only on the first", so ``peerlearn.core.dates.date_format`` (the ``date``
filter of every template) adds this suffix to the day before a month's name on the first."""

#: Written after the day of the month on the first only: « 1er ».
FIRST_OF_MONTH_SUFFIX = "er"
