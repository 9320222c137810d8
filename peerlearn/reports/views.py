"""Progress reports (an alliance's, public and for members; a country's) and the open data
page with its downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peerlearn.access.alliances import access_alliance_for_manage, can_manage_alliance
from peerlearn.access.reports import (
    access_alliance_members_report,
    access_alliance_report,
    countries_with_alliances_visible_to,
)
from peerlearn.audit.services import audit_export
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest
from peerlearn.reports.forms import PriorityAssessmentForm
from peerlearn.reports.opendata.iati import stream_iati
from peerlearn.reports.opendata.tables import TABLES, stream_csv, stream_json
from peerlearn.reports.rendering import report_pdf, report_tables_zip
from peerlearn.reports.sections import Audience
from peerlearn.reports.selectors import (
    Report,
    alliance_report,
    country_by_code,
    country_report,
)
from peerlearn.reports.services import priority_assessment_record


def _pdf_response(report: Report, filename: str) -> HttpResponse:
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    # "Download as PDF": saved as a file, named after the report.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _zip_response(report: Report, filename: str) -> HttpResponse:
    response = HttpResponse(report_tables_zip(report), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def alliance_report_page(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.PUBLIC, reader=request.user)
    return render(
        request,
        "reports/alliance.html",
        {
            "report": report,
            "pdf_url": reverse("reports:alliance_pdf", args=[slug]),
            "tables_url": reverse("reports:alliance_tables", args=[slug]),
        },
    )


@require_GET
def alliance_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.PUBLIC, reader=request.user)
    return _pdf_response(report, f"{slug}-report.pdf")


@require_GET
def alliance_report_tables(request: HttpRequest, slug: str) -> HttpResponse:
    """The public report's tables as CSV files in a zip."""
    alliance = access_alliance_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.PUBLIC, reader=request.user)
    return _zip_response(report, f"{slug}-report-tables.zip")


@login_required
@require_GET
def alliance_members_report_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_members_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.MEMBERS, reader=request.user)
    return render(
        request,
        "reports/alliance.html",
        {
            "report": report,
            "pdf_url": reverse("reports:alliance_members_pdf", args=[slug]),
            "tables_url": reverse("reports:alliance_members_tables", args=[slug]),
            "can_assess": can_manage_alliance(request.user, alliance),
        },
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


@login_required
@require_GET
def alliance_members_report_tables(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The members' report's tables as CSV files in a zip, audited like its PDF."""
    alliance = access_alliance_members_report(request.user, slug)
    report = alliance_report(alliance=alliance, audience=Audience.MEMBERS, reader=request.user)
    response = _zip_response(report, f"{slug}-members-report-tables.zip")
    audit_export(
        what="reports.alliance_report",
        detail={"alliance": alliance.id, "audience": Audience.MEMBERS.value, "format": "csv"},
        actor=request.user,
        request=request,
        after_commit=True,
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def priority_assess(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The facilitator records where a priority stands, on the IRM's scales."""
    alliance = access_alliance_for_manage(request.user, slug)
    form = PriorityAssessmentForm(
        request.POST if request.method == "POST" else None, alliance=alliance
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            priority_assessment_record(
                priority=alliance.priorities.get(id=d["priority"]),
                completion=d["completion"],
                early_results=d["early_results"],
                assessed_on=d["assessed_on"],
                assessed_by=request.user,
                comment=d["comment"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The assessment is recorded in the progress report."))
            return redirect("reports:alliance_members", slug=slug)
    return render(
        request,
        "reports/assess.html",
        {"alliance": alliance, "form": form},
        status=400 if form.errors else 200,
    )


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
    return render(
        request,
        "reports/open_data.html",
        {"tables": TABLES, "countries": countries_with_alliances_visible_to(request.user)},
    )


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
