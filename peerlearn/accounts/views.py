"""Sign-up, each person's account page and API tokens. Sign-in, sign-out and password
reset are Django's own views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from peerlearn.access.accounts import (
    access_invitation_for_resend,
    can_change_own_organisation,
    invitations_waiting_for,
)
from peerlearn.access.base import has_role, profile_of, require_role, role_of
from peerlearn.access.roles import Role
from peerlearn.accounts.forms import (
    AccountForm,
    ApiTokenForm,
    InvitationForm,
    InvitationOrganisationForm,
    PasswordChooseForm,
    SignUpForm,
)
from peerlearn.accounts.language import language_remember
from peerlearn.accounts.models import User
from peerlearn.accounts.ratelimit import verification_email_hit
from peerlearn.accounts.services import (
    api_token_create,
    api_token_revoke,
    email_verification_send,
    email_verify,
    user_create,
    user_invitation_resend,
    user_invite,
    user_update,
)
from peerlearn.core.forms import form_add_service_errors
from peerlearn.core.http import AuthenticatedHttpRequest, safe_next, site_url
from peerlearn.organisations.services import CloseOrganisations, organisation_named
from peerlearn.peers.services import authoriser_asks_answer


class PasswordChoose(PasswordResetConfirmView):
    """The link from a password reset or an invitation: once the password is chosen, its
    owner is signed in (they just showed they hold the address), so an invited person
    arrives at their home page instead of a sign-in form asking for a user name they have
    only read once (and is welcomed: the first sign-in of someone invited)."""

    form_class = PasswordChooseForm
    post_reset_login = True
    # Signing in here needs no password check, so no lockout counting either.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        first = form.user.invited_at is not None and form.user.last_login is None
        response = super().form_valid(form)
        if first:
            if form.user.preferred_language:
                # Their home page is in the language they were invited in: so is this.
                translation.activate(form.user.preferred_language)
            messages.success(
                self.request,
                _(
                    "Welcome to peerlearn: your password is saved and you are signed in as "
                    "%(username)s."
                )
                % {"username": form.user.get_username()},
            )
            return redirect("home")
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Peers sign themselves up; other roles are given by an administrator."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = user_create(
                username=d["username"],
                email=d["email"],
                name=d["name"],
                password=d["password"],
                role=Role.PEER,
                email_verified=False,
            )
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            email_verification_send(user=user, site_url=site_url(request))
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            # The banner on every page asks them to confirm their address (verify_banner).
            messages.success(request, _("Welcome to peerlearn! Now tell peers who you are."))
            profile = reverse("peers:profile_edit")
            # An invitation (or any page of the site) that sent them here comes after it.
            after = safe_next(request)
            return redirect(f"{profile}?{urlencode({'next': after})}" if after else profile)
    return render(request, "registration/signup.html", {"form": form, "next": safe_next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every role's own page: name, e-mail, organisation, language; and, for a peer, the way
    to their peer profile."""
    user = request.user
    organisation_fixed = not can_change_own_organisation(user)
    form = AccountForm(
        request.POST or None,
        initial={
            "name": user.name,
            "email": user.email,
            "organisation": user.organisation_id,
            "preferred_language": user.preferred_language,
        },
        organisation_fixed=organisation_fixed,
    )
    if request.method == "POST" and form.is_valid():
        asked_before = user.pending_email
        fields = {"organisation": user.organisation, **form.cleaned_data}
        try:
            user_update(user=user, site_url=site_url(request), **fields)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            if user.preferred_language:
                # The next page is in the language just chosen: so is what it says.
                translation.activate(user.preferred_language)
            if user.pending_email and user.pending_email != asked_before:
                messages.success(
                    request,
                    _(
                        "Your account is saved. We sent a link to %(new)s: your address "
                        "changes to it once you follow the link. Until then we keep "
                        "writing to %(old)s."
                    )
                    % {"new": user.pending_email, "old": user.email},
                )
            else:
                messages.success(request, _("Your account is saved."))
            response = redirect("accounts:account")
            if user.preferred_language:
                language_remember(response, user.preferred_language)
            return response
    return render(
        request,
        "accounts/account.html",
        {
            "form": form,
            "role": role_of(user),
            "profile": profile_of(user),
            "is_peer": has_role(user, Role.PEER),
            "organisation_fixed": organisation_fixed,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = api_token_create(user=request.user, label=form.cleaned_data["label"])
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.filter(revoked_at__isnull=True),
        },
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, id=token_id, revoked_at__isnull=True)
    api_token_revoke(token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:tokens")


@require_http_methods(["GET"])
def email_verify_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed at sign-up: it confirms the address, and the profile becomes
    visible to others at its own level."""
    try:
        user = email_verify(token=token)
    except ValidationError as e:
        error = " ".join(e.message_dict.get("token", e.messages))
        return render(request, "accounts/verify_failed.html", {"error": error}, status=400)
    messages.success(
        request,
        _("Your e-mail address %(email)s is confirmed: peers can now find your profile.")
        % {"email": user.email},
    )
    return redirect("home")


@login_required
@require_POST
def verification_send(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Send the link again" (rate-limited per account: peerlearn.accounts.ratelimit).
    Back to the page it was asked from, whose banner says what happened: the link sent
    again, or the limit reached and when it resets (``verify_banner.html``)."""
    if request.user.email_verified:
        messages.info(request, _("Your e-mail address is confirmed already."))
    elif verification_email_hit(request.user) is None:
        email_verification_send(user=request.user, site_url=site_url(request))
    next_url = safe_next(request)
    if next_url:
        return redirect(next_url)
    return redirect("accounts:account")


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Platform administrators invite facilitators, authorisers, funders (and peers); the
    form may arrive filled in from a peer's request for an authoriser."""
    require_role(request.user, Role.ADMIN)
    # The picker checks a given organisation id against its list.
    fields = ("name", "email", "role", "organisation", "preferred_language")
    initial = {
        "preferred_language": get_language(),
        **{k: request.GET[k] for k in fields if k in request.GET},
    }
    form = InvitationForm(request.POST or None, initial=initial)
    org_form = InvitationOrganisationForm(request.POST or None)
    if request.method == "POST" and org_form.valid_beside(form):
        d, o = form.cleaned_data, org_form.cleaned_data
        try:
            with transaction.atomic():  # a refused invitation leaves no organisation behind
                user = user_invite(
                    invited_by=request.user,
                    name=d["name"],
                    email=d["email"],
                    role=d["role"],
                    organisation=organisation_named(picked=d.get("organisation"), added=o),
                    language=d["preferred_language"],
                    site_url=site_url(request),
                )
        except CloseOrganisations as e:
            org_form.offer(e.organisations)
            form_add_service_errors(org_form, e)
        except ValidationError as e:
            form_add_service_errors(form, e)
        else:
            # Peers who named them as their organisation's authoriser hear of it.
            authoriser_asks_answer(user=user, site_url=site_url(request))
            if user.organisation:
                role = _("%(role)s of %(organisation)s") % {
                    "role": user.get_role_display().lower(),
                    "organisation": user.organisation,
                }
            else:
                role = user.get_role_display().lower()
            messages.success(
                request,
                _(
                    "%(name)s is invited as %(role)s, with the user name %(username)s: an "
                    "e-mail to %(email)s asks them to choose a password."
                )
                % {"name": user.name, "role": role, "username": user.username, "email": user.email},
            )
            return redirect("accounts:invite")
    waiting = (
        invitations_waiting_for(request.user)
        .select_related("organisation", "invited_by")
        .order_by("-invited_at", "-id")
    )
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "org_form": org_form, "waiting": waiting},
        status=400 if form.errors or org_form.errors else 200,
    )


@login_required
@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Send someone's invitation again, with a new link, until they first sign in."""
    account = access_invitation_for_resend(request.user, user_id)
    try:
        user_invitation_resend(user=account, resent_by=request.user, site_url=site_url(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("The invitation is sent again to %(email)s, with a new link.")
            % {"email": account.email},
        )
    return redirect("accounts:invite")
