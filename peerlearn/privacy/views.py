"""My data: see what the platform holds, download it, correct it, erase the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from peerlearn.access.accounts import access_account_for_download, access_account_for_erasure
from peerlearn.access.base import profile_of
from peerlearn.audit.models import AuditAction
from peerlearn.audit.services import audit_record
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest
from peerlearn.privacy.forms import AccountEraseForm
from peerlearn.privacy.labels import table_label
from peerlearn.privacy.selectors import account_data, account_data_archive, archive_filename
from peerlearn.privacy.services import account_erase


@login_required
@require_GET
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = account_data(user=request.user)
    tables = [(table_label(name), f"{name}.csv", len(rows)) for name, rows in data.items()]
    return render(
        request,
        "privacy/my_data.html",
        {"tables": tables, "profile": profile_of(request.user), "form": AccountEraseForm()},
    )


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    account = access_account_for_download(request.user, user_id)
    archive = account_data_archive(user=account)
    audit_record(
        action=AuditAction.DATA_DOWNLOAD,
        request=request,
        object_type="accounts.user",
        object_id=account.pk,
        detail={"format": "zip", "bytes": len(archive)},
        after_commit=True,
    )
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive_filename(user=account)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    account = access_account_for_erasure(request.user, user_id)
    form = AccountEraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_erase(
                user=account,
                password=form.cleaned_data["password"],
                delete_shared=form.cleaned_data["delete_shared"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            logout(request)
            messages.success(request, _("Your account is erased. Thank you for taking part."))
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "privacy/erase.html", {"form": form}, status=status)
