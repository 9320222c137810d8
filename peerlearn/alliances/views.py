"""Learning alliance pages: the list, one alliance, and moving it through the stages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.access.alliances import (
    access_alliance_by_slug,
    access_alliance_for_manage,
)
from peerlearn.alliances.forms import AllianceFilterForm, StageChangeForm
from peerlearn.alliances.models import AllianceStage
from peerlearn.alliances.selectors import (
    AllianceFilters,
    alliance_detail,
    alliance_list,
)
from peerlearn.alliances.services import alliance_stage_change
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, site_url
from peerlearn.core.paging import paginate


def alliance_index(request: HtmxHttpRequest) -> HttpResponse:
    form = AllianceFilterForm(request.GET or None)
    filters = AllianceFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = AllianceFilters(
            theme=d["theme"].slug if d["theme"] else "",
            stage=d["stage"],
            type=d["type"] or "",
            mine=bool(d["mine"]),
        )
    page, query = paginate(request, alliance_list(user=request.user, filters=filters))
    template = "alliances/list.html" + ("#results" if request.htmx else "")
    return render(request, template, {"form": form, "page": page, "query": query})


def alliance_page(request: HttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_by_slug(request.user, slug)
    detail = alliance_detail(user=request.user, alliance=alliance)
    return render(
        request,
        "alliances/detail.html",
        {"detail": detail, "alliance": detail.alliance, "stages": AllianceStage.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_stage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Moving to another stage: a confirmation page that names the stage and asks why
    (``?to=<stage>``), then the change, recorded on the timeline and e-mailed to members."""
    alliance = access_alliance_for_manage(request.user, slug)
    data = request.POST if request.method == "POST" else None
    form = StageChangeForm(data, initial={"stage": request.GET.get("to")})
    if form.is_valid():
        try:
            alliance_stage_change(
                alliance=alliance,
                stage=form.cleaned_data["stage"],
                changed_by=request.user,
                note=form.cleaned_data["note"],
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(alliance)s is now at “%(stage)s”; its members are told by e-mail.")
                % {"alliance": alliance.name, "stage": alliance.get_stage_display()},
            )
            return redirect("alliances:detail", slug=slug)
    target = _stage_or_none(form["stage"].value())
    if target is None:
        messages.error(request, _("Choose the stage to move to from the alliance's page."))
        return redirect("alliances:detail", slug=slug)
    return render(
        request,
        "alliances/stage_confirm.html",
        {
            "alliance": alliance,
            "form": form,
            "target": target,
            "forward": target > alliance.stage,
        },
        status=400 if form.errors else 200,
    )


def _stage_or_none(value: object) -> AllianceStage | None:
    try:
        return AllianceStage(int(str(value)))
    except ValueError:
        return None
