"""The principles scorecard: its rounds and each member's sheet.

Writes: keyword-only, validated (``ValidationError`` keyed by the field, with a
message that names the fix), atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.access.base import AccessDenied
from peerlearn.access.evidence import (
    access_alliance_for_evidence,
    is_member_for_scorecard,
    scorecard_round_closed_reason,
)
from peerlearn.access.visibility import alliance_item_level_problem
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.dates import date_format
from peerlearn.evidence.models import (
    ScorecardRound,
    ScorecardSheet,
    ScorecardSheetScore,
)
from peerlearn.evidence.principles import CODES, MAX_SCORE, MIN_SCORE
from peerlearn.evidence.services.common import refuse


def round_dates_problems(
    *, opens_on: dt.date | None, closes_on: dt.date | None, was_closing_on: dt.date | None = None
) -> dict[str, list[str]]:
    """A scorecard round that closes before it opens, or whose closing day has passed (it
    would take no scorecard), unless a round's change keeps the day it had
    (``was_closing_on``): the service and its form both ask."""
    if opens_on is not None and closes_on is not None and closes_on < opens_on:
        return {"closes_on": [_("A round closes on or after the day it opens.")]}
    if closes_on is not None and closes_on < timezone.localdate() and closes_on != was_closing_on:
        return {
            "closes_on": [
                _("This closing date has passed: choose today or a later day to close the round.")
            ]
        }
    return {}


def round_title_problem(
    *, alliance: LearningAlliance, title: str, instead_of: ScorecardRound | None = None
) -> dict[str, list[str]]:
    """A title another round of the alliance already has (case aside): rounds are told
    apart by their titles in lists, charts and reports. ``instead_of`` is the round being
    changed, which may keep its own title."""
    others = ScorecardRound.objects.filter(alliance=alliance, title__iexact=title.strip())
    if instead_of is not None:
        others = others.exclude(id=instead_of.id)
    if not others.exists():
        return {}
    return {
        "title": [
            _("This alliance has a round with this title: give this one another (its dates).")
        ]
    }


@transaction.atomic
def scorecard_round_create(
    *,
    alliance: LearningAlliance,
    created_by: User,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    visibility: str,
) -> ScorecardRound:
    """Open a round of the principles scorecard (the alliance's facilitators only)."""
    access_alliance_for_evidence(created_by, alliance)
    problems = round_dates_problems(opens_on=opens_on, closes_on=closes_on)
    if too_wide := alliance_item_level_problem(visibility, alliance.visibility):
        problems["visibility"] = [too_wide]
    problems.update(round_title_problem(alliance=alliance, title=title))
    if problems:
        raise ValidationError(problems)
    scorecard_round = ScorecardRound(
        alliance=alliance,
        created_by=created_by,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        visibility=visibility,
    )
    scorecard_round.full_clean()
    scorecard_round.save()
    return scorecard_round


@transaction.atomic
def scorecard_round_update(
    *,
    scorecard_round: ScorecardRound,
    updated_by: User,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    visibility: str,
) -> ScorecardRound:
    """Change a round's title, dates or visibility (the alliance's facilitators only): a
    closing day moved later reopens a closed round for more scorecards. Its scorecards keep
    their place: it cannot open after the first was filled in, nor close before the last."""
    access_alliance_for_evidence(updated_by, scorecard_round.alliance)
    problems = round_dates_problems(
        opens_on=opens_on, closes_on=closes_on, was_closing_on=scorecard_round.closes_on
    )
    filled = ScorecardSheet.objects.filter(round=scorecard_round).aggregate(
        first=Min("submitted_at"), last=Max("submitted_at")
    )
    first = timezone.localdate(filled["first"]) if filled["first"] else None
    last = timezone.localdate(filled["last"]) if filled["last"] else None
    if first and opens_on > first and "opens_on" not in problems:
        problems["opens_on"] = [
            _("A scorecard was filled in on %(day)s: open the round on that day or before.")
            % {"day": date_format(first)}
        ]
    if last and closes_on < last and "closes_on" not in problems:
        problems["closes_on"] = [
            _("A scorecard was filled in on %(day)s: close the round on that day or after.")
            % {"day": date_format(last)}
        ]
    if too_wide := alliance_item_level_problem(visibility, scorecard_round.alliance.visibility):
        problems["visibility"] = [too_wide]
    problems.update(
        round_title_problem(
            alliance=scorecard_round.alliance, title=title, instead_of=scorecard_round
        )
    )
    if problems:
        raise ValidationError(problems)
    scorecard_round.title = title.strip()
    scorecard_round.opens_on = opens_on
    scorecard_round.closes_on = closes_on
    scorecard_round.visibility = visibility
    scorecard_round.full_clean()
    scorecard_round.save()
    return scorecard_round


@transaction.atomic
def scorecard_sheet_submit(
    *,
    scorecard_round: ScorecardRound,
    assessor: User,
    kind: str,
    scores: Mapping[str, tuple[int | None, str]],
    summary: str = "",
) -> ScorecardSheet:
    """Fill in (or replace) the assessor's scorecard for the round: every principle and
    step scored 1–5, each with an optional comment. Errors are keyed ``score_<code>``;
    outside the round's dates (``opens_on``/``closes_on``) nothing is taken or replaced."""
    if not is_member_for_scorecard(assessor, scorecard_round):
        raise AccessDenied(_("Only the alliance's members fill in its scorecard."))
    if closed := scorecard_round_closed_reason(scorecard_round):
        field, statement = closed
        raise refuse(field, statement)
    errors: dict[str, list[str]] = {}
    for code in CODES:
        value = scores.get(code, (None, ""))[0]
        if value is None or not MIN_SCORE <= value <= MAX_SCORE:
            errors[f"score_{code}"] = [
                _("Score this from %(low)s (not at all) to %(high)s (fully).")
                % {"low": MIN_SCORE, "high": MAX_SCORE}
            ]
    unknown = set(scores) - set(CODES)
    if unknown:
        errors["scores"] = [
            _("Unknown principles or steps: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        ]
    if errors:
        raise ValidationError(errors)
    ScorecardSheet.objects.filter(round=scorecard_round, assessor=assessor).delete()
    sheet = ScorecardSheet(
        alliance_id=scorecard_round.alliance_id,
        round=scorecard_round,
        assessor=assessor,
        kind=kind,
        summary=summary.strip(),
    )
    sheet.full_clean()
    sheet.save()
    ScorecardSheetScore.objects.bulk_create(
        ScorecardSheetScore(
            alliance_id=scorecard_round.alliance_id,
            sheet=sheet,
            item=code,
            score=int(scores[code][0] or 0),
            comment=scores[code][1].strip(),
        )
        for code in CODES
    )
    return sheet


@transaction.atomic
def scorecard_round_delete(*, scorecard_round: ScorecardRound, deleted_by: User) -> None:
    """Delete a round opened by mistake (the alliance's facilitators only): one that holds
    no scorecard yet, since its averages may already be read and reported."""
    access_alliance_for_evidence(deleted_by, scorecard_round.alliance)
    sheets = ScorecardSheet.objects.filter(round=scorecard_round).count()
    if sheets:
        raise refuse(
            "round",
            ngettext(
                "%(count)s scorecard is recorded in this round: a round is deleted only "
                "before anyone fills it in.",
                "%(count)s scorecards are recorded in this round: a round is deleted only "
                "before anyone fills it in.",
                sheets,
            )
            % {"count": sheets},
        )
    scorecard_round.delete()
