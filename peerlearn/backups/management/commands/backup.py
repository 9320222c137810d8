"""``peerlearn backup --out FILE``: the database and uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerlearn.backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files (MEDIA_ROOT) into one archive, while "
        "the platform runs. Restore it with `peerlearn restore FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", required=True, type=Path, help="the archive to write (.tar.gz)"
        )

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        try:
            manifest = backup_create(out=out)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            f"Backed up the {manifest['engine']} database and {manifest['media_files']} "
            f"uploaded file(s) to {out}."
        )
