"""``peerlearn audit_purge``: remove audit events older than the retention period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerlearn.audit.services import audit_purge


class Command(BaseCommand):
    help = (
        "Remove audit events older than PEERLEARN_AUDIT_RETENTION_DAYS (or --days). "
        "Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of PEERLEARN_AUDIT_RETENTION_DAYS.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more: the number of days to keep.")
        keep = days if days is not None else settings.PEERLEARN_AUDIT_RETENTION_DAYS
        if keep <= 0:
            self.stdout.write("Retention is 0 (keep for ever): nothing removed.")
            return
        removed = audit_purge(days=keep)
        self.stdout.write(f"Removed {removed} audit events older than {keep} days.")
