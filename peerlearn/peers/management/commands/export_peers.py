"""``peerlearn export_peers``: the platform's peers as input for the command-line matcher.

One record per peer: ``id, name, organisation, organisation_type, country`` (ISO 3166-1
alpha-2), ``languages`` (ISO 639-1), ``gender, seniority, reform_stage``, ``challenge`` and
``experience`` (the peer's texts, concatenated), ``role`` (``seeker`` with challenges only,
``provider`` with experiences only, ``both`` otherwise) and ``theme`` (the theme of the
peer's first challenge, else of the first experience, else the first reform area).

Peers must have a country to be exported (the matcher mixes peers across borders), so peers
of international organisations are left out, and the command says how many.

The file leaves the platform, so only what every signed-in user may see is exported:
profiles and texts at visibility *platform* or *public*. ``--include-alliance`` adds the
alliance level for a facilitator who runs the matcher for alliance members; *private*
content is never exported.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Prefetch, QuerySet

from peerlearn.access.visibility import Visibility
from peerlearn.peers.models import Challenge, Experience, PeerProfile

FIELDS = (
    "id", "name", "organisation", "organisation_type", "country", "languages", "gender",
    "seniority", "reform_stage", "challenge", "experience", "role", "theme",
)
FORMATS = ("json", "jsonl", "csv")


def exported_levels(*, include_alliance: bool = False) -> list[str]:
    levels: list[str] = [Visibility.PUBLIC, Visibility.PLATFORM]
    if include_alliance:
        levels.append(Visibility.ALLIANCE)
    return levels


def _text(statements: list[Challenge] | list[Experience]) -> str:
    parts = []
    for s in statements:
        title = s.title.strip()
        if title and title[-1] not in ".!?:":
            title += "."
        parts.append(f"{title} {s.description.strip()}".strip())
    return "\n\n".join(parts)


def exported_profiles(*, include_alliance: bool = False) -> QuerySet[PeerProfile]:
    """Active peers whose profile may leave the platform."""
    levels = exported_levels(include_alliance=include_alliance)
    return PeerProfile.objects.filter(user__is_active=True, visibility__in=levels)


def peer_records(*, include_alliance: bool = False) -> list[dict[str, Any]]:
    """The exported peers, ordered by id, in a constant number of queries. Peers whose
    organisation has no country (an international one) are left out: the matcher needs a
    country to mix them across borders."""
    levels = exported_levels(include_alliance=include_alliance)

    def statements(model: type[Challenge] | type[Experience]) -> Any:
        return model.objects.filter(visibility__in=levels).select_related("theme").order_by("id")

    peers = (
        exported_profiles(include_alliance=include_alliance)
        .filter(user__organisation__country__isnull=False)
        .select_related("user", "user__organisation")
        .prefetch_related(
            "languages",
            "reform_areas",
            Prefetch("challenges", queryset=statements(Challenge), to_attr="exported_challenges"),
            Prefetch("experiences", queryset=statements(Experience),
                     to_attr="exported_experiences"),
        )
        .order_by("id")
    )
    records = []
    for peer in peers:
        org = peer.user.organisation
        assert org is not None and org.country_id
        challenges = peer.exported_challenges
        experiences = peer.exported_experiences
        if challenges and not experiences:
            role = "seeker"
        elif experiences and not challenges:
            role = "provider"
        else:
            role = "both"
        first = challenges or experiences
        areas = sorted(peer.reform_areas.all(), key=lambda t: t.slug)
        theme = first[0].theme.slug if first else (areas[0].slug if areas else "")
        records.append({
            "id": str(peer.id),
            "name": peer.user.name,
            "organisation": org.name,
            "organisation_type": org.type,
            "country": org.country_id,
            "languages": sorted(lang.code for lang in peer.languages.all()),
            "gender": peer.gender,
            "seniority": peer.seniority,
            "reform_stage": peer.reform_stage,
            "challenge": _text(challenges),
            "experience": _text(experiences),
            "role": role,
            "theme": theme,
        })
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


class Command(BaseCommand):
    help = (
        "Write the platform's peers as matching input (JSON, JSON Lines or CSV). Only "
        "platform- and public-level profiles and texts by default; never private ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=FORMATS,
            help="json (default), jsonl or csv; by default taken from the --out file's "
            "extension",
        )
        parser.add_argument(
            "--out", default="-", help="file to write (default: standard output)"
        )
        parser.add_argument(
            "--include-alliance", action="store_true",
            help="also export alliance-level profiles and texts (never private ones)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: str = options["out"]
        fmt = options["format"] or (format_for(out) if out != "-" else "json")
        include_alliance = options["include_alliance"]
        records = peer_records(include_alliance=include_alliance)
        stateless = (
            exported_profiles(include_alliance=include_alliance)
            .filter(user__organisation__country__isnull=True)
            .count()
        )
        if stateless:
            self.stderr.write(
                f"Left out {stateless} peers whose organisation has no country: give their "
                "organisations a country to include them."
            )
        text = render(records, fmt)
        if out == "-":
            self.stdout.write(text, ending="")
            return
        try:
            with open(out, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        except OSError as e:
            raise CommandError(f"Cannot write {out}: {e.strerror}. Check the path.") from e
        self.stderr.write(f"Wrote {len(records)} peers to {out} ({fmt}).")
