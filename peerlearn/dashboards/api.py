"""The facilitator's dashboard in JSON: the same rows and warnings as the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from peerlearn.core.api import signed_in_user
from peerlearn.core.schemas import ErrorOut
from peerlearn.dashboards.selectors import facilitator_dashboard
from peerlearn.strategy.schemas import DashboardRowOut

router = Router(tags=["dashboards"])


@router.get(
    "/facilitator",
    response={200: list[DashboardRowOut], 403: ErrorOut},
    summary="The facilitator's dashboard",
)
def facilitator(request: HttpRequest) -> list[dict[str, Any]]:
    """Every alliance you run (facilitators; administrators see all) with its stage, days
    in stage, follow-up counts and principle warnings, each with the link where it is fixed.
    Counts another part of the platform does not provide yet are ``null``."""
    rows = facilitator_dashboard(signed_in_user(request))
    return [
        {
            "slug": r.alliance.slug,
            "name": r.alliance.name,
            "stage": r.alliance.stage,
            "stage_label": r.alliance.get_stage_display(),
            "days_in_stage": r.days_in_stage,
            "open_questions": r.open_questions,
            "next_activity": str(r.next_activity) if r.next_activity is not None else None,
            "overdue_milestones": r.overdue_milestones,
            "not_engaged": r.not_engaged,
            "closed_on": r.closed_on,
            "warnings": [
                {"code": w.code, "message": w.message, "link": w.link} for w in r.warnings
            ],
        }
        for r in rows
    ]
