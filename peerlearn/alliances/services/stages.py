"""An alliance's move through the Learning Guide's stages, and the checklists asked at each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.accounts.models import User
from peerlearn.alliances.checklists import QUESTIONS_BY_KEY, questions_for
from peerlearn.alliances.models import (
    AllianceStage,
    ChecklistAnswer,
    LearningAlliance,
    StageChange,
)
from peerlearn.alliances.services.shared import alliance_change_record, alliance_closed_problems
from peerlearn.core.mail import notify


def stage_move_problems(*, alliance: LearningAlliance, stage: int) -> dict[str, list[str]]:
    """Why the alliance cannot move to ``stage`` (nothing when it can): it is closed, the
    stage is not one of the guide's, it is the current one, or it skips ahead."""
    if problems := alliance_closed_problems(alliance, field="stage"):
        return problems
    if stage not in AllianceStage.values:
        return {"stage": [_("Choose one of the Learning Guide's stages.")]}
    if stage == alliance.stage:
        return {"stage": [_("The alliance is already at this stage.")]}
    if stage > alliance.stage + 1:
        return {
            "stage": [
                _("Move forward one stage at a time: next is “%(next)s”.")
                % {"next": AllianceStage(alliance.stage + 1).label}
            ]
        }
    return {}


@transaction.atomic
def alliance_stage_change(
    *,
    alliance: LearningAlliance,
    stage: int,
    changed_by: User | None,
    note: str = "",
    site_url: str = "",
    tell_members: bool = True,
    open_confirmed: bool = True,
) -> LearningAlliance:
    """Move an alliance to another stage of the Learning Guide, record who and why, and tell
    its members.

    Stages may be revisited (learning is not linear, case 5), but not skipped forward by more
    than one step, so each stage's work is at least opened. The reason is required: the
    stage history is the alliance's record of why it moved.

    Moving on while questions of the current stage are still open needs
    ``open_confirmed``: pages and the API ask the facilitator to confirm it."""
    if problems := stage_move_problems(alliance=alliance, stage=stage):
        raise ValidationError(problems)
    # The reason and the open questions are told in one round.
    errors: dict[str, list[str]] = {}
    if not note.strip():
        errors["note"] = [
            _(
                "Say why the alliance moves now: what was achieved, or why it returns to an "
                "earlier stage."
            )
        ]
    open_keys = checklist_open_questions(alliance=alliance)
    if stage > alliance.stage and open_keys and not open_confirmed:
        errors["confirm_open"] = [
            ngettext(
                "%(count)d question of this stage is still open: answer it, or "
                "confirm that the alliance moves on without it.",
                "%(count)d questions of this stage are still open: answer them, or "
                "confirm that the alliance moves on without them.",
                len(open_keys),
            )
            % {"count": len(open_keys)}
        ]
    if errors:
        raise ValidationError(errors)
    StageChange.objects.create(
        alliance=alliance,
        from_stage=alliance.stage,
        to_stage=stage,
        changed_by=changed_by,
        note=note.strip(),
    )
    moved_from = alliance.stage
    alliance.stage = stage
    alliance.save(update_fields=["stage", "updated_at"])
    moved: dict[str, object] = {
        "from": moved_from,
        "to": stage,
        "open": len(open_keys) if stage > moved_from else 0,
    }
    alliance_change_record(alliance, changed_by, "stage_moved", extra=moved)
    if not tell_members:
        return alliance
    members = [
        m.user
        for m in alliance.memberships.select_related("user")
        if changed_by is None or m.user_id != changed_by.id
    ]
    notify(
        members,
        "alliances/email/stage_changed",
        {
            "alliance": alliance.name,
            "stage": AllianceStage(stage).label,
            "forward": stage > moved_from,
            "note": note.strip(),
            "by": changed_by.name if changed_by is not None else "",
            "url": site_url + reverse("alliances:detail", args=[alliance.slug]),
        },
    )
    return alliance


def checklist_open_questions(*, alliance: LearningAlliance, stage: int | None = None) -> list[str]:
    """The keys of the questions of ``stage`` (the alliance's current one) with no answer."""
    stage = alliance.stage if stage is None else stage
    answered = set(alliance.checklist_answers.exclude(answer="").values_list("question", flat=True))
    return [q.key for q in questions_for(stage) if q.key not in answered]


@transaction.atomic
def checklist_answers_save(
    *, alliance: LearningAlliance, answers: dict[str, str], by: User | None
) -> list[str]:
    """Store the alliance's answers (question key → text; an empty text clears the answer).
    Returns the keys that changed."""
    unknown = [key for key in answers if key not in QUESTIONS_BY_KEY]
    if unknown:
        raise ValidationError(
            {"answers": [_("Unknown question: %(key)s.") % {"key": ", ".join(sorted(unknown))}]}
        )
    existing = {a.question: a for a in alliance.checklist_answers.all()}
    changed: list[str] = []
    for key, text in answers.items():
        text = (text or "").strip()
        if len(text) > 5000:
            raise ValidationError({key: [_("Keep the answer under 5,000 characters.")]})
        current = existing.get(key)
        if current is None and not text:
            continue
        if current is not None and current.answer == text:
            continue
        if current is None:
            ChecklistAnswer.objects.create(
                alliance=alliance, question=key, answer=text, answered_by=by
            )
        elif not text:
            current.delete()
        else:
            current.answer = text
            current.answered_by = by
            current.save(update_fields=["answer", "answered_by", "updated_at"])
        changed.append(key)
    if changed:
        alliance_change_record(alliance, by, "checklist_answered", questions=changed)
    return changed
