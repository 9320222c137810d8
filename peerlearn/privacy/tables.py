"""The archive's tables for what a person wrote or set in the apps beyond their profile:
messages, discussions, the library, initiatives, alliance work, activities, evidence and
settings. Every query starts from the person; what is not theirs (an alliance, a thread
someone else started, an activity) is named only where they may see it, else by number."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from peerlearn.access.activities import activities_visible_to
from peerlearn.access.discussions import threads_visible_to
from peerlearn.access.matching import open_calls_visible_to
from peerlearn.activities.models import (
    ActionPlanAction,
    Activity,
    ActivityFeedback,
    ActivityParticipant,
    CalendarSettings,
)
from peerlearn.alliances.models import AllianceInvitation, ChecklistAnswer, RiskNote, StageChange
from peerlearn.discussions.models import Notice, Post, PostReport, Thread, ThreadFollow
from peerlearn.evidence.models import (
    DiaryEntry,
    Digest,
    Indicator,
    Insight,
    KnowledgeTransfer,
    OutcomeStatement,
    ScorecardRound,
    ScorecardSheet,
)
from peerlearn.initiatives.models import Initiative
from peerlearn.library.models import Case, Resource
from peerlearn.matchmaking.models import CallInvitation, ExcludedPair, OpenCall
from peerlearn.notifications.models import DigestPreference
from peerlearn.peers.models import AuthoriserAsk, ContactMessage, PeerProfile
from peerlearn.reports.models import PriorityAssessment
from peerlearn.strategy.models import GroupRank, LearningNeed, StrategyPart

if TYPE_CHECKING:
    from peerlearn.accounts.models import User


class Table(list[dict[str, Any]]):
    """One table of the archive: its rows, and its columns, which a table without rows
    keeps too, so that its CSV file still starts with their names.

    >>> Table(("id", "title")).columns
    ('id', 'title')
    >>> Table(("id",), [{"id": 1, "title": "x"}])
    Traceback (most recent call last):
    ...
    ValueError: A row has the fields ('id', 'title'), not the table's columns ('id',).
    """

    def __init__(self, columns: Sequence[str], rows: Iterable[dict[str, Any]] = ()) -> None:
        super().__init__(rows)
        self.columns = tuple(columns)
        for row in self:
            if tuple(row) != self.columns:
                raise ValueError(
                    f"A row has the fields {tuple(row)}, not the table's columns {self.columns}."
                )

    @classmethod
    def of_one(cls, row: dict[str, Any]) -> Table:
        """A table of one row, whose fields are its columns."""
        return cls(tuple(row), [row])


def alliance_key(alliance: Any, visible: set[int]) -> str:
    """An alliance as the archive names it: its slug where the person may see the alliance,
    else only its number (a private alliance's name is not theirs to take away)."""
    if alliance is None:
        return ""
    return str(alliance.slug) if alliance.id in visible else f"#{alliance.id}"


def _named(obj: Any, label: str, visible: set[int]) -> str:
    return label if obj.id in visible else f"#{obj.id}"


def _messages(user: User, profile: PeerProfile | None) -> Table:
    received = Q(recipient=profile) if profile is not None else Q(pk__in=[])
    rows = ContactMessage.objects.filter(Q(sender=user) | received).select_related("sender")
    return Table(
        ("as", "with", "subject", "body", "sent_at"),
        [
            {
                "as": "sender" if m.sender_id == user.id else "recipient",
                # The sender chose to write under their name; a recipient is named by profile only.
                "with": f"profile #{m.recipient_id}" if m.sender_id == user.id else str(m.sender),
                "subject": m.subject,
                "body": m.body,
                "sent_at": m.sent_at,
            }
            for m in rows.order_by("sent_at", "id")
        ],
    )


def _discussions(user: User, alliances: set[int]) -> dict[str, Table]:
    threads = set(threads_visible_to(user).values_list("id", flat=True))

    def thread_key(t: Thread) -> str:
        return t.title if t.created_by_id == user.id else _named(t, t.title, threads)

    return {
        "threads_started": Table(
            ("id", "title", "alliance", "visibility", "created_at"),
            [
                {
                    "id": t.id,
                    "title": t.title,
                    "alliance": alliance_key(t.alliance, alliances),
                    "visibility": t.visibility,
                    "created_at": t.created_at,
                }
                for t in Thread.objects.filter(created_by=user).select_related("alliance")
            ],
        ),
        "posts": Table(
            (
                "id",
                "thread",
                "body",
                "created_at",
                "edited_at",
                "deleted_at",
                "hidden_at",
                "hidden_reason",
            ),
            [
                {
                    "id": p.id,
                    "thread": thread_key(p.thread),
                    "body": p.body,
                    "created_at": p.created_at,
                    "edited_at": p.edited_at,
                    "deleted_at": p.deleted_at,
                    "hidden_at": p.hidden_at,
                    "hidden_reason": p.hidden_reason,
                }
                for p in Post.objects.filter(author=user).select_related("thread").order_by("id")
            ],
        ),
        "thread_follows": Table(
            ("thread",),
            [
                {"thread": thread_key(f.thread)}
                for f in ThreadFollow.objects.filter(user=user).select_related("thread")
            ],
        ),
        "discussion_notices": Table(
            ("thread", "post", "kind", "created_at", "seen_at"),
            [
                {
                    "thread": thread_key(n.post.thread),
                    "post": n.post_id,
                    "kind": n.kind,
                    "created_at": n.created_at,
                    "seen_at": n.seen_at,
                }
                for n in Notice.objects.filter(recipient=user).select_related("post__thread")
            ],
        ),
        "post_reports": Table(
            ("thread", "post", "reason", "created_at", "resolved_at"),
            [
                {
                    "thread": thread_key(r.post.thread),
                    "post": r.post_id,
                    "reason": r.reason,
                    "created_at": r.created_at,
                    "resolved_at": r.resolved_at,
                }
                for r in PostReport.objects.filter(reporter=user).select_related("post__thread")
            ],
        ),
    }


def _library(user: User, alliances: set[int]) -> dict[str, Table]:
    def common(i: Case | Resource) -> dict[str, Any]:
        return {
            "id": i.id,
            "title": i.title,
            "alliance": alliance_key(i.alliance, alliances),
            "visibility": i.visibility,
            "status": i.status,
            "review_note": i.review_note,
            "created_at": i.created_at,
            "updated_at": i.updated_at,
        }

    return {
        "library_cases": Table(
            (
                "id",
                "title",
                "alliance",
                "visibility",
                "status",
                "review_note",
                "created_at",
                "updated_at",
                "summary",
                "body",
                "source",
                "link",
            ),
            [
                {
                    **common(c),
                    "summary": c.summary,
                    "body": c.body,
                    "source": c.source,
                    "link": c.link,
                }
                for c in Case.objects.filter(author=user).select_related("alliance")
            ],
        ),
        "library_resources": Table(
            (
                "id",
                "title",
                "alliance",
                "visibility",
                "status",
                "review_note",
                "created_at",
                "updated_at",
                "type",
                "description",
                "url",
                "file_name",
            ),
            [
                {
                    **common(r),
                    "type": r.type,
                    "description": r.description,
                    "url": r.url,
                    "file_name": r.file_name,
                }
                for r in Resource.objects.filter(author=user).select_related("alliance")
            ],
        ),
        "initiatives_proposed": Table(
            (
                "id",
                "name",
                "summary",
                "lessons",
                "visibility",
                "status",
                "review_note",
                "created_at",
            ),
            [
                {
                    "id": i.id,
                    "name": i.name,
                    "summary": i.summary,
                    "lessons": i.lessons,
                    "visibility": i.visibility,
                    "status": i.status,
                    "review_note": i.review_note,
                    "created_at": i.created_at,
                }
                for i in Initiative.objects.filter(proposed_by=user)
            ],
        ),
    }


def _alliance_work(user: User, alliances: set[int]) -> dict[str, Table]:
    activities = set(activities_visible_to(user).values_list("id", flat=True))
    return {
        "learning_needs": Table(
            ("alliance", "title", "description", "created_at"),
            [
                {
                    "alliance": alliance_key(n.alliance, alliances),
                    "title": n.title,
                    "description": n.description,
                    "created_at": n.created_at,
                }
                for n in LearningNeed.objects.filter(author=user).select_related("alliance")
            ],
        ),
        "strategy_ranks": Table(
            ("alliance", "group", "rank", "updated_at"),
            [
                {
                    "alliance": alliance_key(r.alliance, alliances),
                    "group": r.group_id,
                    "rank": r.rank,
                    "updated_at": r.updated_at,
                }
                for r in GroupRank.objects.filter(member=user).select_related("alliance")
            ],
        ),
        "strategy_parts": Table(
            ("alliance", "expected_result", "confirmed_at", "updated_at"),
            [
                {
                    "alliance": alliance_key(p.alliance, alliances),
                    "expected_result": p.expected_result,
                    "confirmed_at": p.confirmed_at,
                    "updated_at": p.updated_at,
                }
                for p in StrategyPart.objects.filter(member=user).select_related("alliance")
            ],
        ),
        "checklist_answers": Table(
            ("alliance", "question", "answer", "updated_at"),
            [
                {
                    "alliance": alliance_key(a.alliance, alliances),
                    "question": a.question,
                    "answer": a.answer,
                    "updated_at": a.updated_at,
                }
                for a in ChecklistAnswer.objects.filter(answered_by=user).select_related("alliance")
            ],
        ),
        "risk_notes": Table(
            ("alliance", "kind", "title", "body", "created_at"),
            [
                {
                    "alliance": alliance_key(n.alliance, alliances),
                    "kind": n.kind,
                    "title": n.title,
                    "body": n.body,
                    "created_at": n.created_at,
                }
                for n in RiskNote.objects.filter(written_by=user).select_related("alliance")
            ],
        ),
        "activities_attended": Table(
            ("activity", "starts_at", "attended"),
            [
                {
                    "activity": _named(p.activity, p.activity.title, activities),
                    "starts_at": p.activity.starts_at,
                    "attended": p.attended,
                }
                for p in ActivityParticipant.objects.filter(user=user).select_related("activity")
            ],
        ),
        "activity_feedback": Table(
            (
                "activity",
                "usefulness",
                "relevance",
                "trust",
                "voice",
                "intention",
                "comment",
                "signed",
                "created_at",
            ),
            [
                {
                    "activity": _named(f.activity, f.activity.title, activities),
                    "usefulness": f.usefulness,
                    "relevance": f.relevance,
                    "trust": f.trust,
                    "voice": f.voice,
                    "intention": f.intention,
                    "comment": f.comment,
                    "signed": f.signed,
                    "created_at": f.created_at,
                }
                for f in ActivityFeedback.objects.filter(author=user).select_related("activity")
            ],
        ),
        "actions_owned": Table(
            ("alliance", "title"),
            [
                {"alliance": alliance_key(a.alliance, alliances), "title": a.title}
                for a in ActionPlanAction.objects.filter(owner=user).select_related("alliance")
            ],
        ),
        "diary_entries": Table(
            ("alliance", "kind", "title", "text", "written_on", "visibility"),
            [
                {
                    "alliance": alliance_key(e.alliance, alliances),
                    "kind": e.kind,
                    "title": e.title,
                    "text": e.text,
                    "written_on": e.written_on,
                    "visibility": e.visibility,
                }
                for e in DiaryEntry.objects.filter(author=user).select_related("alliance")
            ],
        ),
        "scorecard_sheets": Table(
            ("alliance", "round", "kind", "summary", "submitted_at"),
            [
                {
                    "alliance": alliance_key(s.alliance, alliances),
                    "round": s.round_id,
                    "kind": s.kind,
                    "summary": s.summary,
                    "submitted_at": s.submitted_at,
                }
                for s in ScorecardSheet.objects.filter(assessor=user).select_related("alliance")
            ],
        ),
    }


#: Records a person made in their role (facilitator, authoriser), listed by kind and number:
#: (model, the field naming the person, the field dating the record).
RECORDS_MADE: tuple[tuple[Any, str, str], ...] = (
    (StageChange, "changed_by", "changed_at"),
    (AllianceInvitation, "invited_by", "created_at"),
    (OpenCall, "created_by", "created_at"),
    (CallInvitation, "invited_by", "created_at"),
    (ExcludedPair, "created_by", ""),
    (Activity, "created_by", "created_at"),
    (Indicator, "created_by", "created_at"),
    (OutcomeStatement, "created_by", "created_at"),
    (KnowledgeTransfer, "created_by", "created_at"),
    (Insight, "created_by", "created_at"),
    (ScorecardRound, "created_by", "created_at"),
    (Digest, "authoriser", "sent_at"),
    (PriorityAssessment, "assessed_by", "assessed_on"),
)


def _records_made(user: User, alliances: set[int]) -> Table:
    rows: list[dict[str, Any]] = []
    for model, field, dated in RECORDS_MADE:
        for obj in model.objects.filter(**{field: user}).order_by("id"):
            rows.append(
                {
                    "kind": model._meta.label_lower,
                    "id": obj.id,
                    "alliance": alliance_key(getattr(obj, "alliance", None), alliances),
                    "at": getattr(obj, dated) if dated else None,
                }
            )
    return Table(("kind", "id", "alliance", "at"), rows)


def account_more_data(
    *, user: User, profile: PeerProfile | None, alliances: set[int]
) -> dict[str, Table]:
    """The tables of :func:`peerlearn.privacy.selectors.account_data` beyond the profile."""
    calls = set(open_calls_visible_to(user).values_list("id", flat=True))
    pref = DigestPreference.objects.filter(user=user).first()
    cal = CalendarSettings.objects.filter(user=user).first()
    settings: list[dict[str, Any]] = []
    if pref is not None:
        settings.append({"setting": "digest_enabled", "value": pref.enabled})
        settings.append({"setting": "discussion_emails", "value": pref.discussion_emails})
        settings.append({"setting": "digest_last_sent_at", "value": pref.last_sent_at})
    if cal is not None:  # never the calendar feed's secret token
        settings.append({"setting": "calendar_time_zone", "value": cal.time_zone})
    # Someone without a peer profile has no call invitation or authoriser ask: empty tables.
    invited = (
        CallInvitation.objects.filter(peer=profile) if profile else CallInvitation.objects.none()
    )
    asked = AuthoriserAsk.objects.filter(peer=profile) if profile else AuthoriserAsk.objects.none()
    invitations = Table(
        ("call", "created_at"),
        [
            {"call": _named(i.call, i.call.title, calls), "created_at": i.created_at}
            for i in invited.select_related("call")
        ],
    )
    asks = Table(
        ("name", "email", "asked_at", "answered_at"),
        [
            {
                "name": a.name,
                "email": a.email,
                "asked_at": a.asked_at,
                "answered_at": a.answered_at,
            }
            for a in asked.order_by("id")
        ],
    )
    return {
        "contact_messages": _messages(user, profile),
        "call_invitations": invitations,
        "authoriser_asks": asks,
        **_discussions(user, alliances),
        **_library(user, alliances),
        **_alliance_work(user, alliances),
        "records_made": _records_made(user, alliances),
        "settings": Table(("setting", "value"), settings),
    }
