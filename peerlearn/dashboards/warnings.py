"""Warnings drawn from the paper's principles (§4), for the facilitator's dashboard.

Each check is a small function registered with :func:`check`: it takes the batch of
alliances on the dashboard and the facts gathered for them (:class:`Facts`, see
``facts.py``) and yields ``(alliance id, Warning)`` for each alliance it warns about. A
warning names what is wrong and links to the page where it is fixed. A check that needs a
fact another app provides stays silent until that fact is gathered.

To add a check: write the function here with ``@check``, reading only ``Facts`` (add a
field there and gather it in ``dashboard_facts`` if it needs a new one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.alliances.models import AllianceStage, LearningAlliance
from peerlearn.dashboards.facts import ACTIVITY_KINDS, LAST_ENGAGED, LAST_HELD, LOW_SCORES, Facts

#: One gender above this share of the learners with a stated gender is an imbalance (§4
#: "Empowerment and gender mainstreaming").
MAX_GENDER_SHARE = 0.75
#: Below this many stated genders, no share is computed.
MIN_STATED_GENDERS = 2
#: Seniority (1–5) from which a peer is senior: teams with senior staff adopted lessons
#: faster (case 5).
SENIOR_FROM = 4
#: Days in a stage after which the alliance is flagged, by stage; the last stage never is.
LONG_IN_STAGE_DAYS: dict[int, int] = {
    AllianceStage.PRE_ASSESSMENT: 90,
    AllianceStage.FOUNDATIONAL: 180,
    AllianceStage.SUSTAINED_CONTACT: 365,
    AllianceStage.LEARNING_OUTCOMES: 365,
}
#: Days without an activity held after which contact is no longer sustained.
NO_ACTIVITY_DAYS = 90
#: Days without engagement after which a member counts as not engaged.
NOT_ENGAGED_DAYS = 60
#: Kinds of activity that are single events rather than repeated contact (§4 "Allow
#: sufficient time": move beyond one-off events and study visits).
ONE_OFF_KINDS = frozenset({"conference", "study_tour", "webinar", "short_mission"})


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    link: str


Check = Callable[[Sequence[LearningAlliance], Facts], Iterator[tuple[int, Warning]]]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    """Register a check; the dashboard runs them in the order they are defined."""
    CHECKS.append(fn)
    return fn


def run_checks(
    alliances: Sequence[LearningAlliance], facts: Facts, checks: Sequence[Check] | None = None
) -> dict[int, list[Warning]]:
    """Every warning of every registered check, by alliance id."""
    found: dict[int, list[Warning]] = {a.id: [] for a in alliances}
    for fn in CHECKS if checks is None else checks:
        for alliance_id, warning in fn(alliances, facts):
            found.setdefault(alliance_id, []).append(warning)
    return found


def _members_link(alliance: LearningAlliance) -> str:
    return reverse("alliances:detail", args=[alliance.slug]) + "#members-h"


def _strategy_link(alliance: LearningAlliance) -> str:
    return reverse("strategy:strategy", args=[alliance.slug])


def _activities_link(alliance: LearningAlliance) -> str:
    return reverse("activities:alliance", args=[alliance.slug])


@check
def no_senior_member(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """Learners, but none senior: lessons travel home slower without leadership buy-in."""
    for a in alliances:
        if facts.learners.get(a.id, 0) and not facts.seniors.get(a.id, 0):
            yield (
                a.id,
                Warning(
                    "no_senior_member",
                    _(
                        "No senior member: invite a director or someone above, so lessons are "
                        "adopted at home."
                    ),
                    _members_link(a),
                ),
            )


@check
def peers_not_authorised(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """Peer learners whose home organisation has not granted their participation (§4
    "Empowerment")."""
    for a in alliances:
        n = facts.unauthorised.get(a.id, 0)
        if n:
            yield (
                a.id,
                Warning(
                    "peers_not_authorised",
                    ngettext(
                        "%(n)s peer has no authorisation from their home organisation.",
                        "%(n)s peers have no authorisation from their home organisation.",
                        n,
                    )
                    % {"n": n},
                    _members_link(a),
                ),
            )


@check
def gender_imbalance(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """One gender above ``MAX_GENDER_SHARE`` of the learners who state one."""
    for a in alliances:
        counts = facts.genders.get(a.id)
        if not counts:
            continue
        total = sum(counts.values())
        top = max(counts.values())
        if total >= MIN_STATED_GENDERS and top / total > MAX_GENDER_SHARE:
            yield (
                a.id,
                Warning(
                    "gender_imbalance",
                    _("Gender imbalance: %(share)s%% of the members who state a gender share one.")
                    % {"share": round(100 * top / total)},
                    _members_link(a),
                ),
            )


@check
def no_expected_results(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """No learning strategy, or nobody has written the result expected at home (§4 "Focus
    on mutual results")."""
    for a in alliances:
        summary = facts.strategy.get(a.id)
        if summary is None or not summary.parts:
            message = _(
                "No learning strategy: agree who learns what from whom, and the results expected."
            )
        elif not summary.with_expected_result:
            message = _(
                "No expected results agreed: no member has written the result expected for their "
                "organisation."
            )
        else:
            continue
        yield a.id, Warning("no_expected_results", message, _strategy_link(a))


@check
def strategy_unconfirmed(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """A strategy drafted, but confirmed by nobody, is not jointly owned."""
    for a in alliances:
        summary = facts.strategy.get(a.id)
        # Parts with nothing written yet are the "no expected results" warning's case.
        if summary is not None and summary.with_expected_result and not summary.confirmed:
            yield (
                a.id,
                Warning(
                    "strategy_unconfirmed",
                    _(
                        "Nobody has confirmed the learning strategy: remind the members of their "
                        "parts."
                    ),
                    _strategy_link(a),
                ),
            )


@check
def long_in_stage(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """Longer in the current stage than ``LONG_IN_STAGE_DAYS`` allows."""
    for a in alliances:
        limit = LONG_IN_STAGE_DAYS.get(a.stage)
        since = facts.stage_since.get(a.id)
        if limit is None or since is None:
            continue
        days = (facts.today - since.date()).days
        if days > limit:
            yield (
                a.id,
                Warning(
                    "long_in_stage",
                    _("%(days)s days at “%(stage)s”: move on, or note why the stage takes longer.")
                    % {"days": days, "stage": a.get_stage_display()},
                    reverse("alliances:detail", args=[a.slug]) + "#stage-h",
                ),
            )


@check
def only_one_off_events(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """Activities held, but a single one, or only one-off kinds: no repeated contact."""
    if ACTIVITY_KINDS not in facts.gathered:
        return
    for a in alliances:
        kinds = facts.activity_kinds.get(a.id) or []
        if kinds and (len(kinds) == 1 or all(k in ONE_OFF_KINDS for k in kinds)):
            yield (
                a.id,
                Warning(
                    "only_one_off_events",
                    _(
                        "Only one-off events so far: plan repeated contact, such as coaching or "
                        "exchange visits."
                    ),
                    _activities_link(a),
                ),
            )


def _created_on(alliance: LearningAlliance) -> date | None:
    """The day the alliance was made, in the platform's zone (None before it is saved)."""
    return timezone.localdate(alliance.created_at) if alliance.created_at else None


@check
def no_recent_activity(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """No activity held for ``NO_ACTIVITY_DAYS`` days in an alliance past its
    pre-assessment, counted from its creation when it has held none since (an alliance
    made today has had no time to meet)."""
    if LAST_HELD not in facts.gathered:
        return
    cutoff = facts.today - timedelta(days=NO_ACTIVITY_DAYS)
    for a in alliances:
        if a.stage == AllianceStage.PRE_ASSESSMENT:
            continue
        since = [d for d in (facts.last_held.get(a.id), _created_on(a)) if d is not None]
        if not since or max(since) < cutoff:
            yield (
                a.id,
                Warning(
                    "no_recent_activity",
                    _("No activity for %(days)s days: contact between peers needs to be sustained.")
                    % {"days": NO_ACTIVITY_DAYS},
                    _activities_link(a),
                ),
            )


def not_engaged_count(facts: Facts, alliance_id: int) -> int | None:
    """Members not engaged for ``NOT_ENGAGED_DAYS`` days, when the fact is gathered: who
    last attended, or joined, before then (or never attended, joined on a day unknown)."""
    if LAST_ENGAGED not in facts.gathered:
        return None
    cutoff = facts.today - timedelta(days=NOT_ENGAGED_DAYS)
    last = facts.last_engaged.get(alliance_id, {})
    return sum(1 for when in last.values() if when is None or when < cutoff)


@check
def low_principle_scores(
    alliances: Sequence[LearningAlliance], facts: Facts
) -> Iterator[tuple[int, Warning]]:
    """Principles or practical steps scored at most 2 on average in the latest scorecard
    round."""
    if LOW_SCORES not in facts.gathered:
        return
    for a in alliances:
        low = facts.low_scores.get(a.id) or []
        if low:
            yield (
                a.id,
                Warning(
                    "low_principle_scores",
                    _("Scored low in the latest scorecard: %(principles)s.")
                    % {"principles": ", ".join(low)},
                    reverse("evidence:alliance", args=[a.slug]),
                ),
            )
