"""Reading the audit trail: the filtered list administrators browse and export, shown
without the names of people who erased their accounts."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.audit import require_audit_reader
from peerlearn.access.base import Viewer
from peerlearn.accounts.models import FORMER_MEMBER
from peerlearn.audit.display import detail_text, object_text
from peerlearn.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # a user name, a person's name or a pseudonymous key
    action: str = ""
    object_type: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(*, user: Viewer, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events an administrator asked for, newest first."""
    require_audit_reader(user)
    qs = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    if filters.actor:
        term = filters.actor.strip()
        qs = qs.filter(
            Q(actor_key=term)
            | Q(actor__username__iexact=term, actor__erased_at__isnull=True)
            | Q(actor__name__icontains=term, actor__erased_at__isnull=True)
        )
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to) + timedelta(days=1))
    return qs


def audit_object_types() -> list[str]:
    """The object types the trail holds, each once, for the filter's choices. (Ordered by
    the type itself: the model's default ordering would add its columns to the DISTINCT,
    and each type would come back once per event.)"""
    return [
        t
        for t in AuditEvent.objects.order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
        if t
    ]


def actor_label(event: AuditEvent) -> str:
    """Who acted, as the trail shows them: their name, "a former member" once the account
    is erased (or gone), or "the system" for commands and background work."""
    if not event.actor_key:
        return _("the system")
    actor = event.actor
    if actor is None or actor.erased_at is not None:
        return str(FORMER_MEMBER)
    return f"{actor.name} ({actor.username})"


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    actor: str
    detail: str  # the stored detail as JSON, for exports

    @property
    def object_text(self) -> str:
        """The object in words, for the page: "Learning alliance #12"."""
        return object_text(self.event)

    @property
    def detail_text(self) -> str:
        """The detail in words, for the page: "Visibility: Platform → Private"."""
        return detail_text(self.event)


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    return [
        AuditRow(
            event=e,
            actor=actor_label(e),
            detail=json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else "",
        )
        for e in events
    ]


CSV_FIELDS = (
    "id",
    "created_at",
    "action",
    "actor",
    "actor_key",
    "object_type",
    "object_id",
    "ip_address",
    "user_agent",
    "detail",
)


def audit_csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """The events as CSV, a line at a time (for a streamed download)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow(CSV_FIELDS)
    yield flush()
    for row in audit_rows(events.iterator(chunk_size=500)):
        e = row.event
        writer.writerow(
            [
                e.id,
                e.created_at.isoformat(),
                e.action,
                row.actor,
                e.actor_key,
                e.object_type,
                e.object_id,
                e.ip_address or "",
                e.user_agent,
                row.detail,
            ]
        )
        yield flush()


def audit_events_of(*, user: Any) -> QuerySet[AuditEvent]:
    """The events a person caused, for their own data download."""
    return AuditEvent.objects.filter(actor_id=user.pk).order_by("created_at", "id")
