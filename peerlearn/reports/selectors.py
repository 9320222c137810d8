"""The reports' read models: an alliance's progress report and a country's, each for one
audience, shared by the pages, the PDF and the ``report`` command."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.access.base import Viewer
from peerlearn.access.reports import (
    alliances_in_country_visible_to,
    can_read_members_report,
    outsiders_report_reader,
)
from peerlearn.access.visibility import Visibility, narrower
from peerlearn.alliances.models import AllianceStage, LearningAlliance
from peerlearn.core.models import Country
from peerlearn.reports.charts import bar_chart_svg
from peerlearn.reports.report import latest_assessments
from peerlearn.reports.sections import Audience, Chart, Section, Table, collect_sections


@dataclass
class Report:
    title: str
    subtitle: str
    audience: Audience
    sections: list[Section]
    generated_on: date
    #: "Contains alliance-internal content — for members of X" (or, for the outsiders'
    #: version of an alliance the public may not see, "not for publication"), on every
    #: page; None when the report may be published.
    internal_notice: str | None = None
    alliance: LearningAlliance | None = None
    country: Country | None = None
    #: The reader may also read the members' version (offered as a link).
    members_version_available: bool = False
    charts_count: int = field(init=False)

    def __post_init__(self) -> None:
        self.charts_count = sum(len(s.charts) for s in self.sections)

    @property
    def is_members_version(self) -> bool:
        return self.audience == Audience.MEMBERS


def _not_for_publication(reach: str, names: str) -> str | None:
    """The notice of an outsiders' report that names alliances (``names``) the public may
    not see, by how far the narrowest of them reaches; None when it may be published."""
    if reach == Visibility.PUBLIC:
        return None
    if reach == Visibility.PLATFORM:
        return _(
            "For signed-in users of peerlearn, not for publication: only they may see %(names)s."
        ) % {"names": names}
    return _("Not for publication: only those inside it may see %(names)s.") % {"names": names}


def _content_reader(*, alliance: LearningAlliance, audience: Audience, reader: Viewer) -> Viewer:
    """Whose rights the report's content is read with: the (inside) reader's for the
    members' version, else the access layer's outsider (:func:`outsiders_report_reader`)."""
    if audience == Audience.MEMBERS:
        return reader
    return outsiders_report_reader(alliance)


def alliance_report(*, alliance: LearningAlliance, audience: Audience, reader: Viewer) -> Report:
    """The alliance's progress report: the members' version, or the outsiders' one, read
    with the rights :func:`_content_reader` chooses."""
    content_reader = _content_reader(alliance=alliance, audience=audience, reader=reader)
    sections = collect_sections(alliance, audience, content_reader)
    notice: str | None
    if audience == Audience.MEMBERS:
        notice = _("Contains alliance-internal content — for members of %(alliance)s") % {
            "alliance": alliance.name
        }
    else:
        # The outsiders' version names the alliance and describes it: it reaches no
        # further than the alliance itself.
        notice = _not_for_publication(alliance.visibility, alliance.name)
    return Report(
        title=alliance.name,
        subtitle=_("Progress report")
        if audience == Audience.PUBLIC
        else _("Progress report — members' version"),
        audience=audience,
        sections=sections,
        generated_on=timezone.localdate(),
        internal_notice=notice,
        alliance=alliance,
        members_version_available=audience == Audience.PUBLIC
        and can_read_members_report(reader, alliance),
    )


def country_report(*, country: Country, reader: Viewer) -> Report:
    """A country's progress report, for outsiders: every alliance the reader may see that
    one of the country's organisations belongs to, with its public content only."""
    alliances = list(
        alliances_in_country_visible_to(reader, country.code)
        .select_related("theme")
        .prefetch_related("priorities", "member_organisations__organisation__country")
        .distinct()
        .order_by("name")
    )
    by_stage = Counter(a.get_stage_display() for a in alliances)
    sections = []
    overview_charts = []
    if alliances:
        title = _("Alliances by stage")
        items = [(str(label), by_stage[label]) for label in AllianceStage.labels if by_stage[label]]
        overview_charts.append(
            Chart(title=title, svg=mark_safe(bar_chart_svg(title=title, items=items)))
        )
    sections.append(
        Section(
            key="overview",
            title=_("Overview"),
            order=0,
            intro=ngettext(
                "%(count)s learning alliance with organisations from %(country)s.",
                "%(count)s learning alliances with organisations from %(country)s.",
                len(alliances),
            )
            % {"count": len(alliances), "country": country.display_name},
            charts=overview_charts,
        )
    )
    for n, alliance in enumerate(alliances, start=1):
        latest = latest_assessments(alliance)
        organisations = [
            str(m.organisation)
            for m in alliance.member_organisations.all()
            if m.organisation.country_id == country.code
        ]
        rows = []
        for priority in alliance.priorities.all():
            a = latest.get(priority.id)
            rows.append(
                [
                    priority.title,
                    str(a.get_completion_display()) if a else _("Not assessed"),
                    str(a.get_early_results_display())
                    if a and a.early_results is not None
                    else "—",
                ]
            )
        sections.append(
            Section(
                key=f"alliance-{alliance.slug}",
                title=alliance.name,
                order=n,
                intro=alliance.purpose,
                facts=[
                    (_("Theme"), alliance.theme.display_name),
                    (_("Stage"), str(alliance.get_stage_display())),
                    (_("Organisations from this country"), ", ".join(organisations) or "—"),
                ],
                tables=[
                    Table(
                        caption=_("Priorities and their assessment"),
                        headers=[_("Priority reform area"), _("Completion"), _("Early results")],
                        rows=rows,
                    )
                ]
                if rows
                else [],
            )
        )
    reach = Visibility.PUBLIC
    for alliance in alliances:
        reach = narrower(reach, alliance.visibility)
    hidden = [a.name for a in alliances if a.visibility != Visibility.PUBLIC]
    return Report(
        title=country.display_name,
        subtitle=_("Country progress report"),
        audience=Audience.PUBLIC,
        sections=sections,
        generated_on=timezone.localdate(),
        internal_notice=_not_for_publication(reach, ", ".join(hidden)),
        country=country,
    )


def country_by_code(code: str) -> Country:
    """A country of the reference data (open to anyone), by its ISO code; 404 otherwise."""
    from django.http import Http404

    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404(_("No such country."))
    return country
