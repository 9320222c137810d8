"""Matchings: run one over a pool, review and send its proposals, answer them, confirm them
into learning alliances; open calls peers apply to."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from peerlearn.access.base import AccessDenied, Viewer, profile_of, require_role
from peerlearn.access.matching import (
    access_excluded_pair_for_delete,
    access_matching_run_by_id,
    access_open_call_by_id,
    access_proposal_by_id,
    access_proposal_for_manage,
    access_proposal_for_response,
)
from peerlearn.access.peers import peers_visible_to
from peerlearn.access.roles import Role
from peerlearn.core.api import Id, Page, signed_in_user
from peerlearn.core.http import site_url
from peerlearn.core.schemas import ErrorOut, ValidationErrorOut
from peerlearn.matchmaking.models import (
    MatchingRun,
    OpenCall,
    Proposal,
    ProposalMember,
)
from peerlearn.matchmaking.schemas import (
    RULE_NAMES,
    ApplicationIn,
    ApplicationOut,
    ConfirmIn,
    ExcludedPairIn,
    ExcludedPairOut,
    OpenCallDetailOut,
    OpenCallIn,
    OpenCallOut,
    ProposalListOut,
    ProposalOut,
    ProposeIn,
    RespondIn,
    RunIn,
    RunListOut,
    RunOut,
)
from peerlearn.matchmaking.selectors import (
    ProposalView,
    excluded_pair_list,
    open_call_detail,
    open_call_list,
    proposal_detail,
    proposal_list_for_member,
    run_detail,
    run_list,
)
from peerlearn.matchmaking.services import (
    call_application_create,
    excluded_pair_add,
    excluded_pair_delete,
    matching_run_close,
    matching_run_create,
    matching_run_propose,
    matching_runs_fail_stale,
    open_call_create,
    proposal_confirm,
    proposal_respond,
    proposal_withdraw,
)
from peerlearn.matchmaking.waiting import run_waiting
from peerlearn.peers.models import PeerProfile

router = Router(tags=["matching"])

_REFUSALS: dict[int | str, Any] = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _proposal(view: ProposalView) -> dict[str, Any]:
    """The proposal read model as the API shows it: the same redaction and permissions as
    the proposal page."""
    proposal, run = view.proposal, view.proposal.run
    return {
        "id": proposal.id,
        "run": run.id,
        "kind": run.kind,
        "position": proposal.position,
        "score": proposal.score,
        "language": proposal.language,
        "status": proposal.status,
        "alliance": proposal.alliance,
        "reply_by": proposal.reply_by,
        "acceptances_needed": view.needed,
        "answers": view.answers,
        "members": [
            {
                "peer_id": m.peer_id,
                "name": m.name,
                "role": m.member.role,
                "response": m.response,
                "responded_at": m.member.responded_at,
                "decline_reason": m.decline_reason,
                "reason": m.reason,
            }
            for m in view.members
        ],
        "explanation": view.explanation,
        "you": {
            "member": view.mine is not None,
            "can_answer": view.can_answer,
            "can_confirm": view.can_confirm,
            "can_withdraw": view.can_withdraw,
            "next_step": view.next_step,
        },
    }


def _proposal_out(user: Viewer, proposal: Proposal) -> dict[str, Any]:
    return _proposal(proposal_detail(user=user, proposal=proposal))


def _run_out(user: Viewer, run: MatchingRun) -> dict[str, Any]:
    detail = run_detail(user=user, run=run)
    r = detail.run
    return {
        "id": r.id,
        "kind": r.kind,
        "status": r.status,
        "stage": r.stage,
        "stage_label": r.get_stage_display(),
        "percent": r.percent,
        "waiting": run_waiting(r).sentences,
        "failure": r.failure_messages,
        "source": r.source,
        "theme": r.theme,
        "alliance": r.pool_alliance.slug if r.pool_alliance else None,
        "call": r.pool_call_id,
        "filters": r.filters,
        "pool_size": r.pool_size,
        "rules": r.rules,
        "method": detail.method,
        "excluded_count": r.excluded_count,
        "problem": r.problem,
        "target_alliance": r.target_alliance.slug if r.target_alliance else None,
        "alliance_name": r.alliance_name,
        "objective": r.objective,
        "bound": r.bound,
        "gap": r.gap,
        "block_gap": r.block_gap,
        "optimal": r.optimal,
        "solver": r.solver,
        "encoder": r.encoder,
        "seconds": r.seconds,
        "diagnostics": detail.diagnostics,
        "unmatched": detail.unmatched,
        "proposals": [_proposal(row) for row in detail.proposals],
        "created_at": r.created_at,
        "summary": detail.summary,
        "solver_summary": detail.solver,
        "to_send": detail.to_send,
    }


# --- runs --------------------------------------------------------------------------------


@router.get(
    "/runs",
    response={200: list[RunListOut], 403: ErrorOut},
    summary="List your matchings",
)
@paginate(Page)
def runs(request: HttpRequest) -> QuerySet[MatchingRun]:
    """For facilitators (their own matchings) and administrators (all)."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    return run_list(user=user)


@router.post("/runs", response={202: RunOut, **_REFUSALS}, summary="Run a matching")
def run_create(request: HttpRequest, payload: RunIn) -> Status[Any]:
    """Checks the request and queues the matching (status `queued`): a background worker
    matches the pool and keeps the result as a draft; follow `GET /runs/{id}` (its `stage`
    and `percent`) until the status is `draft`, or `failed` with the reasons in `failure`.
    Peers see nothing until you send it. Only the peers and statements you can see enter
    the matching; earlier declines are always excluded. When the rules cannot all be met,
    the run is still created: `diagnostics` names the rule and the smallest relaxation that
    works, and `unmatched` lists who was left out and why. Send an `Idempotency-Key` header
    to make a retried request return the run it already started."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    data = payload.dict()
    rules = {name: data[name] for name in RULE_NAMES if data[name] is not None}
    run = matching_run_create(
        created_by=user,
        kind=payload.kind.value,
        source=payload.source.value,
        theme=payload.theme,
        alliance=payload.alliance,
        call=payload.call,
        filters={
            "country": payload.pool_country,
            "language": payload.pool_language,
            "stage": payload.pool_stage,
        },
        rules=rules,
        problem=payload.problem,
        target_alliance=payload.target_alliance,
        alliance_name=payload.alliance_name,
        pinned=payload.pinned,
        token=request.headers.get("Idempotency-Key", "")[:64],
        method=payload.method.value if payload.method else "",
        weights=payload.weights.dict(exclude_none=True) if payload.weights else None,
    )
    return Status(202, _run_out(user, run))


@router.get("/runs/{run_id}", response={200: RunOut, **_REFUSALS}, summary="Get a matching")
def run_get(request: HttpRequest, run_id: Id) -> dict[str, Any]:
    """The run with its proposals, their members' answers and explanations, the unmatched
    peers with reasons, the diagnosis, and objective, bound and gap; while it is queued or
    running, its `stage` and `percent`."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    run = access_matching_run_by_id(user, run_id)
    if run.in_progress and matching_runs_fail_stale(run_id=run.id):
        run.refresh_from_db()
    return _run_out(user, run)


@router.post(
    "/runs/{run_id}/propose",
    response={200: RunOut, **_REFUSALS},
    summary="Send a matching's proposals to the peers",
)
def run_propose(request: HttpRequest, run_id: Id, payload: ProposeIn) -> dict[str, Any]:
    """Each member is told by e-mail and can then accept, decline or answer "not now" until
    the reply-by date; those who have not answered are reminded shortly before it."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    run = access_matching_run_by_id(user, run_id)
    matching_run_propose(
        run=run,
        site_url=site_url(request),
        reply_by=payload.reply_by,
        min_accepted=payload.min_accepted,
    )
    return _run_out(user, run)


@router.post(
    "/runs/{run_id}/close", response={200: RunOut, **_REFUSALS}, summary="Close a matching"
)
def run_close(request: HttpRequest, run_id: Id) -> dict[str, Any]:
    """Proposals not yet confirmed are withdrawn; nobody answers any more."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    run = access_matching_run_by_id(user, run_id)
    matching_run_close(run=run)
    return _run_out(user, run)


# --- proposals ---------------------------------------------------------------------------


@router.get("/proposals", response=list[ProposalListOut], summary="List proposals made to you")
@paginate(Page)
def proposals(request: HttpRequest) -> QuerySet[Proposal]:
    """Proposals you are a member of, once the facilitator has sent them."""
    user = signed_in_user(request)
    mine = ProposalMember.objects.filter(proposal=OuterRef("pk"), peer__user=user)
    return proposal_list_for_member(user=user).annotate(
        your_response=Subquery(mine.values("response")[:1])
    )


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, 404: ErrorOut},
    summary="Get a proposal",
)
def proposal_get(request: HttpRequest, proposal_id: Id) -> dict[str, Any]:
    """Members' names appear only where you may see their profiles; the explanation is
    shortened when it would quote a statement you may not read."""
    user = signed_in_user(request)
    return _proposal_out(user, access_proposal_by_id(user, proposal_id))


@router.post(
    "/proposals/{proposal_id}/respond",
    response={200: ProposalOut, **_REFUSALS},
    summary="Accept, decline or answer “not now” to a proposal",
)
def proposal_answer(request: HttpRequest, proposal_id: Id, payload: RespondIn) -> dict[str, Any]:
    """For the peers in the proposal. A decline says why and is final; only a conflict
    keeps you apart from the members you name in later matchings. Other members read a
    decline or a "not now" as "not joining"."""
    user = signed_in_user(request)
    proposal = access_proposal_for_response(user, proposal_id)
    peer = PeerProfile.objects.get(user=user)
    proposal_respond(
        proposal=proposal,
        peer=peer,
        answer=payload.response,
        decline_reason=payload.decline_reason,
        conflict_with=payload.conflict_with,
        reason=payload.reason,
    )
    return _proposal_out(user, proposal)


@router.post(
    "/proposals/{proposal_id}/confirm",
    response={200: ProposalOut, **_REFUSALS},
    summary="Confirm a proposal into a learning alliance",
)
def proposal_confirm_endpoint(
    request: HttpRequest, proposal_id: Id, payload: ConfirmIn
) -> dict[str, Any]:
    """For the facilitator who ran the matching. Creates a learning alliance (Type I for a
    pair, Type II for a group or team) — or extends the run's alliance — with the members
    who accepted; as many must have accepted as `acceptances_needed` says."""
    user = signed_in_user(request)
    proposal = access_proposal_for_manage(user, proposal_id)
    proposal_confirm(
        proposal=proposal,
        confirmed_by=user,
        alliance_name=payload.alliance_name,
        visibility=payload.visibility.value,
        site_url=site_url(request),
    )
    return _proposal_out(user, proposal)


@router.post(
    "/proposals/{proposal_id}/withdraw",
    response={200: ProposalOut, **_REFUSALS},
    summary="Withdraw a proposal",
)
def proposal_withdraw_endpoint(request: HttpRequest, proposal_id: Id) -> dict[str, Any]:
    user = signed_in_user(request)
    proposal = access_proposal_for_manage(user, proposal_id)
    proposal_withdraw(proposal=proposal)
    return _proposal_out(user, proposal)


# --- open calls --------------------------------------------------------------------------


@router.get("/calls", response=list[OpenCallOut], summary="List open calls")
@paginate(Page)
def calls(request: HttpRequest) -> QuerySet[OpenCall]:
    return open_call_list(user=signed_in_user(request))


@router.get(
    "/calls/{call_id}",
    response={200: OpenCallDetailOut, 404: ErrorOut},
    summary="One open call",
)
def call_detail(request: HttpRequest, call_id: Id) -> dict[str, Any]:
    """The call as its page shows it: whoever manages it also sees the applicants."""
    user = signed_in_user(request)
    detail = open_call_detail(user=user, call=access_open_call_by_id(user, call_id))
    call = detail.call
    return {
        "id": call.id,
        "title": call.title,
        "theme": call.theme,
        "description": call.description,
        "closes_on": call.closes_on,
        "visibility": call.visibility,
        "applications": getattr(call, "n_applications", 0),
        "is_open": detail.is_open,
        "you": {
            "manages": detail.manages,
            "applied": detail.applied,
            "can_apply": detail.can_apply,
        },
        "applicants": [
            {
                "peer_id": a.peer_id,
                "name": a.peer.user.name,
                "motivation": a.motivation,
                "created_at": a.created_at,
            }
            for a in detail.applications
        ],
    }


@router.post("/calls", response={201: OpenCallOut, **_REFUSALS}, summary="Open a call")
def call_create(request: HttpRequest, payload: OpenCallIn) -> Status[Any]:
    """For facilitators. Its applicants can then be matched (``source=call``)."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    call = open_call_create(
        created_by=user,
        title=payload.title,
        theme=payload.theme,
        description=payload.description,
        closes_on=payload.closes_on,
        visibility=payload.visibility.value,
    )
    return Status(201, open_call_list(user=user).get(id=call.id))


@router.post(
    "/calls/{call_id}/applications",
    response={201: ApplicationOut, **_REFUSALS},
    summary="Apply to an open call",
)
def call_apply(request: HttpRequest, call_id: Id, payload: ApplicationIn) -> Status[Any]:
    """For peers, once per call, while it is open."""
    user = signed_in_user(request)
    call = access_open_call_by_id(user, call_id)
    peer = profile_of(user)
    if peer is None:
        raise AccessDenied(
            _("Only peers can apply: create your peer profile on the website first.")
        )
    application = call_application_create(call=call, peer=peer, motivation=payload.motivation)
    return Status(201, application)


# --- excluded pairs ----------------------------------------------------------------------


@router.get(
    "/excluded",
    response={200: list[ExcludedPairOut], 403: ErrorOut},
    summary="List excluded pairs",
)
@paginate(Page)
def excluded_pairs(request: HttpRequest) -> QuerySet[Any]:
    """For facilitators (the pairs of peers they can both see) and administrators (all)."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    return excluded_pair_list(user=user)


@router.post(
    "/excluded",
    response={201: ExcludedPairOut, **_REFUSALS},
    summary="Keep two peers apart",
)
def excluded_pair_create(request: HttpRequest, payload: ExcludedPairIn) -> Status[Any]:
    """Record a conflict of interest: no later matching proposes these two peers together."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    visible = peers_visible_to(user)
    found = {p.id: p for p in visible.filter(id__in=[payload.peer_a, payload.peer_b])}
    errors = {
        name: [_("No peer you can see has id %(id)s.") % {"id": pid}]
        for name, pid in (("peer_a", payload.peer_a), ("peer_b", payload.peer_b))
        if pid not in found
    }
    if errors:
        raise ValidationError(errors)
    pair = excluded_pair_add(
        peer_a=found[payload.peer_a],
        peer_b=found[payload.peer_b],
        reason=payload.reason,
        note=payload.note,
        created_by=user,
    )
    return Status(201, excluded_pair_list(user=user).get(id=pair.id))


@router.delete(
    "/excluded/{pair_id}",
    response={204: None, **_REFUSALS},
    summary="Let two peers be proposed together again",
)
def excluded_pair_remove(request: HttpRequest, pair_id: Id) -> Status[None]:
    """For whoever recorded the exclusion, and administrators."""
    user = signed_in_user(request)
    require_role(user, Role.FACILITATOR)
    excluded_pair_delete(pair=access_excluded_pair_for_delete(user, pair_id))
    return Status(204, None)
