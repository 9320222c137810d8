"""``peerlearn load_annex_initiatives``: put the paper's eight illustrative initiatives
(Annex 1) in the registry of a new platform, as its first entries on the map, each linked
to its case study in the library. Entries already there (by slug or name) are left as they
are, so it may be run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from peerlearn.initiatives.annex import INITIATIVES, annex_initiatives_load
from peerlearn.library.annex import annex_cases_link


class Command(BaseCommand):
    help = "Add the paper's eight illustrative initiatives (Annex 1) to the registry."

    def handle(self, *args: Any, **options: Any) -> None:
        added = annex_initiatives_load()
        annex_cases_link()
        kept = len(INITIATIVES) - len(added)
        for initiative in added:
            self.stdout.write(f"added {initiative.name}")
        self.stdout.write(f"{len(added)} initiative(s) added, {kept} already in the registry.")
