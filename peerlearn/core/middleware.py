"""Request-wide middleware: one database transaction per writing request."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve

# Methods that only read (RFC 9110 "safe"): they run in autocommit, so on SQLite they never
# take the database's write lock and a long write elsewhere never blocks or fails them.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Writing views that commit each of their writes on its own instead: sign-in checks a
# password, which is slow on purpose (about a second of CPU under load); inside the request's
# transaction it would hold SQLite's write lock meanwhile, and every other writer (other
# sign-ins included) would queue behind it until they time out. What sign-in writes (the
# session, the last sign-in, a failed attempt, the audit event) stands on its own.
OWN_TRANSACTIONS = frozenset({"login"})


class WritingRequestAtomicMiddleware:
    """Runs each unsafe request (POST, PUT, PATCH, DELETE) in one transaction: everything it
    writes is saved together or not at all. A server error (5xx, including an exception
    turned into a 500 page) rolls back; so does an error answer that asks for it with
    ``transaction.set_rollback(True)`` (the API's error handlers do).

    Reads run outside a transaction. On SQLite in WAL mode they then read beside a writer
    instead of queueing for its lock, which ``transaction_mode = IMMEDIATE`` makes every
    transaction take at its start.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in SAFE_METHODS or _url_name(request) in OWN_TRANSACTIONS:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
        return response


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
