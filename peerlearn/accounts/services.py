"""Writing users and API tokens."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.accounts import can_change_own_organisation
from peerlearn.access.roles import Role
from peerlearn.accounts.models import (
    ERASED_USERNAME_PREFIX,
    FORMER_MEMBER_HANDLE,
    ApiToken,
    User,
)
from peerlearn.core.mail import notify, notify_addresses
from peerlearn.organisations.models import Organisation

#: Salt of the e-mail verification tokens (a token is useless for anything else).
VERIFICATION_SALT = "peerlearn.accounts.email-verification"


@transaction.atomic
def user_create_problems(
    *,
    username: str | None,
    email: str | None,
    name: str = "",
    password: str | None = None,
) -> dict[str, list[str]]:
    """What ``user_create`` would refuse, by field, each naming the fix, without writing
    anything: a user name reserved or taken, an e-mail address in use, a weak ``password``
    (checked when given). The sign-up form asks too, with whichever fields it could read, so
    these errors show beside those of single fields."""
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    email = User.objects.normalize_email((email or "").strip())
    if username:
        reserved = username.lower() == FORMER_MEMBER_HANDLE or username.lower().startswith(
            ERASED_USERNAME_PREFIX
        )
        if reserved:
            errors["username"] = [_("This user name is kept for erased accounts: choose another.")]
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("This user name is taken: choose another.")]
    if email and User.objects.filter(email__iexact=email).exists():
        # Said plainly: someone who forgot their account is sent to sign in. It tells a
        # stranger that the address has an account; the sign-up rate limit
        # (PEERLEARN_SIGNUP_RATE, per network address) bounds how many they can try.
        errors["email"] = [
            _("An account with this e-mail address exists: sign in or reset your password.")
        ]
    if password is not None:
        try:
            validate_password(password, User(username=username, email=email, name=name.strip()))
        except ValidationError as e:
            errors["password"] = e.messages
    return errors


def user_create(
    *,
    username: str,
    email: str,
    name: str,
    password: str | None,
    role: str = Role.PEER,
    organisation: Organisation | None = None,
    validate_password_strength: bool = True,
    email_verified: bool = True,
) -> User:
    """Create a user. Platform administrators are also Django staff and superusers.
    ``email_verified=False`` (self sign-up) keeps the person's profile from everyone else
    until they follow the link of ``email_verification_send``."""
    username = username.strip()
    email = User.objects.normalize_email(email.strip())
    errors = user_create_problems(
        username=username,
        email=email,
        name=name,
        password=password if validate_password_strength else None,
    )
    if errors:
        raise ValidationError(errors)
    user = User(
        username=username,
        email=email,
        name=name.strip(),
        role=role,
        organisation=organisation,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        email_verified=email_verified,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


#: The roles an administrator invites people to (peers sign themselves up, and may be
#: invited too; administrators are made in the back office).
INVITABLE_ROLES = (Role.FACILITATOR, Role.AUTHORISER, Role.FUNDER, Role.PEER)


def _free_username(email: str) -> str:
    """A user name made from the address's local part, in lower case, free on the
    platform."""
    base = re.sub(r"[^\w.+-]", "", email.split("@", 1)[0].lower())[:140] or "user"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def user_invite_problems(
    *, name: str, email: str, role: str, organisation: Organisation | None
) -> dict[str, list[str]]:
    """What :func:`user_invite` would refuse, by field, each naming the fix; the form asks
    too, with whichever fields it could read, so that all show in one round."""
    name, email = name.strip(), User.objects.normalize_email(email.strip())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Write the person's full name.")]
    if role not in INVITABLE_ROLES:
        errors["role"] = [_("Choose facilitator, authoriser, funder or peer.")]
    if role == Role.AUTHORISER and organisation is None:
        errors["organisation"] = [
            _("An authoriser authorises the peers of one organisation: choose it.")
        ]
    if role == Role.FUNDER and organisation is None:
        errors["organisation"] = [
            _(
                "A funder follows the alliances their organisation funds: choose the "
                "organisation (an agency, a foundation)."
            )
        ]
    taken = User.objects.filter(email__iexact=email).first() if email else None
    if taken is not None:
        errors["email"] = [
            _(
                "%(username)s has this address already: change their role in the back office "
                "rather than inviting them again."
            )
            % {"username": taken.username}
        ]
    return errors


@transaction.atomic
def user_invite(
    *,
    invited_by: User,
    name: str,
    email: str,
    role: str,
    organisation: Organisation | None,
    language: str = "",
    site_url: str = "",
) -> User:
    """An administrator creates someone's account in ``role`` and e-mails them a link to
    choose their password (Django's password-reset link, valid for
    ``PASSWORD_RESET_TIMEOUT``; once it has expired, "Forgotten your password?" sends a new
    one). Nothing is created if anything is refused."""
    name, email = name.strip(), User.objects.normalize_email(email.strip())
    errors = user_invite_problems(name=name, email=email, role=role, organisation=organisation)
    if errors:
        raise ValidationError(errors)
    user = user_create(
        username=_free_username(email),
        email=email,
        name=name,
        # Unknown to anyone, but usable: the password reset works for the account.
        password=secrets.token_urlsafe(32),
        role=role,
        organisation=organisation,
        validate_password_strength=False,
    )
    user.invited_at, user.invited_by = timezone.now(), invited_by
    if language in dict(settings.LANGUAGES):
        user.preferred_language = language
    user.save(update_fields=["preferred_language", "invited_at", "invited_by"])
    _invitation_send(user=user, invited_by=invited_by, site_url=site_url)
    return user


def user_invitation_resend(*, user: User, resent_by: User, site_url: str = "") -> User:
    """An administrator sends an invitation again, with a new link that replaces the
    earlier one, to someone who has not signed in yet (the e-mail was lost, or its link
    expired). Once they have signed in they use "Forgotten your password?" like anyone."""
    if user.invited_at is None:
        raise ValidationError(
            _("%(name)s was not invited: nothing to send again.") % {"name": user}
        )
    if user.last_login is not None:
        raise ValidationError(
            _(
                "%(name)s has signed in already: if they lost their password, "
                '"Forgotten your password?" on the sign-in page sends them a link.'
            )
            % {"name": user}
        )
    # A new unknown password: the earlier e-mail's link (Django's token is made from the
    # password's hash) no longer works, so only the newest link does.
    user.set_password(secrets.token_urlsafe(32))
    user.save(update_fields=["password"])
    _invitation_send(user=user, invited_by=resent_by, site_url=site_url)
    return user


def _invitation_send(*, user: User, invited_by: User, site_url: str) -> None:
    """The invitation e-mail, with a link to choose a password (Django's reset token)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    link = site_url + reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    notify(
        [user],
        "accounts/email/invitation",
        {
            "inviter": invited_by.name,
            "role": Role(user.role).label,
            "organisation": str(user.organisation) if user.organisation else "",
            "username": user.username,
            "url": link,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
        reply_to=[invited_by.email] if invited_by.email else [],
    )


def api_token_create(*, user: User, label: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the secret key, which is shown once and never stored."""
    label = label.strip()
    if not label:
        raise ValidationError({"label": [_("Give the token a label, e.g. “reporting script”.")]})
    key = "pl_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, label=label, prefix=key[3:11], key_hash=ApiToken.hash_key(key)
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def api_token_authenticate(*, key: str) -> User | None:
    """The active user a bearer key belongs to, or None. Records when it was last used."""
    if not key.startswith("pl_"):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(id=token.id).update(last_used_at=timezone.now())
    return token.user


def user_language_set(*, user: User, language: str) -> None:
    """The language someone chose in the footer becomes their account's: the one their
    e-mails are written in, and their pages on any browser they sign in on."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"preferred_language": [_("Choose one of the languages the list offers.")]}
        )
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


@transaction.atomic
def user_update(
    *,
    user: User,
    name: str,
    email: str,
    organisation: Organisation | None,
    preferred_language: str = "",
    site_url: str = "",
) -> User:
    """Change what a person keeps about themselves on their account page.

    A new e-mail address does not replace the current one at once: it waits in
    ``pending_email`` and a confirmation link goes to it (and a notice to the current
    address). Following the link makes it the account's address (:func:`email_verify`), so
    the account never ends up with an address nobody showed they receive. Asking for the
    current address again cancels a pending change."""
    email = User.objects.normalize_email(email.strip())
    if User.objects.filter(email__iexact=email).exclude(id=user.id).exists():
        raise ValidationError(
            {"email": [_("Another account uses this e-mail address: choose another.")]}
        )
    if organisation != user.organisation and not can_change_own_organisation(user):
        raise ValidationError(
            {
                "organisation": [
                    _(
                        "Your organisation decides what you may see as %(role)s: ask a "
                        "platform administrator to change it."
                    )
                    % {"role": user.get_role_display()}
                ]
            }
        )
    user.name = name.strip()
    user.organisation = organisation
    user.preferred_language = preferred_language
    changing = email.lower() != user.email.lower()
    if changing:
        user.pending_email = email
    elif user.pending_email:
        user.pending_email = ""
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "organisation", "preferred_language", "pending_email"])
    if changing:
        email_change_send(user=user, site_url=site_url)
    return user


# --- e-mail verification ------------------------------------------------------------------


def email_verification_token(user: User, email: str | None = None) -> str:
    """A signed, timestamped token for ``user``'s current address (or ``email``, a new one
    they asked for): it stops working when the address changes or after
    ``PEERLEARN_EMAIL_VERIFICATION_DAYS``."""
    return signing.TimestampSigner(salt=VERIFICATION_SALT).sign_object(
        {"id": user.pk, "email": (email or user.email).lower()}
    )


def email_verification_send(*, user: User, site_url: str) -> bool:
    """E-mail ``user`` the link that verifies their address (once the transaction commits).
    False, and nothing sent, when the address is already verified."""
    if user.email_verified:
        return False
    token = email_verification_token(user)
    notify(
        [user],
        "accounts/email/verify",
        {
            "url": f"{site_url}/accounts/verify/{token}/",
            "days": settings.PEERLEARN_EMAIL_VERIFICATION_DAYS,
        },
    )
    return True


def email_change_send(*, user: User, site_url: str) -> None:
    """E-mail the link that confirms ``user.pending_email`` to that address, and tell the
    current address that a change was asked for (so a stolen session cannot move the
    account away unnoticed)."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    token = email_verification_token(user, user.pending_email)
    context = {
        "url": f"{site_url}/accounts/verify/{token}/",
        "days": settings.PEERLEARN_EMAIL_VERIFICATION_DAYS,
        "new_email": user.pending_email,
    }
    notify_addresses(
        [(user.pending_email, language, user.name)], "accounts/email/change_confirm", context
    )
    notify_addresses([(user.email, language, user.name)], "accounts/email/change_notice", context)


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address the token was made for as verified — or, for a token made for the
    account's pending new address, make that the account's address. Raises a
    ValidationError on the ``token`` field when it is forged, expired, or made for an
    address the account no longer uses or asks for."""
    max_age = timedelta(days=settings.PEERLEARN_EMAIL_VERIFICATION_DAYS)
    try:
        data = signing.TimestampSigner(salt=VERIFICATION_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as e:
        raise ValidationError(
            {"token": [_("This link has expired: sign in and ask for a new one.")]}
        ) from e
    except signing.BadSignature as e:
        raise ValidationError(
            {"token": [_("This link is not valid: copy the whole link from the e-mail.")]}
        ) from e
    user = User.objects.select_for_update().filter(id=data.get("id"), is_active=True).first()
    address = str(data.get("email", ""))
    if user is not None and user.pending_email and user.pending_email.lower() == address:
        if User.objects.filter(email__iexact=address).exclude(id=user.id).exists():
            raise ValidationError(
                {
                    "token": [
                        _(
                            "Another account now uses this e-mail address: sign in and "
                            "choose another."
                        )
                    ]
                }
            )
        user.email = user.pending_email
        user.pending_email = ""
        user.email_verified = True
        user.save(update_fields=["email", "pending_email", "email_verified"])
        return user
    if user is None or user.email.lower() != address:
        raise ValidationError(
            {
                "token": [
                    _(
                        "This link was sent to an address the account no longer uses: "
                        "sign in and ask for a new one."
                    )
                ]
            }
        )
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user
