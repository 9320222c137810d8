"""``peerlearn report``: an alliance's (or a country's) progress report as HTML or PDF.

    peerlearn report --alliance SLUG --format pdf --out report.pdf
    peerlearn report --alliance SLUG --format html --out report.html --for USERNAME
    peerlearn report --country KE --format pdf --out kenya.pdf

Without ``--for`` the report is the public version, for an alliance anyone may see. With
``--for USERNAME`` it is the version that user would read on the platform: the members'
version (alliance content included, and marked so on every page) when they are inside the
alliance, the outsiders' one otherwise (read with their rights for an alliance only
signed-in users may see).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from peerlearn.access.base import Viewer
from peerlearn.access.reports import access_alliance_report, can_read_members_report
from peerlearn.accounts.models import User
from peerlearn.audit.services import audit_export
from peerlearn.reports.rendering import report_document, report_pdf
from peerlearn.reports.sections import Audience
from peerlearn.reports.selectors import Report, alliance_report, country_by_code, country_report


class Command(BaseCommand):
    help = "Write an alliance's or a country's progress report as HTML or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--alliance", metavar="SLUG", help="the alliance's slug")
        which.add_argument("--country", metavar="CODE", help="an ISO 3166-1 alpha-2 code")
        parser.add_argument("--format", choices=("html", "pdf"), default="pdf")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument(
            "--for",
            dest="reader",
            metavar="USERNAME",
            help="the version this user would read (members': when inside the alliance)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reader: Viewer = AnonymousUser()
        if options["reader"]:
            user = User.objects.filter(username=options["reader"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user named {options['reader']!r}.")
            reader = user
        report = self._report(options, reader)
        out = Path(options["out"])
        if options["format"] == "pdf":
            out.write_bytes(report_pdf(report))
        else:
            out.write_text(report_document(report), encoding="utf-8")
        if report.audience == Audience.MEMBERS and report.alliance is not None:
            audit_export(
                what="reports.alliance_report",
                detail={
                    "alliance": report.alliance.id,
                    "audience": report.audience.value,
                    "format": options["format"],
                    "reader": getattr(reader, "id", None),
                },
                actor=reader if isinstance(reader, User) else None,
            )
        self.stdout.write(
            f"Wrote the {report.audience.value} report on {report.title} to {out} "
            f"({report.charts_count} charts)."
        )

    def _report(self, options: dict[str, Any], reader: Viewer) -> Report:
        if options["country"]:
            try:
                country = country_by_code(options["country"])
            except Http404 as e:
                raise CommandError(f"No country with the code {options['country']!r}.") from e
            return country_report(country=country, reader=reader)
        slug = options["alliance"]
        try:
            alliance = access_alliance_report(reader, slug)
        except Http404 as e:
            whose = f"{options['reader']}" if options["reader"] else "the public"
            raise CommandError(
                f"No alliance {slug!r} that {whose} may see. Without --for, only public "
                "alliances have a report; name a member with --for USERNAME for another."
            ) from e
        audience = (
            Audience.MEMBERS if can_read_members_report(reader, alliance) else Audience.PUBLIC
        )
        return alliance_report(alliance=alliance, audience=audience, reader=reader)
