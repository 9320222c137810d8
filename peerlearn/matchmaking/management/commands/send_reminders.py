"""``peerlearn send_reminders``: e-mail members who have not answered a proposal whose
reply-by date is near, once each. ``peerlearn worker`` queues the same sweep every
PEERLEARN_REMINDER_SWEEP_SECONDS; this command is for cron, or to send them now."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from peerlearn.matchmaking.services import reminders_send
from peerlearn.matchmaking.tasks import send_reminders


class Command(BaseCommand):
    help = "E-mail members who have not answered a proposal due soon (each member once)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the sweep for a worker instead of sending now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            send_reminders.enqueue()
            self.stdout.write("Reminder sweep queued.")
            return
        sent = reminders_send(site_url=settings.PEERLEARN_SITE_URL)
        self.stdout.write(f"{sent} reminder(s) sent.")
