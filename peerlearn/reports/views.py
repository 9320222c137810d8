"""Progress reports (an alliance's, public and for members; a country's) and the open data
page with its downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from peerlearn.access.reports import access_alliance_members_report, access_alliance_report
from peerlearn.audit.services import audit_export
from peerlearn.core.http import AuthenticatedHttpRequest
from peerlearn.reports.opendata.tables import TABLES, stream_csv, stream_json
from peerlearn.reports.opendata.iati import stream_iati
from peerlearn.reports.rendering import report_pdf
from peerlearn.reports.selectors import (
    Report,
    alliance_report,
    country_report,
    country_by_code,
)
from peerlearn.reports.sections import Audience


def _pdf_response(report: Report, filename: str) -> HttpResponse:
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def alliance_report_page(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.PUBLIC, reader=request.user)
    return render(
        request,
        "reports/alliance.html",
        {"report": report, "pdf_url": reverse("reports:alliance_pdf", args=[slug])},
    )


@require_GET
def alliance_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.PUBLIC, reader=request.user)
    return _pdf_response(report, f"{slug}-report.pdf")


@login_required
@require_GET
def alliance_members_report_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_members_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.MEMBERS, reader=request.user)
    return render(
        request,
        "reports/alliance.html",
        {"report": report, "pdf_url": reverse("reports:alliance_members_pdf", args=[slug])},
    )


@login_required
@require_GET
def alliance_members_report_pdf(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_members_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.MEMBERS, reader=request.user)
    response = _pdf_response(report, f"{slug}-members-report.pdf")
    audit_export(
        what="reports.alliance_report",
        detail={"alliance": alliance.id, "audience": Audience.MEMBERS.value, "format": "pdf"},
        actor=request.user,
        request=request,
        after_commit=True,
    )
    return response


@require_GET
def country_report_page(request: HttpRequest, code: str) -> HttpResponse:
    report = country_report(country=country_by_code(code), reader=request.user)
    return render(
        request,
        "reports/country.html",
        {"report": report, "pdf_url": reverse("reports:country_pdf", args=[code])},
    )


@require_GET
def country_report_pdf(request: HttpRequest, code: str) -> HttpResponse:
    report = country_report(country=country_by_code(code), reader=request.user)
    return _pdf_response(report, f"{code.lower()}-report.pdf")


# --- open data ----------------------------------------------------------------------------


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/open_data.html", {"tables": TABLES})


def _download(chunks, content_type: str, filename: str) -> StreamingHttpResponse:  # type: ignore[no-untyped-def]
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def open_data_csv(request: HttpRequest, table: str) -> StreamingHttpResponse:
    return _download(stream_csv(TABLES[table]), "text/csv; charset=utf-8", f"{table}.csv")


@require_GET
def open_data_json(request: HttpRequest, table: str) -> StreamingHttpResponse:
    return _download(stream_json(TABLES[table]), "application/json", f"{table}.json")


@require_GET
def open_data_iati(request: HttpRequest) -> StreamingHttpResponse:
    return _download(stream_iati(), "application/xml", "iati-activities.xml")
