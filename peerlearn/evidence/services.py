"""Writes of the evidence app: keyword-only, validated (``ValidationError`` keyed by the
field, with a message that names the fix), atomic."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_joined_by
from peerlearn.access.base import AccessDenied, Viewer
from peerlearn.access.evidence import (
    access_alliance_for_evidence,
    digest_entries_for,
    digest_recipients,
    insight_sources_for,
    may_fill_in_scorecard,
    may_record_transfers,
    may_write_insights,
    transfers_visible_to,
)
from peerlearn.access.visibility import alliance_item_level_problem
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.mail import notify
from peerlearn.core.models import Country, SDGTarget
from peerlearn.evidence.models import (
    DiaryEntry,
    Digest,
    Indicator,
    IndicatorKind,
    IndicatorPeriod,
    IndicatorSource,
    Insight,
    KnowledgeTransfer,
    OutcomeStatement,
    ScorecardRound,
    ScorecardSheet,
    ScorecardSheetScore,
)
from peerlearn.evidence.principles import CODES, MAX_SCORE, MIN_SCORE
from peerlearn.organisations.models import Organisation

logger = logging.getLogger(__name__)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def period_dates_problems(
    *, starts_on: dt.date | None, ends_on: dt.date | None
) -> dict[str, list[str]]:
    """An indicator period that ends before it starts: the service and its form both ask."""
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        return {"ends_on": [_("The period must end on or after its start date.")]}
    return {}


def round_dates_problems(
    *, opens_on: dt.date | None, closes_on: dt.date | None
) -> dict[str, list[str]]:
    """A scorecard round that closes before it opens: the service and its form both ask."""
    if opens_on is not None and closes_on is not None and closes_on < opens_on:
        return {"closes_on": [_("A round closes on or after the day it opens.")]}
    return {}


# --- the results chain -------------------------------------------------------------------


@transaction.atomic
def indicator_create(
    *,
    alliance: LearningAlliance,
    created_by: User,
    level: int,
    result: str,
    name: str,
    kind: str = IndicatorKind.QUANTITATIVE,
    unit: str = "",
    source: str = IndicatorSource.MANUAL,
    baseline_value: Decimal | None = None,
    baseline_text: str = "",
    baseline_date: dt.date | None = None,
    means_of_verification: str = "",
    visibility: str,
) -> Indicator:
    """Add an indicator to the alliance's results chain (its facilitators only)."""
    access_alliance_for_evidence(created_by, alliance)
    errors: dict[str, list[str]] = {}
    if kind == IndicatorKind.QUANTITATIVE and not unit.strip():
        errors["unit"] = [_("A quantitative indicator needs a unit, e.g. “KES million” or “%”.")]
    if kind == IndicatorKind.QUALITATIVE and source != IndicatorSource.MANUAL:
        errors["source"] = [
            _("Only a quantitative indicator can be computed; choose “Entered by hand”.")
        ]
    if kind == IndicatorKind.QUALITATIVE and baseline_value is not None:
        errors["baseline_value"] = [
            _("A qualitative indicator's baseline is a description: leave the value empty.")
        ]
    if (baseline_value is not None or baseline_text.strip()) and baseline_date is None:
        errors["baseline_date"] = [_("Give the date the baseline was measured.")]
    if too_wide := alliance_item_level_problem(visibility, alliance.visibility):
        errors["visibility"] = [too_wide]
    if errors:
        raise ValidationError(errors)
    position = Indicator.objects.filter(alliance=alliance, level=level).count()
    indicator = Indicator(
        alliance=alliance,
        created_by=created_by,
        level=level,
        result=result.strip(),
        name=name.strip(),
        kind=kind,
        unit=unit.strip(),
        source=source,
        baseline_value=baseline_value,
        baseline_text=baseline_text.strip(),
        baseline_date=baseline_date,
        means_of_verification=means_of_verification.strip(),
        visibility=visibility,
        position=position,
    )
    indicator.full_clean()
    indicator.save()
    return indicator


@transaction.atomic
def indicator_period_save(
    *,
    indicator: Indicator,
    saved_by: User,
    starts_on: dt.date,
    ends_on: dt.date,
    target_value: Decimal | None = None,
    target_text: str = "",
    actual_value: Decimal | None = None,
    actual_text: str = "",
    note: str = "",
) -> IndicatorPeriod:
    """Record a period's target and actual value; a period with the same start is updated."""
    access_alliance_for_evidence(saved_by, indicator.alliance)
    errors: dict[str, list[str]] = period_dates_problems(starts_on=starts_on, ends_on=ends_on)
    if starts_on > timezone.localdate() and (actual_value is not None or actual_text.strip()):
        errors["actual_value" if actual_value is not None else "actual_text"] = [
            _(
                "This period has not begun: give its target now, and its actual value once "
                "it has begun."
            )
        ]
    if indicator.source != IndicatorSource.MANUAL and actual_value is not None:
        errors["actual_value"] = [
            _(
                "This indicator's actual values are counted from the alliance's activities: "
                "leave the actual empty."
            )
        ]
    if indicator.kind == IndicatorKind.QUALITATIVE and (
        target_value is not None or actual_value is not None
    ):
        errors["target_value" if target_value is not None else "actual_value"] = [
            _("A qualitative indicator takes descriptions: use the text fields instead.")
        ]
    if "ends_on" not in errors:
        overlapping = (
            IndicatorPeriod.objects.filter(
                indicator=indicator, starts_on__lte=ends_on, ends_on__gte=starts_on
            )
            .exclude(starts_on=starts_on)
            .order_by("starts_on")
            .first()
        )
        if overlapping is not None:
            # Two periods covering the same days would make the latest actual ambiguous.
            errors["starts_on"] = [
                _(
                    "These dates overlap the period from %(start)s to %(end)s: choose dates "
                    "outside it, or start on %(start)s to update that period."
                )
                % {
                    "start": date_format(overlapping.starts_on),
                    "end": date_format(overlapping.ends_on),
                }
            ]
    if errors:
        raise ValidationError(errors)
    period = (
        IndicatorPeriod.objects.select_for_update()
        .filter(indicator=indicator, starts_on=starts_on)
        .first()
    ) or IndicatorPeriod(indicator=indicator, alliance_id=indicator.alliance_id)
    period.starts_on = starts_on
    period.ends_on = ends_on
    period.target_value = target_value
    period.target_text = target_text.strip()
    period.actual_value = actual_value
    period.actual_text = actual_text.strip()
    period.note = note.strip()
    period.full_clean()
    period.save()
    return period


# --- outcomes ----------------------------------------------------------------------------


def outcome_problems(
    *, substantiation: str | None, substantiator: str | None, observed_on: dt.date | None
) -> dict[str, list[str]]:
    """Why an outcome cannot be harvested as given, every reason at once: a substantiated
    status with nobody named, or a change that has not happened yet. The service and the
    form both ask."""
    problems: dict[str, list[str]] = {}
    if (
        substantiation in ("substantiated", "partly", "disputed")
        and not (substantiator or "").strip()
    ):
        problems["substantiator"] = [
            _("Name who substantiated the outcome, or set the status to “not yet”.")
        ]
    if observed_on is not None and observed_on > timezone.localdate():
        problems["observed_on"] = [_("An outcome is harvested once it happened: use a past date.")]
    return problems


@transaction.atomic
def outcome_create(
    *,
    alliance: LearningAlliance,
    created_by: User,
    social_actor: str,
    change_kind: str,
    description: str,
    observed_on: dt.date,
    place: str,
    significance: str,
    contribution: str,
    sources: str = "",
    substantiator: str = "",
    substantiation: str = "not_yet",
    intended: bool = True,
    effect: str = "positive",
    sdg_target: SDGTarget | None = None,
    visibility: str,
) -> OutcomeStatement:
    """Harvest an outcome of the alliance (its facilitators only)."""
    access_alliance_for_evidence(created_by, alliance)
    problems = outcome_problems(
        substantiation=substantiation, substantiator=substantiator, observed_on=observed_on
    )
    if too_wide := alliance_item_level_problem(visibility, alliance.visibility):
        problems["visibility"] = [too_wide]
    if problems:
        raise ValidationError(problems)
    outcome = OutcomeStatement(
        alliance=alliance,
        created_by=created_by,
        social_actor=social_actor.strip(),
        change_kind=change_kind,
        description=description.strip(),
        observed_on=observed_on,
        place=place.strip(),
        significance=significance.strip(),
        contribution=contribution.strip(),
        sources=sources.strip(),
        substantiator=substantiator.strip(),
        substantiation=substantiation,
        intended=intended,
        effect=effect,
        sdg_target=sdg_target,
        visibility=visibility,
    )
    outcome.full_clean()
    outcome.save()
    return outcome


# --- knowledge transfers -----------------------------------------------------------------


def transfer_problems(
    *,
    reader: Viewer,
    practice: str | None,
    origin_organisation: Organisation | None,
    origin_country: Country | None,
    adopters: Iterable[Organisation] | None,
    transferred_on: dt.date | None,
) -> dict[str, list[str]]:
    """Why a transfer cannot be registered as given: the origin country is not the origin
    organisation's own (an organisation with no country, an international one, may be
    placed anywhere), or the register already holds the same transfer — the same practice
    (whatever the case), from the same origin to the same adopters on the same day — among
    those the reader may see. The service and the form both ask (the form with what it
    could read)."""
    problems: dict[str, list[str]] = {}
    home = origin_organisation.country if origin_organisation is not None else None
    if home is not None and origin_country is not None and origin_country.pk != home.pk:
        problems["origin_country"] = [
            _(
                "%(organisation)s is in %(country)s: choose %(country)s as the origin "
                "country, or choose the organisation the practice came from."
            )
            % {"organisation": origin_organisation, "country": home.display_name}
        ]
    if (
        practice
        and practice.strip()
        and origin_organisation is not None
        and origin_country is not None
        and adopters is not None
        and transferred_on is not None
    ):
        adopting = {o.pk for o in adopters}
        candidates = (
            transfers_visible_to(reader)
            .filter(
                practice__iexact=practice.strip(),
                origin_organisation=origin_organisation,
                origin_country=origin_country,
                transferred_on=transferred_on,
            )
            .prefetch_related("adopters")
            .order_by("id")
        )
        for existing in candidates:
            if {o.pk for o in existing.adopters.all()} == adopting:
                problems["practice"] = [
                    _(
                        "This transfer is already in the register: “%(practice)s”, from "
                        "%(origin)s to %(adopters)s on %(date)s. Open it there rather than "
                        "registering it again, or change what differs."
                    )
                    % {
                        "practice": existing.practice,
                        "origin": existing.origin_organisation,
                        "adopters": ", ".join(sorted(str(o) for o in existing.adopters.all())),
                        "date": date_format(existing.transferred_on, "DATE_FORMAT"),
                    }
                ]
                break
    return problems


@transaction.atomic
def transfer_create(
    *,
    created_by: User,
    alliance: LearningAlliance | None,
    practice: str,
    origin_organisation: Organisation,
    origin_country: Country,
    adopters: Iterable[Organisation],
    transferred_on: dt.date,
    status: str,
    visibility: str,
    description: str = "",
    evidence: str = "",
) -> KnowledgeTransfer:
    """Register a practice one organisation learned from another."""
    if alliance is not None:
        access_alliance_for_evidence(created_by, alliance)
    elif not may_record_transfers(created_by):
        raise _refuse("alliance", _("Only facilitators record transfers outside an alliance."))
    adopting = list(adopters)
    if not adopting:
        raise _refuse("adopters", _("Choose at least one organisation that took up the practice."))
    if any(o.id == origin_organisation.id for o in adopting):
        raise _refuse(
            "adopters",
            _("The origin organisation cannot adopt its own practice: remove it from adopters."),
        )
    problems = transfer_problems(
        reader=created_by,
        practice=practice,
        origin_organisation=origin_organisation,
        origin_country=origin_country,
        adopters=adopting,
        transferred_on=transferred_on,
    )
    if problems:
        raise ValidationError(problems)
    transfer = KnowledgeTransfer(
        created_by=created_by,
        alliance=alliance,
        practice=practice.strip(),
        description=description.strip(),
        origin_organisation=origin_organisation,
        origin_country=origin_country,
        transferred_on=transferred_on,
        evidence=evidence.strip(),
        status=status,
        visibility=visibility,
    )
    transfer.full_clean()
    transfer.save()
    transfer.adopters.set(adopting)
    return transfer


# --- diaries and insights ----------------------------------------------------------------


@transaction.atomic
def diary_entry_create(
    *,
    author: User,
    title: str,
    text: str,
    written_on: dt.date,
    kind: str = "reflection",
    alliance: LearningAlliance | None = None,
    visibility: str = "private",
) -> DiaryEntry:
    """Write an entry in one's learning diary, private unless shared."""
    entry = DiaryEntry(author=author)
    return _diary_entry_save(
        entry,
        title=title,
        text=text,
        written_on=written_on,
        kind=kind,
        alliance=alliance,
        visibility=visibility,
    )


@transaction.atomic
def diary_entry_update(
    *,
    entry: DiaryEntry,
    title: str,
    text: str,
    written_on: dt.date,
    kind: str = "reflection",
    alliance: LearningAlliance | None = None,
    visibility: str = "private",
) -> DiaryEntry:
    """Change an entry: its words, date, alliance or who it is shared with (the author
    may share an entry later, or take it back)."""
    return _diary_entry_save(
        entry,
        title=title,
        text=text,
        written_on=written_on,
        kind=kind,
        alliance=alliance,
        visibility=visibility,
    )


def diary_entry_delete(*, entry: DiaryEntry) -> None:
    """Delete an entry; an insight drawn from it keeps its own text, without the source."""
    entry.delete()


def _diary_entry_save(
    entry: DiaryEntry, *, alliance: LearningAlliance | None, **fields: Any
) -> DiaryEntry:
    author = entry.author
    if alliance is not None and not alliances_joined_by(author).filter(id=alliance.id).exists():
        raise _refuse("alliance", _("Choose an alliance you belong to, or none."))
    written_on = fields["written_on"]
    began = alliance.starts_on if alliance is not None else None
    if began is not None and written_on is not None and written_on < began:
        raise _refuse(
            "written_on",
            _(
                "%(alliance)s starts on %(date)s: date the entry from then on, or choose "
                "no alliance."
            )
            % {"alliance": alliance, "date": date_format(began, "DATE_FORMAT")},
        )
    entry.alliance = alliance
    entry.kind = fields["kind"]
    entry.title = fields["title"].strip()
    entry.text = fields["text"].strip()
    entry.written_on = written_on
    entry.visibility = fields["visibility"]
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def insight_create(
    *,
    created_by: User,
    title: str,
    text: str,
    sources: Iterable[DiaryEntry],
    visibility: str,
    alliance: LearningAlliance | None = None,
    drawn_from_discussion: bool = False,
) -> Insight:
    """A facilitator's insight drawn from diary entries shared with them, or, with
    ``drawn_from_discussion``, the summary of a moderated discussion (which needs no entry)."""
    if not may_write_insights(created_by):
        raise _refuse("title", _("Only facilitators write insights."))
    if alliance is not None:
        access_alliance_for_evidence(created_by, alliance)
    chosen = list(sources)
    if not chosen and not drawn_from_discussion:
        raise _refuse("sources", _("Choose at least one shared diary entry the insight draws on."))
    allowed = set(
        insight_sources_for(created_by)
        .filter(id__in=[e.id for e in chosen])
        .values_list("id", flat=True)
    )
    if any(e.id not in allowed for e in chosen):
        raise _refuse(
            "sources",
            _("An insight draws only on entries shared with you; remove private entries."),
        )
    insight = Insight(
        created_by=created_by,
        alliance=alliance,
        title=title.strip(),
        text=text.strip(),
        visibility=visibility,
    )
    insight.full_clean()
    insight.save()
    insight.sources.set(chosen)
    return insight


# --- digests -----------------------------------------------------------------------------

#: Periods are counted from this Monday, so every worker agrees on where one starts.
DIGEST_EPOCH = dt.date(2000, 1, 3)


def digest_period(today: dt.date, days: int | None = None) -> tuple[dt.date, dt.date]:
    """The last complete digest period before ``today``: ``(first day, last day)``.

    >>> digest_period(dt.date(2026, 12, 2), 7)
    (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
    """
    length = days or int(settings.PEERLEARN_DIGEST_DAYS)
    index = (today - DIGEST_EPOCH).days // length - 1
    start = DIGEST_EPOCH + dt.timedelta(days=index * length)
    return start, start + dt.timedelta(days=length - 1)


def digests_send(*, today: dt.date, site_url: str) -> int:
    """E-mail each authoriser the digest of the last complete period, once: a digest is
    claimed by setting ``sent_at`` in a conditional update and sent only by whoever
    changed the row. Returns how many were e-mailed (an authoriser whose peers wrote
    nothing they may see gets no e-mail, but the period is marked done)."""
    start, end = digest_period(today)
    sent = 0
    for authoriser in digest_recipients():
        with transaction.atomic():
            digest, _created = Digest.objects.get_or_create(
                authoriser=authoriser, period_start=start, defaults={"period_end": end}
            )
            claimed = Digest.objects.filter(id=digest.id, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if not claimed:
                continue
            entries = list(
                digest_entries_for(authoriser, starts_on=start, ends_on=end)
                .select_related("author", "alliance")
                .order_by("author__name", "written_on", "id")
            )
            Digest.objects.filter(id=digest.id).update(entry_count=len(entries))
            if not entries:
                continue
            notify(
                [authoriser],
                "evidence/email/digest",
                {
                    "entries": entries,
                    "start": start,
                    "end": end,
                    "organisation": authoriser.organisation,
                    "site_url": site_url,
                },
            )
            sent += 1
    return sent


# --- the principles scorecard ------------------------------------------------------------


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
    if problems:
        raise ValidationError(problems)
    if ScorecardRound.objects.filter(alliance=alliance, title__iexact=title.strip()).exists():
        raise _refuse(
            "title",
            _("This alliance has a round with this title: give this one another (its dates)."),
        )
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
def scorecard_sheet_submit(
    *,
    scorecard_round: ScorecardRound,
    assessor: User,
    kind: str,
    scores: Mapping[str, tuple[int | None, str]],
    summary: str = "",
) -> ScorecardSheet:
    """Fill in (or replace) the assessor's scorecard for the round: every principle and
    step scored 1–5, each with an optional comment. Errors are keyed ``score_<code>``."""
    if not may_fill_in_scorecard(assessor, scorecard_round):
        raise AccessDenied(_("Only the alliance's members fill in its scorecard."))
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
