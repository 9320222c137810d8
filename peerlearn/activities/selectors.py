"""Reading activities, feedback and action plans through the access layer, and the figures
the facilitator's dashboard shows for many alliances at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, Literal

from django.conf import settings
from django.db.models import Avg, Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from peerlearn.access.activities import (
    action_plans_editable_by,
    action_plans_visible_to,
    activities_visible_to,
    alliance_names_visible_to,
    can_edit_action_plan,
    can_give_feedback,
    can_manage_activities,
    can_see_alliance_activities,
    feedback_answered_at_shown_to,
    feedback_author_named_to,
    feedback_averages_shown,
    feedback_comment_shown_to,
    feedback_scores_shown_to,
    feedback_visible_to,
    milestones_visible_to,
    people_named_to,
)
from peerlearn.access.base import Viewer, is_signed_in
from peerlearn.activities.models import (
    FEEDBACK_ITEMS,
    OPEN_MILESTONE,
    ActionPlan,
    ActionPlanAction,
    Activity,
    ActivityFeedback,
    ActivityParticipant,
    ActivityStatus,
    CalendarSettings,
    Milestone,
    country_zone,
    zone_of,
)
from peerlearn.alliances.models import LearningAlliance

SCORES = tuple(name for name, _question in FEEDBACK_ITEMS)


def reader_zone_name(user: Viewer) -> str:
    """The zone a reader sees every time in: the one they chose (``My calendar``), else
    their organisation's country's when it has only one (Kenya: Africa/Nairobi), else the
    site's."""
    if is_signed_in(user):
        chosen = CalendarSettings.objects.filter(user=user).values_list("time_zone", flat=True)
        found = chosen.first()
        if found:
            return found
        return default_zone_name(user)
    return str(settings.TIME_ZONE)


def default_zone_name(user: Viewer) -> str:
    """The zone of someone who has not chosen one: their organisation's country's when it
    has only one, else the site's."""
    organisation = getattr(user, "organisation", None)
    return country_zone(getattr(organisation, "country_id", None)) or str(settings.TIME_ZONE)


def reader_zone(user: Viewer) -> tzinfo:
    """:func:`reader_zone_name`, as a zone."""
    return zone_of(reader_zone_name(user))


def activities_of_alliance(*, user: Viewer, alliance_id: int) -> QuerySet[Activity]:
    return (
        activities_visible_to(user)
        .filter(alliance_id=alliance_id)
        .annotate(
            n_participants=Count("participations", distinct=True),
            n_attended=Count(
                "participations", filter=Q(participations__attended=True), distinct=True
            ),
        )
        .order_by("starts_at", "id")
    )


@dataclass
class FeedbackSummary:
    """Response rate and averages of one activity's feedback (for its facilitators); the
    averages are None until enough people have answered without signing
    (:func:`~peerlearn.access.activities.feedback_averages_shown`)."""

    responses: int
    participants: int
    averages: dict[str, float | None]
    unsigned: int  # of the responses, those without their author's name

    @property
    def averages_withheld(self) -> bool:
        """Some answered without signing, too few for their averages (and their comments)
        to be shown."""
        return self.responses > 0 and not feedback_averages_shown(unsigned=self.unsigned)

    @property
    def rate(self) -> float | None:
        return self.responses / self.participants if self.participants else None


def feedback_summaries(activity_ids: list[int]) -> dict[int, FeedbackSummary]:
    """Two queries whatever the number of activities."""
    rows = (
        ActivityFeedback.objects.filter(activity_id__in=activity_ids)
        .values("activity_id")
        .annotate(
            n=Count("id"),
            unsigned=Count("id", filter=Q(signed=False)),
            **{f"avg_{s}": Avg(s) for s in SCORES},
        )
    )
    # Who may answer: the participants not recorded as absent.
    counts = dict(
        ActivityParticipant.objects.filter(activity_id__in=activity_ids)
        .exclude(attended=False)
        .values("activity_id")
        .annotate(n=Count("id"))
        .values_list("activity_id", "n")
    )
    found = {r["activity_id"]: r for r in rows}
    result = {}
    for activity_id in activity_ids:
        row = found.get(activity_id, {})
        unsigned = int(row.get("unsigned", 0))
        shown = feedback_averages_shown(unsigned=unsigned)
        result[activity_id] = FeedbackSummary(
            responses=int(row.get("n", 0)),
            participants=int(counts.get(activity_id, 0)),
            averages={s: row.get(f"avg_{s}") if shown else None for s in SCORES},
            unsigned=unsigned,
        )
    return result


@dataclass(frozen=True)
class FeedbackView:
    """One answer as its reader may read it, for the activity's page and the API alike."""

    feedback: ActivityFeedback
    author: str | None  # the name, only where signed (or one's own)
    scores_shown: bool  # its own scores; else they count in the averages only
    comment: str | None  # None: withheld (unsigned, among too few unsigned answers)
    answered_at: dt.datetime | None  # only where the author is named


def feedback_view(user: Viewer, feedback: ActivityFeedback, *, unsigned: int) -> FeedbackView:
    """``feedback`` as ``user`` may read it, among ``unsigned`` unsigned answers to its
    activity (which decide whether an unsigned comment shows)."""
    named = feedback_author_named_to(user, feedback)
    return FeedbackView(
        feedback=feedback,
        author=str(feedback.author) if named else None,
        scores_shown=feedback_scores_shown_to(user, feedback),
        comment=(
            feedback.comment
            if feedback_comment_shown_to(user, feedback, unsigned=unsigned)
            else None
        ),
        answered_at=(
            feedback.updated_at if feedback_answered_at_shown_to(user, feedback) else None
        ),
    )


def _answer_order(view: FeedbackView) -> tuple[str, str, str]:
    """By what the reader reads (the comment, then the name), never by when or in which
    order people answered: that would tell who wrote an unsigned comment."""
    comment = view.comment or ""
    return (comment.casefold(), comment, view.author or "")


@dataclass
class ActivityFeedbackRead:
    """An activity's feedback as its reader may read it: the summary, and every answer in
    an order that does not follow answering."""

    summary: FeedbackSummary
    answers: list[FeedbackView]

    @property
    def comments_withheld(self) -> bool:
        """Unsigned comments, if any, wait for enough unsigned answers (as the averages)."""
        return self.summary.averages_withheld


def activity_feedback(*, user: Viewer, activity: Activity) -> ActivityFeedbackRead:
    """The summary and the answers of ``activity`` that ``user`` reads (its facilitators:
    every answer; anyone else: their own). Three queries."""
    summary = feedback_summaries([activity.id])[activity.id]
    readable = feedback_visible_to(user).filter(activity=activity).select_related("author")
    answers = [feedback_view(user, f, unsigned=summary.unsigned) for f in readable]
    return ActivityFeedbackRead(summary=summary, answers=sorted(answers, key=_answer_order))


@dataclass
class ActivityDetail:
    """The activity page's read model, shared with ``GET /activities/{id}``."""

    activity: Activity
    starts_local: dt.datetime
    ends_local: dt.datetime
    starts_reader: dt.datetime
    ends_reader: dt.datetime
    reader_zone: str
    participations: list[ActivityParticipant]
    outputs: list[Any]
    can_manage: bool
    can_give_feedback: bool
    my_feedback: FeedbackView | None
    feedback: list[FeedbackView] = field(default_factory=list)  # for its facilitators
    summary: FeedbackSummary | None = None
    started: bool = False
    named: set[int] = field(default_factory=set)  # participants the viewer sees by name
    alliance_named: bool = False  # the alliance itself is visible to the viewer

    @property
    def outside_alliance_dates(self) -> Literal["before_start", "after_end"] | None:
        """:func:`activity_outside_alliance_dates`, for the page's warning."""
        return activity_outside_alliance_dates(self.activity)

    @property
    def feedback_comments(self) -> list[FeedbackView]:
        """The comments the reader reads, in the answers' order (not answering order)."""
        return [f for f in self.feedback if f.comment]

    @property
    def attendance_recorded(self) -> bool:
        """Someone's attendance is recorded (until then, everyone invited may answer)."""
        return any(p.attended is not None for p in self.participations)


def activity_outside_alliance_dates(
    activity: Activity,
) -> Literal["before_start", "after_end"] | None:
    """Whether the activity (not cancelled) starts before its alliance's start date
    (``"before_start"``) or ends after its end date (``"after_end"``), by the days in its own
    time zone; None within them. A warning, not a refusal: an alliance's dates are its plan,
    and a preparatory meeting before it or a follow-up after it are real activities to
    record; but a date a year off is more often a slip of the keyboard, which the
    facilitator should see."""
    alliance = activity.alliance
    if activity.status == ActivityStatus.CANCELLED:
        return None
    zone = activity.zone
    if alliance.starts_on and activity.starts_at.astimezone(zone).date() < alliance.starts_on:
        return "before_start"
    if alliance.ends_on and activity.ends_at.astimezone(zone).date() > alliance.ends_on:
        return "after_end"
    return None


def activity_detail(*, user: Viewer, activity: Activity) -> ActivityDetail:
    activity = (
        Activity.objects.select_related("alliance")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=ActivityParticipant.objects.select_related("user").order_by("user__name"),
            ),
            "outputs",
        )
        .get(id=activity.id)
    )
    zone = reader_zone(user)
    manage = can_manage_activities(user, activity.alliance_id)
    started = activity.starts_at <= timezone.now()
    my_feedback = None
    if is_signed_in(user):
        mine = ActivityFeedback.objects.filter(activity=activity, author=user).first()
        # One's own answer is named to oneself: the others' count does not matter.
        my_feedback = feedback_view(user, mine, unsigned=0) if mine is not None else None
    feedback: list[FeedbackView] = []
    summary = None
    if manage:
        read = activity_feedback(user=user, activity=activity)
        feedback, summary = read.answers, read.summary
    return ActivityDetail(
        activity=activity,
        starts_local=activity.starts_at.astimezone(activity.zone),
        ends_local=activity.ends_at.astimezone(activity.zone),
        starts_reader=activity.starts_at.astimezone(zone),
        ends_reader=activity.ends_at.astimezone(zone),
        reader_zone=str(zone),
        participations=list(activity.participations.all()),
        outputs=list(activity.outputs.all()),
        can_manage=manage,
        can_give_feedback=started and can_give_feedback(user, activity),
        my_feedback=my_feedback,
        feedback=feedback,
        summary=summary,
        started=started,
        named=people_named_to(
            user, activity.alliance_id, {p.user_id for p in activity.participations.all()}
        ),
        alliance_named=bool(alliance_names_visible_to(user, {activity.alliance_id})),
    )


@dataclass(frozen=True)
class TrendPoint:
    activity: Activity
    summary: FeedbackSummary


def feedback_trend(*, user: Viewer, alliance_id: int) -> list[TrendPoint]:
    """Each held activity's feedback in date order: the alliance's trend (facilitators)."""
    if not can_manage_activities(user, alliance_id):
        return []
    held = list(
        activities_visible_to(user)
        .filter(
            alliance_id=alliance_id, status=ActivityStatus.SCHEDULED, starts_at__lte=timezone.now()
        )
        .order_by("starts_at", "id")
    )
    summaries = feedback_summaries([a.id for a in held])
    return [TrendPoint(a, summaries[a.id]) for a in held]


# --- action plans --------------------------------------------------------------------------


def overdue_milestones(
    *, user: Viewer, alliance_id: int, today: dt.date | None = None
) -> list[Milestone]:
    today = today or timezone.localdate()
    return list(
        milestones_visible_to(user)
        .filter(alliance_id=alliance_id, status__in=OPEN_MILESTONE, due_on__lt=today)
        .select_related("action__owner", "action__plan__organisation")
        .order_by("due_on", "id")
    )


@dataclass
class PlanView:
    plan: ActionPlan
    can_edit: bool
    named: set[int] = field(default_factory=set)  # action owners the viewer sees by name
    alliance_named: bool = False


def action_plans_of_alliance(*, user: Viewer, alliance_id: int) -> list[PlanView]:
    plans = (
        action_plans_visible_to(user)
        .filter(alliance_id=alliance_id)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=ActionPlanAction.objects.select_related("owner").prefetch_related(
                    "milestones"
                ),
            )
        )
    )
    editable = set(
        action_plans_editable_by(user).filter(alliance_id=alliance_id).values_list("id", flat=True)
    )
    return [PlanView(p, p.id in editable) for p in plans]


def action_plan_detail(*, user: Viewer, plan: ActionPlan) -> PlanView:
    plan = (
        ActionPlan.objects.select_related("organisation", "alliance")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=ActionPlanAction.objects.select_related("owner").prefetch_related(
                    "milestones"
                ),
            )
        )
        .get(id=plan.id)
    )
    owners = {a.owner_id for a in plan.actions.all() if a.owner_id is not None}
    return PlanView(
        plan,
        can_edit_action_plan(user, plan),
        named=people_named_to(user, plan.alliance_id, owners),
        alliance_named=bool(alliance_names_visible_to(user, {plan.alliance_id})),
    )


# --- the alliance page's section -----------------------------------------------------------


@dataclass
class AllianceSection:
    upcoming: list[Activity]
    past: list[Activity]
    overdue: list[Milestone]
    plans: list[PlanView]
    can_manage: bool
    feed_token: str | None
    named: set[int] = field(default_factory=set)  # owners of overdue milestones named


def feed_token_of(user: Viewer) -> str | None:
    """The secret of the person's calendar addresses, ``None`` before they have any."""
    if not is_signed_in(user):
        return None
    found = CalendarSettings.objects.filter(user=user).values_list("feed_token", flat=True)
    return found.first()


def alliance_section(*, user: Viewer, alliance: LearningAlliance) -> AllianceSection | None:
    """What the alliance page shows of activities and plans: ``None`` outside its safe
    space."""
    if not can_see_alliance_activities(user, alliance.id):
        return None
    qs = activities_of_alliance(user=user, alliance_id=alliance.id)
    now = timezone.now()
    activities = list(qs)
    token = feed_token_of(user)
    overdue = overdue_milestones(user=user, alliance_id=alliance.id)
    owners = {m.action.owner_id for m in overdue if m.action.owner_id is not None}
    return AllianceSection(
        named=people_named_to(user, alliance.id, owners),
        upcoming=[a for a in activities if a.ends_at >= now],
        past=[a for a in activities if a.ends_at < now][::-1],
        overdue=overdue,
        plans=action_plans_of_alliance(user=user, alliance_id=alliance.id),
        can_manage=can_manage_activities(user, alliance.id),
        feed_token=token,
    )


# --- the facilitator's dashboard: many alliances, a few queries -----------------------------


def activity_next_by_alliance(alliance_ids: list[int]) -> dict[int, Activity]:
    """The next scheduled activity of each alliance. One query. The caller has chosen the
    alliances through the access layer."""
    upcoming = Activity.objects.filter(
        status=ActivityStatus.SCHEDULED, starts_at__gt=timezone.now()
    )
    first = Subquery(
        upcoming.filter(alliance_id=OuterRef("pk")).order_by("starts_at", "id").values("id")[:1]
    )
    next_ids = (
        LearningAlliance.objects.filter(id__in=alliance_ids)
        .annotate(next_id=first)
        .values("next_id")
    )
    return {a.alliance_id: a for a in Activity.objects.filter(id__in=next_ids)}


def activity_last_held_by_alliance(alliance_ids: list[int]) -> dict[int, dt.datetime]:
    """When each alliance last held an activity (started, not cancelled). One query."""
    rows = (
        Activity.objects.filter(
            alliance_id__in=alliance_ids,
            status=ActivityStatus.SCHEDULED,
            starts_at__lte=timezone.now(),
        )
        .values("alliance_id")
        .annotate(last=Max("starts_at"))
    )
    return {r["alliance_id"]: r["last"] for r in rows}


def activity_kinds_by_alliance(alliance_ids: list[int]) -> dict[int, set[str]]:
    """The kinds of activity each alliance has held or scheduled (not cancelled). One query:
    one kind alone, or a single activity, means one-off events rather than repeated contact."""
    result: dict[int, set[str]] = {}
    rows = (
        Activity.objects.filter(alliance_id__in=alliance_ids, status=ActivityStatus.SCHEDULED)
        .values_list("alliance_id", "kind")
        .distinct()
    )
    for alliance_id, kind in rows:
        result.setdefault(alliance_id, set()).add(kind)
    return result


def activity_kinds_held_by_alliance(alliance_ids: list[int]) -> dict[int, list[str]]:
    """The kind of every activity each alliance has held (started, not cancelled), one entry
    per activity, oldest first. One query: a single activity, or only one-off kinds, means
    no repeated contact yet."""
    result: dict[int, list[str]] = {}
    rows = (
        Activity.objects.filter(
            alliance_id__in=alliance_ids,
            status=ActivityStatus.SCHEDULED,
            starts_at__lte=timezone.now(),
        )
        .order_by("starts_at")
        .values_list("alliance_id", "kind")
    )
    for alliance_id, kind in rows:
        result.setdefault(alliance_id, []).append(kind)
    return result


def milestones_overdue_by_alliance(alliance_ids: list[int]) -> dict[int, int]:
    """How many milestones each alliance has overdue. One query."""
    rows = (
        Milestone.objects.filter(
            alliance_id__in=alliance_ids,
            status__in=OPEN_MILESTONE,
            due_on__lt=timezone.localdate(),
        )
        .values("alliance_id")
        .annotate(n=Count("id"))
    )
    return {r["alliance_id"]: r["n"] for r in rows}


def member_last_engaged(alliance_ids: list[int]) -> dict[tuple[int, int], dt.datetime]:
    """When each person last attended an activity of each alliance. One query."""
    rows = (
        ActivityParticipant.objects.filter(
            activity__alliance_id__in=alliance_ids,
            attended=True,
            activity__status=ActivityStatus.SCHEDULED,
        )
        .values("activity__alliance_id", "user_id")
        .annotate(last=Max("activity__starts_at"))
    )
    return {(r["activity__alliance_id"], r["user_id"]): r["last"] for r in rows}


@dataclass(frozen=True)
class ActivityFigures:
    activities_held: int
    total_attendance: int
    distinct_participants: int


def activity_figures(*, alliance_id: int, starts_on: dt.date, ends_on: dt.date) -> ActivityFigures:
    """What an alliance held between two dates (inclusive, by the activities' start, up to
    now): activities not cancelled, attendances recorded, and different people who attended
    — the actuals a results chain's counted indicators read. Two queries."""
    held = Activity.objects.filter(
        alliance_id=alliance_id,
        status=ActivityStatus.SCHEDULED,
        starts_at__date__gte=starts_on,
        starts_at__date__lte=ends_on,
        starts_at__lte=timezone.now(),
    )
    attended = ActivityParticipant.objects.filter(activity__in=held, attended=True)
    counts = attended.aggregate(total=Count("id"), distinct=Count("user_id", distinct=True))
    return ActivityFigures(
        activities_held=held.count(),
        total_attendance=counts["total"] or 0,
        distinct_participants=counts["distinct"] or 0,
    )


# --- calendar feeds ------------------------------------------------------------------------


def feed_activities(*, owner: Viewer, alliance_id: int | None = None) -> QuerySet[Activity]:
    """What a feed holds: the activities its owner may see (of one alliance, or all)."""
    qs = activities_visible_to(owner).select_related("alliance")
    if alliance_id is not None:
        qs = qs.filter(alliance_id=alliance_id)
    return qs.order_by("starts_at", "id")
