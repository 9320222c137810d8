"""The report's core sections, contributed through the same seam as every other app's
(:mod:`peerlearn.reports.sections`): the alliance at a glance, its stage history, its
members and organisations, and its priority reform areas with the facilitator's assessment
on the IRM's scales."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.access.base import Viewer
from peerlearn.access.peers import peers_visible_to
from peerlearn.access.reports import can_read_members_report
from peerlearn.alliances.models import AllianceStage, LearningAlliance
from peerlearn.alliances.selectors import AllianceDetail, alliance_detail
from peerlearn.core.dates import date_format
from peerlearn.reports.charts import bar_chart_svg, completion_chart_svg, stage_timeline_svg
from peerlearn.reports.models import Completion, PriorityAssessment
from peerlearn.reports.sections import Audience, Chart, Section, Table


def report_sections(
    alliance: LearningAlliance, audience: Audience, reader: Viewer
) -> list[Section]:
    detail = alliance_detail(user=reader, alliance=alliance)
    inside = audience == Audience.MEMBERS and can_read_members_report(reader, alliance)
    return [
        overview_section(detail),
        stage_history_section(detail, inside=inside),
        members_section(detail, reader=reader),
        priorities_section(detail.alliance, inside=inside),
    ]


def _day(value: date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def _dates(starts_on: date | None, ends_on: date | None) -> str:
    """An alliance's dates as far as they are set; empty when neither is."""
    if starts_on and ends_on:
        return f"{_day(starts_on)} – {_day(ends_on)}"
    if starts_on:
        return _("From %(date)s") % {"date": _day(starts_on)}
    if ends_on:
        return _("Until %(date)s") % {"date": _day(ends_on)}
    return ""


def overview_section(detail: AllianceDetail) -> Section:
    alliance = detail.alliance
    dates = _dates(alliance.starts_on, alliance.ends_on)
    facts = [
        (_("Theme"), alliance.theme.display_name),
        (_("Type"), str(alliance.get_type_display())),
        (_("Stage"), str(alliance.get_stage_display())),
        *([(_("Dates"), dates)] if dates else []),
        (
            _("Working languages"),
            ", ".join(lang.display_name for lang in alliance.working_languages.all()) or "—",
        ),
        (_("Funders"), ", ".join(str(o) for o in alliance.funders.all()) or "—"),
    ]
    if detail.initiative is not None:
        facts.append((_("Initiative"), detail.initiative.name))
    return Section(
        key="overview", title=_("The alliance"), order=5, intro=alliance.purpose, facts=facts
    )


def stage_points(
    *, start: date, changes: list[tuple[date, int | None, int]], current: int
) -> list[tuple[date, int]]:
    """The (day, stage) points of an alliance's stage over time, from its changes (day,
    from, to; in order). Without changes, its stage since its start. The stage before the
    first change is drawn from the start only when that change names it and the start
    came first: an alliance is often set up, and its first stage recorded, before the
    date it officially starts.

    >>> from datetime import date as d
    >>> stage_points(start=d(2026, 8, 26), current=2,
    ...              changes=[(d(2026, 7, 27), None, 0), (d(2026, 8, 26), 0, 1),
    ...                       (d(2026, 10, 10), 1, 2)])  # doctest: +NORMALIZE_WHITESPACE
    [(datetime.date(2026, 7, 27), 0), (datetime.date(2026, 8, 26), 1),
     (datetime.date(2026, 10, 10), 2)]
    >>> stage_points(start=d(2026, 1, 5), current=1, changes=[(d(2026, 3, 1), 0, 1)])
    [(datetime.date(2026, 1, 5), 0), (datetime.date(2026, 3, 1), 1)]
    >>> stage_points(start=d(2026, 1, 5), current=3, changes=[])
    [(datetime.date(2026, 1, 5), 3)]
    """
    if not changes:
        return [(start, current)]
    points = [(day, to) for day, _from, to in changes]
    first_day, first_from, _to = changes[0]
    if first_from is not None and start < first_day:
        points.insert(0, (start, first_from))
    return points


def stage_history_section(detail: AllianceDetail, *, inside: bool) -> Section:
    alliance = detail.alliance
    changes = sorted(detail.stage_history, key=lambda c: c.change.changed_at)
    today = timezone.localdate()
    created = timezone.localdate(alliance.created_at)
    # An alliance set up ahead of its start is drawn from the day it was set up, not from a
    # start still to come.
    start = alliance.starts_on if alliance.starts_on and alliance.starts_on <= today else None
    points = stage_points(
        start=start or created,
        changes=[
            (timezone.localdate(c.change.changed_at), c.change.from_stage, c.change.to_stage)
            for c in changes
        ],
        current=alliance.stage,
    )
    title = _("Stage over time")
    chart = Chart(
        title=title,
        svg=mark_safe(
            stage_timeline_svg(
                title=title,
                points=points,
                stage_labels=[str(label) for label in AllianceStage.labels],
                # Today, or the day it closed; never before its last change.
                until=max(min(today, alliance.closed_on or today), points[-1][0]),
            )
        ),
        description=_(
            "The Learning Guide's stage the alliance was at, from its start to the day it closed."
        )
        if alliance.closed_on
        else _("The Learning Guide's stage the alliance was at, from its start to today."),
    )
    headers = [_("Date"), _("Stage"), _("By")]
    if inside:
        headers.append(_("Why"))
    rows = []
    for c in changes:
        row = [
            timezone.localdate(c.change.changed_at),
            str(c.change.get_to_stage_display()),
            c.changed_by or "—",
        ]
        if inside:
            row.append(c.note or "—")
        rows.append(row)
    return Section(
        key="stage-history",
        title=_("Stage history"),
        order=10,
        intro=_stage_intro(alliance, inside=inside),
        charts=[chart],
        tables=[Table(caption=_("Changes of stage"), headers=headers, rows=rows)] if rows else [],
        internal=inside and any(c.note for c in changes),
    )


def _stage_intro(alliance: LearningAlliance, *, inside: bool) -> str:
    """Where the alliance stands: its stage, or when it closed (with its closing note for
    readers inside it, as on its page)."""
    stage = alliance.get_stage_display()
    if alliance.closed_on is None:
        return _("The alliance is at “%(stage)s”.") % {"stage": stage}
    closed = _("The alliance was closed on %(date)s, at “%(stage)s”.") % {
        "date": _day(alliance.closed_on),
        "stage": stage,
    }
    if inside and alliance.closing_note:
        closed += " " + _("What it achieved, or why it stopped: %(note)s") % {
            "note": alliance.closing_note
        }
    return closed


def _gender_group(value: str) -> str:
    word = value.strip().lower()
    if word in {"woman", "female", "f", "w", "femme", "women"}:
        return _("Women")
    if word in {"man", "male", "m", "homme", "men"}:
        return _("Men")
    return _("Not stated or self-described")


def members_section(detail: AllianceDetail, *, reader: Viewer) -> Section:
    alliance = detail.alliance
    organisations = list(alliance.member_organisations.all())
    by_country = Counter(
        m.organisation.country.display_name if m.organisation.country else _("International")
        for m in organisations
    )
    shown = detail.members.shown
    by_organisation = Counter(
        str(m.user.organisation) if m.user.organisation else _("No organisation")
        for m, _peer in shown
    )
    org_items = by_organisation.most_common()
    if detail.members.hidden_count:
        org_items.append((_("Not named in this report"), detail.members.hidden_count))
    genders = (
        peers_visible_to(reader)
        .filter(user_id__in=[m.user_id for m in detail.memberships])
        .values_list("gender", flat=True)
    )
    by_gender = Counter(_gender_group(g) for g in genders)
    charts = []
    for title, items in (
        (_("Member organisations by country"), by_country.most_common()),
        (_("Members by organisation"), org_items),
        (
            _("Members by gender (profiles shared with this report's readers)"),
            by_gender.most_common(),
        ),
    ):
        if items:
            charts.append(
                Chart(title=title, svg=mark_safe(bar_chart_svg(title=title, items=items)))
            )
    rows = [
        [str(m.user), str(m.get_role_display()), str(m.user.organisation or "—")]
        for m, _peer in shown
    ]
    return Section(
        key="members",
        title=_("Members and organisations"),
        order=20,
        facts=[
            (_("Members"), str(len(detail.memberships))),
            (_("Member organisations"), str(len(organisations))),
            (_("Countries"), str(len(by_country))),
        ],
        intro=(
            ngettext(
                "%(count)s member is not named: their profile is not shared with this "
                "report's readers.",
                "%(count)s members are not named: their profiles are not shared with this "
                "report's readers.",
                detail.members.hidden_count,
            )
            % {"count": detail.members.hidden_count}
            if detail.members.hidden_count
            else ""
        ),
        charts=charts,
        tables=[
            Table(
                caption=_("Member organisations"),
                headers=[_("Organisation"), _("Country")],
                rows=[
                    [
                        str(m.organisation),
                        m.organisation.country.display_name if m.organisation.country else "—",
                    ]
                    for m in organisations
                ],
            ),
            Table(
                caption=_("Members named in this report"),
                headers=[_("Name"), _("Role"), _("Organisation")],
                rows=rows,
            ),
        ],
    )


def latest_assessments(alliance: LearningAlliance) -> dict[int, PriorityAssessment]:
    """The latest assessment of each of the alliance's priorities, by priority id."""
    latest: dict[int, PriorityAssessment] = {}
    for assessment in PriorityAssessment.objects.filter(
        alliance=alliance, priority__alliance=alliance
    ).order_by("priority_id", "-assessed_on", "-id"):
        latest.setdefault(assessment.priority_id, assessment)
    return latest


def priorities_section(alliance: LearningAlliance, *, inside: bool) -> Section:
    priorities = list(alliance.priorities.all())
    latest = latest_assessments(alliance)
    headers = [_("Priority reform area"), _("Completion"), _("Early results"), _("Assessed on")]
    if inside:
        headers.append(_("Facilitator's comment"))
    rows = []
    items: list[tuple[str, int | None]] = []
    for priority in priorities:
        a = latest.get(priority.id)
        items.append((priority.title, a.completion if a else None))
        row = [
            priority.title,
            str(a.get_completion_display()) if a else _("Not assessed"),
            str(a.get_early_results_display()) if a and a.early_results is not None else "—",
            (a.assessed_on or "—") if a else "—",
        ]
        if inside:
            row.append((a.comment if a else "") or "—")
        rows.append(row)
    charts = []
    if priorities:
        title = _("Completion of the priority reform areas")
        charts.append(
            Chart(
                title=title,
                svg=mark_safe(
                    completion_chart_svg(
                        title=title,
                        items=items,
                        level_labels=[str(label) for label in Completion.labels],
                    )
                ),
            )
        )
    return Section(
        key="priorities",
        title=_("Priority reform areas"),
        order=30,
        intro=_(
            "Completion (not started, limited, substantial, complete) and early results "
            "(worsened, did not change, marginal, major, outstanding) follow the scales of "
            "OGP's Independent Reporting Mechanism, as the facilitator assessed them."
        )
        if priorities
        else _("No priority reform area yet."),
        charts=charts,
        tables=[Table(caption=_("Priorities and their assessment"), headers=headers, rows=rows)]
        if rows
        else [],
        internal=inside and any(a.comment for a in latest.values()),
    )
