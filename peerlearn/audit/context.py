"""The request being served, for audit records written far from the view (model signals)."""

from __future__ import annotations

from contextvars import ContextVar

from django.http import HttpRequest

current_request: ContextVar[HttpRequest | None] = ContextVar(
    "peerlearn_audit_request", default=None
)
