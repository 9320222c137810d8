"""The audit trail for platform administrators: browse with filters, download as CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from peerlearn.access.audit import require_audit_reader
from peerlearn.audit.forms import AuditFilterForm
from peerlearn.audit.models import AuditEvent
from peerlearn.audit.selectors import audit_csv_lines, audit_event_list, audit_rows
from peerlearn.audit.services import audit_export
from peerlearn.core.http import AuthenticatedHttpRequest
from peerlearn.core.paging import paginate


@login_required
@require_GET
def trail(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    events = (
        audit_event_list(user=request.user, filters=form.filters())
        if valid
        else AuditEvent.objects.none()
    )
    page, query = paginate(request, events, per_page=50)
    context = {
        "valid": valid,
        "form": form,
        "page": page,
        "rows": audit_rows(page.object_list),
        "query": query,
    }
    template = "audit/trail.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def trail_csv(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered trail as CSV; the download is itself recorded."""
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request, "audit/trail.html", {"form": form, "valid": False, "rows": []}, status=400
        )
    events = audit_event_list(user=request.user, filters=form.filters())
    audit_export(
        what="audit.auditevent",
        request=request,
        detail={"format": "csv", "filters": request.GET.dict(), "count": events.count()},
        after_commit=True,
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(audit_csv_lines(events), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="peerlearn-audit-{stamp}.csv"'
    return response
