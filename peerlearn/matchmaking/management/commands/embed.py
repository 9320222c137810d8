"""``peerlearn embed``: encode the texts matchings will read, ahead of time."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from peerlearn.matchmaking.embeddings import embeddings_warm


class Command(BaseCommand):
    help = (
        "Encode and cache every peer's challenge and experience texts with the sentence "
        "model, so that matchings started from the website do not wait for it. Run it after "
        "importing many peers, or nightly; texts already cached are skipped."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if options["verbosity"] >= 2:
                self.stderr.write(f"{done}/{total} texts encoded")

        result = embeddings_warm(progress=progress)
        seconds = time.perf_counter() - started
        if result.texts == 0 and result.encoded == 0:
            self.stdout.write(
                f"The {result.encoder} encoder fits each pool afresh; nothing to precompute. "
                "The default install (make demo) adds the sentence model, whose embeddings "
                "are cached."
            )
            return
        self.stdout.write(
            f"{result.texts} texts: {result.encoded} encodings made now with {result.encoder}, "
            f"{result.cached} already cached ({seconds:.1f} s)."
        )
