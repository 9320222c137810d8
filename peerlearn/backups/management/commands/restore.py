"""``peerlearn restore FILE``: put back a backup made by ``peerlearn backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerlearn.backups.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from an archive made by `peerlearn "
        "backup`. Refuses a database that holds accounts unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the archive made by `peerlearn backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data",
        )

    def handle(self, *args: Any, archive: Path, force: bool, **options: Any) -> None:
        try:
            result = backup_restore(archive=archive, force=force)
        except BackupError as e:
            raise CommandError(str(e)) from e
        manifest = result.manifest
        self.stdout.write(
            f"Restored the {manifest['engine']} database backed up at {manifest['created_at']} "
            f"and {result.media_files} uploaded file(s)."
        )
        if result.pending_migrations:
            self.stdout.write(
                f"The backup predates {len(result.pending_migrations)} migration(s) of this "
                "version: run `peerlearn migrate` now."
            )
