"""The access layer's answers, remembered for the length of one reading request.

A page asks the access layer the same questions several times over (the page frame, the
list of what needs the viewer, the page's own body): which alliances the viewer is inside,
their own profile, which alliances and statements they may see. Within a
:func:`request_scope` — opened by :class:`AccessScopeMiddleware` around every reading
request (GET, HEAD, OPTIONS) — a function decorated with :func:`remembered` answers each
question once per viewer and arguments:

* a queryset is built once and handed out as a fresh copy (``.all()``) every time, so it is
  still read from the database when it is evaluated: remembering it only saves building
  it again;
* any other answer (ids read from the database, the viewer's profile) is the one read the
  first time, and is forgotten as soon as a model such answers depend on (memberships,
  alliances and their funders, profiles, accounts) is saved or deleted during the request.

An answer is remembered under the viewer's id *and* every attribute of theirs the rules
read (role, organisation, active, administrator, e-mail address and whether it is
verified), so it is never given to another viewer, nor kept once the viewer's own account
object changes. Nothing outlives the request: outside a scope (writing requests, services,
background tasks, the shell) every call computes its answer afresh.

>>> calls = []
>>> @remembered
... def twice(user, n):
...     calls.append(n)
...     return n * 2
>>> from django.contrib.auth.models import AnonymousUser
>>> anonymous = AnonymousUser()
>>> twice(anonymous, 2), twice(anonymous, 2), calls  # no scope: computed each time
(4, 4, [2, 2])
>>> with request_scope():
...     twice(anonymous, 3), twice(anonymous, 3), twice(anonymous, 4)
(6, 6, 8)
>>> calls
[2, 2, 3, 4]
>>> with request_scope():  # a new request remembers nothing of the last one
...     twice(anonymous, 3)
6
>>> calls
[2, 2, 3, 4, 3]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponseBase

P = ParamSpec("P")
R = TypeVar("R")

_answers: ContextVar[dict[Hashable, Any] | None] = ContextVar("access_answers", default=None)

#: Reading requests: they run the view with the access layer's answers remembered.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Models whose rows the remembered answers are read from: saving or deleting one forgets
#: every answer of the request (``m2m_changed`` for the alliances' funders).
DEPENDS_ON = (
    "accounts.User",
    "alliances.AllianceMembership",
    "alliances.LearningAlliance",
    "peers.PeerProfile",
)


@contextmanager
def request_scope() -> Iterator[None]:
    """Remember the access layer's answers until the block ends (nested: a fresh memory)."""
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def forget(**_: Any) -> None:
    """Forget every answer remembered in the current scope (a signal receiver)."""
    answers = _answers.get()
    if answers:
        answers.clear()


def viewer_key(user: Any) -> tuple[Any, ...]:
    """Who the viewer is, as far as any rule reads it: two keys are equal only for the same
    account in the same state."""
    if not getattr(user, "is_authenticated", False):
        return ("anonymous",)
    return (
        user.pk,
        user.is_active,
        user.role,
        user.organisation_id,
        bool(user.is_platform_admin),
        user.email_verified,
        user.email,
    )


def remembered(fn: Callable[P, R]) -> Callable[P, R]:
    """Answer ``fn(user, *args)`` once per request scope, viewer and arguments (which must be
    hashable). A queryset answer is handed out as a fresh copy each time; any other answer
    must not be changed by its callers."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        answers = _answers.get()
        if answers is None or kwargs:
            return fn(*args, **kwargs)
        user, *rest = args
        key = (fn, viewer_key(user), *rest)
        try:
            answer = answers[key]
        except KeyError:
            answer = answers[key] = fn(*args, **kwargs)
        if isinstance(answer, QuerySet):
            return answer.all()  # type: ignore[return-value]
        return answer  # type: ignore[no-any-return]

    return wrapper


class AccessScopeMiddleware:
    """Runs each reading request's view in a :func:`request_scope`. Writing requests keep no
    memory: what they write may change who sees what, and not every write sends a signal
    (``QuerySet.update``, ``bulk_create``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in READING_METHODS:
            return self.get_response(request)
        with request_scope():
            return self.get_response(request)


for _label in DEPENDS_ON:
    post_save.connect(forget, sender=_label, dispatch_uid=f"access-memo-save-{_label}")
    post_delete.connect(forget, sender=_label, dispatch_uid=f"access-memo-delete-{_label}")
m2m_changed.connect(
    forget, sender="alliances.LearningAlliance_funders", dispatch_uid="access-memo-funders"
)
