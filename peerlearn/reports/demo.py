"""The reports' part of the demo: the Kenyan alliance facilitator's assessment of each of
its four priorities, on the IRM's scales, at the start of sustained contact and today."""

from __future__ import annotations

from datetime import date, timedelta

from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.demo.data import kenya
from peerlearn.reports.models import Completion, EarlyResults, PriorityAssessment
from peerlearn.reports.services import priority_assessment_record

#: (days after the start, {priority position: (completion, early results, comment)}).
ASSESSMENTS: tuple[tuple[int, dict[int, tuple[int, int | None, str]]], ...] = (
    (
        45,
        {
            0: (
                Completion.LIMITED,
                EarlyResults.NO_CHANGE,
                "Two counties have drafted revenue administration bills; none is tabled yet.",
            ),
            1: (Completion.NOT_STARTED, None, "Waiting for the county-to-county visits."),
            2: (
                Completion.LIMITED,
                EarlyResults.MARGINAL,
                "Makueni shared its performance contracts; Kisumu is adapting them.",
            ),
            3: (Completion.LIMITED, EarlyResults.NO_CHANGE, "Training needs assessed."),
        },
    ),
    (
        95,
        {
            0: (
                Completion.SUBSTANTIAL,
                EarlyResults.MARGINAL,
                "Kilifi tabled its revenue administration bill after the Makueni visit.",
            ),
            1: (
                Completion.LIMITED,
                EarlyResults.MARGINAL,
                "Nakuru moved revenue under a directorate reporting to the finance officer.",
            ),
            2: (
                Completion.SUBSTANTIAL,
                EarlyResults.MAJOR,
                "Four counties now sign performance contracts with every revenue officer.",
            ),
            3: (
                Completion.SUBSTANTIAL,
                EarlyResults.MARGINAL,
                "Mentoring pairs between collectors of neighbouring counties are running.",
            ),
        },
    ),
)


def seed_demo(today: date) -> None:
    alliance = LearningAlliance.objects.filter(slug=kenya.ALLIANCE_SLUG).first()
    if alliance is None:
        return
    facilitator = User.objects.filter(username="facilitator").first()
    started = alliance.starts_on or today - timedelta(days=kenya.STARTED_DAYS_AGO)
    priorities = list(alliance.priorities.order_by("position", "id"))
    for days, by_position in ASSESSMENTS:
        day = min(started + timedelta(days=days), today)
        for position, (completion, early, comment) in by_position.items():
            if position >= len(priorities):
                continue
            priority = priorities[position]
            if PriorityAssessment.objects.filter(priority=priority, assessed_on=day).exists():
                continue
            priority_assessment_record(
                priority=priority,
                completion=completion,
                early_results=early,
                comment=comment,
                assessed_on=day,
                assessed_by=facilitator,
            )
