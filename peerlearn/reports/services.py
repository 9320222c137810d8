"""Writing the facilitator's assessments of priority reform areas."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from peerlearn.accounts.models import User
from peerlearn.alliances.models import AlliancePriority
from peerlearn.reports.models import PriorityAssessment


@transaction.atomic
def priority_assessment_record(
    *,
    priority: AlliancePriority,
    completion: int,
    early_results: int | None,
    assessed_on: date,
    assessed_by: User | None,
    comment: str = "",
) -> PriorityAssessment:
    """Record where a priority stands today on the IRM's scales; the latest one counts.
    The assessment belongs to the priority's own alliance."""
    assessment = PriorityAssessment(
        alliance_id=priority.alliance_id,
        priority=priority,
        completion=completion,
        early_results=early_results,
        comment=comment.strip(),
        assessed_on=assessed_on,
        assessed_by=assessed_by,
    )
    assessment.full_clean()
    assessment.save()
    return assessment
