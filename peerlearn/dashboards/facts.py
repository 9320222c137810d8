"""The facts the facilitator's dashboard checks, gathered for a batch of alliances in a
number of queries that does not grow with the batch.

``dashboard_facts(alliance_ids)`` is the one place facts are gathered. Each domain app
offers a selector taking alliance ids and answering a dict by alliance id; the facts of
apps that do not offer theirs yet stay empty and their name is left out of
``Facts.gathered``, so the checks that need them stay silent rather than warn about every
alliance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Max

from peerlearn.activities.selectors import (
    activity_kinds_held_by_alliance,
    activity_last_held_by_alliance,
    activity_next_by_alliance,
    member_last_engaged,
    milestones_overdue_by_alliance,
)
from peerlearn.alliances.models import AllianceMembership, MemberRole, StageChange
from peerlearn.alliances.selectors import checklist_open_counts
from peerlearn.evidence.selectors import scorecard_low_scores
from peerlearn.peers.models import Authorisation, AuthorisationStatus
from peerlearn.strategy.selectors import StrategySummary, strategy_summary_by_alliance

#: The names of the facts other apps provide (see ``dashboard_facts``).
OPEN_QUESTIONS = "open_questions"
NEXT_ACTIVITY = "next_activity"
LAST_HELD = "last_held"
ACTIVITY_KINDS = "activity_kinds"
OVERDUE_MILESTONES = "overdue_milestones"
LAST_ENGAGED = "last_engaged"
LOW_SCORES = "low_scores"


@dataclass(frozen=True)
class Facts:
    """What the checks know about each alliance of the batch, keyed by alliance id."""

    today: date
    #: When the alliance entered its current stage.
    stage_since: dict[int, datetime] = field(default_factory=dict)
    #: Peer learners and resource peers.
    learners: dict[int, int] = field(default_factory=dict)
    #: Learners whose profile says seniority 4 or 5 (director, executive).
    seniors: dict[int, int] = field(default_factory=dict)
    #: Peer learners whose home organisation has not granted an authorisation.
    unauthorised: dict[int, int] = field(default_factory=dict)
    #: Learners' stated genders (lower-cased), counted; unstated ones are left out.
    genders: dict[int, Counter[str]] = field(default_factory=dict)
    strategy: dict[int, StrategySummary] = field(default_factory=dict)
    # --- facts of other apps (empty until their selector is plugged in) ---
    #: alliances: checklist questions of the current stage not answered yet.
    open_questions: dict[int, int] = field(default_factory=dict)
    #: activities: the next activity (anything with a readable ``str``), if any.
    next_activity: dict[int, Any] = field(default_factory=dict)
    #: activities: the date of the last activity held.
    last_held: dict[int, date] = field(default_factory=dict)
    #: activities: the kind of every activity held (one entry per activity).
    activity_kinds: dict[int, list[str]] = field(default_factory=dict)
    #: activities: milestones past their due date and not done.
    overdue_milestones: dict[int, int] = field(default_factory=dict)
    #: activities: each member's last engagement (user id → date, or None for never).
    last_engaged: dict[int, dict[int, date | None]] = field(default_factory=dict)
    #: evidence: principles and steps scored at most 2 in the latest scorecard round.
    low_scores: dict[int, list[str]] = field(default_factory=dict)
    #: Which of the other apps' facts were gathered.
    gathered: frozenset[str] = frozenset()


def dashboard_facts(alliance_ids: list[int], *, today: date) -> Facts:
    """Every fact the checks read, for ``alliance_ids`` (already narrowed by the access
    layer to the alliances the viewer runs)."""
    learners: Counter[int] = Counter()
    seniors: Counter[int] = Counter()
    unauthorised: Counter[int] = Counter()
    genders: dict[int, Counter[str]] = defaultdict(Counter)
    members = list(
        AllianceMembership.objects.filter(
            alliance_id__in=alliance_ids, role__in=(MemberRole.PEER, MemberRole.RESOURCE)
        ).values_list(
            "alliance_id",
            "user_id",
            "role",
            "user__peer_profile__id",
            "user__peer_profile__seniority",
            "user__peer_profile__gender",
            "joined_on",
        )
    )
    profile_ids = {m[3] for m in members if m[3] is not None}
    authorised = set(
        Authorisation.objects.filter(
            peer_id__in=profile_ids, status=AuthorisationStatus.GRANTED
        ).values_list("peer_id", flat=True)
    )
    # A member who never attended counts as engaged on the day they joined.
    learner_ids = [(m[0], m[1], m[6]) for m in members]
    for alliance_id, _user_id, role, profile_id, seniority, gender, _joined in members:
        learners[alliance_id] += 1
        if seniority is not None and seniority >= 4:
            seniors[alliance_id] += 1
        if (gender or "").strip():
            genders[alliance_id][gender.strip().lower()] += 1
        if role == MemberRole.PEER and profile_id not in authorised:
            unauthorised[alliance_id] += 1
    stage_since = dict(
        StageChange.objects.filter(alliance_id__in=alliance_ids)
        .values("alliance_id")
        .annotate(at=Max("changed_at"))
        .values_list("alliance_id", "at")
    )
    gathered: set[str] = set()
    other: dict[str, Any] = {}
    # --- The other apps' facts: each selector takes the alliance ids and answers by id.
    other[OPEN_QUESTIONS] = checklist_open_counts(alliance_ids)
    other[NEXT_ACTIVITY] = activity_next_by_alliance(alliance_ids)
    other[LAST_HELD] = {
        a: when.date() for a, when in activity_last_held_by_alliance(alliance_ids).items()
    }
    other[ACTIVITY_KINDS] = activity_kinds_held_by_alliance(alliance_ids)
    other[OVERDUE_MILESTONES] = milestones_overdue_by_alliance(alliance_ids)
    engaged = member_last_engaged(alliance_ids)
    last_engaged: dict[int, dict[int, date | None]] = defaultdict(dict)
    for alliance_id, user_id, joined_on in learner_ids:
        when = engaged.get((alliance_id, user_id))
        attended = when.date() if when else None
        last_engaged[alliance_id][user_id] = max(
            (d for d in (attended, joined_on) if d is not None), default=None
        )
    other[LAST_ENGAGED] = dict(last_engaged)
    other[LOW_SCORES] = scorecard_low_scores(alliance_ids)
    gathered.update(other)
    return Facts(
        today=today,
        stage_since=stage_since,
        learners=dict(learners),
        seniors=dict(seniors),
        unauthorised=dict(unauthorised),
        genders=dict(genders),
        strategy=strategy_summary_by_alliance(alliance_ids),
        gathered=frozenset(gathered),
        **other,
    )
