"""Notes on an alliance's political context and risks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    LearningAlliance,
    RiskNote,
)
from peerlearn.alliances.services.shared import alliance_change_record
from peerlearn.audit.models import AuditAction


def _risk_fields(kind: str, title: str) -> None:
    from peerlearn.alliances.models import RiskKind

    if kind not in RiskKind.values:
        raise ValidationError({"kind": [_("Choose the kind of risk.")]})
    if not title.strip():
        raise ValidationError({"title": [_("Give the note a short title.")]})


@transaction.atomic
def risk_note_create(
    *, alliance: LearningAlliance, kind: str, title: str, body: str = "", by: User | None
) -> RiskNote:
    _risk_fields(kind, title)
    note = RiskNote(
        alliance=alliance, kind=kind, title=title.strip(), body=body.strip(), written_by=by
    )
    note.full_clean()
    note.save()
    alliance_change_record(alliance, by, "risk_added", note=note.id, kind=kind)
    return note


@transaction.atomic
def risk_note_update(
    *, note: RiskNote, kind: str, title: str, body: str = "", by: User | None
) -> RiskNote:
    _risk_fields(kind, title)
    note.kind, note.title, note.body = kind, title.strip(), body.strip()
    note.full_clean()
    note.save()
    alliance_change_record(note.alliance, by, "risk_edited", note=note.id, kind=kind)
    return note


@transaction.atomic
def risk_note_delete(*, note: RiskNote, by: User | None) -> None:
    alliance, note_id = note.alliance, note.id
    note.delete()
    alliance_change_record(alliance, by, "risk_removed", action=AuditAction.DELETE, note=note_id)
