"""An alliance's progress report as JSON: the same read model as the page and the PDF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from peerlearn.access.reports import access_alliance_members_report, access_alliance_report
from peerlearn.core.api import Slug, signed_in_user
from peerlearn.core.schemas import ErrorOut
from peerlearn.reports.schemas import ReportOut
from peerlearn.reports.sections import Audience
from peerlearn.reports.selectors import Report, alliance_report

router = Router(tags=["reports"])


def _out(report: Report) -> dict[str, Any]:
    return {
        "title": report.title,
        "subtitle": report.subtitle,
        "audience": report.audience.value,
        "generated_on": report.generated_on,
        "internal_notice": report.internal_notice,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "order": s.order,
                "intro": s.intro,
                "facts": [{"label": label, "value": value} for label, value in s.facts],
                "tables": [
                    {
                        "caption": t.caption,
                        "headers": [str(h) for h in t.headers],
                        "rows": [[str(cell) for cell in row] for row in t.rows],
                    }
                    for t in s.tables
                ],
                "charts": [
                    {"title": c.title, "description": c.description, "svg": str(c.svg)}
                    for c in s.charts
                ],
                "html": str(s.html),
                "internal": s.internal,
            }
            for s in report.sections
        ],
    }


@router.get(
    "/alliances/{slug}",
    response={200: ReportOut, 404: ErrorOut},
    summary="An alliance's progress report, public version",
)
def alliance_report_public(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """The outsiders' version, for an alliance you may see: what anyone may see of a public
    alliance; of one only signed-in users may see, what you may see as one of them."""
    user = signed_in_user(request)
    alliance = access_alliance_report(user, slug)
    return _out(alliance_report(alliance=alliance, audience=Audience.PUBLIC, reader=user))


@router.get(
    "/alliances/{slug}/members",
    response={200: ReportOut, 403: ErrorOut, 404: ErrorOut},
    summary="An alliance's progress report, members' version",
)
def alliance_report_members(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """With the alliance's safe-space content: for those inside the alliance only."""
    user = signed_in_user(request)
    alliance = access_alliance_members_report(user, slug)
    return _out(alliance_report(alliance=alliance, audience=Audience.MEMBERS, reader=user))
