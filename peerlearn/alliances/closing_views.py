"""Closing a learning alliance, and reopening it: a page that asks why, then the change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.access.alliances import access_alliance_for_manage
from peerlearn.alliances.checklists import QUESTIONS_BY_KEY
from peerlearn.alliances.closing import alliance_close, alliance_reopen
from peerlearn.alliances.forms import AllianceCloseForm, AllianceReopenForm
from peerlearn.alliances.services import checklist_open_questions
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, site_url


@login_required
@require_http_methods(["GET", "POST"])
def alliance_close_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """For the alliance's facilitators: the questions of its stage still open, a note on what
    it achieved, then the alliance is closed and its members told by e-mail."""
    alliance = access_alliance_for_manage(request.user, slug)
    if alliance.is_closed:
        return redirect("alliances:detail", slug=slug)
    form = AllianceCloseForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            alliance_close(
                alliance=alliance,
                by=request.user,
                note=form.cleaned_data["note"],
                site_url=site_url(request),
                open_confirmed=form.cleaned_data["confirm_open"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(alliance)s is closed; its members are told by e-mail.")
                % {"alliance": alliance.name},
            )
            return redirect("alliances:detail", slug=slug)
    open_questions = [QUESTIONS_BY_KEY[k] for k in checklist_open_questions(alliance=alliance)]
    if not open_questions:
        del form.fields["confirm_open"]
    return render(
        request,
        "alliances/close.html",
        {"alliance": alliance, "form": form, "open_questions": open_questions, "closing": True},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alliance_reopen_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """For the alliance's facilitators: why it reopens, then it runs again at the stage it
    closed at."""
    alliance = access_alliance_for_manage(request.user, slug)
    if not alliance.is_closed:
        return redirect("alliances:detail", slug=slug)
    form = AllianceReopenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            alliance_reopen(
                alliance=alliance,
                by=request.user,
                note=form.cleaned_data["note"],
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(alliance)s is open again; its members are told by e-mail.")
                % {"alliance": alliance.name},
            )
            return redirect("alliances:detail", slug=slug)
    return render(
        request,
        "alliances/close.html",
        {"alliance": alliance, "form": form, "open_questions": [], "closing": False},
        status=400 if form.errors else 200,
    )
