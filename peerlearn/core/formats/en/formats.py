"""English dates for readers in every country: Django's short English date is American
(11/04/2026 is the fourth of November there and the eleventh of April in Kenya or the UK),
so short dates name the month, in the order of the long ones ("Nov 4, 2026"), with the
time after them where a time is shown ("Nov 4, 2026, 7:25 a.m.")."""

SHORT_DATE_FORMAT = "M j, Y"
SHORT_DATETIME_FORMAT = "M j, Y, P"
