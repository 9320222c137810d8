"""The answers to failed requests: the project's own pages for people, JSON under /api/.

Neither ever shows a traceback, settings, file paths or the URL configuration. A server
error gets an error id, shown to the reader and logged with the exception, so that an
administrator can find what happened from what the reader reports.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger("peerlearn.errors")

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def log_server_error(request: HttpRequest) -> str:
    """Log the exception being handled under a new error id, and return the id."""
    error_id = uuid.uuid4().hex
    logger.error("Server error %s: %s %s", error_id, request.method, request.path, exc_info=True)
    return error_id


def api_server_error_body(error_id: str) -> dict[str, Any]:
    return {
        "detail": _(
            "The server failed to answer this request. Try again in a moment; if it keeps "
            "happening, give your platform administrator the error id %(error_id)s."
        )
        % {"error_id": error_id},
        "error_id": error_id,
    }


@csrf_exempt  # it changes nothing; a writing method gets the same JSON 404, not a CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/ address that names no endpoint."""
    return JsonResponse({"detail": _("No such endpoint. The list is at /api/v1/docs.")}, status=404)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_not_found(request)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": _("You may not do this.")}, status=403)
    return defaults.permission_denied(request, exception)  # type: ignore[arg-type]


def server_error(request: HttpRequest) -> HttpResponse:
    error_id = log_server_error(request)
    if is_api(request):
        return JsonResponse(api_server_error_body(error_id), status=500)
    # Rendered without the request's context processors: they may be what failed.
    html = loader.get_template("500.html").render({"error_id": error_id})
    return HttpResponse(html, status=500)
