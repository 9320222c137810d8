"""Sign-in protection: where a request comes from, for django-axes' lockouts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from: behind the one reverse proxy of a production set-up
    (``BEHIND_PROXY``), the last X-Forwarded-For entry, which that proxy appended; otherwise
    the connection's own address. Sign-in lockouts count failures per user name and address."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """What a locked-out sign-in sees (django-axes calls this): how long to wait, and the way
    to a new password. 429, like any other "too many requests"."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cooloff.total_seconds() / 60)) if cooloff else None
    context = {"failures": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
