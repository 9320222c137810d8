"""Writes for activities, feedback, action plans and calendars. Keyword-only, validated
before saving, atomic; errors are keyed by the field they concern and name the fix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.activities.ics import calendar_for
from peerlearn.activities.models import (
    FEEDBACK_ITEMS,
    OPEN_MILESTONE,
    ActionPlan,
    ActionPlanAction,
    Activity,
    ActivityFeedback,
    ActivityKind,
    ActivityOutput,
    ActivityParticipant,
    ActivityStatus,
    CalendarSettings,
    Milestone,
    new_feed_token,
)
from peerlearn.alliances.models import AllianceMembership, AllianceOrganisation, LearningAlliance
from peerlearn.core.dates import date_format
from peerlearn.core.mail import notify

#: The fields of an activity a facilitator sets (the service's keyword arguments).
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "link",
    "agenda",
    "cost_amount",
    "cost_currency",
)


def reminder_hours() -> int:
    return int(getattr(settings, "PEERLEARN_ACTIVITY_REMINDER_HOURS", 24))


def _members(alliance_id: int, user_ids: Iterable[int]) -> list[User]:
    ids = set(user_ids)
    members = list(
        User.objects.filter(
            id__in=AllianceMembership.objects.filter(
                alliance_id=alliance_id, user_id__in=ids
            ).values("user_id"),
            is_active=True,
        ).order_by("id")
    )
    if len(members) != len(ids):
        raise ValidationError(
            {
                "participants": [
                    _("Participants must be members of the alliance: remove the others.")
                ]
            }
        )
    return members


#: The plausible dates of activities and milestones, from EARLIEST_DATE to
#: LATEST_YEARS_AHEAD years after today, both included. The platform holds no alliance work
#: from before 2000, and nobody plans a session or a milestone more than ten years ahead: a
#: date outside (0001, 1900, 9999) is a slip of the keyboard, which would mail invitations
#: for it, show it overdue forever, or overflow when read in another time zone.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_YEARS_AHEAD = 10


def latest_date(today: dt.date | None = None) -> dt.date:
    """The last plausible date: LATEST_YEARS_AHEAD years after ``today`` (29 February:
    the 28th)."""
    today = today or timezone.localdate()
    year = today.year + LATEST_YEARS_AHEAD
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def plausible_dates_problems(
    *, today: dt.date | None = None, **dates: dt.date | None
) -> dict[str, list[str]]:
    """Which of ``dates`` (``starts_at``, ``ends_at``, ``due_on``: dates, or times read in
    their own zone, without converting them) fall outside EARLIEST_DATE to
    :func:`latest_date`, each with the range to choose from. Called by the services and by
    the forms with whichever dates they could read; ``None`` is skipped."""
    earliest, latest = EARLIEST_DATE, latest_date(today)
    bounds = {
        "earliest": date_format(earliest, "DATE_FORMAT"),
        "latest": date_format(latest, "DATE_FORMAT"),
    }
    messages = {
        "starts_at": _("Set a start date from %(earliest)s to %(latest)s."),
        "ends_at": _("Set an end date from %(earliest)s to %(latest)s."),
        "due_on": _("Set a due date from %(earliest)s to %(latest)s."),
    }
    errors: dict[str, list[str]] = {}
    for name, value in dates.items():
        if value is None:
            continue
        day = value.date() if isinstance(value, dt.datetime) else value
        if not earliest <= day <= latest:
            errors[name] = [messages[name] % bounds]
    return errors


def activity_fields_problems(
    *,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    cost_amount: Any,
    cost_currency: str | None,
) -> dict[str, list[str]]:
    """What is wrong between an activity's fields, by field, each naming the fix; the
    form asks too, with whichever of them it could read, so that these errors show beside
    those of single fields rather than after them are fixed."""
    errors = plausible_dates_problems(starts_at=starts_at, ends_at=ends_at)
    if not errors and starts_at and ends_at and ends_at < starts_at:
        errors["ends_at"] = [_("The activity must end after it starts: set a later end.")]
    # A cost of nothing needs no currency.
    if cost_amount is not None and cost_amount != 0 and not cost_currency:
        errors["cost_currency"] = [_("Choose the currency of the cost, e.g. KES.")]
    return errors


def activity_closed_alliance_problems(
    *,
    alliance: LearningAlliance,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    now: dt.datetime | None = None,
) -> dict[str, list[str]]:
    """Why a closed alliance refuses an activity at these times (nothing when it takes it).

    A closed alliance schedules nothing and invites nobody until a facilitator reopens it,
    as its closing page promises. It still records an activity it held while it ran: one
    that is over and ended by its closing day (recorded afterwards, that invites nobody, and
    its participants may give their feedback, which a closed alliance still takes). One
    under way, to come, or held after the closing day is refused on ``starts_at``."""
    if alliance.closed_on is None or starts_at is None or ends_at is None:
        return {}
    now = now or timezone.now()
    if ends_at <= now and timezone.localdate(ends_at) <= alliance.closed_on:
        return {}
    return {
        "starts_at": [
            _(
                "%(alliance)s was closed on %(date)s: reopen the alliance first to schedule "
                "an activity, or record only one it held by that day."
            )
            % {
                "alliance": alliance.name,
                "date": date_format(alliance.closed_on, "DATE_FORMAT"),
            }
        ]
    }


def _clean_activity(activity: Activity) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("starts_at", "ends_at"):
        value = getattr(activity, name)
        if value is not None and timezone.is_naive(value):
            errors[name] = [_("Give the time with its time zone.")]
    if errors:
        raise ValidationError(errors)
    errors = activity_fields_problems(
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        cost_amount=activity.cost_amount,
        cost_currency=activity.cost_currency,
    )
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["alliance", "created_by"])


def _activity_url(activity: Activity, site_url: str) -> str:
    return site_url + reverse("activities:detail", args=[activity.id])


def _invite(activity: Activity, users: list[User], *, site_url: str, change: str) -> None:
    """E-mail ``users`` the activity with its .ics (an invitation, an update or a
    cancellation, by ``change``)."""
    if not users:
        return
    url = _activity_url(activity, site_url)
    method = "CANCEL" if activity.status == ActivityStatus.CANCELLED else "REQUEST"
    ics = calendar_for([activity], method=method, urls={activity.id: url})
    notify(
        users,
        f"activities/email/{change}",
        {
            "activity": activity,
            "alliance": activity.alliance.name,
            "kind": ActivityKind(activity.kind).label,  # in each recipient's language
            "starts": activity.starts_at.astimezone(activity.zone),
            "ends": activity.ends_at.astimezone(activity.zone),
            "url": url,
        },
        attachments=[("activity.ics", ics, f"text/calendar; method={method}")],
    )


@transaction.atomic
def activity_create(
    *,
    alliance: LearningAlliance,
    created_by: User | None,
    participant_ids: Iterable[int] = (),
    site_url: str = "",
    **fields: Any,
) -> Activity:
    """Schedule an activity and e-mail its participants an invitation with the .ics; an
    activity recorded once it is over invites nobody (its participants are asked for
    their feedback, as after any activity).

    A closed alliance schedules nothing new: it only records an activity it held by its
    closing day (:func:`activity_closed_alliance_problems`); the facilitator reopens it
    first to schedule one to come."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    alliance = LearningAlliance.objects.select_for_update().get(id=alliance.id)
    activity = Activity(alliance=alliance, created_by=created_by, **fields)
    _clean_activity(activity)
    closed = activity_closed_alliance_problems(
        alliance=alliance, starts_at=activity.starts_at, ends_at=activity.ends_at
    )
    if closed:
        raise ValidationError(closed)
    participants = _members(alliance.id, participant_ids)
    activity.save()
    ActivityParticipant.objects.bulk_create(
        ActivityParticipant(activity=activity, user=u) for u in participants
    )
    if not activity.over:
        _invite(activity, participants, site_url=site_url, change="invitation")
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    participant_ids: Iterable[int] | None = None,
    site_url: str = "",
    **fields: Any,
) -> Activity:
    """Change an activity: its SEQUENCE grows and every participant gets the update. A new
    start time means a new reminder. The record of an activity that is over is corrected
    without e-mailing anyone, as one recorded afterwards invites nobody.

    In a closed alliance, new times are taken only as :func:`activity_create` takes them
    (held by its closing day): nothing is moved into the future until it is reopened. Its
    other fields may still be corrected."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    activity = Activity.objects.select_for_update().get(id=activity.id)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"status": [_("This activity is cancelled; schedule a new one.")]})
    old_start, old_end = activity.starts_at, activity.ends_at
    for name, value in fields.items():
        setattr(activity, name, value)
    _clean_activity(activity)
    if (activity.starts_at, activity.ends_at) != (old_start, old_end):
        closed = activity_closed_alliance_problems(
            alliance=LearningAlliance.objects.get(id=activity.alliance_id),
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
        )
        if closed:
            raise ValidationError(closed)
    if participant_ids is not None:
        wanted = {u.id for u in _members(activity.alliance_id, participant_ids)}
        current = set(activity.participations.values_list("user_id", flat=True))
        activity.participations.exclude(user_id__in=wanted).delete()
        ActivityParticipant.objects.bulk_create(
            ActivityParticipant(activity=activity, user_id=uid) for uid in wanted - current
        )
    if activity.starts_at != old_start:
        activity.reminder_sent_at = None
    activity.sequence += 1
    activity.save()
    if not activity.over:
        _invite(
            activity,
            list(activity.participants.order_by("id")),
            site_url=site_url,
            change="update",
        )
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, site_url: str = "") -> Activity:
    """Cancel an activity; participants get the cancellation (STATUS:CANCELLED)."""
    activity = Activity.objects.select_for_update().get(id=activity.id)
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"status": [_("This activity is already cancelled.")]})
    activity.status = ActivityStatus.CANCELLED
    activity.sequence += 1
    activity.save(update_fields=["status", "sequence", "updated_at"])
    _invite(
        activity, list(activity.participants.order_by("id")), site_url=site_url, change="cancelled"
    )
    return activity


@transaction.atomic
def attendance_record(
    *, activity: Activity, attended_ids: Iterable[int], now: dt.datetime | None = None
) -> Activity:
    """Record who of the participants attended (the others did not), once it has started."""
    now = now or timezone.now()
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"attended": [_("A cancelled activity has no attendance.")]})
    if activity.starts_at > now:
        raise ValidationError(
            {"attended": [_("Attendance is recorded once the activity has started.")]}
        )
    attended = set(attended_ids)
    participants = set(activity.participations.values_list("user_id", flat=True))
    if attended - participants:
        raise ValidationError(
            {"attended": [_("Only participants can have attended: tick participants only.")]}
        )
    activity.participations.filter(user_id__in=attended).update(attended=True)
    activity.participations.exclude(user_id__in=attended).update(attended=False)
    activity.attendance_recorded_at = now
    activity.save(update_fields=["attendance_recorded_at", "updated_at"])
    return activity


@transaction.atomic
def activity_output_add(*, activity: Activity, title: str, url: str) -> ActivityOutput:
    output = ActivityOutput(
        alliance_id=activity.alliance_id, activity=activity, title=title, url=url
    )
    output.full_clean()
    output.save()
    return output


@transaction.atomic
def feedback_problems(*, activity: Activity, author: User) -> list[str]:
    """Why ``author`` may not give feedback on ``activity`` now (empty when they may): it
    has not started, or they are recorded as absent. The feedback page says so before the
    form, and :func:`feedback_submit` refuses."""
    if activity.starts_at > timezone.now():
        return [_("Feedback opens when the activity starts: come back afterwards.")]
    absent = ActivityParticipant.objects.filter(
        activity=activity, user=author, attended=False
    ).exists()
    if absent:
        return [
            _(
                "You are recorded as absent from this activity. If you took part, ask its "
                "facilitator to correct the attendance, then give your feedback."
            )
        ]
    return []


def feedback_submit(
    *, activity: Activity, author: User, comment: str = "", signed: bool = False, **scores: int
) -> ActivityFeedback:
    """A participant's feedback on an activity that has started: one per person, replaced
    when given again."""
    names = {name for name, _question in FEEDBACK_ITEMS}
    if set(scores) != names:
        raise TypeError(f"feedback needs exactly {sorted(names)}")
    problems = feedback_problems(activity=activity, author=author)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    feedback = (
        ActivityFeedback.objects.select_for_update()
        .filter(activity=activity, author=author)
        .first()
    ) or ActivityFeedback(activity=activity, author=author, alliance_id=activity.alliance_id)
    for name, value in scores.items():
        setattr(feedback, name, value)
    feedback.comment = comment
    feedback.signed = signed
    feedback.full_clean(validate_constraints=False)
    feedback.save()
    return feedback


def _plan_editors_check(alliance_id: int, owner: User | None) -> None:
    if owner is None:
        return
    if not AllianceMembership.objects.filter(alliance_id=alliance_id, user=owner).exists():
        raise ValidationError({"owner": [_("The owner must be a member of the alliance.")]})


@transaction.atomic
def action_plan_create(
    *, alliance: LearningAlliance, organisation_id: int, title: str, goal: str = ""
) -> ActionPlan:
    if not AllianceOrganisation.objects.filter(
        alliance=alliance, organisation_id=organisation_id
    ).exists():
        raise ValidationError(
            {"organisation": [_("Choose one of the alliance's member organisations.")]}
        )
    if ActionPlan.objects.filter(alliance=alliance, organisation_id=organisation_id).exists():
        raise ValidationError(
            {"organisation": [_("This organisation already has an action plan: edit it.")]}
        )
    plan = ActionPlan(alliance=alliance, organisation_id=organisation_id, title=title, goal=goal)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def action_plan_update(*, plan: ActionPlan, title: str, goal: str) -> ActionPlan:
    plan.title, plan.goal = title, goal
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_action_create(*, plan: ActionPlan, title: str, owner: User | None) -> ActionPlanAction:
    _plan_editors_check(plan.alliance_id, owner)
    action = ActionPlanAction(alliance_id=plan.alliance_id, plan=plan, title=title, owner=owner)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def milestone_create(
    *,
    action: ActionPlanAction,
    title: str,
    due_on: dt.date,
    status: str = OPEN_MILESTONE[0],
    evidence_url: str = "",
) -> Milestone:
    errors = plausible_dates_problems(due_on=due_on)
    if errors:
        raise ValidationError(errors)
    milestone = Milestone(
        alliance_id=action.alliance_id,
        action=action,
        title=title,
        due_on=due_on,
        status=status,
        evidence_url=evidence_url,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, status: str, evidence_url: str, due_on: dt.date | None = None
) -> Milestone:
    """Change a milestone's status and evidence (and its due date: a later one means a new
    reminder if it falls overdue again)."""
    errors = plausible_dates_problems(due_on=due_on)
    if errors:
        raise ValidationError(errors)
    milestone = Milestone.objects.select_for_update().get(id=milestone.id)
    if due_on is not None and due_on != milestone.due_on:
        milestone.due_on = due_on
        milestone.reminder_sent_at = None
    milestone.status = status
    milestone.evidence_url = evidence_url
    milestone.full_clean()
    milestone.save()
    return milestone


# --- reminders, sent by the worker --------------------------------------------------------


def activity_reminders_send(*, site_url: str = "", now: dt.datetime | None = None) -> int:
    """E-mail the participants of every scheduled activity starting within
    PEERLEARN_ACTIVITY_REMINDER_HOURS. Each activity is claimed by setting
    ``reminder_sent_at`` where it is still empty, in one conditional UPDATE, so two workers
    (or a sweep run twice) never send its reminder twice. Returns how many activities were
    reminded."""
    now = now or timezone.now()
    due = Activity.objects.filter(
        status=ActivityStatus.SCHEDULED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(hours=reminder_hours()),
    ).values_list("id", flat=True)
    sent = 0
    for activity_id in list(due):
        with transaction.atomic():
            claimed = Activity.objects.filter(
                id=activity_id, reminder_sent_at__isnull=True, status=ActivityStatus.SCHEDULED
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            activity = Activity.objects.select_related("alliance").get(id=activity_id)
            _invite(
                activity,
                list(activity.participants.filter(is_active=True).order_by("id")),
                site_url=site_url,
                change="reminder",
            )
            sent += 1
    return sent


def milestone_reminders_send(*, site_url: str = "", today: dt.date | None = None) -> int:
    """E-mail the owner of every overdue milestone once (the same conditional claim)."""
    today = today or timezone.localdate()
    due = Milestone.objects.filter(
        status__in=OPEN_MILESTONE,
        due_on__lt=today,
        reminder_sent_at__isnull=True,
        action__owner__isnull=False,
    ).values_list("id", flat=True)
    sent = 0
    for milestone_id in list(due):
        with transaction.atomic():
            claimed = Milestone.objects.filter(
                id=milestone_id, reminder_sent_at__isnull=True, status__in=OPEN_MILESTONE
            ).update(reminder_sent_at=timezone.now())
            if not claimed:
                continue
            milestone = Milestone.objects.select_related(
                "action__owner", "action__plan__organisation", "alliance"
            ).get(id=milestone_id)
            owner = milestone.action.owner
            if owner is None or not owner.is_active:
                continue
            notify(
                [owner],
                "activities/email/milestone_overdue",
                {
                    "milestone": milestone.title,
                    "action": milestone.action.title,
                    "due_on": milestone.due_on,
                    "alliance": milestone.alliance.name,
                    "url": site_url + reverse("activities:plan", args=[milestone.action.plan_id]),
                },
            )
            sent += 1
    return sent


# --- calendars ----------------------------------------------------------------------------


def calendar_settings_for(*, user: User) -> CalendarSettings:
    """The person's calendar settings; created with no zone chosen, so that opening the page
    changes nothing: their times keep following their organisation's country."""
    found, _created = CalendarSettings.objects.get_or_create(user=user)
    return found


@transaction.atomic
def feed_token_regenerate(*, user: User) -> CalendarSettings:
    """A new secret for the person's feed addresses; the old ones stop answering."""
    found = calendar_settings_for(user=user)
    found.feed_token = new_feed_token()
    found.save(update_fields=["feed_token"])
    return found


@transaction.atomic
def calendar_time_zone_set(*, user: User, time_zone: str) -> CalendarSettings:
    found = calendar_settings_for(user=user)
    found.time_zone = time_zone
    found.full_clean()
    found.save(update_fields=["time_zone"])
    return found


def cost_text(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else f"{amount} {currency}"
