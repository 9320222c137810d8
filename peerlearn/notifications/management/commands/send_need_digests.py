"""``peerlearn send_need_digests``: e-mail each person the list of what waits for them (at
most once per PEERLEARN_NEEDS_DIGEST_DAYS, only when something waits, not to those who turned it
off). Safe to run from cron beside the worker: nobody gets the same digest twice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from peerlearn.notifications.services import digests_send


class Command(BaseCommand):
    help = "E-mail each person a digest of what needs them."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send(site_url=settings.PEERLEARN_SITE_URL)
        self.stdout.write(f"{sent} digest(s) sent.")
