"""Evidence pages: the knowledge-flow graph and transfer register, one alliance's evidence
(results chain, outcomes, transfers, scorecard rounds), indicators, outcomes, rounds with
their radar charts, learning diaries and insights. Every page works without JavaScript;
list pages answer their ``#results`` fragment to htmx. An alliance's facilitators change
and delete its indicators and outcomes, and delete a round no one has filled in; a delete
page asks first, and its POST deletes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from peerlearn.access.alliances import access_alliance_by_slug, alliances_visible_to
from peerlearn.access.base import AccessDenied
from peerlearn.access.evidence import (
    access_alliance_for_evidence,
    access_diary_entry_by_id,
    access_diary_entry_for_edit,
    access_indicator_by_id,
    access_indicator_for_manage,
    access_insight_by_id,
    access_insight_for_manage,
    access_outcome_by_id,
    access_outcome_for_manage,
    access_scorecard_round_by_id,
    access_scorecard_round_for_manage,
    access_scorecard_round_for_sheet,
    access_transfer_by_id,
    access_transfer_for_manage,
    alliance_shown_to,
    can_change_insight,
    can_change_transfer,
    can_edit_diary_entry,
    can_manage_evidence,
    may_record_transfers,
    may_write_insights,
)
from peerlearn.core.dates import date_format
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, redirect_to_messages
from peerlearn.core.paging import paginate
from peerlearn.evidence import selectors, services
from peerlearn.evidence.forms import (
    DiaryEntryForm,
    IndicatorForm,
    IndicatorPeriodForm,
    InsightForm,
    OutcomeForm,
    ScorecardRoundForm,
    ScorecardSheetForm,
    TransferForm,
)

if TYPE_CHECKING:
    from peerlearn.alliances.models import LearningAlliance


def _saved(form: Any, call: Any) -> Any:
    """Run a service with the form's data; its errors go next to the fields."""
    try:
        return call()
    except ValidationError as e:
        form_add_service_errors(form, e)
        return None


def _change_page(
    request: AuthenticatedHttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], object],
    *,
    saved: str,
    item_url: str,
    heading: str,
    alliance: LearningAlliance | None = None,
) -> HttpResponse:
    """One item's change form: a valid POST is saved by ``save`` (the service, given the
    form's data; its errors go beside the fields) and the item's page follows with the
    message ``saved``; otherwise the form, which "Cancel" leaves for the item's page."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(form, lambda: save(data)) is not None:
            messages.success(request, saved)
            return redirect(item_url)
    return render(
        request,
        "evidence/form.html",
        {"form": form, "alliance": alliance, "heading": heading, "cancel_url": item_url},
        status=400 if form.errors else 200,
    )


def _delete_question(
    request: AuthenticatedHttpRequest,
    *,
    heading: str,
    explanation: str,
    button: str,
    keep_url: str,
    **more: Any,
) -> HttpResponse:
    """The page that asks before an item is deleted: what goes with it, the button whose
    POST (to this same address) deletes it, and "Keep it" back to the item."""
    return render(
        request,
        "evidence/delete.html",
        {
            "heading": heading,
            "explanation": explanation,
            "action": request.path,
            "button": button,
            "keep_url": keep_url,
            **more,
        },
        status=400 if more.get("problem") else 200,
    )


def evidence_index(request: HtmxHttpRequest) -> HttpResponse:
    """The knowledge-flow graph across the platform and the transfer register."""
    flow = selectors.knowledge_flow(reader=request.user)
    page, query = paginate(request, selectors.transfer_list(reader=request.user))
    context = {
        "flow": flow,
        "page": page,
        "query": query,
        "alliances": alliances_visible_to(request.user).order_by("name"),
        "can_record": may_record_transfers(request.user),
    }
    template = "evidence/index.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


def alliance_page(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_by_slug(request.user, slug)
    evidence = selectors.alliance_evidence(reader=request.user, alliance=alliance)
    return render(request, "evidence/alliance.html", {"e": evidence, "alliance": alliance})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_evidence(
        request.user, access_alliance_by_slug(request.user, slug)
    )
    form = IndicatorForm(request.POST or None, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        indicator = _saved(
            form,
            lambda: services.indicator_create(
                alliance=alliance, created_by=request.user, **form.cleaned_data
            ),
        )
        if indicator is not None:
            messages.success(request, _("The indicator is in the results chain."))
            return redirect("evidence:indicator", indicator_id=indicator.id)
    return render(
        request,
        "evidence/form.html",
        {"form": form, "alliance": alliance, "heading": _("New indicator")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def indicator_page(request: HtmxHttpRequest, indicator_id: int) -> HttpResponse:
    """An indicator with its baseline and periods; its facilitators record a period here."""
    indicator = access_indicator_by_id(request.user, indicator_id)
    form = None
    if request.method == "POST":
        indicator = access_indicator_for_manage(request.user, indicator_id)
        form = IndicatorPeriodForm(request.POST)
        if form.is_valid():
            user: Any = request.user
            period = _saved(
                form,
                lambda: services.indicator_period_save(
                    indicator=indicator, saved_by=user, **form.cleaned_data
                ),
            )
            if period is not None:
                messages.success(request, _("The period is recorded."))
                return redirect_to_messages("evidence:indicator", indicator_id=indicator.id)
    view = selectors.indicator_detail(reader=request.user, indicator=indicator)
    can_manage = can_manage_evidence(request.user, indicator.alliance)
    if form is None and can_manage:
        form = IndicatorPeriodForm()
    return render(
        request,
        "evidence/indicator.html",
        {"view": view, "indicator": indicator, "form": form, "can_manage": can_manage},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthenticatedHttpRequest, indicator_id: int) -> HttpResponse:
    """Change an indicator's fields (its periods are recorded on its page)."""
    indicator = access_indicator_for_manage(request.user, indicator_id)
    form = IndicatorForm(request.POST or None, instance=indicator, alliance=indicator.alliance)
    return _change_page(
        request,
        form,
        lambda data: services.indicator_update(
            indicator=indicator, updated_by=request.user, **data
        ),
        saved=_("The indicator is saved."),
        item_url=reverse("evidence:indicator", args=[indicator.id]),
        heading=_("Change an indicator"),
        alliance=indicator.alliance,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request: AuthenticatedHttpRequest, indicator_id: int) -> HttpResponse:
    """A page that says what goes with the indicator; its POST deletes it."""
    indicator = access_indicator_for_manage(request.user, indicator_id)
    if request.method == "POST":
        slug = indicator.alliance.slug
        services.indicator_delete(indicator=indicator, deleted_by=request.user)
        messages.success(request, _("The indicator is deleted from the results chain."))
        return redirect("evidence:alliance", slug=slug)
    periods = indicator.periods.count()
    gone = _("“%(name)s” leaves the results chain, its reports and its open data for good.") % {
        "name": indicator.name
    }
    if periods:
        gone += " " + ngettext(
            "Its %(count)s recorded period, with its target and actual value, is deleted with it.",
            "Its %(count)s recorded periods, with their targets and actual values, are "
            "deleted with it.",
            periods,
        ) % {"count": periods}
    return _delete_question(
        request,
        heading=_("Delete this indicator?"),
        explanation=gone,
        button=_("Delete the indicator"),
        keep_url=reverse("evidence:indicator", args=[indicator.id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_evidence(
        request.user, access_alliance_by_slug(request.user, slug)
    )
    form = OutcomeForm(request.POST or None, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        outcome = _saved(
            form,
            lambda: services.outcome_create(
                alliance=alliance, created_by=request.user, **form.cleaned_data
            ),
        )
        if outcome is not None:
            messages.success(request, _("The outcome is harvested."))
            return redirect("evidence:outcome", outcome_id=outcome.id)
    return render(
        request,
        "evidence/form.html",
        {"form": form, "alliance": alliance, "heading": _("Harvest an outcome")},
        status=400 if form.errors else 200,
    )


def outcome_page(request: HtmxHttpRequest, outcome_id: int) -> HttpResponse:
    outcome = access_outcome_by_id(request.user, outcome_id)
    can_manage = can_manage_evidence(request.user, outcome.alliance)
    return render(request, "evidence/outcome.html", {"outcome": outcome, "can_manage": can_manage})


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: AuthenticatedHttpRequest, outcome_id: int) -> HttpResponse:
    """Change a harvested outcome: its description, or its substantiation once the
    substantiator has answered."""
    outcome = access_outcome_for_manage(request.user, outcome_id)
    form = OutcomeForm(request.POST or None, instance=outcome, alliance=outcome.alliance)
    return _change_page(
        request,
        form,
        lambda data: services.outcome_update(outcome=outcome, updated_by=request.user, **data),
        saved=_("The outcome is saved."),
        item_url=reverse("evidence:outcome", args=[outcome.id]),
        heading=_("Change an outcome"),
        alliance=outcome.alliance,
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_delete(request: AuthenticatedHttpRequest, outcome_id: int) -> HttpResponse:
    """A page that asks first; its POST deletes the outcome."""
    outcome = access_outcome_for_manage(request.user, outcome_id)
    if request.method == "POST":
        slug = outcome.alliance.slug
        services.outcome_delete(outcome=outcome, deleted_by=request.user)
        messages.success(request, _("The outcome is deleted."))
        return redirect("evidence:alliance", slug=slug)
    return _delete_question(
        request,
        heading=_("Delete this outcome?"),
        explanation=_(
            "The outcome of %(actor)s, of %(date)s, leaves the alliance's evidence, its "
            "reports and its open data for good."
        )
        % {"actor": outcome.social_actor, "date": date_format(outcome.observed_on)},
        button=_("Delete the outcome"),
        keep_url=reverse("evidence:outcome", args=[outcome.id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_record_transfers(request.user):
        raise AccessDenied(_("Only facilitators record knowledge transfers."))
    form = TransferForm(request.POST or None, user=request.user)
    if request.method == "GET" and (slug := request.GET.get("alliance")):
        # From an alliance's evidence page: that alliance, when the user runs it.
        form.initial["alliance"] = form.fields["alliance"].queryset.filter(slug=slug).first()  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        transfer = _saved(
            form, lambda: services.transfer_create(created_by=request.user, **form.cleaned_data)
        )
        if transfer is not None:
            messages.success(request, _("The transfer is in the register."))
            return redirect("evidence:transfer", transfer_id=transfer.id)
    return render(
        request,
        "evidence/form.html",
        {"form": form, "heading": _("Register a knowledge transfer")},
        status=400 if form.errors else 200,
    )


def transfer_page(request: HtmxHttpRequest, transfer_id: int) -> HttpResponse:
    transfer = access_transfer_by_id(request.user, transfer_id)
    shown = alliance_shown_to(request.user, transfer.alliance_id)
    return render(
        request,
        "evidence/transfer.html",
        {
            "transfer": transfer,
            "show_alliance": shown,
            "can_manage": can_change_transfer(request.user, transfer),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_edit(request: AuthenticatedHttpRequest, transfer_id: int) -> HttpResponse:
    """Change a transfer in the register: its status as the practice takes hold, say."""
    transfer = access_transfer_for_manage(request.user, transfer_id)
    form = TransferForm(request.POST or None, instance=transfer, user=request.user)
    return _change_page(
        request,
        form,
        lambda data: services.transfer_update(transfer=transfer, updated_by=request.user, **data),
        saved=_("The transfer is saved."),
        item_url=reverse("evidence:transfer", args=[transfer.id]),
        heading=_("Change a knowledge transfer"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_delete(request: AuthenticatedHttpRequest, transfer_id: int) -> HttpResponse:
    """A page that asks first; its POST deletes the transfer from the register."""
    transfer = access_transfer_for_manage(request.user, transfer_id)
    if request.method == "POST":
        services.transfer_delete(transfer=transfer, deleted_by=request.user)
        messages.success(request, _("The transfer is deleted from the register."))
        return redirect("evidence:index")
    return _delete_question(
        request,
        heading=_("Delete this transfer?"),
        explanation=_(
            "“%(practice)s” leaves the knowledge-transfer register, its graph, reports "
            "and open data for good."
        )
        % {"practice": transfer.practice},
        button=_("Delete the transfer"),
        keep_url=reverse("evidence:transfer", args=[transfer.id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_evidence(
        request.user, access_alliance_by_slug(request.user, slug)
    )
    form = ScorecardRoundForm(request.POST or None, alliance=alliance)
    if request.method == "POST" and form.is_valid():
        found = _saved(
            form,
            lambda: services.scorecard_round_create(
                alliance=alliance, created_by=request.user, **form.cleaned_data
            ),
        )
        if found is not None:
            messages.success(request, _("The scorecard round is open."))
            return redirect("evidence:round", round_id=found.id)
    return render(
        request,
        "evidence/form.html",
        {"form": form, "alliance": alliance, "heading": _("Open a scorecard round")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def round_page(request: HtmxHttpRequest, round_id: int) -> HttpResponse:
    """A round's radar chart, trend and table; its alliance's members fill in (or change)
    their scorecard here from its opening day to its closing day; otherwise the page says
    when it opens, or that its scorecards are final."""
    found = access_scorecard_round_by_id(request.user, round_id)
    form = None
    if request.method == "POST":
        found = access_scorecard_round_for_sheet(request.user, round_id)
        form = ScorecardSheetForm(request.POST)
        if form.is_valid():
            user: Any = request.user
            sheet_form = form
            sheet = _saved(
                form,
                lambda: services.scorecard_sheet_submit(
                    scorecard_round=found,
                    assessor=user,
                    kind=sheet_form.cleaned_data["kind"],
                    summary=sheet_form.cleaned_data["summary"],
                    scores=sheet_form.scores(),
                ),
            )
            if sheet is not None:
                messages.success(request, _("Your scorecard is recorded."))
                return redirect_to_messages("evidence:round", round_id=found.id)
    detail = selectors.scorecard_round_detail(reader=request.user, scorecard_round=found)
    refused = form is not None and bool(form.errors)
    if form is None and detail.can_fill_in:
        # Changing a scorecard starts from the answers given.
        own = detail.own_sheet
        form = ScorecardSheetForm(initial=ScorecardSheetForm.initial_from(own) if own else None)
    if detail.closed_statement:
        form = None  # the page says why the round takes no scorecard, in place of the form
    return render(
        request,
        "evidence/round.html",
        {"d": detail, "round": found, "form": form},
        status=400 if refused else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """Change a round's title, dates or visibility; a later closing day reopens it."""
    found = access_scorecard_round_for_manage(request.user, round_id)
    form = ScorecardRoundForm(request.POST or None, instance=found, alliance=found.alliance)
    return _change_page(
        request,
        form,
        lambda data: services.scorecard_round_update(
            scorecard_round=found, updated_by=request.user, **data
        ),
        saved=_("The scorecard round is saved."),
        item_url=reverse("evidence:round", args=[found.id]),
        heading=_("Change a scorecard round"),
        alliance=found.alliance,
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_delete(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    """A page that asks first; its POST deletes a round no one has filled in yet (one
    with scorecards is kept: the page says why)."""
    found = access_scorecard_round_for_manage(request.user, round_id)
    problem = ""
    if request.method == "POST":
        try:
            slug = found.alliance.slug
            services.scorecard_round_delete(scorecard_round=found, deleted_by=request.user)
        except ValidationError as e:
            problem = " ".join(m for ms in e.message_dict.values() for m in ms)
        else:
            messages.success(request, _("The scorecard round is deleted."))
            return redirect("evidence:alliance", slug=slug)
    return _delete_question(
        request,
        heading=_("Delete this scorecard round?"),
        explanation=_(
            "“%(title)s” leaves the alliance's evidence for good. A round is deleted "
            "only before anyone fills it in."
        )
        % {"title": found.title},
        button=_("Delete the round"),
        keep_url=reverse("evidence:round", args=[found.id]),
        problem=problem,
        can_delete=not found.sheets.exists(),
        back_label=_("Back to the round"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def diary(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One's learning diary, a form to write in it, and entries others shared."""
    form = DiaryEntryForm(
        request.POST or None,
        user=request.user,
        initial={"written_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        entry = _saved(
            form, lambda: services.diary_entry_create(author=request.user, **form.cleaned_data)
        )
        if entry is not None:
            messages.success(request, _("Your entry is in your diary."))
            return redirect("evidence:diary")
    found = selectors.diary_for(user=request.user)
    page, query = paginate(request, found.shared_with_me)
    context = {"form": form, "own": found.own, "page": page, "query": query}
    template = "evidence/diary.html" + ("#results" if request.htmx else "")
    return render(request, template, context, status=400 if form.errors else 200)


def diary_entry_page(request: HtmxHttpRequest, entry_id: int) -> HttpResponse:
    entry = access_diary_entry_by_id(request.user, entry_id)
    return render(
        request,
        "evidence/entry.html",
        {"entry": entry, "can_edit": can_edit_diary_entry(request.user, entry)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def diary_entry_edit(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    """The author changes an entry, or shares it later, or takes it back."""
    entry = access_diary_entry_for_edit(request.user, entry_id)
    form = DiaryEntryForm(request.POST or None, user=request.user, instance=entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _saved(form, lambda: services.diary_entry_update(entry=entry, **data))
        if saved is not None:
            messages.success(request, _("The entry is saved."))
            return redirect("evidence:entry", entry_id=entry_id)
    return render(
        request,
        "evidence/form.html",
        {
            "form": form,
            "heading": _("Change a diary entry"),
            "cancel_url": reverse("evidence:entry", args=[entry.id]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def diary_entry_delete(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    """A page that asks first; its POST deletes the entry."""
    entry = access_diary_entry_for_edit(request.user, entry_id)
    if request.method == "POST":
        services.diary_entry_delete(entry=entry)
        messages.success(request, _("The entry is deleted from your diary."))
        return redirect("evidence:diary")
    return render(request, "evidence/entry_delete.html", {"entry": entry})


@require_http_methods(["GET", "POST"])
def insights(request: HtmxHttpRequest) -> HttpResponse:
    """Insights the reader may see; facilitators write one from shared entries here."""
    form = None
    if may_write_insights(request.user):
        user: Any = request.user
        form = InsightForm(request.POST or None, user=user)
        if request.method == "POST" and form.is_valid():
            insight_form = form
            insight = _saved(
                form,
                lambda: services.insight_create(created_by=user, **insight_form.cleaned_data),
            )
            if insight is not None:
                messages.success(request, _("The insight is recorded."))
                return redirect("evidence:insight", insight_id=insight.id)
    elif request.method == "POST":
        raise AccessDenied(_("Only facilitators write insights."))
    page, query = paginate(request, selectors.insight_list(reader=request.user))
    context = {"form": form, "page": page, "query": query}
    template = "evidence/insights.html" + ("#results" if request.htmx else "")
    return render(
        request, template, context, status=400 if form is not None and form.errors else 200
    )


def insight_page(request: HtmxHttpRequest, insight_id: int) -> HttpResponse:
    insight = access_insight_by_id(request.user, insight_id)
    sources = selectors.insight_sources(reader=request.user, insight=insight)
    return render(
        request,
        "evidence/insight.html",
        {
            "insight": insight,
            "sources": sources,
            "source_count": insight.sources.count(),
            "can_manage": can_change_insight(request.user, insight),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def insight_edit(request: AuthenticatedHttpRequest, insight_id: int) -> HttpResponse:
    """Change an insight; its sources the editor may not see stay as they are."""
    insight = access_insight_for_manage(request.user, insight_id)
    form = InsightForm(request.POST or None, instance=insight, user=request.user)
    return _change_page(
        request,
        form,
        lambda data: services.insight_update(insight=insight, updated_by=request.user, **data),
        saved=_("The insight is saved."),
        item_url=reverse("evidence:insight", args=[insight.id]),
        heading=_("Change an insight"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def insight_delete(request: AuthenticatedHttpRequest, insight_id: int) -> HttpResponse:
    """A page that asks first; its POST deletes the insight (its diary entries stay)."""
    insight = access_insight_for_manage(request.user, insight_id)
    if request.method == "POST":
        services.insight_delete(insight=insight, deleted_by=request.user)
        messages.success(request, _("The insight is deleted."))
        return redirect("evidence:insights")
    return _delete_question(
        request,
        heading=_("Delete this insight?"),
        explanation=_(
            "“%(title)s” leaves the insights, their reports and digests for good. The "
            "diary entries it draws on stay with their authors."
        )
        % {"title": insight.title},
        button=_("Delete the insight"),
        keep_url=reverse("evidence:insight", args=[insight.id]),
    )
