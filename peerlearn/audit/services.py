"""Writing the audit trail: one function records an event; the retention purge removes old
ones; erasure makes the trail forget a person's name (it keeps their pseudonymous key)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Replace
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from peerlearn.accounts.security import client_ip
from peerlearn.audit.context import current_request
from peerlearn.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from peerlearn.accounts.models import User

#: The HMAC's salt: changing it (or SECRET_KEY) starts new keys for everyone.
_PSEUDONYM_SALT = "peerlearn.audit.actor"


def audit_pseudonym(user_id: int) -> str:
    """A stable key for a user id that does not reveal the id or the person: the trail's
    events stay linkable to one another after the account is erased."""
    return salted_hmac(_PSEUDONYM_SALT, str(user_id)).hexdigest()[:32]


def request_actor(request: HttpRequest | None) -> User | None:
    """Who made the request: the API's bearer-key user, else the session's user."""
    if request is None:
        return None
    for candidate in (getattr(request, "auth", None), getattr(request, "user", None)):
        if getattr(candidate, "is_authenticated", False) and getattr(candidate, "pk", None):
            return candidate
    return None


def audit_record(
    *,
    action: AuditAction,
    actor: User | None = None,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    after_commit: bool = False,
) -> AuditEvent:
    """Append one event. The actor defaults to the request's user; the address and client
    come from the request (the one being served, when none is given).

    ``after_commit`` writes the event once the current transaction ends, in a transaction
    of its own: for requests that only read (a list, a download), whose transaction need
    then never become a writing one — with SQLite, a reading transaction that starts to
    write fails at once if another connection wrote meanwhile, where a fresh one waits."""
    request = request or current_request.get()
    actor = actor or request_actor(request)
    event = AuditEvent(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_key=audit_pseudonym(actor.pk) if actor is not None else "",
        object_type=object_type[:60],
        object_id=str(object_id)[:64],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
        detail=detail or {},
    )
    # The actor is a loaded user: checking that it exists would cost a query per event.
    event.full_clean(exclude=["actor"])
    if after_commit:
        transaction.on_commit(event.save)
    else:
        event.save()
    return event


def audit_bulk_read(*, request: HttpRequest, what: str, count: int | None = None) -> AuditEvent:
    """A list of content that may include confidential items was read (the API's lists of
    peers and statements): what, with which filters, and how many items."""
    detail: dict[str, Any] = {"path": request.path, "query": request.GET.dict()}
    if count is not None:
        detail["count"] = count
    return audit_record(
        action=AuditAction.BULK_READ,
        request=request,
        object_type=what,
        detail=detail,
        after_commit=True,
    )


def audit_export(
    *,
    what: str,
    detail: dict[str, Any],
    actor: User | None = None,
    request: HttpRequest | None = None,
    after_commit: bool = False,
) -> AuditEvent:
    """Data left the platform: what, for whom, how much."""
    return audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        request=request,
        object_type=what,
        detail=detail,
        after_commit=after_commit,
    )


def audit_purge(*, days: int | None = None, now: Any = None) -> int:
    """Remove events (and django-auditlog entries) older than the retention period
    (``PEERLEARN_AUDIT_RETENTION_DAYS``; 0 keeps everything). Returns how many events went."""
    from auditlog.models import LogEntry

    days = settings.PEERLEARN_AUDIT_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return AuditEvent.objects.all().purge_before(cutoff)


def audit_person_forget(*, user: User, names: list[str], username: str) -> None:
    """After an account is erased: the libraries' own logs stop naming the person. Our
    events never hold a name (they keep the id and the pseudonymous key); django-auditlog
    and the admin's history keep a text representation of each object, and django-axes the
    user name typed at sign-in."""
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import LogEntry as AdminLogEntry

    from peerlearn.accounts.models import FORMER_MEMBER

    former = str(FORMER_MEMBER)
    LogEntry.objects.filter(actor=user).update(actor_email="")
    for name in {n for n in names if n}:
        for model in (LogEntry, AdminLogEntry):
            model.objects.filter(object_repr__contains=name).update(
                object_repr=Replace("object_repr", Value(name), Value(former))
            )
    for axes_model in (AccessAttempt, AccessFailureLog, AccessLog):
        axes_model.objects.filter(username=username).delete()
