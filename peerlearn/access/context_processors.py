"""What the page frame (``base.html``) may offer the viewer, asked of the access layer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerlearn.access.audit import can_read_audit_trail
from peerlearn.access.base import has_role
from peerlearn.access.matching import can_run_matching
from peerlearn.access.roles import Role


def access(request: HttpRequest) -> dict[str, Any]:
    return {
        "can_run_matching": can_run_matching(request.user),
        "is_peer": has_role(request.user, Role.PEER),
        "can_read_audit_trail": can_read_audit_trail(request.user),
    }
