"""What the principles scorecard assesses: the eleven principles of peer-to-peer partnerships
(§4 of the paper) and the five practical steps to build partnerships (§3), as data.

Each item has a stable code (stored with every score, so a reworded title never orphans a
score), a short label for the radar chart's axes, a title and the paper's words as the
question an assessor answers. Titles and questions are translatable. Scores run from 1 (not
at all) to 5 (fully).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ScorecardItem:
    code: str
    section: str  # "principle" (§4) or "step" (§3)
    title: Promise
    question: Promise


PRINCIPLE = "principle"
STEP = "step"

ITEMS: tuple[ScorecardItem, ...] = (
    ScorecardItem(
        "horizontal",
        PRINCIPLE,
        _("Horizontal and non-conditional partnerships"),
        _("Do peers meet as equals, with no conditions attached to the learning?"),
    ),
    ScorecardItem(
        "time",
        PRINCIPLE,
        _("Allow sufficient time"),
        _("Has the partnership had the time trust and results need?"),
    ),
    ScorecardItem(
        "mutual-results",
        PRINCIPLE,
        _("Focus on mutual results"),
        _("Do all partners gain, and were the expected results agreed together?"),
    ),
    ScorecardItem(
        "political-context",
        PRINCIPLE,
        _("Understand the political context of the partner"),
        _("Does the learning take each partner's political context into account?"),
    ),
    ScorecardItem(
        "start-small",
        PRINCIPLE,
        _("Starting small"),
        _("Did the partnership start with a manageable scope and grow from there?"),
    ),
    ScorecardItem(
        "individual",
        PRINCIPLE,
        _("Focus on the individual"),
        _("Are the right people involved, and does each of them learn?"),
    ),
    ScorecardItem(
        "empowerment-gender",
        PRINCIPLE,
        _("Empowerment and gender mainstreaming"),
        _("Are participants empowered to engage, and are women and men equally heard?"),
    ),
    ScorecardItem(
        "humility",
        PRINCIPLE,
        _("Professional and personal humility"),
        _("Do peers share failures as openly as successes, and listen before advising?"),
    ),
    ScorecardItem(
        "trust",
        PRINCIPLE,
        _("Importance of trust"),
        _("Do peers trust each other enough to speak openly in the safe space?"),
    ),
    ScorecardItem(
        "visibility",
        PRINCIPLE,
        _("Visibility of the learning"),
        _("Is what was learned recorded and made visible to the organisations concerned?"),
    ),
    ScorecardItem(
        "impact",
        PRINCIPLE,
        _("Focus on impact and real change"),
        _("Is the partnership measured by the real change it brings about?"),
    ),
    ScorecardItem(
        "mutual-responsibility",
        STEP,
        _("Practice mutual responsibility"),
        _("Do the partners share a joint agenda and answer for it together?"),
    ),
    ScorecardItem(
        "equitable",
        STEP,
        _("Ensure that relationships are equitable"),
        _("Do partners see each other as peers, not as donor and recipient?"),
    ),
    ScorecardItem(
        "open-discussions",
        STEP,
        _("Encourage open discussions"),
        _("Can difficult questions about the reform be raised openly?"),
    ),
    ScorecardItem(
        "collaboration",
        STEP,
        _("Encourage active collaboration rather than teaching"),
        _("Do peers work on problems together rather than lecture one another?"),
    ),
    ScorecardItem(
        "shared-planning",
        STEP,
        _("Make sure that all planning is shared"),
        _("Are activities and next steps planned by all partners together?"),
    ),
)

BY_CODE = {item.code: item for item in ITEMS}
CODES = tuple(item.code for item in ITEMS)
ITEM_CHOICES = [(item.code, item.title) for item in ITEMS]
MIN_SCORE = 1
MAX_SCORE = 5
#: An item whose average in an alliance's latest round is at or below this raises a warning.
LOW_SCORE = 2


def short_label(code: str) -> str:
    """The chart's axis label: P1–P11 for the principles, S1–S5 for the steps."""
    principles = [i.code for i in ITEMS if i.section == PRINCIPLE]
    steps = [i.code for i in ITEMS if i.section == STEP]
    if code in principles:
        return f"P{principles.index(code) + 1}"
    return f"S{steps.index(code) + 1}"
