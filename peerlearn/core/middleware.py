"""Request-wide middleware: one database transaction per writing request, and pages in
place of the addresses that only receive forms."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
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


class FormAddressMiddleware:
    """A page asked for at an address that only receives a form (405 to a GET): the form's
    errors were shown there, and then the reader reloaded it, bookmarked it or switched the
    language, which reopens the current address. Instead of the browser's bare "405" they
    go to the nearest page above it (``/alliances/x/members/invite/`` → the members page).
    The API keeps its 405s: a program asked for a method the operation does not have."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code != 405 or request.method not in ("GET", "HEAD"):
            return response
        if request.path_info.startswith("/api/"):
            return response
        above = page_above(request.path_info)
        return HttpResponseRedirect(above) if above is not None else response


def page_above(path: str) -> str | None:
    """The nearest address above ``path`` that the site serves ("/" at the top), or ``None``
    when ``path`` is the top already.

    >>> page_above("/alliances/x/members/invite/")
    '/alliances/x/members/'
    """
    parts = [p for p in path.split("/") if p]
    for keep in range(len(parts) - 1, -1, -1):
        candidate = "/" + "".join(f"{p}/" for p in parts[:keep])
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return None
