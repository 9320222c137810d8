"""``peerlearn export``: everything public as open data.

    peerlearn export iati --out activities.xml   # IATI 2.03, one activity per public alliance
    peerlearn export csv --out DIR               # one CSV file per table
    peerlearn export json --out DIR              # one JSON file per table

Only what anyone may see on the platform's public pages leaves through here, whoever runs
it (:mod:`peerlearn.access.opendata`). The files are written as they are read, in constant
memory, however many records there are.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerlearn.audit.services import audit_export
from peerlearn.reports.opendata.iati import write_iati
from peerlearn.reports.opendata.tables import TABLES, stream_csv, stream_json, write_stream


class Command(BaseCommand):
    help = "Export everything public as IATI 2.03 XML, CSV or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=("iati", "csv", "json"))
        parser.add_argument(
            "--out", required=True, help="the XML file (iati), or the directory (csv, json)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt, out = options["format"], Path(options["out"])
        if fmt == "iati":
            if out.is_dir():
                raise CommandError(f"{out} is a directory: name the XML file to write.")
            with out.open("wb") as f:
                write_iati(f)
            written = [out]
        else:
            if out.exists() and not out.is_dir():
                raise CommandError(f"{out} is a file: name a directory for the {fmt} files.")
            out.mkdir(parents=True, exist_ok=True)
            written = []
            for name, table in TABLES.items():
                path = out / f"{name}.{fmt}"
                with path.open("w", encoding="utf-8", newline="") as f:
                    write_stream(stream_csv(table) if fmt == "csv" else stream_json(table), f)
                written.append(path)
        audit_export(
            what="reports.open_data",
            detail={"format": fmt, "files": len(written), "os_user": _os_user()},
        )
        for path in written:
            self.stdout.write(f"Wrote {path}")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
