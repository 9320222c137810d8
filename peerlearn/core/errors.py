"""The answers to failed requests: the project's own pages for people, JSON under /api/.

Neither ever shows a traceback, settings, file paths or the URL configuration. A server
error's error id is the request's id (``peerlearn.core.requestid``): shown to the reader,
returned in ``X-Request-ID`` and carried by every log line of the request, the exception's
included, so that an administrator can find what happened from what the reader reports.

When the database is down or locked (an ``OperationalError`` or ``InterfaceError``), the
answer is 503 with ``Retry-After``, for pages and API alike; the writing request's
transaction (``peerlearn.core.middleware``) rolls back on it, so nothing is half-written.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from peerlearn.core.requestid import request_id_of

logger = logging.getLogger("peerlearn.errors")

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


#: Seconds a client is asked to wait when the database is unavailable.
RETRY_AFTER_SECONDS = 10


def log_server_error(request: HttpRequest) -> str:
    """Log the exception being handled under the request's id, and return the id."""
    error_id = request_id_of(request)
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
        "request_id": error_id,
    }


def is_database_unavailable(exc: BaseException | None) -> bool:
    """The database did not answer (down, unreachable, or locked beyond the busy timeout),
    as opposed to a fault in the code."""
    return isinstance(exc, (OperationalError, InterfaceError))


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: a page in the reader's language, or JSON under /api/. Logged
    (with the exception) under the request's id."""
    error_id = request_id_of(request)
    logger.error(
        "Database unavailable %s: %s %s", error_id, request.method, request.path, exc_info=True
    )
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        if is_api(request):
            response: HttpResponse = JsonResponse(
                {
                    "detail": _(
                        "The database is unavailable for a moment: nothing was saved. Try "
                        "again in %(seconds)s seconds; if it keeps happening, give your "
                        "platform administrator the request id %(error_id)s."
                    )
                    % {"seconds": RETRY_AFTER_SECONDS, "error_id": error_id},
                    "error_id": error_id,
                    "request_id": error_id,
                },
                status=503,
            )
        else:
            # Rendered without the request's context processors: they query the database.
            # A reading request is tried again by the page itself (a meta refresh, with or
            # without JavaScript): a moment's lock does not leave the reader on this page.
            # A form sent is not: its input would be lost, so the reader chooses.
            html = loader.get_template("503.html").render(
                {
                    "error_id": error_id,
                    "retry_after": RETRY_AFTER_SECONDS,
                    "reload": request.method in ("GET", "HEAD"),
                }
            )
            response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@csrf_exempt  # it changes nothing; a writing method gets the same JSON 404, not a CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/ address that names no endpoint."""
    return JsonResponse({"detail": _("No such endpoint. The list is at /api/v1/docs.")}, status=404)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_not_found(request)
    request_id_of(request)  # the page shows it
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
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    error_id = log_server_error(request)
    if is_api(request):
        return JsonResponse(api_server_error_body(error_id), status=500)
    # Rendered without the request's context processors: they may be what failed.
    html = loader.get_template("500.html").render({"error_id": error_id})
    return HttpResponse(html, status=500)
