"""Sign-ins, sign-outs and django-auditlog's field changes, into the one trail."""

from __future__ import annotations

from typing import Any

from auditlog.signals import post_log
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.http import HttpRequest

from peerlearn.audit.context import current_request
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_record, request_actor

#: django-auditlog's LogEntry.Action values.
_ACTIONS = {0: AuditAction.CREATE, 1: AuditAction.UPDATE, 2: AuditAction.DELETE}


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.SIGN_IN, actor=user, request=request)


def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(action=AuditAction.SIGN_OUT, actor=user, request=request)


def field_changed(
    sender: Any, instance: Any, action: int, log_entry: Any = None, **kwargs: Any
) -> None:
    """Mirror each auditlog entry as an event: who, which object, which audited fields
    changed from what to what (ids and codes only)."""
    if log_entry is None or action not in _ACTIONS:
        return
    request = current_request.get()
    actor = log_entry.actor or request_actor(request)
    audit_record(
        action=_ACTIONS[action],
        actor=actor,
        request=request,
        object_type=instance._meta.label_lower,
        object_id=instance.pk if instance.pk is not None else log_entry.object_pk,
        detail={"changes": log_entry.changes or {}},
    )


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="peerlearn.audit.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="peerlearn.audit.signed_out")
    post_log.connect(field_changed, dispatch_uid="peerlearn.audit.field_changed")
