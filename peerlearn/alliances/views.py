"""Learning alliance pages: the list, one alliance, and moving it through the stages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
from peerlearn.core.http import AuthenticatedHttpRequest, HtmxHttpRequest
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


def alliance_page(
    request: HttpRequest, slug: str, stage_form: StageChangeForm | None = None
) -> HttpResponse:
    alliance = access_alliance_by_slug(request.user, slug)
    detail = alliance_detail(user=request.user, alliance=alliance)
    if detail.can_manage and stage_form is None:
        stage_form = StageChangeForm(
            initial={"stage": min(alliance.stage + 1, AllianceStage.APPLIED_AT_SCALE)}
        )
    return render(
        request,
        "alliances/detail.html",
        {
            "detail": detail,
            "alliance": detail.alliance,
            "stage_form": stage_form,
            "stages": AllianceStage.choices,
        },
        status=400 if stage_form is not None and stage_form.errors else 200,
    )


@login_required
@require_POST
def alliance_stage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    alliance = access_alliance_for_manage(request.user, slug)
    form = StageChangeForm(request.POST)
    if form.is_valid():
        try:
            alliance_stage_change(
                alliance=alliance,
                stage=form.cleaned_data["stage"],
                changed_by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("The alliance moved to a new stage."))
            return redirect("alliances:detail", slug=slug)
    return alliance_page(request, slug, stage_form=form)
