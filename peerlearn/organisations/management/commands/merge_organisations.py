"""``peerlearn merge_organisations KEEP DUPLICATE [DUPLICATE ...]``: merge duplicate
organisations into the one kept (by id); every reference moves, in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerlearn.organisations.models import Organisation
from peerlearn.organisations.services import merge_summary, organisation_merge


class Command(BaseCommand):
    help = "Merge duplicate organisations into the one kept: every reference moves to it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("keep", type=int, help="Id of the organisation kept.")
        parser.add_argument("duplicates", type=int, nargs="+", help="Ids of its duplicates.")

    def handle(self, *args: Any, **options: Any) -> None:
        keep = Organisation.objects.filter(pk=options["keep"]).first()
        if keep is None:
            raise CommandError(f"No organisation has the id {options['keep']}.")
        duplicates = list(Organisation.objects.filter(pk__in=options["duplicates"]))
        missing = set(options["duplicates"]) - {d.pk for d in duplicates}
        if missing:
            raise CommandError(f"No organisation has the id(s) {sorted(missing)}.")
        try:
            moved = organisation_merge(keep=keep, duplicates=duplicates, by=None)
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stdout.write(
            f"Merged {len(duplicates)} organisation(s) into {keep} (#{keep.pk}). "
            f"Moved: {merge_summary(moved)}."
        )
