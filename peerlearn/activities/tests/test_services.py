"""Scheduling, changing and cancelling activities (with their e-mails and .ics), attendance,
outputs, feedback, action plans, and the reminders sent once."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar

from peerlearn.activities import services
from peerlearn.activities.models import (
    Activity,
    ActivityFeedback,
    ActivityParticipant,
    ActivityStatus,
    Milestone,
    MilestoneStatus,
)
from peerlearn.activities.tests.world import NAIROBI, held, schedule

pytestmark = pytest.mark.django_db

SCORES = {"usefulness": 5, "relevance": 4, "trust": 3, "voice": 4, "intention": 5}


def _event(message: Any) -> Any:
    (name, content, mimetype) = message.attachments[0]
    assert name == "activity.ics"
    assert mimetype.startswith("text/calendar")
    cal = Calendar.from_ical(content)
    (event,) = cal.walk("VEVENT")
    return cal, event


def test_an_activity_recorded_once_over_invites_nobody(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        past = held(aworld)
    assert past.over and past.participants.count() == 2 and mailoutbox == []
    # One under way is not over: its participants still get the invitation.
    with django_capture_on_commit_callbacks(execute=True):
        running = schedule(aworld, days=-1 / 24, hours=3)
    assert not running.over
    assert sorted(m.to[0] for m in mailoutbox) == ["peer_a@example.org", "peer_b@example.org"]


def test_correcting_an_activity_that_is_over_e_mails_nobody(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        past = held(aworld)
        services.activity_update(activity=past, title="Peer exchange in Nakuru (corrected)")
    past.refresh_from_db()
    assert past.title == "Peer exchange in Nakuru (corrected)" and past.sequence == 1
    assert mailoutbox == []
    # Moved into the future, it is an activity to attend again: participants hear of it.
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(
            activity=past,
            starts_at=timezone.now() + dt.timedelta(days=3),
            ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
        )
    assert sorted(m.to[0] for m in mailoutbox) == ["peer_a@example.org", "peer_b@example.org"]


def test_scheduling_invites_each_participant_with_the_ics(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        activity = schedule(aworld, cost_amount="1500.00", cost_currency="KES")
    assert sorted(m.to[0] for m in mailoutbox) == ["peer_a@example.org", "peer_b@example.org"]
    assert "Invitation" in mailoutbox[0].subject
    cal, event = _event(mailoutbox[0])
    assert str(cal["method"]) == "REQUEST"
    assert str(event["uid"]) == f"{activity.uid}@peerlearn"
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == activity.starts_at
    assert event.decoded("dtstart").tzinfo.key == "Africa/Nairobi"
    assert str(event["status"]) == "CONFIRMED"
    assert activity.starts_at.tzinfo is not None
    # The e-mail's own text gives the time in the activity's zone, as the organiser wrote it.
    local = (
        activity.starts_at.astimezone(activity.zone),
        activity.ends_at.astimezone(activity.zone),
    )
    when = " – ".join(date_format(t, "DATETIME_FORMAT") for t in local)
    assert all(f"When: {when} (Kenya — Nairobi)" in m.body for m in mailoutbox)


def test_a_change_raises_the_sequence_and_tells_participants(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    activity = schedule(aworld)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(
            activity=activity,
            title="Workshop on revenue laws (day two)",
            participant_ids=[aworld.peer_a.id, aworld.peer_a2.id],
        )
    activity.refresh_from_db()
    assert activity.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["peer_a2@example.org", "peer_a@example.org"]
    _cal, event = _event(mailoutbox[0])
    assert int(event["sequence"]) == 1
    assert str(event["uid"]) == f"{activity.uid}@peerlearn"
    assert str(event["summary"]) == "Workshop on revenue laws (day two)"


def test_cancelling_sends_status_cancelled(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    activity = schedule(aworld)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(activity=activity)
    cal, event = _event(mailoutbox[-1])
    assert str(cal["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    with pytest.raises(ValidationError) as e:
        services.activity_cancel(activity=activity)
    assert "status" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.activity_update(activity=activity, title="Again")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ends_at": dt.datetime(2020, 1, 1, tzinfo=NAIROBI)}, "ends_at"),
        ({"starts_at": dt.datetime(2030, 1, 1, 9)}, "starts_at"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"cost_amount": "10.00"}, "cost_currency"),
        ({"cost_amount": "10.00", "cost_currency": "XYZ"}, "cost_currency"),
        ({"link": "not a link"}, "link"),
    ],
)
def test_invalid_activities_name_the_field(
    aworld: SimpleNamespace, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as e:
        schedule(aworld, **fields)
    assert field in e.value.message_dict


def test_participants_must_be_members(aworld: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        schedule(aworld, participants=("peer_a", "outsider"))
    assert "participants" in e.value.message_dict


def test_attendance_is_recorded_after_the_start_for_participants_only(
    aworld: SimpleNamespace,
) -> None:
    upcoming = schedule(aworld)
    with pytest.raises(ValidationError):
        services.attendance_record(activity=upcoming, attended_ids=[aworld.peer_a.id])
    past = held(aworld)
    with pytest.raises(ValidationError):
        services.attendance_record(activity=past, attended_ids=[aworld.outsider.id])
    services.attendance_record(activity=past, attended_ids=[aworld.peer_a.id])
    attended = dict(past.participations.values_list("user__username", "attended"))
    assert attended == {"peer_a": True, "peer_b": False}


def test_feedback_once_per_person_and_changeable(aworld: SimpleNamespace) -> None:
    past = held(aworld)
    services.feedback_submit(activity=past, author=aworld.peer_a, **SCORES)
    services.feedback_submit(
        activity=past, author=aworld.peer_a, comment="Changed my mind", **{**SCORES, "trust": 5}
    )
    (only,) = ActivityFeedback.objects.filter(activity=past)
    assert only.trust == 5 and only.comment == "Changed my mind"
    with pytest.raises(ValidationError) as e:
        services.feedback_submit(activity=past, author=aworld.peer_b, **{**SCORES, "voice": 6})
    assert "voice" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.feedback_submit(activity=schedule(aworld), author=aworld.peer_a, **SCORES)
    # Someone recorded as absent is told how to put it right, and nothing is saved.
    ActivityParticipant.objects.filter(activity=past, user=aworld.peer_b).update(attended=False)
    with pytest.raises(ValidationError) as e:
        services.feedback_submit(activity=past, author=aworld.peer_b, **SCORES)
    assert "recorded as absent" in str(e.value)
    assert not ActivityFeedback.objects.filter(activity=past, author=aworld.peer_b).exists()


def test_action_plans_belong_to_member_organisations(aworld: SimpleNamespace) -> None:
    from peerlearn.organisations.tests.factories import OrganisationFactory

    with pytest.raises(ValidationError) as e:
        services.action_plan_create(
            alliance=aworld.alliance, organisation_id=OrganisationFactory().id, title="x"
        )
    assert "organisation" in e.value.message_dict
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Alpha"
    )
    with pytest.raises(ValidationError):
        services.action_plan_create(
            alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Again"
        )
    with pytest.raises(ValidationError) as e:
        services.plan_action_create(plan=plan, title="x", owner=aworld.outsider)
    assert "owner" in e.value.message_dict
    action = services.plan_action_create(plan=plan, title="Ticket", owner=aworld.peer_a)
    assert action.alliance_id == plan.alliance_id


def test_activity_reminders_are_sent_once(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    soon = schedule(aworld, days=0.5)
    later = schedule(aworld, days=3, title="Later")
    cancelled = schedule(aworld, days=0.5, title="Cancelled")
    services.activity_cancel(activity=cancelled)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.activity_reminders_send() == 1
        assert services.activity_reminders_send() == 0
    assert len(mailoutbox) == 2
    assert all("Reminder" in m.subject for m in mailoutbox)
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminder_sent_at is not None and later.reminder_sent_at is None
    # Moved to another day: reminded again before the new date.
    services.activity_update(
        activity=soon,
        starts_at=soon.starts_at + dt.timedelta(hours=1),
        ends_at=soon.ends_at + dt.timedelta(hours=1),
    )
    assert services.activity_reminders_send() == 1


def test_overdue_milestone_owners_are_reminded_once(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Alpha"
    )
    action = services.plan_action_create(plan=plan, title="Ticket", owner=aworld.peer_a)
    today = timezone.localdate()
    overdue = services.milestone_create(
        action=action, title="Late", due_on=today - dt.timedelta(days=2)
    )
    services.milestone_create(action=action, title="Future", due_on=today + dt.timedelta(days=2))
    services.milestone_create(
        action=action,
        title="Done",
        due_on=today - dt.timedelta(days=9),
        status=MilestoneStatus.DONE,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.milestone_reminders_send() == 1
        assert services.milestone_reminders_send() == 0
    assert [m.to[0] for m in mailoutbox] == ["peer_a@example.org"]
    assert "Late" in mailoutbox[0].subject
    assert f"/activities/plans/{plan.id}/" in mailoutbox[0].body
    overdue.refresh_from_db()
    assert overdue.overdue
    services.milestone_update(
        milestone=overdue, status=MilestoneStatus.DONE, evidence_url="https://e.org/x"
    )
    overdue.refresh_from_db()
    assert not overdue.overdue


def test_the_worker_task_runs_both_sweeps(aworld: SimpleNamespace) -> None:
    from peerlearn.activities.tasks import send_activity_reminders

    schedule(aworld, days=0.5)
    result = send_activity_reminders.enqueue()
    assert result.return_value == 1


def test_feed_token_regenerates(aworld: SimpleNamespace) -> None:
    first = services.calendar_settings_for(user=aworld.peer_a).feed_token
    second = services.feed_token_regenerate(user=aworld.peer_a).feed_token
    assert first != second and len(second) >= 32
    with pytest.raises(ValidationError):
        services.calendar_time_zone_set(user=aworld.peer_a, time_zone="Nowhere/Else")


def test_status_of_a_new_activity(aworld: SimpleNamespace) -> None:
    assert schedule(aworld).status == ActivityStatus.SCHEDULED


# --- plausible dates ----------------------------------------------------------------------

LIMA = zoneinfo.ZoneInfo("America/Lima")


def _range_named(message: str) -> bool:
    """The message gives the range to choose from, as the reader's dates."""
    earliest = date_format(services.EARLIEST_DATE, "DATE_FORMAT")
    latest = date_format(services.latest_date(), "DATE_FORMAT")
    return earliest in message and latest in message


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "time_zone", "fields"),
    [
        # Year 1 overflowed once converted to UTC (a 500 from the form).
        (
            dt.datetime(1, 1, 1, 0, tzinfo=NAIROBI),
            dt.datetime(1, 1, 1, 1, tzinfo=NAIROBI),
            "Africa/Nairobi",
            {"starts_at", "ends_at"},
        ),
        (
            dt.datetime(1999, 1, 1, 9, tzinfo=NAIROBI),
            dt.datetime(2030, 1, 1, 9, tzinfo=NAIROBI),
            "Africa/Nairobi",
            {"starts_at"},
        ),
        (
            dt.datetime(9999, 12, 31, 9, tzinfo=LIMA),
            dt.datetime(9999, 12, 31, 23, tzinfo=LIMA),
            "America/Lima",
            {"starts_at", "ends_at"},
        ),
    ],
)
def test_implausible_dates_are_refused_before_anything_is_saved_or_sent(
    aworld: SimpleNamespace,
    mailoutbox: list,
    django_capture_on_commit_callbacks: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    time_zone: str,
    fields: set[str],
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as e:
        schedule(aworld, starts_at=starts_at, ends_at=ends_at, time_zone=time_zone)
    assert set(e.value.message_dict) == fields
    assert all(_range_named(m) for m in e.value.messages)
    assert not Activity.objects.exists()
    assert mailoutbox == []


def test_an_activity_cannot_be_moved_to_an_implausible_date(
    aworld: SimpleNamespace, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    activity = schedule(aworld)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as e:
        services.activity_update(
            activity=activity, ends_at=dt.datetime(9999, 12, 31, 23, tzinfo=NAIROBI)
        )
    assert list(e.value.message_dict) == ["ends_at"]
    assert Activity.objects.get(id=activity.id).ends_at == activity.ends_at
    assert mailoutbox == []


def test_milestones_due_on_implausible_dates_are_refused(aworld: SimpleNamespace) -> None:
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Alpha"
    )
    action = services.plan_action_create(plan=plan, title="Ticket", owner=aworld.peer_a)
    with pytest.raises(ValidationError) as e:
        services.milestone_create(action=action, title="Ancient", due_on=dt.date(1900, 1, 1))
    assert list(e.value.message_dict) == ["due_on"]
    assert _range_named(e.value.message_dict["due_on"][0])
    assert not Milestone.objects.filter(title="Ancient").exists()
    milestone = services.milestone_create(
        action=action, title="Survey", due_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as e:
        services.milestone_update(
            milestone=milestone,
            status=MilestoneStatus.DONE,
            evidence_url="",
            due_on=dt.date(9999, 12, 31),
        )
    assert list(e.value.message_dict) == ["due_on"]
    milestone.refresh_from_db()
    assert milestone.due_on == timezone.localdate()
    assert milestone.status != MilestoneStatus.DONE


def test_the_plausible_dates_include_both_ends() -> None:
    leap_day = dt.date(2024, 2, 29)
    assert services.latest_date(leap_day) == dt.date(2034, 2, 28)
    for day in (dt.date(2000, 1, 1), dt.date(2034, 2, 28)):
        assert services.plausible_dates_problems(today=leap_day, due_on=day) == {}
    for day in (dt.date(1999, 12, 31), dt.date(2034, 3, 1)):
        assert "due_on" in services.plausible_dates_problems(today=leap_day, due_on=day)
    # A time counts by its date where it is, even where converting it would overflow.
    first = dt.datetime(2000, 1, 1, 0, 30, tzinfo=NAIROBI)  # 31 Dec 1999 in UTC
    assert services.plausible_dates_problems(today=leap_day, starts_at=first) == {}
    assert services.plausible_dates_problems(today=leap_day, starts_at=None) == {}
