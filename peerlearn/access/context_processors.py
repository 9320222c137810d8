"""What the page frame (``base.html``) may offer the viewer, asked of the access layer."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from peerlearn.access.audit import can_read_audit_trail
from peerlearn.access.base import has_role
from peerlearn.access.matching import can_run_matching
from peerlearn.access.roles import Role


def access(request: HttpRequest) -> dict[str, Any]:
    # An error page rendered before the authentication middleware ran (a request for a host
    # not in ALLOWED_HOSTS answers 400 from the first middleware) has no user: anonymous.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "can_run_matching": can_run_matching(user),
        "is_peer": has_role(user, Role.PEER),
        "can_read_audit_trail": can_read_audit_trail(user),
    }
