"""A facilitator's everyday matching: the demo facilitator's whole pool, grouped and paired,
with every text's vector already cached (as the platform encodes texts when they are
written). Prints the seconds of each run, from the queued run to its saved proposals.

    python benchmarks/everyday_run.py                 # groups and pairs, three runs each
    python benchmarks/everyday_run.py --runs 5 --encoder tfidf

A throwaway SQLite database gets the demo (``peerlearn demo``); a first, untimed run fills
the vector cache and loads the model. Each timed run is ``matching_run_create`` then
``matching_run_execute`` in this process (what the worker does), so the figures hold the
pool's gathering, the encoding (read from the cache), the search, the explanations and the
saving of the proposals, but not the queue's polling. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--encoder", choices=["auto", "tfidf", "minilm", "multilingual"], default="auto"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            DATABASE_URL=f"sqlite:///{folder}/everyday.sqlite3",
            DJANGO_SETTINGS_MODULE="peerlearn.settings",
            PEERLEARN_ENV="development",
            PEERLEARN_TASKS="database",
            PEERLEARN_MATCHING_ENCODER=args.encoder,
        )
        for command in (["migrate", "--no-input"], ["demo"]):
            subprocess.run(
                [sys.executable, "-m", "peerlearn", *command],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
        import django

        django.setup()
        from peerlearn.accounts.models import User
        from peerlearn.matchmaking.models import Proposal
        from peerlearn.matchmaking.services import matching_run_create, matching_run_execute

        facilitator = User.objects.get(username="facilitator")
        print("| kind | encoder | peers in the pool | proposals | seconds (median) | each run |")
        print("|---|---|---:|---:|---:|---|")
        for kind in ("groups", "pairs"):
            seconds = []
            for attempt in range(args.runs + 1):
                run = matching_run_create(
                    created_by=facilitator,
                    kind=kind,
                    source="peers",
                    theme="revenue-pfm",
                    alliance_name="Everyday run",
                )
                started = time.perf_counter()
                run = matching_run_execute(run_id=run.id)
                took = time.perf_counter() - started
                assert run is not None and run.status == "draft", run and run.failure
                if attempt:  # the first run fills the cache and loads the model
                    seconds.append(took)
            proposals = Proposal.objects.filter(run=run).count()
            each = ", ".join(f"{s:.2f}" for s in seconds)
            print(
                f"| {kind} | {run.encoder} | {run.pool_size} | {proposals} | "
                f"{statistics.median(seconds):.2f} | {each} |"
            )
    load = os.getloadavg()[0]
    print(f"\n{os.cpu_count()} cores; load average {load:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
