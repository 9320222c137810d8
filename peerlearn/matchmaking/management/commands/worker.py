"""``peerlearn worker``: run background tasks (matching runs) from the database queue.

The django-tasks database worker, plus the stale-run rule: every few seconds a running
matching whose heartbeat is older than PEERLEARN_RUN_STALE_SECONDS is marked failed. Start
as many workers as there are cores to spare, on one PostgreSQL: each task row is claimed
under a row lock (SELECT ... FOR UPDATE SKIP LOCKED), so no task runs twice. On SQLite run
one worker.
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from peerlearn.matchmaking.services import matching_runs_fail_stale

logger = logging.getLogger("peerlearn.worker")


def _sweep_stale(stop: threading.Event, every: float) -> None:
    """Apply the stale-run rule now and every ``every`` seconds until ``stop`` is set."""
    try:
        while True:
            try:
                matching_runs_fail_stale()
            except Exception:
                logger.exception("could not check for stale matching runs")
            finally:
                connections.close_all()
            if stop.wait(every):
                return
    finally:
        connections.close_all()


class Command(DBWorkerCommand):
    help = (
        "Run background tasks (matching runs) from the database queue. Several workers may "
        "run on one PostgreSQL; on SQLite run one."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Reloading on code changes may stop a matching half-way: off unless asked for.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        every = max(1.0, float(settings.PEERLEARN_RUN_STALE_SECONDS) / 2)
        sweeper = threading.Thread(
            target=_sweep_stale, args=(stop, every), name="stale-runs", daemon=True
        )
        sweeper.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
