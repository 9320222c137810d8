"""Matching pages: run a matching, review its proposals, send them, peers' answers, confirm;
open calls; excluded pairs. Views parse input, ask the access layer, call a service, render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from peerlearn.access.base import AccessDenied, profile_of, require_role
from peerlearn.access.matching import (
    access_excluded_pair_for_delete,
    access_matching_run_by_id,
    access_open_call_by_id,
    access_open_call_for_manage,
    access_proposal_by_id,
    access_proposal_for_manage,
    access_proposal_for_response,
    can_run_matching,
)
from peerlearn.access.roles import Role
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.geography import country_name
from peerlearn.core.http import AuthenticatedHttpRequest, site_url
from peerlearn.core.paging import paginate
from peerlearn.matchmaking.forms import (
    RULES_SHOWN,
    ApplicationForm,
    ConfirmForm,
    ExcludedPairForm,
    OpenCallForm,
    ProposeForm,
    RespondForm,
    RunForm,
    pinned_text,
    run_form_initial,
    run_form_initial_from,
    run_form_kind_changed,
)
from peerlearn.matchmaking.models import (
    MatchingRun,
    PoolSource,
    RunKind,
    RunStatus,
)
from peerlearn.matchmaking.selectors import (
    PROPOSAL_FILTERS,
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
    REPLY_DAYS,
    call_application_create,
    excluded_pair_add,
    excluded_pair_delete,
    matching_run_close,
    matching_run_create,
    matching_run_propose,
    matching_runs_fail_stale,
    open_call_create,
    proposal_confirm,
    proposal_default_alliance_name,
    proposal_respond,
    proposal_withdraw,
    run_alliance_name,
)
from peerlearn.matchmaking.waiting import run_waiting
from peerlearn.peers.models import PeerProfile

# --- runs --------------------------------------------------------------------------------


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Facilitators see their matchings; everyone else the proposals made to them."""
    if not can_run_matching(request.user):
        return proposals(request)
    runs = run_list(user=request.user)
    status = request.GET.get("status", "")
    if status in RunStatus.values:
        runs = runs.filter(status=status)
    page, query = paginate(request, runs)
    template = "matchmaking/runs.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {"page": page, "query": query, "status": status, "statuses": RunStatus.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def run_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.FACILITATOR)
    asked = request.method == "POST" and "show_rules" in request.POST
    unseen = request.method == "POST" and not asked and run_form_kind_changed(request.POST)
    if asked or unseen:
        # The kind changed: the same form with the rules of the new kind (htmx swaps it in);
        # sent to run before they were shown, it shows them and says so, and runs nothing.
        form = RunForm(initial=run_form_initial_from(request.POST), user=request.user)
        context = {"form": form, "kind_changed": unseen}
        return render(request, "matchmaking/run_form.html", context)
    if request.method == "POST":
        form = RunForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                run = matching_run_create(created_by=request.user, **form.service_arguments())
            except ValidationError as e:
                form_add_service_errors(form, e)
            else:
                if run.in_progress:
                    messages.info(
                        request,
                        _(
                            "The matching has started. This page shows how far it has got; you "
                            "may close it and come back later."
                        ),
                    )
                elif run.status == RunStatus.FAILED:
                    messages.error(request, _("The matching could not be done: see why below."))
                elif run.proposals.exists():
                    messages.success(
                        request,
                        _(
                            "The matching is ready for your review. Peers see nothing until you "
                            "send the proposals."
                        ),
                    )
                else:
                    messages.warning(request, _("No proposal could be formed: see why below."))
                return redirect("matchmaking:run", run_id=run.id)
    else:
        initial: dict[str, Any] = {}
        if "from" in request.GET and request.GET["from"].isdigit():
            initial = run_form_initial(
                access_matching_run_by_id(request.user, int(request.GET["from"]))
            )
        elif request.GET.get("call", "").isdigit():
            call = access_open_call_for_manage(request.user, int(request.GET["call"]))
            initial = {"source": PoolSource.CALL, "call": call.id, "theme": call.theme.slug}
        elif request.GET.get("theme"):
            initial = {"source": PoolSource.THEME, "theme": request.GET["theme"]}
        form = RunForm(initial=initial, user=request.user)
    return render(
        request,
        "matchmaking/run_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def run_page(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    """The run; while it is queued or running, its progress, which htmx polls (the
    ``progress`` fragment) and which reloads itself without JavaScript. Its proposals are
    listed a page at a time, filtered by what became of them (``?show=``, ``?page=``);
    htmx asks for the list alone (the ``proposals`` fragment, its target)."""
    run = access_matching_run_by_id(request.user, run_id)
    if run.in_progress and matching_runs_fail_stale(run_id=run.id):
        run.refresh_from_db()
    if request.htmx and request.GET.get("fragment") == "progress":
        if not run.in_progress:
            # Done or failed: the whole page changes, not just the progress.
            return HttpResponseClientRefresh()
        return render(
            request,
            "matchmaking/run_detail.html#progress",
            {"run": run, "waiting": run_waiting(run)},
        )
    template = "matchmaking/run_detail.html"
    if (
        request.htmx
        and request.htmx.target == "proposals"
        and not request.htmx.history_restore_request
        and not run.in_progress
    ):
        template += "#proposals"
    response = render(request, template, _run_context(request, run))
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


#: The run page lists this many proposals at a time.
PROPOSALS_PER_PAGE = 50


def _run_context(
    request: AuthenticatedHttpRequest, run: MatchingRun, propose_form: ProposeForm | None = None
) -> dict[str, Any]:
    # Every proposal's line, for the counts and the filters; the explanations (the costly
    # part) of the page's proposals only.
    detail = run_detail(user=request.user, run=run, explain=False)
    if propose_form is None:
        reply_by = timezone.localdate() + timedelta(days=REPLY_DAYS)
        propose_form = ProposeForm(initial={"reply_by": reply_by})
    show = request.GET.get("show", "")
    if show not in PROPOSAL_FILTERS:
        show = ""
    page, query = paginate(request, detail.rows_shown(show), per_page=PROPOSALS_PER_PAGE)
    return {
        "detail": detail,
        "run": detail.run,
        "rules": _rules_display(detail.run.rules),
        "alliance_names": _alliance_names(detail.run, len(detail.proposals)),
        "propose_form": propose_form,
        "waiting": run_waiting(run),
        "show": show,
        "filters": detail.filter_choices(show),
        "page": page,
        "rows": detail.explained(page.object_list),
        "query": query,
    }


def _alliance_names(run: MatchingRun, proposals: int) -> list[str]:
    """The names confirmed proposals take unless changed: one for a team or a single
    proposal, else the first two of the numbered ones."""
    if run.target_alliance_id is not None:
        return []
    if run.kind == RunKind.TEAM or proposals == 1:
        return [run_alliance_name(run)]
    return [run_alliance_name(run, number=1), run_alliance_name(run, number=2)]


#: The rules whose value is a country's code, shown by its name.
COUNTRY_RULES = frozenset(r.name for r in RULES_SHOWN if r.country)


def _rules_display(rules: dict[str, Any]) -> list[tuple[str, str]]:
    """The run's rules under the labels the form gave them, a country by its name in the
    reader's language."""
    out = []
    for name, value in rules.items():
        field = RunForm.base_fields.get(name)
        label = str(field.label) if field is not None else name
        if value is None or value == "":
            shown = "—"
        elif isinstance(value, bool):
            shown = _("yes") if value else _("no")
        elif name == "max_gender_share":
            shown = f"{round(value * 100)}%"
        elif name == "pinned":
            shown = pinned_text(value).replace("\n", " · ")
        elif name in COUNTRY_RULES:
            shown = country_name(str(value))
        else:
            shown = str(value)
        out.append((label, shown))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def run_propose(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    """GET asks the facilitator to confirm, saying how many peers will be e-mailed; the
    confirmation's POST sends."""
    run = access_matching_run_by_id(request.user, run_id)
    if request.method == "GET":
        detail = run_detail(user=request.user, run=run, explain=False)
        if detail.run.status != RunStatus.DRAFT or not detail.to_send.get("proposals"):
            return redirect("matchmaking:run", run_id=run.id)
        return render(
            request,
            "matchmaking/run_propose.html",
            {"run": detail.run, "to_send": detail.to_send, "form": ProposeForm()},
        )
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            matching_run_propose(
                run=run,
                site_url=site_url(request),
                reply_by=form.cleaned_data["reply_by"],
                min_accepted=form.cleaned_data["min_accepted"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("The proposals were sent: each peer can now accept, decline or answer later."),
            )
            return redirect("matchmaking:run", run_id=run.id)
    detail = run_detail(user=request.user, run=run, explain=False)
    return render(
        request,
        "matchmaking/run_propose.html",
        {"run": detail.run, "to_send": detail.to_send, "form": form},
        status=400,
    )


@login_required
@require_POST
def run_close(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponse:
    run = access_matching_run_by_id(request.user, run_id)
    try:
        matching_run_close(run=run)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The matching is closed."))
    return redirect("matchmaking:run", run_id=run.id)


# --- proposals ---------------------------------------------------------------------------


@login_required
def proposals(request: AuthenticatedHttpRequest) -> HttpResponse:
    page, query = paginate(request, proposal_list_for_member(user=request.user))
    return render(request, "matchmaking/proposals.html", {"page": page, "query": query})


def _others(detail: ProposalView) -> list[tuple[int, str]]:
    """The other members a decliner may name for a conflict: those they can see."""
    return [
        (m.member.peer_id, m.name or "")
        for m in detail.members
        if not m.is_you and m.peer_id is not None
    ]


def _proposal_context(
    request: HttpRequest,
    proposal: Any,
    respond_form: RespondForm | None = None,
    confirm_form: ConfirmForm | None = None,
) -> dict[str, Any]:
    detail = proposal_detail(user=request.user, proposal=proposal)
    p, run = detail.proposal, detail.proposal.run
    if detail.can_answer and respond_form is None:
        respond_form = RespondForm(others=_others(detail), kind=run.kind)
    if detail.can_confirm and confirm_form is None and run.target_alliance_id is None:
        confirm_form = ConfirmForm(
            initial={"alliance_name": proposal_default_alliance_name(run=run, proposal=p)}
        )
    return {
        "detail": detail,
        "proposal": p,
        "run": run,
        "respond_form": respond_form,
        "confirm_form": confirm_form,
    }


@login_required
def proposal_page(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_by_id(request.user, proposal_id)
    return render(request, "matchmaking/proposal_detail.html", _proposal_context(request, proposal))


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def proposal_respond_view(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_for_response(request.user, proposal_id)
    form = RespondForm(
        request.POST,
        others=_others(proposal_detail(user=request.user, proposal=proposal)),
        kind=proposal.run.kind,
    )
    if form.is_valid():
        answer = form.cleaned_data["response"]
        try:
            proposal_respond(
                proposal=proposal,
                peer=PeerProfile.objects.get(user=request.user),
                answer=answer,
                decline_reason=form.cleaned_data["decline_reason"] or "",
                conflict_with=form.cleaned_data.get("conflict_with") or [],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                {
                    "accept": _("You accepted. The facilitator will confirm."),
                    "not_now": _("Your answer is saved: not now."),
                    "decline": _("You declined. Only the facilitator reads why."),
                }[answer],
            )
            default = reverse("matchmaking:proposal", args=[proposal.id])
            return redirect(_next_url(request, default))
    context = _proposal_context(request, proposal, respond_form=form)
    return render(request, "matchmaking/proposal_detail.html", context, status=400)


@login_required
@require_POST
def proposal_confirm_view(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_for_manage(request.user, proposal_id)
    form: ConfirmForm | None = None
    arguments: dict[str, Any] = {}
    if proposal.run.target_alliance_id is None:
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            context = _proposal_context(request, proposal, confirm_form=form)
            return render(request, "matchmaking/proposal_detail.html", context, status=400)
        arguments = dict(form.cleaned_data)
    try:
        confirmed = proposal_confirm(
            proposal=proposal,
            confirmed_by=request.user,
            site_url=site_url(request),
            **arguments,
        )
    except ValidationError as e:
        if form is None:
            for message in e.messages:
                messages.error(request, message)
            return redirect("matchmaking:proposal", proposal_id=proposal.id)
        form_add_service_errors(form, e)
        context = _proposal_context(request, proposal, confirm_form=form)
        return render(request, "matchmaking/proposal_detail.html", context, status=400)
    assert confirmed.alliance is not None
    messages.success(
        request,
        _("Confirmed: the members who accepted are now in “%(name)s”.")
        % {"name": confirmed.alliance.name},
    )
    return redirect("alliances:detail", slug=confirmed.alliance.slug)


@login_required
@require_POST
def proposal_withdraw_view(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = access_proposal_for_manage(request.user, proposal_id)
    try:
        proposal_withdraw(proposal=proposal)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The proposal was withdrawn."))
    # Back to the page of the run's list the facilitator withdrew it from.
    default = reverse("matchmaking:run", args=[proposal.run_id])
    return redirect(_next_url(request, default))


# --- open calls --------------------------------------------------------------------------


def calls(request: HttpRequest) -> HttpResponse:
    page, query = paginate(request, open_call_list(user=request.user))
    return render(
        request,
        "matchmaking/calls.html",
        {"page": page, "query": query, "can_open": can_run_matching(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.FACILITATOR)
    form = OpenCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            call = open_call_create(
                created_by=request.user,
                title=d["title"],
                theme=d["theme"].slug,
                description=d["description"],
                closes_on=d["closes_on"],
                visibility=d["visibility"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The call is open."))
            return redirect("matchmaking:call", call_id=call.id)
    return render(
        request, "matchmaking/call_form.html", {"form": form}, status=400 if form.errors else 200
    )


def call_page(
    request: HttpRequest, call_id: int, form: ApplicationForm | None = None
) -> HttpResponse:
    call = access_open_call_by_id(request.user, call_id)
    detail = open_call_detail(user=request.user, call=call)
    return render(
        request,
        "matchmaking/call_detail.html",
        {
            "detail": detail,
            "call": detail.call,
            "form": form or (ApplicationForm() if detail.can_apply else None),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def call_apply(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    call = access_open_call_by_id(request.user, call_id)
    peer = profile_of(request.user)
    if peer is None:
        raise AccessDenied(_("Complete your peer profile before applying."))
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            call_application_create(
                call=call, peer=peer, motivation=form.cleaned_data["motivation"]
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("You applied. The facilitator will be in touch."))
            return redirect("matchmaking:call", call_id=call.id)
    return call_page(request, call_id, form=form)


# --- excluded pairs ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def excluded(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_role(request.user, Role.FACILITATOR)
    form = ExcludedPairForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            excluded_pair_add(
                peer_a=d["peer_a"],
                peer_b=d["peer_b"],
                reason=d["reason"],
                note=d["note"],
                created_by=request.user,
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("These two peers will not be proposed together."))
            return redirect("matchmaking:excluded")
    page, query = paginate(request, excluded_pair_list(user=request.user))
    return render(
        request,
        "matchmaking/excluded.html",
        {"page": page, "query": query, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def excluded_delete(request: AuthenticatedHttpRequest, pair_id: int) -> HttpResponse:
    pair = access_excluded_pair_for_delete(request.user, pair_id)
    excluded_pair_delete(pair=pair)
    messages.success(request, _("The two peers may be proposed together again."))
    return redirect("matchmaking:excluded")
