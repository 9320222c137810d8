"""The e-mail digest of what needs each person: at most once per period, only when something
waits, never to someone who turned it off, and never twice (a conditional update claims
each person's period, so several workers can run it)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from peerlearn.accounts.models import User
from peerlearn.core.mail import notify
from peerlearn.notifications.models import DigestPreference
from peerlearn.notifications.needs import needs_for


def digest_preference_of(user: User) -> DigestPreference:
    preference, _ = DigestPreference.objects.get_or_create(user=user)
    return preference


def digest_preference_set(
    *, user: User, enabled: bool, discussion_emails: bool | None = None
) -> DigestPreference:
    preference = digest_preference_of(user)
    preference.enabled = enabled
    fields = ["enabled"]
    if discussion_emails is not None:
        preference.discussion_emails = discussion_emails
        fields.append("discussion_emails")
    preference.save(update_fields=fields)
    return preference


def digests_send(*, site_url: str = "") -> int:
    """E-mail each active person with something waiting the list of it, if their last
    digest is older than PEERLEARN_NEEDS_DIGEST_DAYS; returns how many were sent."""
    moment = timezone.now()
    cutoff = moment - timedelta(days=settings.PEERLEARN_NEEDS_DIGEST_DAYS)
    sent = 0
    candidates = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(digest_preference__enabled=False)
    )
    for user in candidates.iterator():
        needs = needs_for(user)
        if not needs:
            continue
        preference = digest_preference_of(user)
        with transaction.atomic():
            claimed = DigestPreference.objects.filter(
                Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=cutoff),
                id=preference.id,
                enabled=True,
            ).update(last_sent_at=moment)
            if not claimed:
                continue  # another worker has it, or it went recently
            notify(
                [user],
                "notifications/email/digest",
                {"needs": needs, "site": site_url, "page": site_url + "/notifications/"},
            )
        sent += 1
    return sent
