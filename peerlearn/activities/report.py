"""The activities' part of the progress report (see ``reports.sections``): what the
alliance held and who took part, read with the report's reader's rights — activities are
the alliance's inside, so the public report has none."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.base import Viewer
from peerlearn.activities.models import ActivityStatus
from peerlearn.activities.selectors import activities_of_alliance
from peerlearn.alliances.models import LearningAlliance
from peerlearn.reports.sections import Audience, Section, Table


def report_sections(
    alliance: LearningAlliance, audience: Audience, reader: Viewer
) -> list[Section]:
    now = timezone.now()
    # Activities annotated with their counts of participants and of those who attended.
    held: list[Any] = [
        a
        for a in activities_of_alliance(user=reader, alliance_id=alliance.id)
        if a.status == ActivityStatus.SCHEDULED and a.starts_at <= now
    ]
    if not held:
        return []
    attended = sum(a.n_attended for a in held)
    invited = sum(a.n_participants for a in held)
    return [
        Section(
            key="activities",
            title=_("Activities and participation"),
            order=35,
            facts=[
                (_("Activities held"), str(len(held))),
                (_("Kinds of activity"), str(len({a.kind for a in held}))),
                (
                    _("Attendance"),
                    f"{attended} / {invited}" + (f" ({attended / invited:.0%})" if invited else ""),
                ),
            ],
            tables=[
                Table(
                    caption=_("Activities held"),
                    headers=[_("Date"), _("Activity"), _("Kind"), _("Attended"), _("Invited")],
                    rows=[
                        [
                            timezone.localdate(a.starts_at),
                            a.title,
                            a.get_kind_display(),
                            a.n_attended,
                            a.n_participants,
                        ]
                        for a in held
                    ],
                )
            ],
            internal=audience == Audience.MEMBERS,
        )
    ]
