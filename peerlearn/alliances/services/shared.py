"""What every part of an alliance's services uses: the rule that a closed alliance takes no
changes, and the record of changes."""

from __future__ import annotations

from auditlog.context import auditlog_disabled
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    LearningAlliance,
)
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_record
from peerlearn.core.dates import date_format


def alliance_closed_problems(alliance: LearningAlliance, *, field: str) -> dict[str, list[str]]:
    """What refuses a change that only a running alliance takes (a stage move, a new member
    or invitation), keyed by ``field``: nothing while the alliance runs; once it is closed,
    when it closed and what to do."""
    if alliance.closed_on is None:
        return {}
    return {
        field: [
            _("%(alliance)s was closed on %(date)s: a facilitator reopens it from its page first.")
            % {
                "alliance": alliance.name,
                "date": date_format(alliance.closed_on, "DATE_FORMAT"),
            }
        ]
    }


def alliance_change_record(
    alliance: LearningAlliance,
    actor: User | None,
    event: str,
    *,
    action: AuditAction = AuditAction.UPDATE,
    extra: dict[str, object] | None = None,
    **detail: object,
) -> None:
    """One entry in the audit trail for a change to the alliance, shown on its history
    (ids and codes only, never free text). Nothing is recorded where django-auditlog is
    switched off (seeding the demo is nobody's action)."""
    if auditlog_disabled.get():
        return
    audit_record(
        action=action,
        actor=actor,
        object_type="alliances.learningalliance",
        object_id=alliance.id,
        detail={"alliance": alliance.id, "event": event, **(extra or {}), **detail},
    )
