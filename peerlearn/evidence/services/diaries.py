"""Learning diaries, the insights drawn from them, and the digests their authorisers read.

Writes: keyword-only, validated (``ValidationError`` keyed by the field, with a
message that names the fix), atomic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.alliances import alliances_joined_by
from peerlearn.access.evidence import (
    access_alliance_for_evidence,
    can_change_insight,
    digest_entries_for,
    digest_recipients,
    insight_sources_for,
    may_write_insights,
)
from peerlearn.access.visibility import alliance_item_level_problem
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.dates import date_format
from peerlearn.core.mail import notify
from peerlearn.evidence.models import (
    DiaryEntry,
    Digest,
    Insight,
)
from peerlearn.evidence.services.common import refuse


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
        raise refuse("alliance", _("Choose an alliance you belong to, or none."))
    written_on = fields["written_on"]
    began = alliance.starts_on if alliance is not None else None
    if began is not None and written_on is not None and written_on < began:
        raise refuse(
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
        raise refuse("title", _("Only facilitators write insights."))
    return _insight_save(
        Insight(created_by=created_by),
        by=created_by,
        title=title,
        text=text,
        sources=sources,
        visibility=visibility,
        alliance=alliance,
        needs_sources=not drawn_from_discussion,
    )


@transaction.atomic
def insight_update(
    *,
    insight: Insight,
    updated_by: User,
    title: str,
    text: str,
    sources: Iterable[DiaryEntry],
    visibility: str,
    alliance: LearningAlliance | None = None,
) -> Insight:
    """Change an insight (its author and administrators). Its sources that the editor may
    not see are kept: ``sources`` chooses among those they may."""
    if not can_change_insight(updated_by, insight):
        raise refuse("title", _("Only the facilitator who wrote this insight may change it."))
    seen = insight_sources_for(updated_by)
    hidden = list(insight.sources.exclude(id__in=seen.values("id")))
    return _insight_save(
        insight,
        by=updated_by,
        title=title,
        text=text,
        sources=sources,
        visibility=visibility,
        alliance=alliance,
        needs_sources=not hidden and insight.sources.exists(),
        kept=hidden,
    )


@transaction.atomic
def insight_delete(*, insight: Insight, deleted_by: User) -> None:
    """Remove an insight (its author and administrators); its diary entries stay."""
    if not can_change_insight(deleted_by, insight):
        raise refuse("title", _("Only the facilitator who wrote this insight may change it."))
    insight.delete()


def _insight_save(
    insight: Insight,
    *,
    by: User,
    title: str,
    text: str,
    sources: Iterable[DiaryEntry],
    visibility: str,
    alliance: LearningAlliance | None,
    needs_sources: bool,
    kept: Iterable[DiaryEntry] = (),
) -> Insight:
    if alliance is not None:
        access_alliance_for_evidence(by, alliance)
        wider = alliance_item_level_problem(visibility, alliance.visibility)
        if wider:
            raise refuse("visibility", wider)
    chosen = list(sources)
    if not chosen and needs_sources:
        raise refuse("sources", _("Choose at least one shared diary entry the insight draws on."))
    allowed = set(
        insight_sources_for(by).filter(id__in=[e.id for e in chosen]).values_list("id", flat=True)
    )
    if any(e.id not in allowed for e in chosen):
        raise refuse(
            "sources",
            _("An insight draws only on entries shared with you; remove private entries."),
        )
    insight.alliance = alliance
    insight.title = title.strip()
    insight.text = text.strip()
    insight.visibility = visibility
    insight.full_clean()
    insight.save()
    insight.sources.set([*chosen, *kept])
    return insight


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
