"""Inviting a peer from their profile to apply to an open call the viewer runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.access.base import AccessDenied
from peerlearn.access.matching import open_calls_managed_by
from peerlearn.access.peers import access_peer_by_id
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, site_url
from peerlearn.matchmaking.forms import CallInviteForm
from peerlearn.matchmaking.invitations import call_invitation_create


@login_required
@require_http_methods(["GET", "POST"])
def call_invite(request: AuthenticatedHttpRequest, peer_id: int) -> HttpResponse:
    """Choose one of the open calls the viewer runs; the peer is invited to apply."""
    peer = access_peer_by_id(request.user, peer_id)
    calls = open_calls_managed_by(request.user).select_related("theme").order_by("title")
    if not calls.exists():
        raise AccessDenied(_("Only the facilitator who opened a call may invite to it."))
    form = CallInviteForm(request.POST or None, calls=calls)
    if request.method == "POST" and form.is_valid():
        call = form.cleaned_data["call"]
        try:
            call_invitation_create(
                call=call, peer=peer, by=request.user, site_url=site_url(request)
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s is invited to apply to “%(call)s”: they are told by e-mail.")
                % {"name": peer.user.name, "call": call.title},
            )
            return redirect("peers:profile", peer_id=peer.id)
    return render(
        request,
        "matchmaking/call_invite.html",
        {"peer": peer, "form": form},
        status=400 if form.errors else 200,
    )
