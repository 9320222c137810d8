"""django-auditlog's middleware, with the project's idea of where a request comes from."""

from __future__ import annotations

from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponse

from peerlearn.accounts.security import client_ip
from peerlearn.audit.context import current_request


class AuditMiddleware(AuditlogMiddleware):  # type: ignore[misc]
    """Couples field changes to the signed-in user and their address, and keeps the request
    at hand for the trail's own events. The address is the one sign-in lockouts use
    (:func:`~peerlearn.accounts.security.client_ip`): auditlog's own trusts the first
    X-Forwarded-For entry, which any client can write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            response: HttpResponse = super().__call__(request)
            return response
        finally:
            current_request.reset(token)
