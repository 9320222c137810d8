"""Inviting a peer from their profile to one of the alliances the viewer runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.access.alliances import alliances_managed_by
from peerlearn.access.base import AccessDenied
from peerlearn.access.peers import access_peer_by_id
from peerlearn.alliances.forms import InvitePeerForm
from peerlearn.alliances.services import alliance_invite_peer
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, site_url


@login_required
@require_http_methods(["GET", "POST"])
def invite_peer(request: AuthenticatedHttpRequest, peer_id: int) -> HttpResponse:
    """Choose one of the alliances the viewer runs; the peer gets an invitation to accept."""
    peer = access_peer_by_id(request.user, peer_id)
    alliances = alliances_managed_by(request.user).order_by("name")
    if not alliances.exists():
        raise AccessDenied(_("Only the facilitators of a learning alliance may invite to it."))
    form = InvitePeerForm(request.POST or None, alliances=alliances)
    if request.method == "POST" and form.is_valid():
        alliance = form.cleaned_data["alliance"]
        try:
            alliance_invite_peer(
                alliance=alliance,
                peer_user=peer.user,
                role=form.cleaned_data["role"],
                by=request.user,
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("%(name)s is invited to %(alliance)s: they are told by e-mail.")
                % {"name": peer.user.name, "alliance": alliance.name},
            )
            return redirect("peers:profile", peer_id=peer.id)
    return render(
        request,
        "alliances/invite_peer.html",
        {"peer": peer, "form": form},
        status=400 if form.errors else 200,
    )
