"""Closing a learning alliance when its work is done (or it stops early), and reopening it.

A closed alliance keeps everything it recorded: its members still read its pages, give
feedback on past activities and add evidence of results, which often comes after the
last meeting. It moves through no more stages and takes no new members or invitations
until a facilitator reopens it (:func:`peerlearn.alliances.services.alliance_closed_problems`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.alliances.services import alliance_change_record, checklist_open_questions
from peerlearn.core.dates import date_format
from peerlearn.core.mail import notify

#: The longest closing or reopening note, as for a stage move's reason.
NOTE_MAX_LENGTH = 2000


def alliance_close_problems(
    *, alliance: LearningAlliance, note: str, open_confirmed: bool = True
) -> dict[str, list[str]]:
    """Why the alliance cannot be closed now, by field (nothing when it can)."""
    problems: dict[str, list[str]] = {}
    if alliance.closed_on is not None:
        problems["alliance"] = [
            _("%(alliance)s was already closed on %(date)s.")
            % {"alliance": alliance.name, "date": date_format(alliance.closed_on, "DATE_FORMAT")}
        ]
        return problems
    if not note.strip():
        problems["note"] = [
            _(
                "Say what the alliance achieved, or why it stops now: members read it on the "
                "alliance's page."
            )
        ]
    elif len(note.strip()) > NOTE_MAX_LENGTH:
        problems["note"] = [
            _("Shorten the note to %(max)d characters or fewer.") % {"max": NOTE_MAX_LENGTH}
        ]
    open_keys = checklist_open_questions(alliance=alliance)
    if open_keys and not open_confirmed:
        problems["confirm_open"] = [
            ngettext(
                "%(count)d question of this stage is still open: answer it, or confirm that "
                "the alliance closes without it.",
                "%(count)d questions of this stage are still open: answer them, or confirm "
                "that the alliance closes without them.",
                len(open_keys),
            )
            % {"count": len(open_keys)}
        ]
    return problems


@transaction.atomic
def alliance_close(
    *,
    alliance: LearningAlliance,
    by: User | None,
    note: str,
    site_url: str = "",
    open_confirmed: bool = True,
    tell_members: bool = True,
) -> LearningAlliance:
    """Close the alliance today with a note on what it achieved, record who closed it, and
    tell its members by e-mail. Closing at any stage is allowed: an alliance may stop early,
    and its note says why."""
    alliance = LearningAlliance.objects.select_for_update().get(pk=alliance.pk)
    if problems := alliance_close_problems(
        alliance=alliance, note=note, open_confirmed=open_confirmed
    ):
        raise ValidationError(problems)
    alliance.closed_on = timezone.localdate()
    alliance.closing_note = note.strip()
    alliance.save(update_fields=["closed_on", "closing_note", "updated_at"])
    alliance_change_record(alliance, by, "closed", stage=alliance.stage)
    if tell_members:
        _tell_members(alliance, by, "alliances/email/closed", note.strip(), site_url)
    return alliance


def alliance_reopen_problems(*, alliance: LearningAlliance, note: str) -> dict[str, list[str]]:
    """Why the alliance cannot be reopened now, by field (nothing when it can)."""
    if alliance.closed_on is None:
        return {"alliance": [_("%(alliance)s is not closed.") % {"alliance": alliance.name}]}
    if not note.strip():
        return {
            "note": [_("Say why the alliance reopens: members read it in the e-mail they get.")]
        }
    if len(note.strip()) > NOTE_MAX_LENGTH:
        return {
            "note": [
                _("Shorten the note to %(max)d characters or fewer.") % {"max": NOTE_MAX_LENGTH}
            ]
        }
    return {}


@transaction.atomic
def alliance_reopen(
    *,
    alliance: LearningAlliance,
    by: User | None,
    note: str,
    site_url: str = "",
    tell_members: bool = True,
) -> LearningAlliance:
    """Reopen a closed alliance at the stage it closed at; the closing note is cleared (the
    audit trail keeps when it was closed and reopened, and by whom)."""
    alliance = LearningAlliance.objects.select_for_update().get(pk=alliance.pk)
    if problems := alliance_reopen_problems(alliance=alliance, note=note):
        raise ValidationError(problems)
    closed_on = alliance.closed_on
    alliance.closed_on = None
    alliance.closing_note = ""
    alliance.save(update_fields=["closed_on", "closing_note", "updated_at"])
    alliance_change_record(
        alliance, by, "reopened", closed_on=closed_on.isoformat() if closed_on else ""
    )
    if tell_members:
        _tell_members(alliance, by, "alliances/email/reopened", note.strip(), site_url)
    return alliance


def _tell_members(
    alliance: LearningAlliance, by: User | None, template: str, note: str, site_url: str
) -> None:
    members = [
        m.user
        for m in alliance.memberships.select_related("user")
        if by is None or m.user_id != by.id
    ]
    notify(
        members,
        template,
        {
            "alliance": alliance.name,
            "note": note,
            "by": by.name if by is not None else "",
            "url": site_url + reverse("alliances:detail", args=[alliance.slug]),
        },
    )
