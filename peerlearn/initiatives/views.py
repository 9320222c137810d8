"""The initiatives registry: the map of the peer-to-peer space, proposals and their review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods

from peerlearn.access.base import NotFound
from peerlearn.access.initiatives import (
    access_initiative_by_slug,
    access_initiative_for_resubmit,
    access_initiative_for_review,
    can_propose_initiative,
    can_resubmit_initiative,
    can_review_initiatives,
)
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, site_url
from peerlearn.core.paging import paginate
from peerlearn.initiatives.forms import (
    InitiativeFilterForm,
    InitiativeProposalForm,
    InitiativeReviewForm,
)
from peerlearn.initiatives.selectors import (
    InitiativeFilters,
    MapMeasure,
    country_counts,
    initiative_detail,
    initiative_list,
    initiative_review_queue,
    initiatives_proposed_by,
)
from peerlearn.initiatives.services import (
    initiative_decline,
    initiative_propose,
    initiative_publish,
    initiative_resubmit,
)
from peerlearn.initiatives.worldmap import WorldMap, world_map


def _filters(form: InitiativeFilterForm) -> InitiativeFilters:
    if not form.is_valid():
        return InitiativeFilters()
    d: dict[str, Any] = form.cleaned_data
    return InitiativeFilters(
        q=d["q"] or "",
        type=d["type"] or "",
        theme=d["theme"].slug if d["theme"] else "",
        region=d["region"] or "",
        country=d["country"] or "",
        implementer=d["implementer"].id if d["implementer"] else None,
        funder=d["funder"].id if d["funder"] else None,
        sdg_target=d["sdg_target"].code if d["sdg_target"] else "",
    )


def _map(request: HttpRequest, measure: str, filters: InitiativeFilters) -> WorldMap:
    counts = country_counts(user=request.user, measure=measure, filters=filters)
    # The list's own filters, without the country the map sets nor the page it restarts.
    params = {k: v for k, v in request.GET.dict().items() if k not in ("country", "page")}

    def describe(name: str, n: int) -> str:
        if measure == MapMeasure.ALLIANCES:
            what = ngettext("%(n)d learning alliance", "%(n)d learning alliances", n)
        elif measure == MapMeasure.PEERS:
            what = ngettext("%(n)d peer", "%(n)d peers", n)
        else:
            what = ngettext("%(n)d initiative", "%(n)d initiatives", n)
        return pgettext("a country and its count on the map", "%(country)s: %(count)s") % {
            "country": name,
            "count": what % {"n": n},
        }

    def href(code: str) -> str:
        # Peers lead to the directory of that country; the rest to the registry's own list.
        if measure == MapMeasure.PEERS:
            return reverse("peers:directory") + "?" + urlencode({"country": code})
        return "?" + urlencode({**params, "country": code})

    return world_map(counts, href=href, describe=describe)


def initiative_index(request: HtmxHttpRequest) -> HttpResponse:
    form = InitiativeFilterForm(request.GET or None, user=request.user)
    filters = _filters(form)
    measure = request.GET.get("measure") or MapMeasure.INITIATIVES
    if measure not in MapMeasure.values:
        measure = MapMeasure.INITIATIVES
    page, query = paginate(request, initiative_list(user=request.user, filters=filters))
    # The other filters, for the links that change what the map shows (each link adds its
    # own measure) and the one that clears the country.
    others = request.GET.copy()
    for key in ("page", "measure"):
        others.pop(key, None)
    without_country = request.GET.copy()
    for key in ("page", "country"):
        without_country.pop(key, None)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "measure_query": others.urlencode(),
        "without_country": without_country.urlencode(),
        "map": _map(request, measure, filters),
        "measure": measure,
        "measures": MapMeasure.choices,
        "filters": filters,
        "filtering": filters != InitiativeFilters(),
        "can_propose": can_propose_initiative(request.user),
        "can_review": can_review_initiatives(request.user),
        "my_proposals": initiatives_proposed_by(user=request.user),
    }
    template = "initiatives/list.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


def initiative_page(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = access_initiative_by_slug(request.user, slug)
    return render(
        request,
        "initiatives/detail.html",
        {
            "initiative": initiative_detail(user=request.user, initiative=initiative),
            "can_resubmit": can_resubmit_initiative(request.user, initiative),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_propose_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InitiativeProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_propose(
                proposer=request.user, site=site_url(request), **form.service_fields()
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _(
                    "Thank you: “%(name)s” is proposed. A facilitator reviews it before it "
                    "appears in the registry; you are e-mailed either way."
                )
                % {"name": initiative.name},
            )
            return redirect("initiatives:detail", slug=initiative.slug)
    return render(request, "initiatives/propose.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def initiative_resubmit_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    initiative = access_initiative_for_resubmit(request.user, slug)
    form = InitiativeProposalForm(request.POST or None, initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_resubmit(
                initiative=initiative, site=site_url(request), **form.service_fields()
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("“%(name)s” is sent for review again; you are e-mailed either way.")
                % {"name": initiative.name},
            )
            return redirect("initiatives:detail", slug=initiative.slug)
    return render(
        request,
        "initiatives/propose.html",
        {"form": form, "initiative": initiative},
        status=400 if form.errors else 200,
    )


@login_required
def initiative_review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_review_initiatives(request.user):
        raise NotFound(_("No such page."))
    return render(
        request,
        "initiatives/review_list.html",
        {"proposals": initiative_review_queue(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_review_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    initiative = access_initiative_for_review(request.user, slug)
    # "Publish for" starts at what the proposer asked for ("Once published, who sees it").
    form = InitiativeReviewForm(request.POST or None, initial={"visibility": initiative.visibility})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["decision"] == "publish":
                initiative_publish(
                    initiative=initiative,
                    reviewer=request.user,
                    visibility=d["visibility"],
                    site=site_url(request),
                )
                messages.success(request, _("Published: it is on the map now."))
            else:
                initiative_decline(
                    initiative=initiative,
                    reviewer=request.user,
                    note=d["note"],
                    site=site_url(request),
                )
                messages.success(request, _("Declined: the proposer is told why."))
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            return redirect("initiatives:review")
    return render(
        request,
        "initiatives/review.html",
        {"initiative": initiative_detail(user=request.user, initiative=initiative), "form": form},
        status=400 if form.errors else 200,
    )
