"""The home page: one per role, each showing what that person came to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
