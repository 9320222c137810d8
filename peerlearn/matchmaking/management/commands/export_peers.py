"""``peerlearn export_peers``: the platform's peers as input for the command-line matcher.

One record per peer: ``id, name, organisation, organisation_type, country`` (ISO 3166-1
alpha-2), ``languages`` (ISO 639-1), ``gender, seniority, reform_stage``, ``challenge`` and
``experience`` (the peer's texts), ``role`` and ``theme``: the record a platform pool
gives the matcher (:func:`peerlearn.matchmaking.records.peer_record`), so the command line
and the web match the same input.

Peers must have a country to be exported (the matcher mixes peers across borders), so peers
of international organisations are left out, and the command says how many.

The file leaves the platform, so only what every signed-in user may see is exported:
profiles and texts at visibility *platform* or *public*. ``--include-alliance`` adds the
alliance level; ``--for USERNAME`` keeps only what that user may see on the platform, so
that a facilitator who runs the matcher for alliance members receives their alliances'
texts and no others. *Private* content is never exported.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerlearn.access.matching import peers_for_export, statements_for_export
from peerlearn.accounts.models import User
from peerlearn.audit.services import audit_export
from peerlearn.matchmaking.records import peer_record, statements_by_peer
from peerlearn.peers.models import Challenge, Experience

FIELDS = (
    "id",
    "name",
    "organisation",
    "organisation_type",
    "country",
    "languages",
    "gender",
    "seniority",
    "reform_stage",
    "challenge",
    "experience",
    "role",
    "theme",
)
FORMATS = ("json", "jsonl", "csv")


def peer_records(
    *, include_alliance: bool = False, reader: User | None = None
) -> list[dict[str, Any]]:
    """The exported peers, ordered by id, in a constant number of queries: each built by
    the same :func:`peer_record` as a platform pool, then keyed by profile number and
    organisation name for people who read the file. Peers whose organisation has no country
    (an international one) are left out: the matcher needs a country to mix them across
    borders. With ``reader``, only what that user may see."""
    peers = (
        peers_for_export(include_alliance=include_alliance, reader=reader)
        .filter(user__organisation__country__isnull=False)
        .select_related("user", "user__organisation")
        .prefetch_related("languages", "reform_areas")
        .order_by("id")
    )
    challenges, experiences = (
        statements_by_peer(
            statements_for_export(model, include_alliance=include_alliance, reader=reader)
        )
        for model in (Challenge, Experience)
    )
    records = []
    for profile in peers:
        org = profile.user.organisation
        assert org is not None
        peer = peer_record(profile, challenges.get(profile.id, []), experiences.get(profile.id, []))
        record = {name: getattr(peer, name) for name in FIELDS}
        record.update(id=str(profile.id), organisation=org.name, languages=list(peer.languages))
        records.append(record)
    return records


def render(records: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({**r, "languages": ";".join(r["languages"])})
    return buffer.getvalue()


def format_for(out: str) -> str:
    """The format a file name asks for: ``peers.csv`` → csv; JSON otherwise."""
    suffix = Path(out).suffix.lower().lstrip(".")
    return {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl"}.get(suffix, "json")


def _os_user() -> str:
    """Who ran the command on the server (the audit trail's actor for a command line)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


class Command(BaseCommand):
    help = (
        "Write the platform's peers as matching input (JSON, JSON Lines or CSV). Only "
        "platform- and public-level profiles and texts by default; never private ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="json (default), jsonl or csv; by default taken from the --out file's extension",
        )
        parser.add_argument("--out", default="-", help="file to write (default: standard output)")
        parser.add_argument(
            "--include-alliance",
            action="store_true",
            help="also export alliance-level profiles and texts (never private ones)",
        )
        parser.add_argument(
            "--for",
            dest="reader",
            metavar="USERNAME",
            help="export only what this user may see, e.g. the facilitator who runs the "
            "matcher for their alliances' members",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: str = options["out"]
        fmt = options["format"] or (format_for(out) if out != "-" else "json")
        include_alliance = options["include_alliance"]
        reader = None
        if options["reader"]:
            reader = User.objects.filter(username=options["reader"], is_active=True).first()
            if reader is None:
                raise CommandError(
                    f"No active user {options['reader']!r}: give the username of the person "
                    "the export is for."
                )
        records = peer_records(include_alliance=include_alliance, reader=reader)
        stateless = (
            peers_for_export(include_alliance=include_alliance, reader=reader)
            .filter(user__organisation__country__isnull=True)
            .count()
        )
        if stateless:
            self.stderr.write(
                f"Left out {stateless} peers whose organisation has no country: give their "
                "organisations a country to include them."
            )
        text = render(records, fmt)
        audit_export(
            what="matchmaking.peer_records",
            detail={
                "command": "export_peers",
                "format": fmt,
                "include_alliance": include_alliance,
                "for_user_id": reader.pk if reader is not None else None,
                "count": len(records),
                "out": out,
                "os_user": _os_user(),
            },
        )
        if out == "-":
            self.stdout.write(text, ending="")
            return
        try:
            with open(out, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        except OSError as e:
            raise CommandError(f"Cannot write {out}: {e.strerror}. Check the path.") from e
        self.stderr.write(f"Wrote {len(records)} peers to {out} ({fmt}).")
