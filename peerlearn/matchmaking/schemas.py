"""JSON shapes of matchings: runs, proposals, answers, confirmations and open calls."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, create_model

from peerlearn.access.visibility import Visibility
from peerlearn.core.api import Id, NotBool, SearchText, Stage
from peerlearn.core.schemas import AllianceRef, ThemeRef
from peerlearn.matching.methods import MAX_WEIGHT, WEIGHT_NAMES, Method
from peerlearn.matching.rules import RULES, Rule, default_text
from peerlearn.matchmaking.models import OpenCall, PoolSource, RunKind
from peerlearn.peers.schemas import PeerRef

#: The rules a run takes as single values, by name: the API fields the rules table gives.
RULE_NAMES = tuple(r.name for r in RULES if r.scalar)


def _rule_field(r: Rule) -> tuple[Any, Any]:
    """A run's input field for a rule of the rules table: its type, bounds and default."""
    kinds = ", ".join(r.kinds) if len(r.kinds) < 3 else "every kind"
    text = r.label.replace(" (%)", "")
    description = f"{kinds}: {text}. {r.help} Default: {default_text(r)}."
    if r.percent:
        description += " A fraction, e.g. 0.6 for 60%."
    description = " ".join(description.split())
    bounds: dict[str, Any] = {}
    if r.minimum is not None:
        bounds["gt" if r.exclusive_minimum else "ge"] = r.minimum
    if r.maximum is not None:
        bounds["le"] = r.maximum
    if r.country:
        bounds["max_length"] = 2
    if r.type in (int, float):  # bounds on the number itself; true and false are not numbers
        number: Any = Annotated[r.type, Field(**bounds), NotBool]
        return number | None, Field(None, description=description)
    return r.type | None, Field(None, description=description, **bounds)


#: One input field per rule; RunIn adds the pool and what to form.
_RunRules: type[Schema] = create_model(  # type: ignore[call-overload]
    "RunRules",
    __base__=Schema,
    **{r.name: _rule_field(r) for r in RULES if r.name in RULE_NAMES},
)


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


#: The score weights a run may change, each a number from 0 to MAX_WEIGHT.
WeightsIn: type[Schema] = create_model(  # type: ignore[call-overload]
    "WeightsIn",
    __base__=_Strict,
    **{
        name: (
            Annotated[float, Field(ge=0, le=MAX_WEIGHT), NotBool] | None,
            Field(None, description=f"Weight of '{name}'; leave out for the method's own."),
        )
        for name in WEIGHT_NAMES
    },
)


class RunIn(_RunRules):  # type: ignore[misc,valid-type]
    """A matching to run. The pool is one of: ``theme`` (peers with statements or reform
    areas in the theme), ``alliance`` (an alliance you facilitate: its peer learners,
    resource peers and those who raised challenges in it), ``call`` (applicants to an open
    call you opened) or ``peers`` (every peer you can see, optionally filtered).

    Each rule field says the kinds it applies to: leave a rule out to use its default; only
    the rules of the chosen kind are accepted."""

    model_config = ConfigDict(extra="forbid")

    kind: RunKind = Field(description="groups, pairs or team.")
    source: PoolSource = Field(description="theme, alliance, call or peers.")
    theme: str = Field(
        "",
        max_length=60,
        description="Theme slug: the pool for source=theme; otherwise the new alliance's theme.",
    )
    alliance: str = Field("", max_length=80, description="Alliance slug, for source=alliance.")
    call: Id | None = Field(None, description="Open call id, for source=call.")
    pool_country: str = Field("", max_length=2, description="For source=peers: ISO alpha-2.")
    pool_language: str = Field("", max_length=2, description="For source=peers: ISO 639-1.")
    pool_stage: Stage | None = Field(None, description="For source=peers: reform stage 1–5.")

    method: Method | None = Field(
        None,
        description="How peers are matched: common_challenges (groups' default), same_stage "
        "(groups: one reform stage per group; pairs: providers at the seeker's stage or "
        "later), complementary (pairs' default; groups too) or problem_focused (team). It "
        "sets the score weights and, for same_stage groups, the same_stage rule.",
    )
    weights: WeightsIn | None = Field(  # type: ignore[valid-type]
        None,
        description="Advanced: score weights to change on top of the method's "
        f"({', '.join(WEIGHT_NAMES)}); groups and pairs only.",
    )
    problem: str = Field("", max_length=4000, description="team: the reform problem.")
    pinned: list[Annotated[list[Id], Field(max_length=500)]] = Field(
        default_factory=list,
        max_length=500,
        description="Peers to keep together, by peer id: groups — each list stays in one "
        "group; pairs — [seeker, provider]; team — every peer listed is in it.",
    )
    target_alliance: str = Field(
        "",
        max_length=80,
        description="Slug of an alliance you facilitate that confirmed "
        "proposals extend; leave empty to create new alliances.",
    )
    alliance_name: SearchText = Field(
        "", description="Name of the new alliance(s), numbered when there are several."
    )


class ContributionOut(Schema):
    peer_id: int | None = Field(description="Null when you may not see this peer's profile.")
    name: str
    brings: str
    seeks: str


class ExplanationOut(Schema):
    """In the language of the request (Accept-Language), peers named only where you may see
    them."""

    summary: str
    reasons: list[str]
    reason_codes: list[str | None] = Field(
        description="Each reason's stable code (e.g. reason.shared_language); null for "
        "matchings stored before reasons had codes."
    )
    shared_concepts: list[str]
    contributions: list[ContributionOut]
    redacted: bool = Field(
        description="True when parts quoting statements you may not read were left out."
    )


class ProposalMemberOut(Schema):
    peer_id: int | None = Field(description="Null when you may not see this peer's profile.")
    name: str | None = Field(description="Null when you may not see this peer's profile.")
    role: str = Field(description="seeker, provider or member.")
    response: str = Field(
        description="pending, accepted, declined or not_now; other members read a decline or "
        "a not_now as not_joining."
    )
    responded_at: datetime | None
    decline_reason: str | None = Field(
        description="not_interested, conflict or no_time; for the facilitator only."
    )
    reason: str | None = Field(description="The member's note; for the facilitator only.")


class AnswersOut(Schema):
    accepted: int
    declined: int
    not_now: int
    pending: int


class YouOut(Schema):
    member: bool = Field(description="You are in this proposal.")
    can_answer: bool = Field(description="You may accept or decline it now.")
    can_confirm: bool = Field(description="You may confirm it into a learning alliance now.")
    can_withdraw: bool = Field(description="You may withdraw it.")
    next_step: str = Field(description="For a member: what happens next, in words.")


class ProposalOut(Schema):
    id: int
    run: int
    kind: str
    position: int
    score: float
    language: str = Field(description="A working language every member speaks, if any.")
    status: str = Field(description="proposed, confirmed or withdrawn.")
    alliance: AllianceRef | None = Field(description="The alliance it created or extended.")
    reply_by: date | None = Field(description="Members answer by this date.")
    acceptances_needed: int = Field(description="Acceptances needed to confirm it.")
    answers: AnswersOut
    members: list[ProposalMemberOut]
    explanation: ExplanationOut
    you: YouOut


class ProposalListOut(Schema):
    """A proposal made to you, as listed."""

    id: int
    kind: str
    position: int
    status: str
    theme: ThemeRef | None
    your_response: str
    alliance: AllianceRef | None

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.run.kind)

    @staticmethod
    def resolve_theme(obj: Any) -> Any:
        return obj.run.theme

    @staticmethod
    def resolve_your_response(obj: Any) -> str:
        return str(obj.your_response)


class DiagnosisOut(Schema):
    constraint: str = Field(description="The rule that made the request (partly) infeasible.")
    rule: str = Field(description="That rule's label, in the language of the request.")
    message: str
    code: str | None = Field(description="The message's stable code; null for older matchings.")
    relaxation: dict[str, Any] = Field(description="The smallest change that works, if any.")
    relaxation_text: str = Field(
        max_length=1000,
        description="That change in words, rules named by their labels; empty when none.",
    )
    relaxation_places: bool | None = Field(
        default=None,
        description=(
            "Whether that change alone places at least one of the peers left out: false when "
            "another rule still keeps them apart; null when not checked (large or older "
            "matchings, pairs and teams)."
        ),
    )
    relaxation_blocked_by: str | None = Field(
        default=None,
        description=(
            "When that change alone places no one: the rule that still keeps them apart, as "
            "the checker names it (e.g. max_per_org); null otherwise and for older matchings."
        ),
    )
    relaxation_blocked_by_text: str = Field(
        default="",
        max_length=1000,
        description="That rule in words, with the run's setting; empty when none is named.",
    )


class UnmatchedOut(Schema):
    peer_id: int | None
    name: str
    reason: str
    code: str | None = Field(description="The reason's stable code; null for older matchings.")


class ProposalSummaryOut(Schema):
    """One row of a matching's summary table."""

    proposal_id: int
    position: int = Field(ge=1)
    status: str = Field(max_length=10)
    size: int = Field(ge=0, description="How many members.")
    language: str = Field(max_length=8, description="A working language every member speaks.")
    language_name: str = Field(max_length=100)
    countries: int = Field(ge=0, description="How many countries the members come from.")
    seniors: int = Field(ge=0, description="How many members are senior peers.")
    concern: str = Field(
        max_length=500, description="The main concepts the members' texts share, in words."
    )
    fit: Literal["strong", "good", "fair"] = Field(
        description="The score relative to the best proposal of the matching (groups by "
        "their mean weight per pair): strong from 85 %, good from 60 %, else fair."
    )
    fit_label: str = Field(max_length=50, description="The fit in the language of the request.")
    score: float
    fit_share: float = Field(ge=0, le=1, description="The score's share of the best one.")


class SolverSummaryOut(Schema):
    quality: str = Field(
        max_length=300, description="How close to the best possible the arrangement is, in words."
    )
    compared: str = Field(max_length=300, description="How the texts were compared, in words.")


class WeightOut(Schema):
    name: str
    label: str = Field(description="The weight in words, in the language of the request.")
    value: float
    changed: bool = Field(description="True when the run changed the method's weight.")


class MethodOut(Schema):
    method: str = Field(description="The method's value; empty for runs stored before methods.")
    label: str = Field(description="Its name, in the language of the request.")
    description: str = Field(description="What it means, in the language of the request.")
    weights: list[WeightOut] = Field(description="The score weights used (none for a team).")
    encoder: str = Field(description="The text encoder used, e.g. all-MiniLM-L6-v2 or tfidf.")
    encoder_label: str = Field(description="How the texts were compared, in words.")


class ToSendOut(Schema):
    proposals: int = Field(ge=0, description="Proposals a send would deliver.")
    peers: int = Field(ge=0, description="Peers a send would e-mail, once each.")


class RunOut(Schema):
    id: int
    kind: str
    status: str = Field(
        description="queued or running (the background worker is matching), failed, draft "
        "(peers see nothing yet), proposed or closed."
    )
    stage: str = Field(
        description="While queued or running: queued, pool, encoding, solving, explaining, "
        "saving; then done."
    )
    stage_label: str = Field(description="The stage in words, in the language of the request.")
    percent: int = Field(ge=0, le=100, description="How much of the matching is done.")
    waiting: list[str] = Field(
        description="While queued: what the run waits for (matchings asked for before it, "
        "the workers' current work), in the language of the request; empty otherwise."
    )
    failure: list[str] = Field(description="Why a failed run failed; empty otherwise.")
    source: str
    theme: ThemeRef | None
    alliance: str | None = Field(description="Slug of the alliance whose candidates were matched.")
    call: int | None
    filters: dict[str, Any]
    pool_size: int
    rules: dict[str, Any]
    method: MethodOut = Field(description="How peers were matched, and with which encoder.")
    excluded_count: int = Field(description="Excluded pairs inside the pool that were applied.")
    problem: str
    target_alliance: str | None
    alliance_name: str
    objective: float
    bound: float | None = Field(description="A proven upper bound on the objective.")
    gap: float | None = Field(description="(bound - objective) / bound; 0 when optimal.")
    block_gap: float | None = Field(
        description="On pools searched in blocks of similar peers: the gap to the best "
        "arrangement within those blocks; null when the pool was searched whole."
    )
    optimal: bool
    solver: str
    encoder: str
    seconds: float
    diagnostics: list[DiagnosisOut]
    unmatched: list[UnmatchedOut]
    proposals: list[ProposalOut]
    created_at: datetime
    summary: list[ProposalSummaryOut] = Field(description="One row per proposal.")
    solver_summary: SolverSummaryOut
    to_send: ToSendOut


class RunListOut(Schema):
    id: int
    kind: str
    status: str
    source: str
    pool_size: int
    proposals: int
    confirmed: int
    created_at: datetime

    @staticmethod
    def resolve_proposals(obj: Any) -> int:
        return int(obj.n_proposals)

    @staticmethod
    def resolve_confirmed(obj: Any) -> int:
        return int(obj.n_confirmed)


class RespondIn(Schema):
    model_config = ConfigDict(extra="forbid")

    response: Literal["accept", "decline", "not_now"] = Field(
        description="not_now is not a decline: it excludes nobody, and you may accept later."
    )
    decline_reason: Literal["", "not_interested", "conflict", "no_time"] = Field(
        "", description="Required with decline; the facilitator alone reads it."
    )
    conflict_with: list[Id] = Field(
        default_factory=list,
        max_length=100,
        description="With decline_reason conflict: the peer ids of the members you have a "
        "conflict with; you will not be proposed with them again.",
    )
    reason: str = Field("", max_length=1000, description="Optional; the facilitator reads it.")


class ProposeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reply_by: date | None = Field(
        None, description="Members answer by; default in 14 days, at most in 90."
    )
    min_accepted: int | None = Field(
        None,
        ge=2,
        le=1000,
        description="Acceptances needed to confirm a proposal; default: both of a pair, the "
        "minimum group size, more than half of a team.",
    )


class ConfirmIn(Schema):
    model_config = ConfigDict(extra="forbid")

    alliance_name: SearchText = Field(
        "", description="Name of the new alliance; default: the run's name, numbered."
    )
    visibility: Visibility = Field(Visibility.ALLIANCE, description="Who may see the new alliance.")


class OpenCallOut(Schema):
    id: int
    title: str
    theme: ThemeRef
    description: str
    closes_on: date | None
    visibility: str
    applications: int

    @staticmethod
    def resolve_applications(obj: OpenCall) -> int:
        return int(getattr(obj, "n_applications", 0))


class OpenCallIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200)
    theme: str = Field(max_length=60, description="Theme slug.")
    description: str = Field(max_length=10000)
    closes_on: date | None = None
    visibility: Visibility = Visibility.PLATFORM


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    motivation: str = Field("", max_length=4000)


class ApplicationOut(Schema):
    id: int
    call: int
    motivation: str
    created_at: datetime

    @staticmethod
    def resolve_call(obj: Any) -> int:
        return int(obj.call_id)


class ApplicantOut(Schema):
    peer_id: int
    name: str
    motivation: str
    created_at: datetime


class CallYouOut(Schema):
    manages: bool = Field(description="You opened this call (or administer the platform).")
    applied: bool = Field(description="You have applied to it.")
    can_apply: bool = Field(description="You may apply now.")


class OpenCallDetailOut(OpenCallOut):
    is_open: bool = Field(description="Peers may still apply.")
    you: CallYouOut
    applicants: list[ApplicantOut] = Field(
        description="Applicants whose profile you may see; only for whoever manages the call."
    )


class ExcludedPairOut(Schema):
    """Two peers never proposed together: a recorded conflict of interest, or a decline."""

    id: int
    peer_a: PeerRef
    peer_b: PeerRef
    reason: str
    note: str
    created_at: datetime
    from_proposal: int | None

    @staticmethod
    def resolve_from_proposal(obj: Any) -> int | None:
        return obj.source_proposal_id  # type: ignore[no-any-return]


class ExcludedPairIn(Schema):
    model_config = ConfigDict(extra="forbid")

    peer_a: Id = Field(description="A peer id.")
    peer_b: Id = Field(description="The peer never to be proposed with peer_a.")
    reason: Literal["conflict", "other"] = Field(
        "conflict",
        description="conflict (of interest) or other; declines are recorded by "
        "the proposals themselves.",
    )
    note: str = Field("", max_length=300)
