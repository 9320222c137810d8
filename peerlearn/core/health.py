"""Probes for a load balancer or process manager: ``/healthz`` says the process answers,
``/readyz`` whether it can serve — the database answers, the cache works — and how the
background queue stands (tasks waiting, and how long the oldest has waited). And
``/favicon.ico``, which browsers and crawlers ask of any site."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache

#: Seconds a client is asked to wait before asking again when the platform is not ready.
RETRY_AFTER = 5


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as e:
        return f"unavailable: {e.__class__.__name__}"
    return "ok"


def _cache() -> str:
    try:
        cache.set("peerlearn:readyz", "ok", 10)
        if cache.get("peerlearn:readyz") != "ok":
            return "unavailable: a value written was not read back"
    except Exception as e:  # any backend's failure means not ready
        return f"unavailable: {e.__class__.__name__}"
    return "ok"


def _queue() -> dict[str, Any]:
    """Tasks waiting for a worker, and the age of the oldest, in the database queue."""
    if settings.PEERLEARN_TASKS != "database":
        return {"backend": settings.PEERLEARN_TASKS}
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0
    return {"backend": "database", "waiting": waiting.count(), "oldest_seconds": round(age, 1)}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Any] = {"database": _database(), "cache": _cache()}
    ready = all(v == "ok" for v in checks.values())
    if checks["database"] == "ok":
        try:
            checks["queue"] = _queue()
        except DatabaseError as e:
            checks["queue"] = f"unavailable: {e.__class__.__name__}"
    response = JsonResponse({"status": "ok" if ready else "unavailable", **checks})
    if not ready:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER)
    return response


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """The site's icon, for browsers that ask ``/favicon.ico`` (pages without the
    ``<link rel="icon">`` of ``base.html``: the admin, the API's documentation)."""
    return HttpResponsePermanentRedirect(static("peerlearn/favicon.svg"))
