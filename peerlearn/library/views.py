"""The case library's pages: the list with its filters, a case, a resource and its
download, adding and editing, and the review of submissions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.access.base import NotFound
from peerlearn.access.library import (
    access_case_by_id,
    access_case_for_edit,
    access_case_for_review,
    access_resource_by_id,
    access_resource_file,
    access_resource_for_edit,
    access_resource_for_review,
    can_contribute,
    can_edit,
    can_publish,
    can_review_library,
)
from peerlearn.accounts.models import User
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, site_url
from peerlearn.core.paging import paginate
from peerlearn.library.downloads import resource_download
from peerlearn.library.forms import CaseForm, LibraryFilterForm, ResourceForm, ReviewForm
from peerlearn.library.models import Case, ItemStatus, Resource
from peerlearn.library.rendering import render_markdown
from peerlearn.library.selectors import (
    LibraryFilters,
    case_detail,
    library_page_items,
    library_rows,
    my_submissions,
    resource_detail,
    review_queue,
)
from peerlearn.library.services import (
    case_create,
    case_update,
    item_decline,
    item_publish,
    resource_create,
    resource_update,
    split_tags,
)


def _filters(form: LibraryFilterForm) -> LibraryFilters:
    if not form.is_valid():
        return LibraryFilters()
    d: dict[str, Any] = form.cleaned_data
    return LibraryFilters(
        q=d["q"] or "", type=d["type"], theme=d["theme"], tag=d["tag"], country=d["country"]
    )


def library_index(request: HtmxHttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None, user=request.user)
    filters = _filters(form)
    page, query = paginate(request, library_rows(user=request.user, filters=filters))
    context = {
        "form": form,
        "page": page,
        "items": library_page_items(list(page.object_list)),
        "query": query,
        "filtering": filters != LibraryFilters(),
        "can_contribute": can_contribute(request.user),
        "can_review": can_review_library(request.user),
        "my_submissions": my_submissions(user=request.user),
    }
    template = "library/list.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_detail(user=request.user, case=access_case_by_id(request.user, case_id))
    return render(
        request,
        "library/case.html",
        {
            "case": case,
            "body": render_markdown(case.body),
            "can_edit": can_edit(request.user, case),
        },
    )


def resource_page(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = resource_detail(
        user=request.user, resource=access_resource_by_id(request.user, resource_id)
    )
    return render(
        request,
        "library/resource.html",
        {"resource": resource, "can_edit": can_edit(request.user, resource)},
    )


@require_http_methods(["GET", "HEAD"])
def resource_file(request: HttpRequest, resource_id: int) -> FileResponse:
    return resource_download(request, access_resource_file(request.user, resource_id))


def _saved_message(request: HttpRequest, item: Case | Resource) -> None:
    if item.status == ItemStatus.PUBLISHED:
        messages.success(request, _("Saved."))
    else:
        messages.success(
            request,
            _(
                "Thank you: it is submitted. A facilitator reviews it before others see it; "
                "you are e-mailed either way."
            ),
        )


def _case_fields(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": d["title"],
        "summary": d["summary"],
        "body": d["body"],
        "lessons": (d["lessons"] or "").splitlines(),
        "themes": [t.slug for t in d["themes"]],
        "countries": [c.code for c in d["countries"]],
        "tags": split_tags(d["tags"]),
        "source": d["source"],
        "link": d["link"],
        "initiative": d["initiative"],
        "alliance": d["alliance"],
        "visibility": d["visibility"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_create(
                author=request.user, site=site_url(request), **_case_fields(form.cleaned_data)
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            _saved_message(request, case)
            return redirect("library:case", case_id=case.id)
    return render(request, "library/edit.html", _edit_context(request.user, form, "case", None))


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = access_case_for_edit(request.user, case_id)
    form = CaseForm(request.POST or None, user=request.user, initial=CaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        try:
            case_update(
                case=case,
                editor=request.user,
                site=site_url(request),
                **_case_fields(form.cleaned_data),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            _saved_message(request, case)
            return redirect("library:case", case_id=case.id)
    return render(request, "library/edit.html", _edit_context(request.user, form, "case", case))


def _resource_fields(d: dict[str, Any], request: HttpRequest) -> dict[str, Any]:
    return {
        "title": d["title"],
        "type": d["type"],
        "description": d["description"],
        "url": d["url"],
        "upload": request.FILES.get("file"),
        "themes": [t.slug for t in d["themes"]],
        "tags": split_tags(d["tags"]),
        "case": d["case"],
        "alliance": d["alliance"],
        "visibility": d["visibility"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {"case": request.GET.get("case")} if request.GET.get("case") else None
    form = ResourceForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource = resource_create(
                author=request.user,
                site=site_url(request),
                **_resource_fields(form.cleaned_data, request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            _saved_message(request, resource)
            return redirect("library:resource", resource_id=resource.id)
    return render(request, "library/edit.html", _edit_context(request.user, form, "resource", None))


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = access_resource_for_edit(request.user, resource_id)
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial=ResourceForm.initial_for(resource),
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource_update(
                resource=resource,
                editor=request.user,
                site=site_url(request),
                **_resource_fields(form.cleaned_data, request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            _saved_message(request, resource)
            return redirect("library:resource", resource_id=resource.id)
    return render(
        request, "library/edit.html", _edit_context(request.user, form, "resource", resource)
    )


def _edit_context(user: User, form: Any, kind: str, item: Any) -> dict[str, Any]:
    if isinstance(form, ResourceForm):
        form.file_to_choose_again()
    return {
        "form": form,
        "kind": kind,
        "item": item,
        "publishes": can_publish(user, None),
    }


@login_required
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_review_library(request.user):
        raise NotFound(_("No such page."))
    return render(request, "library/review_list.html", {"items": review_queue(user=request.user)})


def _review(request: AuthenticatedHttpRequest, item: Case | Resource) -> HttpResponse:
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "publish":
                item_publish(item=item, reviewer=request.user, site=site_url(request))
                messages.success(request, _("Published."))
            else:
                item_decline(
                    item=item,
                    reviewer=request.user,
                    note=form.cleaned_data["note"],
                    site=site_url(request),
                )
                messages.success(request, _("Declined: the author is told why."))
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            return redirect("library:review")
    return render(
        request,
        "library/review.html",
        {"item": item, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_review(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return _review(request, access_case_for_review(request.user, case_id))


@login_required
@require_http_methods(["GET", "POST"])
def resource_review(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    return _review(request, access_resource_for_review(request.user, resource_id))
