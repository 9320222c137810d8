"""Public learning alliances as IATI 2.03 activities, written incrementally.

One ``iati-activity`` per public alliance: the platform as reporting organisation; the
alliance's funders (role 1, Funding), its facilitators' organisations (role 3, Extending),
the implementers of its initiative where that is public (role 3) and its member
organisations (role 4, Implementing); recipient countries weighted by member organisations
(percentages summing to 100); activity status and dates from its stage and dates; a DAC
5-digit sector (vocabulary 1) from its theme; and the results other apps publish
(:mod:`peerlearn.reports.opendata.results`).

Written with lxml's incremental ``xmlfile``: each activity is built, written and dropped,
and alliances are read in chunks, so memory does not grow with the number of alliances.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from lxml import etree

from peerlearn.access.opendata import open_alliances, open_initiatives
from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceOrganisation,
    AllianceStage,
    LearningAlliance,
    MemberRole,
)
from peerlearn.organisations.models import Organisation, OrganisationType
from peerlearn.reports.opendata.results import (
    IndicatorMeasure,
    Result,
    ResultsProvider,
    public_results,
    results_providers,
)

VERSION = "2.03"
CHUNK = 500
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: DAC 5-digit purpose codes (IATI Sector, vocabulary 1) used for the platform's themes.
DAC_SECTORS: dict[str, str] = {
    "15110": "Public sector policy and administrative management",
    "15111": "Public finance management (PFM)",
    "15112": "Decentralisation and support to subnational government",
    "15113": "Anti-corruption organisations and institutions",
    "15114": "Domestic revenue mobilisation",
    "15125": "Public Procurement",
    "15130": "Legal and judicial development",
    "15150": "Democratic participation and civil society",
    "15152": "Legislatures and political parties",
    "15170": "Women's rights organisations and movements, and government institutions",
    "16062": "Statistical capacity building",
}
THEME_SECTORS: dict[str, str] = {
    "revenue-pfm": "15111",
    "civil-service-hr": "15110",
    "parliaments-evidence": "15152",
    "service-delivery": "15110",
    "climate-finance": "15111",
    "open-government": "15150",
    "decentralisation": "15112",
    "procurement": "15125",
    "anti-corruption": "15113",
    "centre-of-government": "15110",
    "digital-government": "15110",
    "statistics-data": "16062",
    "justice-rule-of-law": "15130",
    "gender-inclusion": "15170",
    "extractives": "15114",
}
DEFAULT_SECTOR = "15110"
SECTOR_VOCABULARY_DAC5 = "1"

# IATI OrganisationType codes for the platform's organisation types.
ORGANISATION_TYPES: dict[str, str] = {
    OrganisationType.MINISTRY: "10",
    OrganisationType.AGENCY: "10",
    OrganisationType.LOCAL_GOVERNMENT: "10",
    OrganisationType.PARLIAMENT: "15",
    OrganisationType.CIVIL_SOCIETY: "22",
    OrganisationType.THINK_TANK: "80",
    OrganisationType.DEVELOPMENT_PARTNER: "40",
}


class Role:
    """IATI OrganisationRole codes."""

    FUNDING = "1"
    EXTENDING = "3"
    IMPLEMENTING = "4"


class Status:
    """IATI ActivityStatus codes."""

    PIPELINE = "1"
    IMPLEMENTATION = "2"
    COMPLETION = "3"
    #: Closed on the platform by its facilitator: its activities are over.
    CLOSED = "4"


class DateType:
    """IATI ActivityDateType codes."""

    PLANNED_START = "1"
    ACTUAL_START = "2"
    PLANNED_END = "3"
    ACTUAL_END = "4"


def reporting_org() -> tuple[str, str, str]:
    """(ref, type, name) of the organisation publishing the platform's data."""
    return (
        getattr(settings, "PEERLEARN_IATI_REPORTING_ORG_REF", "XI-PEERLEARN"),
        getattr(settings, "PEERLEARN_IATI_REPORTING_ORG_TYPE", "80"),
        getattr(settings, "PEERLEARN_IATI_REPORTING_ORG_NAME", "peerlearn"),
    )


def activity_status(alliance: LearningAlliance, today: date) -> str:
    if alliance.closed_on is not None:
        return Status.CLOSED
    if alliance.ends_on is not None and alliance.ends_on < today:
        return Status.COMPLETION
    if alliance.stage == AllianceStage.PRE_ASSESSMENT and (
        alliance.starts_on is None or alliance.starts_on > today
    ):
        return Status.PIPELINE
    return Status.IMPLEMENTATION


def activity_dates(alliance: LearningAlliance, today: date) -> list[tuple[str, date]]:
    dates: list[tuple[str, date]] = []
    start = alliance.starts_on or timezone.localdate(alliance.created_at)
    dates.append((DateType.PLANNED_START, start))
    if start <= today and activity_status(alliance, today) != Status.PIPELINE:
        dates.append((DateType.ACTUAL_START, start))
    if alliance.ends_on is not None:
        dates.append((DateType.PLANNED_END, alliance.ends_on))
    if alliance.closed_on is not None:
        dates.append((DateType.ACTUAL_END, alliance.closed_on))
    elif alliance.ends_on is not None and alliance.ends_on < today:
        dates.append((DateType.ACTUAL_END, alliance.ends_on))
    return dates


def country_percentages(codes: Sequence[str]) -> list[tuple[str, int]]:
    """Shares of 100 by how many organisations each country has, rounded by largest
    remainder so that they sum to exactly 100.

    >>> country_percentages(["KE", "KE", "UG"])
    [('KE', 67), ('UG', 33)]
    """
    counts = Counter(codes)
    total = sum(counts.values())
    if not total:
        return []
    exact = {code: 100 * n / total for code, n in counts.items()}
    shares = {code: int(value) for code, value in exact.items()}
    left = 100 - sum(shares.values())
    for code in sorted(exact, key=lambda c: (shares[c] - exact[c], c))[:left]:
        shares[code] += 1
    return sorted(shares.items(), key=lambda item: (-item[1], item[0]))


def _narrative(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    etree.SubElement(element, "narrative").text = text
    return element


def _org(parent: etree._Element, tag: str, organisation: Organisation, role: str | None) -> None:
    element = etree.SubElement(parent, tag)
    if role is not None:
        element.set("role", role)
    org_type = ORGANISATION_TYPES.get(organisation.type)
    if org_type:
        element.set("type", org_type)
    etree.SubElement(element, "narrative").text = organisation.name


def _results(activity: etree._Element, results: Sequence[Result]) -> None:
    for result in results:
        indicators = [i for i in result.indicators if i.measure != IndicatorMeasure.QUALITATIVE]
        if not indicators:
            continue  # IATI needs at least one indicator with a measure from its codelist
        element = etree.SubElement(
            activity, "result", type=result.type, **{"aggregation-status": "false"}
        )
        _narrative(element, "title", result.title)
        if result.description:
            _narrative(element, "description", result.description)
        for indicator in indicators:
            ind = etree.SubElement(
                element,
                "indicator",
                measure=indicator.measure,
                ascending="true" if indicator.ascending else "false",
            )
            _narrative(ind, "title", indicator.title)
            if indicator.description:
                _narrative(ind, "description", indicator.description)
            if indicator.baseline_year is not None:
                baseline = etree.SubElement(ind, "baseline", year=str(indicator.baseline_year))
                if indicator.baseline_value is not None:
                    baseline.set("value", indicator.baseline_value)
            for period in indicator.periods:
                p = etree.SubElement(ind, "period")
                etree.SubElement(p, "period-start", {"iso-date": period.start.isoformat()})
                etree.SubElement(p, "period-end", {"iso-date": period.end.isoformat()})
                if period.target is not None:
                    etree.SubElement(p, "target", value=period.target)
                if period.actual is not None:
                    etree.SubElement(p, "actual", value=period.actual)


def activity_element(
    alliance: Any, *, today: date, providers: Sequence[ResultsProvider]
) -> etree._Element:
    """One alliance as an ``iati-activity``, with the relations :func:`_alliances`
    prefetches (``facilitators``, ``open_initiative``)."""
    ref, org_type, org_name = reporting_org()
    activity = etree.Element(
        "iati-activity",
        {
            XML_LANG: "en",
            "last-updated-datetime": alliance.updated_at.isoformat(timespec="seconds"),
        },
    )
    etree.SubElement(activity, "iati-identifier").text = f"{ref}-{alliance.slug}"
    reporting = etree.SubElement(activity, "reporting-org", ref=ref, type=org_type)
    etree.SubElement(reporting, "narrative").text = org_name
    _narrative(activity, "title", alliance.name)
    _narrative(activity, "description", alliance.purpose).set("type", "1")

    named: set[tuple[int, str]] = set()

    def participant(organisation: Organisation, role: str) -> None:
        if (organisation.id, role) not in named:
            named.add((organisation.id, role))
            _org(activity, "participating-org", organisation, role)

    for funder in alliance.funders.all():
        participant(funder, Role.FUNDING)
    for membership in alliance.facilitators:
        if membership.user.organisation is not None:
            participant(membership.user.organisation, Role.EXTENDING)
    if alliance.open_initiative:
        for implementer in alliance.open_initiative[0].implementers.all():
            participant(implementer, Role.EXTENDING)
    organisations: list[AllianceOrganisation] = list(alliance.member_organisations.all())
    for member in organisations:
        participant(member.organisation, Role.IMPLEMENTING)
    if not named:
        # The schema needs one participant: the platform brokers the alliance.
        element = etree.SubElement(activity, "participating-org", role=Role.IMPLEMENTING)
        etree.SubElement(element, "narrative").text = org_name

    etree.SubElement(activity, "activity-status", code=activity_status(alliance, today))
    for date_type, day in activity_dates(alliance, today):
        etree.SubElement(activity, "activity-date", type=date_type, **{"iso-date": day.isoformat()})
    for code, percentage in country_percentages(
        [m.organisation.country_id for m in organisations if m.organisation.country_id]
    ):
        etree.SubElement(activity, "recipient-country", code=code, percentage=str(percentage))
    sector = THEME_SECTORS.get(alliance.theme.slug, DEFAULT_SECTOR)
    etree.SubElement(
        activity, "sector", vocabulary=SECTOR_VOCABULARY_DAC5, code=sector, percentage="100"
    )
    _results(activity, public_results(alliance, providers))
    return activity


def _alliances() -> QuerySet[LearningAlliance]:
    return (
        open_alliances()
        .select_related("theme")
        .prefetch_related(
            "funders",
            Prefetch(
                "memberships",
                queryset=AllianceMembership.objects.filter(
                    role=MemberRole.FACILITATOR
                ).select_related("user__organisation"),
                to_attr="facilitators",
            ),
            Prefetch(
                "initiative",
                queryset=open_initiatives().prefetch_related("implementers"),
                to_attr="open_initiative_obj",
            ),
            Prefetch(
                "member_organisations",
                queryset=AllianceOrganisation.objects.select_related("organisation"),
            ),
        )
        .order_by("id")
    )


def write_iati(out: IO[bytes], *, now: datetime | None = None) -> None:
    """Write every public alliance as IATI 2.03 to ``out``, piece by piece."""
    for chunk in stream_iati(now=now):
        out.write(chunk)


def _as_list(alliance: Any) -> list[Any]:
    initiative = getattr(alliance, "open_initiative_obj", None)
    return [initiative] if initiative is not None else []


class _Chunks(io.RawIOBase):
    """A write-only file that keeps what was written until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.parts.append(bytes(b))
        return len(b)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def stream_iati(*, now: datetime | None = None) -> Iterator[bytes]:
    """The same document as :func:`write_iati`, in pieces for a streamed response."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    providers = results_providers()
    out = _Chunks()
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(
            "iati-activities",
            version=VERSION,
            **{"generated-datetime": now.isoformat(timespec="seconds")},
        ):
            for n, alliance in enumerate(_alliances().iterator(chunk_size=CHUNK), start=1):
                alliance.open_initiative = _as_list(alliance)  # type: ignore[attr-defined]
                xf.write(activity_element(alliance, today=today, providers=providers))
                if n % 100 == 0:
                    xf.flush()
                    yield out.take()
    yield out.take()
