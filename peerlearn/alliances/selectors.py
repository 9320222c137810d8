"""Reading learning alliances through the access layer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.access.alliances import (
    alliances_visible_to,
    can_edit_checklist,
    can_manage_alliance,
    can_read_alliance_history,
    can_read_checklist,
    can_see_alliance_inside,
    invitations_visible_to,
    member_named_to,
    people_invitable_by,
    people_named_to,
    risk_notes_visible_to,
)
from peerlearn.access.base import Viewer
from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.peers import challenges_visible_to, peers_visible_to
from peerlearn.alliances.checklists import questions_for
from peerlearn.alliances.models import (
    AllianceInvitation,
    AllianceMembership,
    AllianceStage,
    ChecklistAnswer,
    InvitationSource,
    LearningAlliance,
    MemberRole,
    RiskNote,
    StageChange,
)
from peerlearn.alliances.services import EDITABLE_FIELDS
from peerlearn.initiatives.models import Initiative
from peerlearn.organisations.models import Organisation


@dataclass(frozen=True)
class AllianceFilters:
    theme: str = ""
    stage: int | None = None
    type: str = ""
    mine: bool = False


def alliance_list(*, user: Viewer, filters: AllianceFilters) -> QuerySet[LearningAlliance]:
    qs = alliances_visible_to(user)
    if filters.theme:
        qs = qs.filter(theme__slug=filters.theme)
    if filters.stage is not None:
        qs = qs.filter(stage=filters.stage)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.mine and user.is_authenticated:
        qs = qs.filter(id__in=AllianceMembership.objects.filter(user=user).values("alliance_id"))
    return (
        LearningAlliance.objects.filter(id__in=qs.values("id"))
        .select_related("theme")
        .prefetch_related("working_languages", "funders")
        .annotate(
            n_members=Count("memberships", distinct=True),
            n_organisations=Count("member_organisations", distinct=True),
        )
        .order_by("name")
    )


@dataclass
class AllianceMembers:
    shown: list[tuple[AllianceMembership, int | None]]  # with the peer profile id, if visible
    hidden_count: int


@dataclass(frozen=True)
class StageChangeView:
    change: StageChange
    changed_by: str | None  # the name, where the viewer may see who it was
    note: str | None  # the reason, inside the safe space only


@dataclass
class AllianceDetail:
    """The alliance page's read model, shared by the page and ``GET /alliances/{slug}``:
    what the viewer may see of it, and what they may do."""

    alliance: LearningAlliance
    memberships: list[AllianceMembership]
    members: AllianceMembers
    initiative: Initiative | None  # the linked initiative, if the viewer may see it
    stage_history: list[StageChangeView]
    inside: bool
    can_manage: bool
    challenges: list[Any]
    next_stage: AllianceStage | None = None  # offered to whoever manages it
    previous_stage: AllianceStage | None = None
    is_member: bool = False  # and so may leave
    # Filled by :func:`alliance_page_extras`, for the page only:
    can_read_checklist: bool = False
    open_questions: int | None = None  # of the current stage, for those who read the checklist
    history: list[Any] | None = None  # the record of changes, for its facilitators


def alliance_detail(*, user: Viewer, alliance: LearningAlliance) -> AllianceDetail:
    """Everything the alliance page shows, narrowed to what ``user`` may see."""
    alliance = (
        LearningAlliance.objects.select_related("theme")
        .prefetch_related(
            # None when the linked initiative is one the user may not see (a draft).
            Prefetch("initiative", queryset=initiatives_visible_to(user)),
            "working_languages",
            "funders",
            "priorities",
            Prefetch(
                "member_organisations__organisation",
            ),
            "member_organisations__organisation__country",
            "stage_changes__changed_by",
        )
        .get(id=alliance.id)
    )
    memberships = list(
        alliance.memberships.select_related(
            "user", "user__organisation", "user__peer_profile"
        ).order_by("role", "user__name")
    )
    inside = can_see_alliance_inside(user, alliance)
    members = _members_named_to(user, memberships, inside=inside)
    shown_user_ids = {membership.user_id for membership, _ in members.shown}
    initiative = None
    if alliance.initiative_id is not None:
        initiative = initiatives_visible_to(user).filter(id=alliance.initiative_id).first()
    challenges = list(
        challenges_visible_to(user)
        .filter(Q(alliance=alliance))
        .select_related("theme", "peer__user", "peer__user__organisation")
        .order_by("created_at")
    )
    can_manage = can_manage_alliance(user, alliance)
    stages = list(AllianceStage)
    at = stages.index(AllianceStage(alliance.stage))
    runs = not alliance.is_closed  # a closed alliance moves through no stage
    return AllianceDetail(
        next_stage=stages[at + 1] if runs and can_manage and at + 1 < len(stages) else None,
        previous_stage=stages[at - 1] if runs and can_manage and at > 0 else None,
        alliance=alliance,
        memberships=memberships,
        members=members,
        initiative=initiative,
        stage_history=[
            StageChangeView(
                change=change,
                changed_by=(
                    change.changed_by.name
                    if change.changed_by is not None and change.changed_by_id in shown_user_ids
                    else None
                ),
                note=(change.note or None) if inside else None,
            )
            for change in alliance.stage_changes.all()
        ],
        inside=inside,
        can_manage=can_manage,
        challenges=challenges,
        is_member=any(m.user_id == getattr(user, "id", None) for m in memberships),
    )


def _members_named_to(
    user: Viewer, memberships: list[AllianceMembership], *, inside: bool
) -> AllianceMembers:
    """The members ``user`` may see by name, in the order of ``memberships``
    (:func:`peerlearn.access.alliances.member_named_to` decides who is named)."""
    peer_ids = dict(
        peers_visible_to(user)
        .filter(user_id__in=[m.user_id for m in memberships])
        .values_list("user_id", "id")
    )
    shown: list[tuple[AllianceMembership, int | None]] = []
    hidden = 0
    for membership in memberships:
        peer_id = peer_ids.get(membership.user_id)
        if member_named_to(membership, profile_visible=peer_id is not None, inside=inside):
            shown.append((membership, peer_id))
        else:
            hidden += 1
    return AllianceMembers(shown=shown, hidden_count=hidden)


# --- running an alliance ---------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text: str
    answer: str
    answered_by: str | None
    updated_at: Any


@dataclass
class StageChecklist:
    stage: AllianceStage
    items: list[ChecklistItem]
    current: bool

    @property
    def open_count(self) -> int:
        return sum(1 for item in self.items if not item.answer)


@dataclass
class AllianceChecklist:
    """The checklist page's read model (and ``GET /alliances/{slug}/checklist``)."""

    alliance: LearningAlliance
    stages: list[StageChecklist]
    can_edit: bool

    @property
    def current(self) -> StageChecklist:
        return next(s for s in self.stages if s.current)


def alliance_checklist(*, user: Viewer, alliance: LearningAlliance) -> AllianceChecklist:
    """Every stage's questions with the alliance's answers; for those who may read them
    (``access_alliance_checklist``)."""
    answers = {a.question: a for a in alliance.checklist_answers.select_related("answered_by")}
    stages = []
    for stage in AllianceStage:
        items = []
        for q in questions_for(stage.value):
            a = answers.get(q.key)
            items.append(
                ChecklistItem(
                    key=q.key,
                    text=str(q.text),
                    answer=a.answer if a is not None else "",
                    answered_by=(
                        str(a.answered_by) if a is not None and a.answered_by is not None else None
                    ),
                    updated_at=a.updated_at if a is not None else None,
                )
            )
        stages.append(StageChecklist(stage=stage, items=items, current=stage == alliance.stage))
    return AllianceChecklist(
        alliance=alliance, stages=stages, can_edit=can_edit_checklist(user, alliance)
    )


def checklist_open_counts(alliance_ids: Iterable[int]) -> dict[int, int]:
    """For each alliance, how many of its current stage's questions have no answer (for the
    facilitator's dashboard, which chooses the alliances through the access layer)."""
    ids = list(alliance_ids)
    stages = dict(LearningAlliance.objects.filter(id__in=ids).values_list("id", "stage"))
    answered: dict[int, set[str]] = {i: set() for i in stages}
    for alliance_id, key in (
        ChecklistAnswer.objects.filter(alliance_id__in=ids)
        .exclude(answer="")
        .values_list("alliance_id", "question")
    ):
        answered[alliance_id].add(key)
    return {
        alliance_id: sum(1 for q in questions_for(stage) if q.key not in answered[alliance_id])
        for alliance_id, stage in stages.items()
    }


def _within_a_sentence(label: object) -> str:
    """A choice's label as a word inside a sentence: "Added Ann as peer learner (by
    e-mail)", not "as Peer learner (By e-mail)".

    >>> _within_a_sentence("Peer learner")
    'peer learner'
    """
    text = str(label)
    return text[:1].lower() + text[1:]


def _event_text(event: str, detail: dict[str, Any], names: dict[int, str]) -> str:
    """What a recorded change did, in words (the trail itself holds only ids and codes)."""

    def who(key: str = "user") -> str:
        value = detail.get(key)
        if not isinstance(value, int):
            return _("someone")
        return names.get(value, _("a member whose profile is not shared with you"))

    def role(key: str = "role") -> str:
        value = detail.get(key)
        if value not in MemberRole.values:
            return str(value)
        return _within_a_sentence(MemberRole(value).label)

    def org() -> str:
        value = detail.get("organisation")
        found = Organisation.objects.filter(id=value).first() if isinstance(value, int) else None
        return str(found) if found is not None else _("an organisation")

    def stage(key: str) -> str:
        value = detail.get(key)
        return str(AllianceStage(value).label) if value in AllianceStage.values else str(value)

    texts: dict[str, Callable[[], str]] = {
        "created": lambda: _("Created the alliance."),
        "updated": lambda: (
            _("Changed the description (%(fields)s).")
            % {
                "fields": ", ".join(
                    str(getattr(LearningAlliance._meta.get_field(f), "verbose_name", f))
                    for f in detail.get("fields", [])
                    if f in EDITABLE_FIELDS
                )
            }
        ),
        "member_added": lambda: _("Added %(who)s as %(role)s.") % {"who": who(), "role": role()},
        "organisation_added": lambda: _("Added %(organisation)s.") % {"organisation": org()},
        "organisation_removed": lambda: _("Removed %(organisation)s.") % {"organisation": org()},
        "invited": lambda: (
            _("Invited someone as %(role)s (%(source)s).")
            % {
                "role": role(),
                "source": _within_a_sentence(InvitationSource(detail["source"]).label)
                if detail.get("source") in InvitationSource.values
                else "",
            }
        ),
        "invitation_accepted": lambda: _("%(who)s accepted an invitation.") % {"who": who()},
        "invitation_withdrawn": lambda: _("Withdrew an invitation."),
        "cohort_imported": lambda: (
            _("Imported a cohort: %(invited)s invited, %(skipped)s already invited or members.")
            % {"invited": detail.get("invited", 0), "skipped": detail.get("skipped", 0)}
        ),
        "role_changed": lambda: _("Made %(who)s %(role)s.") % {"who": who(), "role": role()},
        "member_removed": lambda: _("Removed %(who)s.") % {"who": who()},
        "member_left": lambda: _("%(who)s left the alliance.") % {"who": who()},
        "priority_added": lambda: _("Added a priority reform area."),
        "priority_edited": lambda: _("Edited a priority reform area."),
        "priority_moved": lambda: _("Reordered the priority reform areas."),
        "priority_removed": lambda: _("Removed a priority reform area."),
        "checklist_answered": lambda: (
            ngettext(
                "Answered %(count)d of the guide's questions.",
                "Answered %(count)d of the guide's questions.",
                len(detail.get("questions", [])),
            )
            % {"count": len(detail.get("questions", []))}
        ),
        "stage_moved": lambda: (
            _("Moved from “%(from)s” to “%(to)s”.") % {"from": stage("from"), "to": stage("to")}
        ),
        "risk_added": lambda: _("Wrote a risk note."),
        "risk_edited": lambda: _("Edited a risk note."),
        "risk_removed": lambda: _("Removed a risk note."),
        "closed": lambda: _("Closed the alliance at “%(stage)s”.") % {"stage": stage("stage")},
        "reopened": lambda: _("Reopened the alliance."),
    }
    make = texts.get(event)
    return make() if make is not None else event


def invitation_label(invitation: AllianceInvitation) -> str:
    """A member not named to the reader, as the invitation they accepted names them: the
    name and address its facilitators wrote (the address only if they typed it)."""
    if not invitation.address_shown:
        return invitation.name or _("a member invited from the directory")
    return _("%(name)s, invited at %(email)s") % {
        "name": invitation.name or invitation.address_shown,
        "email": invitation.address_shown,
    }


def _invitations_accepted_by(
    user: Viewer, alliance: LearningAlliance, user_ids: Iterable[int]
) -> dict[int, AllianceInvitation]:
    """For each of ``user_ids`` who joined ``alliance`` by an invitation ``user`` may read,
    that invitation (:func:`peerlearn.access.alliances.invitations_visible_to`)."""
    ids = list(user_ids)
    if not ids:
        return {}
    accepted = invitations_visible_to(user).filter(
        alliance=alliance, accepted_by_id__in=ids, accepted_at__isnull=False
    )
    return {i.accepted_by_id: i for i in accepted if i.accepted_by_id is not None}


@dataclass(frozen=True)
class HistoryEntry:
    when: Any
    actor: str
    text: str


def alliance_history(
    *, user: Viewer, alliance: LearningAlliance, limit: int = 200
) -> list[HistoryEntry]:
    """The alliance's record of changes, newest first, for those who may read it
    (``can_read_alliance_history``). People whose profile ``user`` may not see are not
    named (:func:`peerlearn.access.alliances.people_named_to`)."""
    from peerlearn.accounts.models import User
    from peerlearn.audit.models import AuditEvent

    events = list(
        AuditEvent.objects.filter(
            object_type="alliances.learningalliance",
            object_id=str(alliance.id),
            detail__has_key="event",
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    user_ids = {
        value
        for e in events
        for key in ("user", "successor")
        if isinstance(value := e.detail.get(key), int)
    }
    user_ids |= {e.actor_id for e in events if e.actor_id is not None}
    named = people_named_to(user, user_ids)
    names = {u.id: str(u) for u in User.objects.filter(id__in=named)}
    # Someone who joined by invitation and is not named yet reads as the invitation names
    # them to the facilitators who sent it, as on the members page.
    invited = _invitations_accepted_by(user, alliance, user_ids - set(names))
    names |= {uid: invitation_label(i) for uid, i in invited.items()}
    return [
        HistoryEntry(
            when=e.created_at,
            actor=(
                names.get(e.actor_id, _("a member whose profile is not shared with you"))
                if e.actor_id is not None
                else _("the platform")
            ),
            text=_event_text(str(e.detail.get("event", "")), e.detail, names),
        )
        for e in events
    ]


@dataclass
class AllianceManagement:
    """The members page's read model: the people, the invitations still open, and who may
    be added from the directory."""

    alliance: LearningAlliance
    memberships: list[AllianceMembership]
    invitations: list[AllianceInvitation]
    facilitator_count: int
    #: The membership of the alliance's only facilitator (who cannot be removed), if one.
    sole_facilitator: int | None
    named: set[int]  # the membership ids whose person the viewer may see by name
    # For a member not named: the invitation they accepted, as the viewer may read it (its
    # name and address, which the facilitators who sent it know already).
    invited_as: dict[int, AllianceInvitation] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[AllianceMembership, bool, str]]:
        """Each membership, whether its person is named, and for one who is not but joined
        by an invitation the viewer may read, how that invitation names them (else "")."""
        return [
            (
                m,
                m.id in self.named,
                invitation_label(self.invited_as[m.id]) if m.id in self.invited_as else "",
            )
            for m in self.memberships
        ]


def alliance_management(*, user: Viewer, alliance: LearningAlliance) -> AllianceManagement:
    """The members page's read model. Members are named as on the alliance's page
    (:func:`peerlearn.access.alliances.member_named_to`): a peer whose profile the
    facilitator may not see is managed without being named."""
    memberships = list(
        alliance.memberships.select_related("user", "user__organisation").order_by(
            "role", "user__name"
        )
    )
    members = _members_named_to(user, memberships, inside=True)
    named = {m.id for m, _peer in members.shown}
    unnamed = {m.user_id: m.id for m in memberships if m.id not in named}
    accepted = _invitations_accepted_by(user, alliance, unnamed)
    facilitators = [m.id for m in memberships if m.role == MemberRole.FACILITATOR]
    return AllianceManagement(
        alliance=alliance,
        memberships=memberships,
        named=named,
        invitations=list(
            invitations_visible_to(user)
            .filter(alliance=alliance, accepted_at__isnull=True)
            .select_related("invited_by")
        ),
        facilitator_count=len(facilitators),
        sole_facilitator=facilitators[0] if len(facilitators) == 1 else None,
        invited_as={unnamed[uid]: i for uid, i in accepted.items()},
    )


def organisations_to_add(alliance: LearningAlliance) -> QuerySet[Organisation]:
    """The organisations that may join ``alliance``: those not in it yet (organisations are
    not confidential)."""
    return Organisation.objects.select_related("country").exclude(
        alliance_memberships__alliance=alliance
    )


def organisations_in(alliance: LearningAlliance) -> QuerySet[Organisation]:
    """The organisations in ``alliance``."""
    return Organisation.objects.select_related("country").filter(
        alliance_memberships__alliance=alliance
    )


def directory_search(*, user: Viewer, alliance: LearningAlliance, q: str) -> list[Any]:
    """People a facilitator may add to the alliance, matching ``q`` (name, user name,
    e-mail or organisation), members left out; at most 20."""
    q = q.strip()
    if len(q) < 2:
        return []
    return list(
        people_invitable_by(user)
        .exclude(id__in=alliance.memberships.values("user_id"))
        .filter(
            Q(name__icontains=q)
            | Q(username__icontains=q)
            | Q(email__iexact=q)
            | Q(organisation__name__icontains=q)
        )
        .select_related("organisation")
        .order_by("name")[:20]
    )


def alliance_risk_notes(*, user: Viewer, alliance: LearningAlliance) -> list[RiskNote]:
    return list(risk_notes_visible_to(user).filter(alliance=alliance).select_related("written_by"))


def alliance_page_extras(*, user: Viewer, detail: AllianceDetail) -> AllianceDetail:
    """What the alliance page shows beyond the API's read model: the open questions of the
    current stage (for those who read the checklists) and the latest changes (for its
    facilitators)."""
    alliance = detail.alliance
    detail.can_read_checklist = can_read_checklist(user, alliance)
    if detail.can_read_checklist:
        detail.open_questions = checklist_open_counts([alliance.id])[alliance.id]
    if can_read_alliance_history(user, alliance):
        detail.history = alliance_history(user=user, alliance=alliance, limit=10)
    return detail
