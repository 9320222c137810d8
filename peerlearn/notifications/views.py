"""What needs you: one page, and the digest switch."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.core.http import AuthenticatedHttpRequest
from peerlearn.notifications.forms import DigestForm
from peerlearn.notifications.needs import needs_for
from peerlearn.notifications.services import digest_preference_of, digest_preference_set


@login_required
@require_http_methods(["GET", "POST"])
def needs_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference = digest_preference_of(request.user)
    form = DigestForm(
        request.POST if request.method == "POST" else None,
        initial={
            "enabled": preference.enabled,
            "discussion_emails": preference.discussion_emails,
        },
    )
    if request.method == "POST" and form.is_valid():
        digest_preference_set(
            user=request.user,
            enabled=form.cleaned_data["enabled"],
            discussion_emails=form.cleaned_data["discussion_emails"],
        )
        # Say what both switches now are: turning discussion e-mails off must not be
        # answered with a word about the digest only.
        digest = (
            _("You will get the weekly digest.")
            if form.cleaned_data["enabled"]
            else _("No more digests: this page still lists what needs you.")
        )
        discussions = (
            _("Discussions e-mail you mentions and new posts in threads you follow.")
            if form.cleaned_data["discussion_emails"]
            else _("Discussions no longer e-mail you; mentions of you still show on this page.")
        )
        messages.success(request, f"{digest} {discussions}")
        return redirect("notifications:page")
    return render(
        request, "notifications/page.html", {"needs": needs_for(request.user), "form": form}
    )
