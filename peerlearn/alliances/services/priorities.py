"""An alliance's priority reform areas, in their order."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    AlliancePriority,
    LearningAlliance,
)
from peerlearn.alliances.services.shared import alliance_change_record
from peerlearn.audit.models import AuditAction


def alliance_priority_add(
    *, alliance: LearningAlliance, title: str, description: str = ""
) -> AlliancePriority:
    priority = AlliancePriority(
        alliance=alliance,
        title=title.strip(),
        description=description.strip(),
        position=alliance.priorities.count(),
    )
    priority.full_clean()
    priority.save()
    return priority


def priority_problems(
    *, alliance: LearningAlliance, title: str, priority: AlliancePriority | None = None
) -> dict[str, list[str]]:
    """Why a priority reform area cannot take ``title`` (nothing when it can): it is empty,
    or another of the alliance's priorities has it (whatever its case)."""
    title = title.strip()
    if not title:
        return {"title": [_("Name the priority reform area.")]}
    others = alliance.priorities.filter(title__iexact=title)
    if priority is not None:
        others = others.exclude(id=priority.id)
    if others.exists():
        return {
            "title": [
                _("“%(title)s” is already one of the alliance's priorities: give another name.")
                % {"title": title}
            ]
        }
    return {}


def _priority_fields(
    alliance: LearningAlliance,
    title: str,
    description: str,
    priority: AlliancePriority | None = None,
) -> tuple[str, str]:
    if problems := priority_problems(alliance=alliance, title=title, priority=priority):
        raise ValidationError(problems)
    return title.strip(), description.strip()


@transaction.atomic
def alliance_priority_create(
    *, alliance: LearningAlliance, title: str, description: str = "", by: User | None
) -> AlliancePriority:
    title, description = _priority_fields(alliance, title, description)
    priority = alliance_priority_add(alliance=alliance, title=title, description=description)
    alliance_change_record(alliance, by, "priority_added", priority=priority.id)
    return priority


@transaction.atomic
def alliance_priority_update(
    *, priority: AlliancePriority, title: str, description: str = "", by: User | None
) -> AlliancePriority:
    priority.title, priority.description = _priority_fields(
        priority.alliance, title, description, priority
    )
    priority.full_clean()
    priority.save(update_fields=["title", "description"])
    alliance_change_record(priority.alliance, by, "priority_edited", priority=priority.id)
    return priority


@transaction.atomic
def alliance_priority_move(
    *, priority: AlliancePriority, direction: str, by: User | None
) -> AlliancePriority:
    """Move a priority one place ``up`` or ``down`` in the alliance's order."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": [_("Move it up or down.")]})
    ordered = list(priority.alliance.priorities.order_by("position", "id"))
    at = next(i for i, p in enumerate(ordered) if p.id == priority.id)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(ordered):
        ordered[at], ordered[to] = ordered[to], ordered[at]
        for position, p in enumerate(ordered):
            if p.position != position:
                p.position = position
                p.save(update_fields=["position"])
        alliance_change_record(
            priority.alliance, by, "priority_moved", priority=priority.id, position=to
        )
    priority.refresh_from_db()
    return priority


@transaction.atomic
def alliance_priority_delete(*, priority: AlliancePriority, by: User | None) -> None:
    alliance = priority.alliance
    priority_id = priority.id
    priority.delete()
    for position, p in enumerate(alliance.priorities.order_by("position", "id")):
        if p.position != position:
            p.position = position
            p.save(update_fields=["position"])
    alliance_change_record(
        alliance, by, "priority_removed", action=AuditAction.DELETE, priority=priority_id
    )
