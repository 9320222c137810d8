"""``peerlearn demo``: load the demo data and print the demo sign-ins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerlearn.demo.data.kenya import ACCOUNTS, DEMO_PASSWORD
from peerlearn.demo.generate import DEFAULT_PEERS, DEFAULT_SEED
from peerlearn.demo.load import DemoError, load_demo

_LABELS = (
    ("peers", "peers"),
    ("countries", "countries"),
    ("organisations", "organisations with peers"),
    ("challenges", "challenges"),
    ("experiences", "experiences"),
    ("authorisations", "authorisations"),
    ("initiatives", "initiatives"),
    ("alliances", "learning alliances"),
)


class Command(BaseCommand):
    help = (
        "Load the demo: the paper's eight initiatives, a Kenyan county-revenue learning "
        "alliance, a few hundred synthetic peers and one sign-in per role. Idempotent and "
        "reproducible from --seed; refuses to run in production mode."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"seed for the synthetic peers (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--peers",
            type=int,
            default=DEFAULT_PEERS,
            help=f"number of synthetic peers (default {DEFAULT_PEERS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["peers"] < 0:
            raise CommandError("--peers must be 0 or more.")
        started = time.monotonic()
        try:
            summary = load_demo(seed=options["seed"], peers=options["peers"])
        except DemoError as e:
            raise CommandError(str(e)) from e
        seconds = time.monotonic() - started
        if options["verbosity"] >= 1:
            if summary.created_anything:
                made = ", ".join(f"{n} {k}" for k, n in sorted(summary.created.items()) if n)
                self.stdout.write(
                    f"Demo loaded in {seconds:.1f} s (seed {summary.seed}): created {made}."
                )
            else:
                self.stdout.write(
                    f"The demo data is already loaded (seed {summary.seed}); nothing changed."
                )
            totals = ", ".join(f"{summary.totals[k]} {label}" for k, label in _LABELS)
            self.stdout.write(f"The demo holds {totals}.")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo sign-ins (password: {DEMO_PASSWORD})"))
        width = max(len(a.username) for a in ACCOUNTS)
        for account in ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.name} — {account.description}"
            )
        self.stdout.write(
            "Every other demo person signs in with the same password, as given.family in "
            "plain letters (Sita Karki: sita.karki), to answer the proposals a matching "
            "sends them."
        )
