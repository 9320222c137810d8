"""Proposals as each viewer may see them: their members, answers, next steps and
explanations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Choices, Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.base import Viewer
from peerlearn.access.matching import (
    can_manage_proposal,
    proposals_visible_to,
)
from peerlearn.access.peers import challenges_visible_to, experiences_visible_to, peers_visible_to
from peerlearn.core.dates import date_format
from peerlearn.matchmaking.explanations import (
    Renderer,
    quotes_statements,
)
from peerlearn.matchmaking.models import (
    NOT_JOINING,
    MemberResponse,
    Proposal,
    ProposalMember,
    ProposalRole,
    ProposalStatus,
    RunStatus,
    acceptances_needed,
    cannot_go_ahead,
    decline_reason_label,
)
from peerlearn.peers.models import Challenge, Experience


def members_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "members",
        queryset=ProposalMember.objects.select_related(
            "peer__user__organisation__country"
        ).order_by("id"),
    )


@dataclass(frozen=True)
class MemberView:
    """One member of a proposal as the viewer may see them."""

    member: ProposalMember
    peer_id: int | None  # None when the viewer may not see the profile
    name: str | None
    organisation: Any  # the member's Organisation, None when hidden
    reason: str | None  # why they declined: for whoever manages the proposal only
    # The answer as this viewer may read it: the member and the facilitator read it as given
    # (a MemberResponse); other members read a decline or a "not now" as NOT_JOINING.
    response: str
    response_label: str
    role_label: str
    decline_reason: str | None  # a DeclineReason, for whoever manages the proposal only
    decline_reason_label: str | None
    is_you: bool


@dataclass(frozen=True)
class AnswerCounts:
    """How the members of one or more proposals have answered."""

    accepted: int = 0
    declined: int = 0
    not_now: int = 0
    pending: int = 0

    def __add__(self, other: AnswerCounts) -> AnswerCounts:
        return AnswerCounts(
            self.accepted + other.accepted,
            self.declined + other.declined,
            self.not_now + other.not_now,
            self.pending + other.pending,
        )

    @classmethod
    def of(cls, responses: list[str]) -> AnswerCounts:
        return cls(
            accepted=responses.count(MemberResponse.ACCEPTED),
            declined=responses.count(MemberResponse.DECLINED),
            not_now=responses.count(MemberResponse.NOT_NOW),
            pending=responses.count(MemberResponse.PENDING),
        )


def _label(choices: type[Choices], value: str) -> str:
    """``value``'s label, as the model's ``get_<field>_display()`` gives it, translating this
    label only (``get_<field>_display()`` translates every label of the field each time)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _member_view(
    m: ProposalMember, *, visible: set[int], manages: bool, is_you: bool, kind: str
) -> MemberView:
    shown = m.peer_id in visible
    response, label = m.response, _label(MemberResponse, m.response)
    if not (manages or is_you) and response in (MemberResponse.DECLINED, MemberResponse.NOT_NOW):
        response, label = NOT_JOINING, _("Not joining")
    private = manages and response == MemberResponse.DECLINED and m.decline_reason
    return MemberView(
        member=m,
        peer_id=m.peer_id if shown else None,
        name=m.peer.user.name if shown else None,
        organisation=m.peer.user.organisation if shown else None,
        reason=(m.reason or None) if manages else None,
        response=response,
        response_label=str(label),
        role_label=_label(ProposalRole, m.role),
        decline_reason=m.decline_reason if private else None,
        decline_reason_label=decline_reason_label(m.decline_reason, kind) if private else None,
        is_you=is_you,
    )


@dataclass
class ProposalView:
    """A proposal as the viewer may see it and what they may do with it: the one read model
    behind the proposal page, the run page and their API endpoints."""

    proposal: Proposal
    members: list[MemberView]
    explanation: dict[str, Any]
    manages: bool
    mine: ProposalMember | None
    can_answer: bool
    can_confirm: bool
    can_withdraw: bool
    accepted: int
    answers: AnswerCounts
    needed: int  # acceptances needed to confirm
    waiting: list[MemberView]  # members who have not answered
    # What happens next, for the member who answered ("" before they answer).
    next_step: str
    #: Open, but too many members declined for enough of them ever to accept.
    out_of_reach: bool = False
    # Why the viewer declined, in the words they chose it by ("" unless they declined).
    mine_decline_reason_label: str = ""


def proposal_view(
    *,
    user: Viewer,
    proposal: Proposal,
    visible: set[int],
    explanation: dict[str, Any],
) -> ProposalView:
    """``proposal`` (members prefetched, run selected) with redaction and permissions."""
    manages = can_manage_proposal(user, proposal)
    user_id = getattr(user, "id", None)
    members = list(proposal.members.all())
    mine = next((m for m in members if m.peer.user_id == user_id), None)
    run_open = proposal.run.status == RunStatus.PROPOSED
    is_open = proposal.status == ProposalStatus.PROPOSED and run_open
    kind = proposal.run.kind
    views = [
        _member_view(m, visible=visible, manages=manages, is_you=m is mine, kind=kind)
        for m in members
    ]
    answers = AnswerCounts.of([m.response for m in members])
    needed = acceptances_needed(proposal.run, len(members))
    out_of_reach = is_open and cannot_go_ahead(proposal.run, len(members), answers.declined)
    return ProposalView(
        proposal=proposal,
        members=views,
        explanation=explanation,
        manages=manages,
        mine=mine,
        can_answer=(
            mine is not None
            and is_open
            and not out_of_reach
            and mine.response != MemberResponse.DECLINED
        ),
        can_confirm=manages and is_open and not out_of_reach,
        can_withdraw=manages and proposal.status == ProposalStatus.PROPOSED,
        accepted=answers.accepted,
        answers=answers,
        needed=needed,
        out_of_reach=out_of_reach,
        waiting=[v for v in views if v.member.response == MemberResponse.PENDING],
        # Once it cannot go ahead, the notice says what there is to know; who declined
        # still reads what their answer means.
        next_step=(
            _next_step(mine, proposal)
            if mine is not None and (not out_of_reach or mine.response == MemberResponse.DECLINED)
            else ""
        ),
        mine_decline_reason_label=(
            decline_reason_label(mine.decline_reason, kind)
            if mine is not None and mine.decline_reason
            else ""
        ),
    )


def _next_step(mine: ProposalMember, proposal: Proposal) -> str:
    """What happens after the member's answer, in words."""
    if proposal.status == ProposalStatus.CONFIRMED:
        if mine.response == MemberResponse.ACCEPTED:
            return _("The facilitator confirmed the proposal: you are in its learning alliance.")
        return _("The facilitator confirmed the proposal with the members who accepted.")
    if proposal.status == ProposalStatus.WITHDRAWN or proposal.run.status != RunStatus.PROPOSED:
        return _("This proposal is closed; nothing more is asked of you.")
    if mine.response == MemberResponse.ACCEPTED:
        return _(
            "When enough members have accepted, the facilitator confirms the proposal and "
            "you are e-mailed a link to your new learning alliance."
        )
    if mine.response == MemberResponse.NOT_NOW:
        return _(
            "You are not joining now. You may still accept while the proposal is open; other "
            "members only read that you are not joining."
        )
    if mine.response == MemberResponse.DECLINED:
        return _(
            "You will not join this group. Other members only read that you are not joining; "
            "the facilitator reads your reason."
        )
    if proposal.reply_by:
        return _("Please answer by %(date)s.") % {"date": date_format(proposal.reply_by)}
    return ""


def _alliance_prefetch(user: Viewer) -> Prefetch[Any]:
    """A proposal's ``alliance``, None when the user may not see that alliance."""
    return Prefetch("alliance", queryset=alliances_visible_to(user))


def proposal_list_for_member(*, user: Viewer) -> QuerySet[Proposal]:
    """Proposals sent to the user as a peer, newest first, with what a list row shows."""
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    return (
        proposals_visible_to(user)
        .filter(members__peer__user=user)
        .exclude(run__status=RunStatus.DRAFT)
        .select_related("run", "run__theme")
        .prefetch_related(members_prefetch(), _alliance_prefetch(user))
        .order_by("-run__created_at", "position")
    )


def proposal_detail(*, user: Viewer, proposal: Proposal) -> ProposalView:
    """A proposal as ``user`` may see it. The run's facilitator and administrators read the
    explanation as stored; a peer reads it in full only when every statement it was drawn
    from is visible to them, and otherwise only the reasons that quote no one."""
    proposal = (
        Proposal.objects.select_related("run", "run__created_by", "run__theme")
        .prefetch_related(members_prefetch(), _alliance_prefetch(user))
        .get(id=proposal.id)
    )
    members = list(proposal.members.all())
    ids = [m.peer_id for m in members]
    visible = set(peers_visible_to(user).filter(id__in=ids).values_list("id", flat=True))
    names = {m.peer_id: m.peer.user.name for m in members if m.peer_id in visible}
    user_id = getattr(user, "id", None)
    others = [m for m in members if m.peer.user_id != user_id]
    full = can_manage_proposal(user, proposal) or _statements_all_visible(user, others)
    return proposal_view(
        user=user,
        proposal=proposal,
        visible=visible,
        explanation=explanation_view(proposal=proposal, names=names, full=full),
    )


def _statements_all_visible(user: Viewer, members: list[ProposalMember]) -> bool:
    challenge_ids = {i for m in members for i in m.challenge_ids}
    experience_ids = {i for m in members for i in m.experience_ids}
    if challenge_ids:
        seen = challenges_visible_to(user).filter(id__in=challenge_ids).count()
        if seen != len(challenge_ids):
            return False
    if experience_ids:
        seen = experiences_visible_to(user).filter(id__in=experience_ids).count()
        if seen != len(experience_ids):
            return False
    return True


def reason_code(stored: Any) -> str | None:
    """A stored message's code; None for runs stored as plain text."""
    if not isinstance(stored, dict):
        return None
    return str(stored.get("code") or "") or None


def explanation_view(
    *, proposal: Proposal, names: dict[int, str], full: bool, render: Renderer | None = None
) -> dict[str, Any]:
    """The stored explanation in the reader's language, peers named only where the reader
    may see them, and — when not ``full`` — without quotations, shared concepts or
    contributions, which could repeat a statement the viewer may not read.

    Runs stored before messages were structured hold plain English texts: they are shown
    as they are, with the same name substitution."""
    render = render or Renderer(names)
    stored = proposal.explanation or {}
    reasons = [r for r in stored.get("reasons", []) if full or not quotes_statements(r)]
    view: dict[str, Any] = {
        "summary": "",
        "reasons": [render(r) for r in reasons],
        "reason_codes": [reason_code(r) for r in reasons],
        "shared_concepts": [],
        "contributions": [],
        "redacted": not full,
    }
    # What the page shows: a short lead (a pair's or a team's summary) and the reasons as a
    # list; a group's summary only repeats its size, first reasons and common ground, so its
    # size heads the list instead (the common ground shows as the shared concepts).
    view["lead"], view["points"] = "", list(view["reasons"])
    if full:
        summary = stored.get("summary")
        view["summary"] = render(summary)
        size = _group_summary_size(summary)
        if size is None:
            view["lead"] = view["summary"]
        else:
            peers = ngettext("%(count)s peer", "%(count)s peers", size) % {"count": size}
            view["points"].insert(0, peers)
        view["shared_concepts"] = list(stored.get("shared_concepts", []))
        view["contributions"] = [
            {
                "peer_id": c.get("peer_id"),
                "name": names.get(c.get("peer_id")) or _("A peer (profile not shared)"),
                "brings": render(c.get("brings", "")),
                "seeks": render(c.get("seeks", "")),
            }
            for c in stored.get("contributions", [])
        ]
    return view


#: The codes of a group's summary: its size, first reasons and common ground in one line.
GROUP_SUMMARIES = frozenset({"summary.group", "summary.group_common_ground"})


def _group_summary_size(summary: Any) -> int | None:
    """A group's size from its stored summary; None for other summaries and older runs."""
    if not isinstance(summary, dict) or summary.get("code") not in GROUP_SUMMARIES:
        return None
    count = (summary.get("params") or {}).get("count")
    return count if isinstance(count, int) else None


def open_proposals_for_member(*, user: Viewer) -> QuerySet[Proposal]:
    """Proposals awaiting the user's answer or the facilitator's confirmation."""
    return proposal_list_for_member(user=user).filter(
        status=ProposalStatus.PROPOSED, run__status=RunStatus.PROPOSED
    )


def proposals_that_cannot_go_ahead(proposals: list[Proposal]) -> set[int]:
    """The ids of ``proposals`` (their runs selected) too many of whose members declined
    for them ever to be confirmed. One query."""
    counts = (
        ProposalMember.objects.filter(proposal__in=[p.id for p in proposals])
        .values("proposal_id")
        .annotate(n=Count("id"), declined=Count("id", filter=Q(response=MemberResponse.DECLINED)))
    )
    by_id = {p.id: p for p in proposals}
    return {
        c["proposal_id"]
        for c in counts
        if cannot_go_ahead(by_id[c["proposal_id"]].run, c["n"], c["declined"])
    }


def statement_open_proposals(*, user: Viewer, statement: Challenge | Experience) -> list[Proposal]:
    """The open matching proposals the user may see that were made partly on ``statement``
    (its author's membership lists it among the statements the matcher read), oldest run
    first. Deleting it leaves those proposals open, but their other members no longer read
    the quotations in the explanation (the explanation shows them only while every
    statement quoted is visible). Two queries."""
    field = "challenge_ids" if isinstance(statement, Challenge) else "experience_ids"
    # Sent to the peers and not yet confirmed or withdrawn.
    open_proposals = proposals_visible_to(user).filter(
        status=ProposalStatus.PROPOSED, run__status=RunStatus.PROPOSED
    )
    listed = ProposalMember.objects.filter(
        peer_id=statement.peer_id, proposal__in=open_proposals.values("id")
    ).values_list("proposal_id", field)
    quoting = {proposal_id for proposal_id, ids in listed if statement.id in (ids or [])}
    if not quoting:
        return []
    return list(
        Proposal.objects.filter(id__in=quoting)
        .select_related("run")
        .order_by("run__created_at", "position")
    )
