"""The archive's tables for what a person wrote or set in the apps beyond their profile:
messages, discussions, the library, initiatives, alliance work, activities, evidence and
settings. Every query starts from the person; what is not theirs (an alliance, a thread
someone else started, an activity) is named only where they may see it, else by number."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter, itemgetter
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


#: A column of :meth:`Table.of`: an attribute of the same name, or a name and how to read it.
Column = str | tuple[str, Callable[[Any], Any]]


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
    def of(cls, objects: Iterable[Any], *columns: Column) -> Table:
        """A row per object, each column named once: a name alone reads the object's
        attribute of that name, a (name, function) pair calls the function on the object.

        >>> from types import SimpleNamespace as Obj
        >>> rows = [Obj(id=7, title="Ghost workers")]
        >>> t = Table.of(rows, "id", ("title", lambda o: o.title.upper()))
        >>> t.columns, t
        (('id', 'title'), [{'id': 7, 'title': 'GHOST WORKERS'}])
        """
        getters = [(c, attrgetter(c)) if isinstance(c, str) else (c[0], c[1]) for c in columns]
        return cls(
            [name for name, _get in getters],
            [{name: get(obj) for name, get in getters} for obj in objects],
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
    return Table.of(
        rows.order_by("sent_at", "id"),
        ("as", lambda m: "sender" if m.sender_id == user.id else "recipient"),
        # The sender chose to write under their name; a recipient is named by profile only.
        (
            "with",
            lambda m: f"profile #{m.recipient_id}" if m.sender_id == user.id else str(m.sender),
        ),
        "subject",
        "body",
        "sent_at",
    )


def _discussions(user: User, alliances: set[int]) -> dict[str, Table]:
    threads = set(threads_visible_to(user).values_list("id", flat=True))

    def thread_key(t: Thread) -> str:
        return t.title if t.created_by_id == user.id else _named(t, t.title, threads)

    def in_alliance(obj: Any) -> str:
        return alliance_key(obj.alliance, alliances)

    return {
        "threads_started": Table.of(
            Thread.objects.filter(created_by=user).select_related("alliance"),
            "id",
            "title",
            ("alliance", in_alliance),
            "visibility",
            "created_at",
        ),
        "posts": Table.of(
            Post.objects.filter(author=user).select_related("thread").order_by("id"),
            "id",
            ("thread", lambda p: thread_key(p.thread)),
            "body",
            "created_at",
            "edited_at",
            "deleted_at",
            "hidden_at",
            "hidden_reason",
        ),
        "thread_follows": Table.of(
            ThreadFollow.objects.filter(user=user).select_related("thread"),
            ("thread", lambda f: thread_key(f.thread)),
        ),
        "discussion_notices": Table.of(
            Notice.objects.filter(recipient=user).select_related("post__thread"),
            ("thread", lambda n: thread_key(n.post.thread)),
            ("post", attrgetter("post_id")),
            "kind",
            "created_at",
            "seen_at",
        ),
        "post_reports": Table.of(
            PostReport.objects.filter(reporter=user).select_related("post__thread"),
            ("thread", lambda r: thread_key(r.post.thread)),
            ("post", attrgetter("post_id")),
            "reason",
            "created_at",
            "resolved_at",
        ),
    }


def _library(user: User, alliances: set[int]) -> dict[str, Table]:
    common: tuple[Column, ...] = (
        "id",
        "title",
        ("alliance", lambda i: alliance_key(i.alliance, alliances)),
        "visibility",
        "status",
        "review_note",
        "created_at",
        "updated_at",
    )
    return {
        "library_cases": Table.of(
            Case.objects.filter(author=user).select_related("alliance"),
            *common,
            "summary",
            "body",
            "source",
            "link",
        ),
        "library_resources": Table.of(
            Resource.objects.filter(author=user).select_related("alliance"),
            *common,
            "type",
            "description",
            "url",
            "file_name",
        ),
        "initiatives_proposed": Table.of(
            Initiative.objects.filter(proposed_by=user),
            "id",
            "name",
            "summary",
            "lessons",
            "visibility",
            "status",
            "review_note",
            "created_at",
        ),
    }


def _alliance_work(user: User, alliances: set[int]) -> dict[str, Table]:
    activities = set(activities_visible_to(user).values_list("id", flat=True))
    alliance: Column = ("alliance", lambda obj: alliance_key(obj.alliance, alliances))
    activity: Column = (
        "activity",
        lambda obj: _named(obj.activity, obj.activity.title, activities),
    )
    return {
        "learning_needs": Table.of(
            LearningNeed.objects.filter(author=user).select_related("alliance"),
            alliance,
            "title",
            "description",
            "created_at",
        ),
        "strategy_ranks": Table.of(
            GroupRank.objects.filter(member=user).select_related("alliance"),
            alliance,
            ("group", attrgetter("group_id")),
            "rank",
            "updated_at",
        ),
        "strategy_parts": Table.of(
            StrategyPart.objects.filter(member=user).select_related("alliance"),
            alliance,
            "expected_result",
            "confirmed_at",
            "updated_at",
        ),
        "checklist_answers": Table.of(
            ChecklistAnswer.objects.filter(answered_by=user).select_related("alliance"),
            alliance,
            "question",
            "answer",
            "updated_at",
        ),
        "risk_notes": Table.of(
            RiskNote.objects.filter(written_by=user).select_related("alliance"),
            alliance,
            "kind",
            "title",
            "body",
            "created_at",
        ),
        "activities_attended": Table.of(
            ActivityParticipant.objects.filter(user=user).select_related("activity"),
            activity,
            ("starts_at", attrgetter("activity.starts_at")),
            "attended",
        ),
        "activity_feedback": Table.of(
            ActivityFeedback.objects.filter(author=user).select_related("activity"),
            activity,
            "usefulness",
            "relevance",
            "trust",
            "voice",
            "intention",
            "comment",
            "signed",
            "created_at",
        ),
        "actions_owned": Table.of(
            ActionPlanAction.objects.filter(owner=user).select_related("alliance"),
            alliance,
            "title",
        ),
        "diary_entries": Table.of(
            DiaryEntry.objects.filter(author=user).select_related("alliance"),
            alliance,
            "kind",
            "title",
            "text",
            "written_on",
            "visibility",
        ),
        "scorecard_sheets": Table.of(
            ScorecardSheet.objects.filter(assessor=user).select_related("alliance"),
            alliance,
            ("round", attrgetter("round_id")),
            "kind",
            "summary",
            "submitted_at",
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
    made = (
        (model, dated, obj)
        for model, field, dated in RECORDS_MADE
        for obj in model.objects.filter(**{field: user}).order_by("id")
    )
    return Table.of(
        made,
        ("kind", lambda r: r[0]._meta.label_lower),
        ("id", lambda r: r[2].id),
        ("alliance", lambda r: alliance_key(getattr(r[2], "alliance", None), alliances)),
        ("at", lambda r: getattr(r[2], r[1]) if r[1] else None),
    )


def account_more_data(
    *, user: User, profile: PeerProfile | None, alliances: set[int]
) -> dict[str, Table]:
    """The tables of :func:`peerlearn.privacy.selectors.account_data` beyond the profile."""
    calls = set(open_calls_visible_to(user).values_list("id", flat=True))
    pref = DigestPreference.objects.filter(user=user).first()
    cal = CalendarSettings.objects.filter(user=user).first()
    settings: list[tuple[str, Any]] = []
    if pref is not None:
        settings.append(("digest_enabled", pref.enabled))
        settings.append(("discussion_emails", pref.discussion_emails))
        settings.append(("digest_last_sent_at", pref.last_sent_at))
    if cal is not None:  # never the calendar feed's secret token
        settings.append(("calendar_time_zone", cal.time_zone))
    # Someone without a peer profile has no call invitation or authoriser ask: empty tables.
    invited = (
        CallInvitation.objects.filter(peer=profile) if profile else CallInvitation.objects.none()
    )
    asked = AuthoriserAsk.objects.filter(peer=profile) if profile else AuthoriserAsk.objects.none()
    invitations = Table.of(
        invited.select_related("call"),
        ("call", lambda i: _named(i.call, i.call.title, calls)),
        "created_at",
    )
    asks = Table.of(asked.order_by("id"), "name", "email", "asked_at", "answered_at")
    return {
        "contact_messages": _messages(user, profile),
        "call_invitations": invitations,
        "authoriser_asks": asks,
        **_discussions(user, alliances),
        **_library(user, alliances),
        **_alliance_work(user, alliances),
        "records_made": _records_made(user, alliances),
        "settings": Table.of(settings, ("setting", itemgetter(0)), ("value", itemgetter(1))),
    }
