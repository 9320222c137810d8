"""The home page: one per role, each showing what that person came to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from peerlearn.access.base import role_of
from peerlearn.access.roles import Role
from peerlearn.dashboards import selectors

HOMES: dict[Role, Callable[[Any], dict[str, Any]]] = {
    Role.PEER: selectors.home_peer,
    Role.FACILITATOR: selectors.home_facilitator,
    Role.AUTHORISER: selectors.home_authoriser,
    Role.FUNDER: selectors.home_funder,
    Role.ADMIN: selectors.home_admin,
}


def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role is None:
        return render(request, "dashboards/home_public.html", selectors.home_public(request.user))
    context = HOMES[role](request.user)
    context["role"] = role
    return render(request, f"dashboards/home_{role}.html", context)


@login_required
def facilitator_dashboard(request: HttpRequest) -> HttpResponse:
    """Every alliance the facilitator runs, with its facts and principle warnings."""
    rows = selectors.facilitator_dashboard(request.user)  # type: ignore[arg-type]
    template = "dashboards/facilitator_dashboard.html"
    if getattr(request, "htmx", False):
        template += "#rows"
    return render(request, template, {"rows": rows})
