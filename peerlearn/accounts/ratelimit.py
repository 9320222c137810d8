"""Rate limits on the website's forms, like the API's (``PEERLEARN_API_RATE``).

Counts live in the cache (``CACHE_URL``), so several server processes sharing one cache
(e.g. Redis) share the limits. Each rule counts requests per key in fixed windows: a
signed-in person by their account, anyone else by their address (``security.client_ip``,
the one sign-in lockouts use). Beyond a limit the answer is 429 with ``Retry-After`` and a
page (JSON under ``/api/``) that says when to try again.

* every form: each POST, PUT, PATCH or DELETE outside the API, per person or address —
  ``PEERLEARN_FORM_RATE`` (60/min);
* sign-up: per address — ``PEERLEARN_SIGNUP_RATE`` (60/hour);
* password reset: requests per address — ``PEERLEARN_PASSWORD_RESET_RATE`` (10/hour), and per
  e-mail address asked for — ``PEERLEARN_PASSWORD_RESET_EMAIL_RATE`` (3/hour);
* "send the verification e-mail again": per account —
  ``PEERLEARN_VERIFICATION_EMAIL_RATE`` (3/hour), on the page and in the API, one count for
  both; the page counts in its view (:func:`verification_email_hit`), so that beyond the
  limit it goes back to the page the person was reading, whose banner says when they may
  ask again (:func:`verification_email_usage`), rather than to a page of its own;
* messages to a peer through the platform ("Write to …" on a profile): per account —
  ``PEERLEARN_CONTACT_RATE`` (10/hour).
* posts and new threads in discussions: per person — ``PEERLEARN_DISCUSSION_POST_RATE``
  (10/min).

A service may count only what it did, with :func:`hit` (the requests to the administrators
to invite an authoriser, ``PEERLEARN_AUTHORISER_ASK_RATE``: 3 a day, refused ones not
counted).

A rate is ``N/s``, ``N/min``, ``N/hour`` or ``N/day``; an empty one turns the rule off.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from peerlearn.accounts.security import client_ip

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"
_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


def parse_rate(rate: str) -> tuple[int, int] | None:
    """``"10/min"`` → (10, 60); ``""`` → None (no limit)."""
    rate = (rate or "").strip()
    if not rate:
        return None
    count, _slash, unit = rate.partition("/")
    seconds = _UNITS.get(unit.strip().lower())
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"{rate!r} is not a rate: write e.g. '10/min' (s, min, hour or day).")
    return int(count), seconds


@dataclass(frozen=True)
class _Window:
    """The fixed window ``now`` falls in for one rule and one person or address."""

    key: str
    limit: int
    period: int
    #: Until the window ends and the count starts again.
    seconds_left: int


def _window(scope: str, ident: str, rate: str) -> _Window | None:
    """The cache key that counts ``ident`` under ``scope`` now, with ``rate``'s limit and
    period; None when the rule is off."""
    parsed = parse_rate(rate)
    if parsed is None:
        return None
    limit, period = parsed
    now = time.time()
    window = int(now // period)
    return _Window(
        key=f"peerlearn:rl:{scope}:{ident}:{window}",
        limit=limit,
        period=period,
        seconds_left=max(1, math.ceil((window + 1) * period - now)),
    )


def hit(scope: str, ident: str, rate: str) -> int | None:
    """Count one request of ``ident`` under ``scope``; return the seconds to wait when it goes
    beyond ``rate``, else None."""
    w = _window(scope, ident, rate)
    if w is None:
        return None
    cache.add(w.key, 0, timeout=w.period + 1)
    try:
        count = cache.incr(w.key)
    except ValueError:  # expired between add and incr
        cache.add(w.key, 1, timeout=w.period + 1)
        count = 1
    if count <= w.limit:
        return None
    return w.seconds_left


@dataclass(frozen=True)
class Usage:
    """How much of a limit one person used in the current window."""

    count: int
    limit: int
    #: Until the window ends and the count starts again.
    seconds_left: int

    @property
    def minutes_left(self) -> int:
        return math.ceil(self.seconds_left / 60)

    @property
    def reached(self) -> bool:
        return self.count >= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def usage(scope: str, ident: str, rate: str) -> Usage | None:
    """What ``ident`` used of ``rate`` under ``scope`` in the current window, without
    counting anything; None when the rule is off."""
    w = _window(scope, ident, rate)
    if w is None:
        return None
    return Usage(int(cache.get(w.key, 0)), w.limit, w.seconds_left)


VERIFY_SCOPE = "verify"


def verification_email_hit(user: Any) -> int | None:
    """Count one "send the link again" of ``user``'s; the seconds to wait beyond the limit."""
    return hit(VERIFY_SCOPE, f"user:{user.pk}", settings.PEERLEARN_VERIFICATION_EMAIL_RATE)


def verification_email_usage(user: Any) -> Usage | None:
    """How many times ``user`` had the link sent again this window, and when it ends."""
    return usage(VERIFY_SCOPE, f"user:{user.pk}", settings.PEERLEARN_VERIFICATION_EMAIL_RATE)


def _hashed(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _person_or_address(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or 'unknown'}"


def _address(request: HttpRequest) -> str:
    return f"ip:{client_ip(request) or 'unknown'}"


def _email_asked_for(request: HttpRequest) -> str | None:
    email = request.POST.get("email", "")
    return f"email:{_hashed(email)}" if email.strip() else None


def _account(request: HttpRequest) -> str | None:
    # The API's bearer-key user is request.auth; a browser's is request.user.
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return f"user:{user.pk}" if user is not None and user.is_authenticated else None


@dataclass(frozen=True)
class Rule:
    scope: str
    setting: str
    key: Callable[[HttpRequest], str | None]
    #: The URL names it applies to; None: every form.
    url_names: frozenset[str] | None = None


RULES = (
    Rule("form", "PEERLEARN_FORM_RATE", _person_or_address),
    Rule("signup", "PEERLEARN_SIGNUP_RATE", _address, frozenset({"accounts:signup"})),
    Rule("reset", "PEERLEARN_PASSWORD_RESET_RATE", _address, frozenset({"password_reset"})),
    Rule(
        "reset-email",
        "PEERLEARN_PASSWORD_RESET_EMAIL_RATE",
        _email_asked_for,
        frozenset({"password_reset"}),
    ),
    # The page's "send the link again" counts in its view (verification_email_hit).
    Rule(
        VERIFY_SCOPE,
        "PEERLEARN_VERIFICATION_EMAIL_RATE",
        _account,
        frozenset({"api:account_verification_send"}),
    ),
    Rule("contact", "PEERLEARN_CONTACT_RATE", _account, frozenset({"peers:contact"})),
    Rule(
        "discussion-post",
        "PEERLEARN_DISCUSSION_POST_RATE",
        _person_or_address,
        frozenset({"discussions:thread", "discussions:thread_create", "discussions:topic_create"}),
    ),
)


def _url_name(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name


def check(request: HttpRequest, *, every_form: bool = True) -> int | None:
    """Count the request against each rule that applies; the longest wait, if any is
    exceeded. ``every_form=False`` leaves out the general rule (the API has its own)."""
    name = _url_name(request)
    wait = None
    for rule in RULES:
        if rule.url_names is None and not every_form:
            continue
        if rule.url_names is not None and name not in rule.url_names:
            continue
        ident = rule.key(request)
        if ident is None:
            continue
        seconds = hit(rule.scope, ident, str(getattr(settings, rule.setting, "")))
        if seconds is not None:
            wait = max(wait or 0, seconds)
    return wait


def too_many_requests(request: HttpRequest, wait: int) -> HttpResponse:
    """429 with Retry-After: JSON under /api/, else a page."""
    minutes = math.ceil(wait / 60)
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            {
                "detail": _("Too many requests: wait %(seconds)s seconds, then try again.")
                % {"seconds": wait}
            },
            status=429,
        )
    else:
        response = render(request, "429.html", {"seconds": wait, "minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


class FormRateLimitMiddleware:
    """Applies the rules to every writing request outside the API (the API throttles its
    own, see ``peerlearn.api``). After authentication, so a signed-in person is counted by
    account."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in UNSAFE_METHODS and not request.path.startswith(API_PREFIX):
            wait = check(request)
            if wait is not None:
                return too_many_requests(request, wait)
        return self.get_response(request)
