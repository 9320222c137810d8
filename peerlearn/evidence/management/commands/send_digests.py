"""``peerlearn send_digests``: e-mail each home-organisation authoriser what their own
organisation's peers learned and applied in the last complete period, once each. Run it
from cron (daily is enough: a period already sent is skipped), or ``--queue`` it for a
worker."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from peerlearn.evidence.services import digest_period, digests_send
from peerlearn.evidence.tasks import send_digests


class Command(BaseCommand):
    help = "E-mail authorisers the digest of their peers' learning (each period once)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue", action="store_true", help="Queue the digests for a worker instead."
        )
        parser.add_argument(
            "--today",
            help="Send as if today were this date (YYYY-MM-DD): the period before it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            send_digests.enqueue()
            self.stdout.write("Digests queued.")
            return
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as e:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from e
        start, end = digest_period(today)
        sent = digests_send(today=today, site_url=settings.PEERLEARN_SITE_URL)
        self.stdout.write(f"{sent} digest(s) sent for {start.isoformat()} – {end.isoformat()}.")
