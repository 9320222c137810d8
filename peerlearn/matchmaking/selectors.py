"""Reading matchings: the pool a facilitator may match, runs, proposals as each viewer may see
them, open calls and excluded pairs — always through the access layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Choices, Count, Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerlearn.access.alliances import alliances_visible_to
from peerlearn.access.base import Viewer, profile_of
from peerlearn.access.matching import (
    can_manage_open_call,
    can_manage_proposal,
    excluded_pairs_visible_to,
    matching_runs_visible_to,
    open_calls_visible_to,
    peers_matchable_by,
    proposals_visible_to,
    statements_matchable_by,
)
from peerlearn.access.peers import challenges_visible_to, experiences_visible_to, peers_visible_to
from peerlearn.alliances.models import LearningAlliance
from peerlearn.alliances.models import MemberRole as AllianceRole
from peerlearn.core.models import Theme
from peerlearn.matching import Message, Peer, multilingual
from peerlearn.matching import methods as matching_methods
from peerlearn.matching.types import SENIOR_LEVEL
from peerlearn.matchmaking.explanations import (
    Renderer,
    quotes_statements,
    rule_label,
)
from peerlearn.matchmaking.models import (
    NOT_JOINING,
    CallApplication,
    ExcludedPair,
    MatchingRun,
    MemberResponse,
    OpenCall,
    PoolSource,
    Proposal,
    ProposalMember,
    ProposalRole,
    ProposalStatus,
    RunStatus,
    acceptances_needed,
    decline_reason_label,
)
from peerlearn.matchmaking.records import (
    StatementRow,
    focus_on_theme,
    peer_record,
    statements_by_peer,
)
from peerlearn.peers.models import Challenge, Experience, PeerProfile
from peerlearn.peers.selectors import PeerFilters, peer_directory

# --- the pool ----------------------------------------------------------------------------


@dataclass
class Pool:
    """The pool as the matcher receives it, and what the platform needs to store results."""

    peers: list[Peer]
    profiles: dict[int, PeerProfile]
    statements: dict[int, tuple[list[int], list[int]]]  # profile id → challenge, experience ids
    left_out: list[tuple[int, Message]] = field(default_factory=list)  # profile id, reason

    def __len__(self) -> int:
        return len(self.peers)


def pool_candidates(
    *,
    user: Viewer,
    source: str,
    theme: Theme | None = None,
    alliance: LearningAlliance | None = None,
    call: OpenCall | None = None,
    filters: dict[str, Any] | None = None,
) -> QuerySet[PeerProfile]:
    """The peers of a pool that ``user`` may see. Callers check that the user may match this
    alliance or call; this only narrows to what the user can see."""
    # "Private — only me" keeps a profile out of matchings too, even for administrators,
    # who can read it.
    visible = peers_matchable_by(user)
    if source == PoolSource.THEME and theme is not None:
        q = Q(id__in=challenges_visible_to(user).filter(theme=theme).values("peer_id"))
        q |= Q(id__in=experiences_visible_to(user).filter(theme=theme).values("peer_id"))
        q |= Q(id__in=PeerProfile.objects.filter(reform_areas=theme).values("id"))
        return visible.filter(q)
    if source == PoolSource.ALLIANCE and alliance is not None:
        members = alliance.memberships.filter(
            role__in=[AllianceRole.PEER, AllianceRole.RESOURCE]
        ).values("user_id")
        raised = challenges_visible_to(user).filter(alliance=alliance).values("peer_id")
        return visible.filter(Q(user_id__in=members) | Q(id__in=raised))
    if source == PoolSource.CALL and call is not None:
        return visible.filter(id__in=call.applications.values("peer_id"))
    if source == PoolSource.PEERS:
        f = filters or {}
        found = peer_directory(
            user=user,
            filters=PeerFilters(
                country=f.get("country") or "",
                language=f.get("language") or "",
                stage=f.get("stage") or None,
            ),
        )
        return visible.filter(id__in=found.values("id"))
    return visible.none()


def matching_pool(
    *, user: Viewer, candidates: QuerySet[PeerProfile], theme: Theme | None = None
) -> Pool:
    """Each candidate as a matcher ``Peer``, built only from statements ``user`` may read.

    With a theme, a peer's texts are their statements in that theme when they have any, so
    that the matcher compares what they said about it rather than everything they said."""
    profiles = list(
        PeerProfile.objects.filter(id__in=candidates.values("id"))
        .select_related("user", "user__organisation")
        .prefetch_related("languages", "reform_areas")
        .order_by("id")
    )
    ids = candidates.values("id")
    stated = {
        name: statements_by_peer(statements_matchable_by(user, model).filter(peer_id__in=ids))
        for name, model in (("challenge", Challenge), ("experience", Experience))
    }

    def focus(rows: list[StatementRow]) -> list[StatementRow]:
        return focus_on_theme(rows, theme.slug if theme is not None else None)

    pool = Pool(peers=[], profiles={}, statements={})
    for profile in profiles:
        challenges = focus(stated["challenge"].get(profile.id, []))
        experiences = focus(stated["experience"].get(profile.id, []))
        pool.peers.append(
            peer_record(
                profile, challenges, experiences, theme=theme.slug if theme is not None else None
            )
        )
        pool.profiles[profile.id] = profile
        pool.statements[profile.id] = ([r[0] for r in challenges], [r[0] for r in experiences])
    return pool


def excluded_pairs_within(candidates: QuerySet[PeerProfile]) -> list[tuple[int, int]]:
    """Every recorded exclusion between two peers of the pool, whoever recorded it: a
    decline stands for every facilitator's later runs."""
    ids = candidates.values("id")
    rows = ExcludedPair.objects.filter(peer_a_id__in=ids, peer_b_id__in=ids)
    return list(rows.values_list("peer_a_id", "peer_b_id"))


# --- runs and proposals ------------------------------------------------------------------


def run_list(*, user: Viewer) -> QuerySet[MatchingRun]:
    runs: QuerySet[MatchingRun] = (
        matching_runs_visible_to(user)
        .select_related("theme", "created_by", "pool_alliance", "pool_call", "target_alliance")
        .annotate(
            n_proposals=Count("proposals", distinct=True),
            n_confirmed=Count(
                "proposals",
                filter=Q(proposals__status=ProposalStatus.CONFIRMED),
                distinct=True,
            ),
            **{
                f"n_{name}": Count(
                    "proposals__members",
                    filter=Q(proposals__members__response=response)
                    & ~Q(proposals__status=ProposalStatus.WITHDRAWN),
                    distinct=True,
                )
                for name, response in (
                    ("accepted", MemberResponse.ACCEPTED),
                    ("declined", MemberResponse.DECLINED),
                    ("not_now", MemberResponse.NOT_NOW),
                    ("pending", MemberResponse.PENDING),
                )
            },
        )
        .order_by("-created_at", "-id")
    )
    return runs


def _members_prefetch() -> Prefetch[Any]:
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
    return ProposalView(
        proposal=proposal,
        members=views,
        explanation=explanation,
        manages=manages,
        mine=mine,
        can_answer=mine is not None and is_open and mine.response != MemberResponse.DECLINED,
        can_confirm=manages and is_open,
        can_withdraw=manages and proposal.status == ProposalStatus.PROPOSED,
        accepted=answers.accepted,
        answers=answers,
        needed=acceptances_needed(proposal.run, len(members)),
        waiting=[v for v in views if v.member.response == MemberResponse.PENDING],
        next_step=_next_step(mine, proposal) if mine is not None else "",
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


@dataclass
class RunDetail:
    run: MatchingRun
    proposals: list[ProposalView]
    visible_peer_ids: set[int]
    unmatched: list[dict[str, Any]]
    diagnostics: list[dict[str, Any]]
    summary: list[dict[str, Any]] = field(default_factory=list)  # one row per proposal
    solver: dict[str, Any] = field(default_factory=dict)  # the solver's figures in words
    to_send: dict[str, int] = field(default_factory=dict)  # proposals and peers a send e-mails
    method: dict[str, Any] = field(default_factory=dict)  # how peers were matched, in words

    @property
    def answers(self) -> AnswerCounts:
        """The members' answers over the proposals not withdrawn."""
        total = AnswerCounts()
        for p in self.proposals:
            if p.proposal.status != ProposalStatus.WITHDRAWN:
                total += p.answers
        return total


#: A proposal's fit, from its score relative to the best proposal of its run: at least this
#: share of the best is "strong", then "good"; below, "fair".
FIT_LEVELS: tuple[tuple[float, str], ...] = ((0.85, "strong"), (0.6, "good"))


def fit_labels() -> dict[str, str]:
    return {"strong": _("strong"), "good": _("good"), "fair": _("fair")}


def _comparable_score(kind: str, score: float, size: int) -> float:
    """A group's score sums its members' weights over ordered pairs, so it grows with the
    group's size: groups are compared by their mean weight per pair."""
    if kind == "groups" and size > 1:
        return score / (size * (size - 1))
    return score


def proposal_summary(kind: str, rows: list[ProposalView]) -> list[dict[str, Any]]:
    """One line per proposal for the run's summary table: size, shared working language,
    countries, senior peers, the main shared concern and a fit in words."""
    scores = [_comparable_score(kind, row.proposal.score, len(row.members)) for row in rows]
    best = max(scores, default=0.0)
    labels = fit_labels()
    out = []
    for row, score in zip(rows, scores, strict=True):
        p = row.proposal
        share = score / best if best > 0 else 1.0
        fit = next((name for least, name in FIT_LEVELS if share >= least), "fair")
        peers = [m.member.peer for m in row.members]
        countries = {
            peer.user.organisation.country_id
            for peer in peers
            if peer.user.organisation is not None and peer.user.organisation.country_id
        }
        concepts = [str(c) for c in row.explanation.get("shared_concepts", [])]
        out.append(
            {
                "proposal_id": p.id,
                "position": p.position,
                "status": p.status,
                "size": len(row.members),
                "language": p.language,
                "language_name": p.language_name,
                "countries": len(countries),
                "seniors": sum(1 for peer in peers if peer.seniority >= SENIOR_LEVEL),
                "concern": ", ".join(concepts[:2]),
                "fit": fit,
                "fit_label": labels[fit],
                "score": p.score,
                "fit_share": round(max(0.0, min(share, 1.0)), 3),
            }
        )
    return out


def _percent(gap: float) -> int:
    """A gap as a whole percentage; a gap above zero never reads as 0 %."""
    return max(1, round(gap * 100)) if gap > 0 else 0


def solver_summary(run: MatchingRun) -> dict[str, Any]:
    """The solver's figures in words: how close to the best possible the arrangement is,
    and how the texts were compared."""
    encoder = run.encoder or ""
    if encoder.startswith("tfidf"):
        compared = _("compared texts by shared words (TF-IDF)")
    elif encoder:
        compared = _("compared texts by meaning (sentence model)")
    else:
        compared = ""
    if run.optimal:
        quality = _("The arrangement is proven the best possible under these rules.")
    elif run.gap is not None and run.block_gap is not None:
        quality = _(
            "The pool was searched in blocks of similar peers. Within those blocks, the "
            "arrangement found is within %(block)s%% of the best possible; over the whole pool "
            "the proven bound is looser (%(percent)s%%), as it also counts what cutting the "
            "pool into blocks may cost."
        ) % {"block": _percent(run.block_gap), "percent": _percent(run.gap)}
    elif run.gap is not None:
        quality = _(
            "The best arrangement found is within %(percent)s%% of the best possible. That "
            "figure is a cautious limit, reached only if every peer could have their best "
            "possible partners at once; the actual distance can be much smaller."
        ) % {"percent": _percent(run.gap)}
    else:
        quality = _("The arrangement was not compared with the best possible.")
    return {"quality": quality, "compared": compared}


def run_detail(*, user: Viewer, run: MatchingRun) -> RunDetail:
    """A run with its proposals, members, unmatched peers and diagnoses, names replaced
    where the viewer may see the peer."""
    run = (
        MatchingRun.objects.select_related(
            "theme", "created_by", "pool_alliance", "pool_call", "target_alliance"
        )
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("alliance")
                .prefetch_related(_members_prefetch())
                .order_by("position"),
            )
        )
        .get(id=run.id)
    )
    proposals = list(run.proposals.all())
    member_ids = {m.peer_id for p in proposals for m in p.members.all()}
    unmatched_ids = {int(u["peer_id"]) for u in run.unmatched if u.get("peer_id") is not None}
    all_ids = member_ids | unmatched_ids
    visible = set(peers_visible_to(user).filter(id__in=all_ids).values_list("id", flat=True))
    names = dict(PeerProfile.objects.filter(id__in=visible).values_list("id", "user__name"))
    render = Renderer(names)
    unmatched = [
        {
            "peer_id": u.get("peer_id") if u.get("peer_id") in visible else None,
            "name": names.get(u.get("peer_id")) or _("A peer (profile not shared)"),
            "reason": render(u.get("reason", "")),
            "code": _code(u.get("reason")),
        }
        for u in run.unmatched
    ]
    diagnostics = [
        {
            "constraint": d.get("constraint", ""),
            "rule": rule_label(d.get("constraint", "")),
            "message": render(d.get("message", "")),
            "code": _code(d.get("message")),
            "relaxation": d.get("relaxation") or {},
            "relaxation_text": relaxation_text(d.get("relaxation") or {}),
        }
        for d in run.diagnostics
    ]
    views = [
        proposal_view(
            user=user,
            proposal=p,
            visible=visible,
            explanation=explanation_view(proposal=p, names=names, full=True, render=render),
        )
        for p in proposals
    ]
    return RunDetail(
        run=run,
        proposals=views,
        visible_peer_ids=visible,
        unmatched=unmatched,
        diagnostics=diagnostics,
        summary=proposal_summary(run.kind, views),
        solver=solver_summary(run),
        to_send=_to_send(views),
        method=method_summary(run),
    )


#: The score weights in words, in the order of ``WEIGHT_NAMES`` (run form and run page).
WEIGHT_LABELS: dict[str, Any] = {
    "challenge": gettext_lazy("Similar challenges"),
    "complementary": gettext_lazy("One's experience answers another's challenge"),
    "theme": gettext_lazy("Same theme"),
    "stage": gettext_lazy("Same reform stage"),
    "organisation_type": gettext_lazy("Same type of organisation"),
}


#: The multilingual models' names, as runs record them.
MULTILINGUAL_MODELS = frozenset({multilingual.E5_NAME, multilingual.USE_NAME})


def _encoder_label(encoder: str) -> str:
    """How a run's texts were compared, from the encoder's name, in the reader's language."""
    if encoder.startswith("tfidf"):
        return _("shared words (TF-IDF), the fallback when the sentence model is not installed")
    if encoder in MULTILINGUAL_MODELS:
        return _(
            "meaning, in and across languages, with the multilingual sentence model %(name)s"
        ) % {"name": encoder}
    if encoder:
        return _("meaning, with the sentence model %(name)s") % {"name": encoder}
    return ""


def method_summary(run: MatchingRun) -> dict[str, Any]:
    """How a run matched peers, in the reader's language: the method's value, name and
    meaning, the score weights used (those the facilitator changed flagged), and the text
    encoder. Runs stored before methods were named have an empty ``method``."""
    if not run.method:
        return {
            "method": "",
            "label": "",
            "description": "",
            "weights": [],
            "encoder": run.encoder,
            "encoder_label": _encoder_label(run.encoder),
        }
    spec = matching_methods.method_spec(run.method)
    used = matching_methods.method_weights(run.method, run.weights or None)
    changed = set(run.weights or {})
    weights = [
        {
            "name": name,
            "label": str(WEIGHT_LABELS[name]),
            "value": getattr(used, name),
            "changed": name in changed,
        }
        for name in matching_methods.WEIGHT_NAMES
    ]
    return {
        "method": spec.method.value,
        "label": _(spec.label),
        "description": _(spec.description),
        "weights": weights if run.kind != "team" else [],
        "encoder": run.encoder,
        "encoder_label": _encoder_label(run.encoder),
    }


def _to_send(views: list[ProposalView]) -> dict[str, int]:
    """What sending a draft run's proposals does: each member of a proposal not withdrawn
    gets one e-mail per proposal."""
    sent = [v for v in views if v.proposal.status == ProposalStatus.PROPOSED]
    peers = {m.member.peer_id for v in sent for m in v.members}
    return {"proposals": len(sent), "peers": len(peers)}


def relaxation_text(relaxation: dict[str, Any]) -> str:
    """A diagnosis's smallest relaxation in words: each rule by its label, with its value
    (yes/no for a rule that is on or off)."""
    parts = []
    for name, value in relaxation.items():
        if isinstance(value, bool):
            shown = _("yes") if value else _("no")
        elif value is None:
            shown = _("no limit")
        else:
            shown = str(value)
        parts.append(_("%(rule)s: %(value)s") % {"rule": rule_label(name), "value": shown})
    return "; ".join(parts)


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
        .prefetch_related(_members_prefetch(), _alliance_prefetch(user))
        .order_by("-run__created_at", "position")
    )


def proposal_detail(*, user: Viewer, proposal: Proposal) -> ProposalView:
    """A proposal as ``user`` may see it. The run's facilitator and administrators read the
    explanation as stored; a peer reads it in full only when every statement it was drawn
    from is visible to them, and otherwise only the reasons that quote no one."""
    proposal = (
        Proposal.objects.select_related("run", "run__created_by", "run__theme")
        .prefetch_related(_members_prefetch(), _alliance_prefetch(user))
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


def _code(stored: Any) -> str | None:
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
        "reason_codes": [_code(r) for r in reasons],
        "shared_concepts": [],
        "contributions": [],
        "redacted": not full,
    }
    if full:
        view["summary"] = render(stored.get("summary"))
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


# --- open calls and exclusions -----------------------------------------------------------


def open_call_list(*, user: Viewer) -> QuerySet[OpenCall]:
    calls: QuerySet[OpenCall] = (
        open_calls_visible_to(user)
        .select_related("theme", "created_by")
        .annotate(n_applications=Count("applications", distinct=True))
        .order_by("-created_at", "-id")
    )
    return calls


@dataclass
class OpenCallDetail:
    """An open call as the viewer may see it and what they may do: the read model behind
    the call's page and ``GET /matching/calls/{id}``."""

    call: OpenCall
    is_open: bool
    manages: bool
    applied: bool
    can_apply: bool
    applications: list[CallApplication]  # for whoever manages the call, else empty


def open_call_detail(*, user: Viewer, call: OpenCall) -> OpenCallDetail:
    call = open_call_list(user=user).get(id=call.id)
    manages = can_manage_open_call(user, call)
    peer = profile_of(user)
    applied = peer is not None and call.applications.filter(peer=peer).exists()
    return OpenCallDetail(
        call=call,
        is_open=call.is_open,
        manages=manages,
        applied=applied,
        can_apply=peer is not None and not applied and call.is_open,
        applications=call_applications(user=user, call=call) if manages else [],
    )


def call_applications(*, user: Viewer, call: OpenCall) -> list[CallApplication]:
    """Applications to a call the user manages, each applicant only if visible to them."""
    return list(
        call.applications.filter(peer__in=peers_visible_to(user))
        .select_related("peer__user__organisation__country")
        .order_by("created_at", "id")
    )


def excluded_pair_list(*, user: Viewer) -> QuerySet[ExcludedPair]:
    return excluded_pairs_visible_to(user).select_related(
        "peer_a__user__organisation",
        "peer_b__user__organisation",
        "created_by",
        "source_proposal__run",
    )


def open_proposals_for_member(*, user: Viewer) -> QuerySet[Proposal]:
    """Proposals awaiting the user's answer or the facilitator's confirmation."""
    return proposal_list_for_member(user=user).filter(
        status=ProposalStatus.PROPOSED, run__status=RunStatus.PROPOSED
    )


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
