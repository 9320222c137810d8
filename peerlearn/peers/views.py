"""Pages for the peer directory, profiles, and a peer's own profile, challenges and
experiences. Views parse input, ask the access layer, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peerlearn.access.base import has_role, profile_of
from peerlearn.access.peers import (
    access_authorisation_by_id,
    access_authorisation_for_decision,
    access_peer_for_contact,
    access_peer_for_edit,
    access_statement_for_edit,
    authorisations_visible_to,
)
from peerlearn.access.roles import Role
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, HtmxHttpRequest, safe_next, site_url
from peerlearn.core.paging import paginate
from peerlearn.matchmaking.selectors import statement_open_proposals
from peerlearn.organisations.forms import OrganisationForm
from peerlearn.organisations.services import CloseOrganisations, organisation_named
from peerlearn.peers.forms import (
    ORGANISATION_MISSING,
    AuthorisationActionForm,
    AuthorisationRequestForm,
    AuthoriserAskForm,
    ContactForm,
    PeerFilterForm,
    ProfileForm,
    StatementForm,
)
from peerlearn.peers.models import (
    AUTHORISATION_TRANSITIONS,
    AuthorisationAction,
    Challenge,
    Experience,
    PeerProfile,
)
from peerlearn.peers.selectors import (
    PeerFilters,
    audience_of,
    authorisation_detail,
    authoriser_asks_of,
    contact_messages_sent,
    peer_directory,
    peer_profile_detail,
    peer_statements,
    profile_next_steps,
)
from peerlearn.peers.services import (
    authorisation_decide,
    authorisation_request,
    authoriser_invitation_ask,
    contact_message_send,
    peer_profile_create,
    peer_profile_update,
    statement_create,
    statement_delete,
    statement_update,
)

KINDS: dict[str, type[Challenge] | type[Experience]] = {
    "challenges": Challenge,
    "experiences": Experience,
}


def directory(request: HtmxHttpRequest) -> HttpResponse:
    form = PeerFilterForm(request.GET or None)
    filters = PeerFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = PeerFilters(
            q=d["q"] or "",
            country=d["country"] or "",
            region=d["region"] or "",
            theme=d["theme"].slug if d["theme"] else "",
            stage=d["stage"],
            language=d["language"].code if d["language"] else "",
        )
    peers = peer_directory(user=request.user, filters=filters)
    page, query = paginate(request, peers)
    context = {"form": form, "page": page, "query": query}
    template = "peers/directory.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


def profile(request: HttpRequest, peer_id: int) -> HttpResponse:
    peer = peer_profile_detail(peer_id=peer_id, user=request.user)
    challenges, experiences = peer_statements(user=request.user, peer=peer)
    is_own = request.user.is_authenticated and peer.user_id == request.user.id
    return render(
        request,
        "peers/profile.html",
        {
            "peer": peer,
            "challenges": challenges,
            "experiences": experiences,
            "is_own": is_own,
            "next_steps": profile_next_steps(user=request.user, peer=peer),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request: AuthenticatedHttpRequest, peer_id: int) -> HttpResponse:
    """Write to a peer. The message reaches their e-mail with Reply-To set to the sender; the
    page never shows the peer's address."""
    peer = access_peer_for_contact(request.user, peer_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_message_send(
                sender=request.user,
                recipient=peer,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Your message is sent to %(name)s. Their answer comes to your e-mail address.")
                % {"name": peer.user.name},
            )
            return redirect("peers:profile", peer_id=peer.id)
    return render(
        request,
        "peers/contact.html",
        {
            "peer": peer,
            "form": form,
            "sent": contact_messages_sent(user=request.user, peer=peer),
        },
        status=400 if form.errors else 200,
    )


def _own_profile(request: AuthenticatedHttpRequest) -> PeerProfile | None:
    return profile_of(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create or edit the signed-in user's own peer profile. Facilitators, authorisers,
    funders and administrators keep their details on their account page instead."""
    if not has_role(request.user, Role.PEER):
        messages.info(
            request,
            _("Peer profiles are for peers. Your details are on your account page."),
        )
        return redirect("accounts:account")
    peer = _own_profile(request)
    if peer is not None:
        access_peer_for_edit(request.user, peer)
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST)
        org_form = OrganisationForm(request.POST)
        # Both forms are validated, and the organisation asked for, in one round.
        valid = [org_form.valid_beside(form)]
        if org_form.names_none_beside(form):
            form.add_error("organisation", ORGANISATION_MISSING)
            valid.append(False)
        if all(valid):
            d, o = form.cleaned_data, org_form.cleaned_data
            try:
                with transaction.atomic():  # a failed save leaves nothing behind
                    _save_profile(request, peer, d, o)
            except CloseOrganisations as e:
                org_form.offer(e.organisations)
                form_add_service_errors(org_form, e)
            except ValidationError as e:
                form_add_service_errors(form, e)
            else:
                saved = _("Your profile is saved.")
                messages.success(request, f"{saved} {audience_of(user.peer_profile)}")
                after = safe_next(request)
                return redirect(after or reverse("peers:profile", args=[user.peer_profile.id]))
    else:
        initial: dict[str, Any] = {"name": user.name, "organisation": user.organisation_id}
        if peer is not None:
            initial.update(
                position=peer.position,
                seniority=peer.seniority,
                reform_stage=peer.reform_stage,
                languages=[lang.code for lang in peer.languages.all()],
                reform_areas=[t.slug for t in peer.reform_areas.all()],
                gender=peer.gender,
                bio=peer.bio,
                visibility=peer.visibility,
                accepts_contact=peer.accepts_contact,
            )
        form = ProfileForm(initial=initial)
        org_form = OrganisationForm()
    return render(
        request,
        "peers/profile_form.html",
        {
            "form": form,
            "org_form": org_form,
            "creating": peer is None,
        },
    )


_PROFILE_FORM_FIELDS = (
    "position",
    "seniority",
    "reform_stage",
    "gender",
    "bio",
    "visibility",
    "accepts_contact",
)


def _save_profile(
    request: AuthenticatedHttpRequest,
    peer: PeerProfile | None,
    d: dict[str, Any],
    o: dict[str, Any],
) -> None:
    user = request.user
    organisation = organisation_named(picked=d.get("organisation"), added=o)
    if organisation is None:
        raise ValidationError({"organisation": [ORGANISATION_MISSING]})
    data = {
        **{k: d[k] for k in _PROFILE_FORM_FIELDS},
        "languages": [lang.code for lang in d["languages"]],
        "reform_areas": [t.slug for t in d["reform_areas"]],
    }
    if peer is None:
        user.name = d["name"]
        user.organisation = organisation
        user.full_clean(exclude=["password"])
        user.save(update_fields=["name", "organisation"])
        peer_profile_create(user=user, **data)
    else:
        peer_profile_update(
            peer=peer, data={**data, "name": d["name"], "organisation": organisation}
        )


def _require_profile(request: AuthenticatedHttpRequest) -> PeerProfile | HttpResponse:
    peer = _own_profile(request)
    if peer is None:
        messages.info(request, _("First tell peers who you are: complete your profile."))
        return redirect("peers:profile_edit")
    return peer


@login_required
@require_http_methods(["GET", "POST"])
def statement_new(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    model = KINDS[kind]
    peer = _require_profile(request)
    if isinstance(peer, HttpResponse):
        return peer
    form = StatementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            statement = statement_create(
                model=model,
                peer=peer,
                theme=d["theme"].slug,
                title=d["title"],
                description=d["description"],
                visibility=d["visibility"],
                alliance=d["alliance"],
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(request, _("Saved.") + " " + audience_of(statement))
            return redirect("peers:profile", peer_id=peer.id)
    return render(
        request, "peers/statement_form.html", {"form": form, "kind": kind, "model": model}
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_edit(request: AuthenticatedHttpRequest, kind: str, statement_id: int) -> HttpResponse:
    model = KINDS[kind]
    statement = access_statement_for_edit(request.user, model, statement_id)
    if request.method == "POST":
        form = StatementForm(request.POST, user=statement.peer.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                statement_update(
                    statement=statement,
                    data={
                        "theme": d["theme"].slug,
                        "title": d["title"],
                        "description": d["description"],
                        "visibility": d["visibility"],
                        "alliance": d["alliance"],
                    },
                )
            except ValidationError as e:
                form_add_service_errors(form, e)
            else:
                statement.refresh_from_db()
                saved = _("Your changes are saved.")
                messages.success(request, f"{saved} {audience_of(statement)}")
                return redirect("peers:profile", peer_id=statement.peer_id)
    else:
        form = StatementForm(
            initial={
                "theme": statement.theme.slug,
                "title": statement.title,
                "description": statement.description,
                "visibility": statement.visibility,
                "alliance": statement.alliance.slug if statement.alliance else None,
            },
            user=statement.peer.user,
        )
    return render(
        request,
        "peers/statement_form.html",
        {"form": form, "kind": kind, "model": model, "statement": statement},
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_remove(
    request: AuthenticatedHttpRequest, kind: str, statement_id: int
) -> HttpResponse:
    """A confirmation page naming the challenge or experience and what deleting it changes;
    a POST from that page (it carries ``confirm``) deletes it. A POST without ``confirm``,
    from an older page, shows the confirmation page instead of deleting."""
    statement = access_statement_for_edit(request.user, KINDS[kind], statement_id)
    if request.method == "POST" and request.POST.get("confirm"):
        peer_id, title = statement.peer_id, statement.title
        statement_delete(statement=statement)
        if kind == "challenges":
            done = _("Deleted the challenge “%(title)s”.")
        else:
            done = _("Deleted the experience “%(title)s”.")
        messages.success(request, done % {"title": title})
        return redirect("peers:profile", peer_id=peer_id)
    return render(
        request,
        "peers/statement_delete.html",
        {
            "kind": kind,
            "statement": statement,
            "open_proposals": statement_open_proposals(user=request.user, statement=statement),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorisation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    peer = _require_profile(request)
    if isinstance(peer, HttpResponse):
        return peer
    form = AuthorisationRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            authorisation_request(
                peer=peer,
                authoriser=form.cleaned_data["authoriser"],
                scope=form.cleaned_data["scope"],
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Your request is sent to %(name)s. Their decision shows here, and is e-mailed.")
                % {"name": form.cleaned_data["authoriser"]},
            )
            return redirect("peers:authorisation_new")
    return _authorisation_page(request, peer, form, AuthoriserAskForm())


def _authorisation_page(
    request: AuthenticatedHttpRequest,
    peer: PeerProfile,
    form: AuthorisationRequestForm,
    ask_form: AuthoriserAskForm,
) -> HttpResponse:
    authorisations = (
        authorisations_visible_to(request.user).filter(peer=peer).select_related("authoriser")
    )
    return render(
        request,
        "peers/authorisation_form.html",
        {
            "form": form,
            "ask_form": ask_form,
            "authorisations": authorisations,
            "asks": authoriser_asks_of(peer=peer),
        },
        status=400 if form.errors or ask_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def authoriser_ask(request: AuthenticatedHttpRequest) -> HttpResponse:
    """When a peer's organisation has no authoriser here: ask the administrators to invite
    the person the peer names."""
    peer = _require_profile(request)
    if isinstance(peer, HttpResponse):
        return peer
    if request.method == "GET":
        return redirect("peers:authorisation_new")
    ask_form = AuthoriserAskForm(request.POST)
    if ask_form.is_valid():
        try:
            authoriser_invitation_ask(
                peer=peer,
                name=ask_form.cleaned_data["authoriser_name"],
                email=ask_form.cleaned_data["authoriser_email"],
                note=ask_form.cleaned_data["note"],
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(ask_form, e)
        else:
            messages.success(
                request,
                _(
                    "The administrators are asked to invite %(name)s. You are e-mailed once "
                    "they are on peerlearn: then ask them here."
                )
                % {"name": ask_form.cleaned_data["authoriser_name"]},
            )
            return redirect("peers:authorisation_new")
    form = AuthorisationRequestForm(user=request.user)
    return _authorisation_page(request, peer, form, ask_form)


@login_required
def authorisation_decision(
    request: AuthenticatedHttpRequest, authorisation_id: int
) -> HttpResponse:
    """A request, its state, and the decisions that apply to it now, each its own button."""
    authorisation = access_authorisation_by_id(request.user, authorisation_id)
    return render(
        request,
        "peers/authorisation_decision.html",
        {"detail": authorisation_detail(user=request.user, authorisation=authorisation)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorisation_act(
    request: AuthenticatedHttpRequest, authorisation_id: int, action: str
) -> HttpResponse:
    """Grant, decline or revoke: a confirmation page naming the decision, then the decision."""
    authorisation = access_authorisation_for_decision(request.user, authorisation_id)
    if action not in authorisation.actions:
        messages.error(
            request,
            _("This request is “%(status)s”: that decision does not apply to it.")
            % {"status": authorisation.get_status_display()},
        )
        return redirect("peers:authorisation_decision", authorisation_id=authorisation.id)
    form = AuthorisationActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authorisation_decide(
                authorisation=authorisation,
                status=AUTHORISATION_TRANSITIONS[authorisation.status][action],
                note=form.cleaned_data["note"],
                site_url=site_url(request),
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Recorded: %(name)s’s request is now “%(status)s”. They are told by e-mail.")
                % {
                    "name": authorisation.peer.user.name,
                    "status": authorisation.get_status_display(),
                },
            )
            return redirect("home")
    return render(
        request,
        "peers/authorisation_act.html",
        {
            "detail": authorisation_detail(user=request.user, authorisation=authorisation),
            "action": AuthorisationAction(action),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
