"""The demo's activities and action plans: the Kenyan alliance has held a launch workshop, a
video conference and an exchange visit (with attendance and feedback), has a roundtable
coming up, and each county has an action plan — Kisumu's with a milestone overdue.

Idempotent: activities are found by alliance and title, plans by alliance and organisation,
actions by plan and title, milestones by action and title."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import timezone

from peerlearn.activities.models import (
    ActionPlan,
    ActionPlanAction,
    Activity,
    ActivityFeedback,
    ActivityKind,
    ActivityOutput,
    ActivityParticipant,
    Milestone,
    MilestoneStatus,
)
from peerlearn.alliances.models import AllianceMembership, LearningAlliance, MemberRole
from peerlearn.demo.data import kenya

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")

#: (days from today, kind, title, place, link, agenda, hours, cost in KES)
ACTIVITIES = (
    (
        -80,
        ActivityKind.WORKSHOP,
        "Launch workshop: own-source revenue in seven counties",
        "Machakos, Maanzoni Lodge",
        "",
        "Each county presents its revenue streams and its biggest leak; we agree the four "
        "priority reform areas and how we will work together.",
        8,
        "640000",
    ),
    (
        -45,
        ActivityKind.VIDEO_CONFERENCE,
        "Video conference: the county revenue laws",
        "",
        "https://meet.example.org/kenya-revenue-laws",
        "Kilifi's legal officer walks through the Finance Act and the Revenue Administration Act; "
        "questions from each county.",
        2,
        None,
    ),
    (
        -20,
        ActivityKind.EXCHANGE_VISIT,
        "Exchange visit: Makueni's revenue department",
        "Wote, Makueni County",
        "",
        "Visit to the bus parks and markets; the cashless collection system; a session with "
        "Makueni's revenue enforcement team.",
        30,
        "910000",
    ),
    (
        10,
        ActivityKind.ROUNDTABLE,
        "Roundtable: performance contracts for revenue staff",
        "Nakuru, County Assembly hall",
        "",
        "How Nakuru and Kisumu set and follow targets for revenue officers; what each county "
        "will try next.",
        6,
        "280000",
    ),
)

OUTPUTS = {
    "Launch workshop: own-source revenue in seven counties": (
        "Workshop report and the four priority reform areas",
        "https://example.org/kenya-alliance/launch-workshop-report.pdf",
    ),
    "Exchange visit: Makueni's revenue department": (
        "Notes from the visit: Makueni's cashless collection",
        "https://example.org/kenya-alliance/makueni-visit-notes.pdf",
    ),
}

COMMENTS = (
    "Seeing the bus park at six in the morning taught me more than any report.",
    "The time for questions was too short; the legal session deserves a second round.",
    "",
    "Good to hear smaller counties speak first.",
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=NAIROBI)


def seed_demo(today: dt.date) -> None:
    alliance = LearningAlliance.objects.filter(slug=kenya.ALLIANCE_SLUG).first()
    if alliance is None:
        return
    memberships = list(
        AllianceMembership.objects.filter(alliance=alliance).select_related("user").order_by("id")
    )
    facilitators = [m.user for m in memberships if m.role == MemberRole.FACILITATOR]
    people = [m.user for m in memberships if m.user not in facilitators]
    for n, (days, kind, title, place, link, agenda, hours, cost) in enumerate(ACTIVITIES):
        day = today + dt.timedelta(days=days)
        starts = _at(day, 9)
        activity, created = Activity.objects.get_or_create(
            alliance=alliance,
            title=title,
            defaults={
                "kind": kind,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=hours),
                "time_zone": "Africa/Nairobi",
                "place": place,
                "link": link,
                "agenda": agenda,
                "cost_amount": cost,
                "cost_currency": "KES" if cost else "",
                "created_by": facilitators[0] if facilitators else None,
            },
        )
        if not created:
            continue
        invited = [*facilitators, *people]
        held = days < 0
        ActivityParticipant.objects.bulk_create(
            ActivityParticipant(
                activity=activity,
                user=u,
                # Most attend; every fifth peer missed the activity.
                attended=(i % 5 != 4) if held else None,
            )
            for i, u in enumerate(invited)
        )
        if not held:
            continue
        activity.attendance_recorded_at = activity.ends_at
        activity.save(update_fields=["attendance_recorded_at"])
        if title in OUTPUTS:
            output_title, url = OUTPUTS[title]
            ActivityOutput.objects.create(
                alliance=alliance, activity=activity, title=output_title, url=url
            )
        # Two thirds of those who attended answer; trust grows from one activity to the next.
        for i, u in enumerate(people):
            if i % 5 == 4 or i % 3 == 2:
                continue
            ActivityFeedback.objects.create(
                alliance=alliance,
                activity=activity,
                author=u,
                usefulness=4 + (i % 2),
                relevance=3 + (i + n) % 3,
                trust=min(5, 2 + n + i % 2),
                voice=3 + (i % 3 == 0),
                intention=4 + (n > 0 and i % 2 == 0),
                comment=COMMENTS[(i + n) % len(COMMENTS)],
                signed=i % 4 == 0,
            )
    _plans(alliance, people, today)


def _plans(alliance: LearningAlliance, people: list[Any], today: dt.date) -> None:
    for county in kenya.COUNTIES:
        organisation = alliance.member_organisations.filter(
            organisation__name=kenya.county_org(county)
        ).first()
        if organisation is None:
            continue
        plan, _created = ActionPlan.objects.get_or_create(
            alliance=alliance,
            organisation_id=organisation.organisation_id,
            defaults={
                "title": f"{county}: own-source revenue action plan",
                "goal": f"Raise {county}'s own-source revenue by closing the leaks found at "
                "the launch workshop.",
            },
        )
        owner = next((u for u in people if u.organisation_id == organisation.organisation_id), None)
        action, _ = ActionPlanAction.objects.get_or_create(
            alliance=alliance,
            plan=plan,
            title="Seasonal bus-park ticket",
            defaults={"owner": owner},
        )
        milestones = [
            (
                "Study Kisumu's seasonal ticket",
                -30,
                MilestoneStatus.DONE,
                "https://example.org/kenya-alliance/seasonal-ticket-study.pdf",
            ),
            ("Draft the by-law amendment", 30, MilestoneStatus.IN_PROGRESS, ""),
        ]
        if county == "Kisumu":
            milestones.append(
                ("Train the bus-park collectors", -7, MilestoneStatus.IN_PROGRESS, "")
            )
        for title, days, status, evidence in milestones:
            Milestone.objects.get_or_create(
                alliance=alliance,
                action=action,
                title=title,
                defaults={
                    "due_on": today + dt.timedelta(days=days),
                    "status": status,
                    "evidence_url": evidence,
                    # The demo does not e-mail its invented people.
                    "reminder_sent_at": timezone.now() if days < 0 else None,
                },
            )
