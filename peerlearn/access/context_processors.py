"""What the page frame (``base.html``) may offer the viewer, asked of the access layer."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from peerlearn.access.audit import can_read_audit_trail
from peerlearn.access.matching import can_run_matching


def access(request: HttpRequest) -> dict[str, Any]:
    return {
        "can_run_matching": can_run_matching(request.user),
        "can_read_audit_trail": can_read_audit_trail(request.user),
    }
