"""System checks of the platform's own settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register(deploy=True)
def site_address_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E-mails sent in the background (reminders, digests, mentions) take their links'
    address from ``PEERLEARN_SITE_URL``; without it those links have no host."""
    if settings.PEERLEARN_SITE_URL:
        return []
    return [
        Warning(
            "PEERLEARN_SITE_URL is not set: links in e-mails sent by the worker will have no "
            "address.",
            hint="Set PEERLEARN_SITE_URL to the platform's public address, such as "
            "https://peerlearn.example.org.",
            id="core.W001",
        )
    ]
