"""Every request's id: taken from a sane incoming ``X-Request-ID`` (a proxy's or a load
balancer's) or made here, returned in the ``X-Request-ID`` response header, added to every
log record written while the request runs, and shown on the error pages so that what a
reader reports leads to the log lines of their request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Request-ID"
#: An incoming id is kept only if it is short and plain: letters, digits and ``-_.:``.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

_current: ContextVar[str | None] = ContextVar("peerlearn_request_id", default=None)
request_logger = logging.getLogger("peerlearn.requests")


def current_request_id() -> str | None:
    """The id of the request being served in this thread, if any."""
    return _current.get()


def request_id_of(request: HttpRequest) -> str:
    """The request's id (a new one if the middleware did not run, e.g. in a unit test)."""
    rid = getattr(request, "request_id", None)
    if not rid:
        rid = uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
    return str(rid)


class RequestIdMiddleware:
    """First in the chain, so that every answer carries the id, errors included, and every
    log line of the request names it. Also logs one line per request: method, path, status
    and duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.headers.get(HEADER, "")
        rid = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = rid  # type: ignore[attr-defined]
        token = _current.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current.reset(token)


def install_log_record_factory() -> None:
    """Every log record made from now on carries ``request_id``, whatever handler (or test
    capture) receives it. Installed once, at start-up."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "peerlearn_request_id", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = _current.get() or "-"
        return record

    factory.peerlearn_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class RequestIdFilter(logging.Filter):
    """Makes sure ``request_id`` is on every record a handler formats (``-`` outside a
    request), also for records made before the factory was installed."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _current.get() or "-"
        return True


class ClientErrorTracebackFilter(logging.Filter):
    """For ``django.request``: a request refused with a 4xx (a 403 from the access layer's
    ``AccessDenied``, a 400) is logged as its one line, without the exception's traceback
    that Django attaches; the refusal is the expected answer, not a fault. Server errors
    (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
