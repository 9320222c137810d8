"""Users, their platform role, and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerlearn.access.roles import Role

__all__ = [
    "ERASED_USERNAME_PREFIX",
    "FORMER_MEMBER",
    "FORMER_MEMBER_HANDLE",
    "ApiToken",
    "Role",
    "User",
]

#: How an erased account is named wherever its author is shown.
FORMER_MEMBER = _("a former member")
#: What a mention of an erased account becomes in discussions (``@former-member``): no
#: mention resolves to it, and nobody may sign up with it.
FORMER_MEMBER_HANDLE = "former-member"
#: An erased account's user name is this followed by its id; nobody may sign up with one.
ERASED_USERNAME_PREFIX = "erased-"


class PeerlearnUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        # `peerlearn createsuperuser` makes a platform administrator, not a peer.
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person who signs in. One platform role; admins are also Django staff."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PEER)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)
    # Set when the person erased their account: the row stays, emptied, so that what they
    # shared inside alliances and the audit trail keep a (nameless) author.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    # False from self sign-up until the person follows the link e-mailed to them; until then
    # their profile is shown to nobody else and enters no matching (peerlearn.access.peers).
    # Accounts made by an administrator or the demo count as verified.
    email_verified = models.BooleanField(
        _("e-mail address verified"),
        default=True,
        help_text=_("Off for a new sign-up until the link e-mailed to them is followed."),
    )
    # A new address the person asked for on their account page: it replaces ``email`` only
    # once they follow the link sent to it, so the account always has an address it was
    # shown to receive (peerlearn.accounts.services.user_update).
    pending_email = models.EmailField(
        _("new e-mail address, not yet confirmed"),
        blank=True,
        help_text=_("Becomes the account's address once the link e-mailed to it is followed."),
    )
    # Set when a platform administrator invited the person (peerlearn.accounts.services.
    # user_invite): until they first sign in, the invitation page lists them, and the
    # e-mail can be sent again.
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True, editable=False)
    invited_by = models.ForeignKey(
        "self",
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    REQUIRED_FIELDS = ["email", "name"]
    objects: ClassVar[PeerlearnUserManager] = PeerlearnUserManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        if self.erased_at is not None:
            return str(FORMER_MEMBER)
        return self.name or self.username

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.username

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    label = models.CharField(_("label"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True, verbose_name=_("prefix"))
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("key hash"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
