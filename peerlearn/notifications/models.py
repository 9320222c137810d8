"""A person's choice about the e-mail digest of what needs them, and when it last went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_preference",
        verbose_name=_("user"),
    )
    enabled = models.BooleanField(
        _("e-mail me a digest of what needs me"),
        default=True,
        help_text=_("At most once a week, and only when something is waiting."),
    )
    discussion_emails = models.BooleanField(
        _("e-mail me when someone mentions me or replies in a discussion I follow"),
        default=True,
    )
    # Set by whichever worker claims the period first: nobody gets the same digest twice.
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self) -> str:
        return f"{self.user}: {'on' if self.enabled else 'off'}"
