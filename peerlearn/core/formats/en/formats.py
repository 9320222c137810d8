"""English dates for readers in every country: Django's short English date is American
(11/04/2026 is the fourth of November there and the eleventh of April in Kenya or the UK),
so every English date names the month, always in the same order: the long form in full
("November 4, 2026", "November 4, 2026, 7:25 a.m.") and the short one abbreviated the same
way for every month ("Nov 4, 2026", "Nov 4, 2026, 7:25 a.m."; Django's long default would
write "Nov. 4" beside the short "Nov 4")."""

DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, P"
SHORT_DATE_FORMAT = "M j, Y"
SHORT_DATETIME_FORMAT = "M j, Y, P"
