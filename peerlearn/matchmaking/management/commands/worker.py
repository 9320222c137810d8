"""``peerlearn worker``: run background tasks (matching runs) from the database queue.

The django-tasks database worker, plus the stale-run rule: every few seconds a running
matching whose heartbeat is older than PEERLEARN_RUN_STALE_SECONDS is marked failed; and
every PEERLEARN_REMINDER_SWEEP_SECONDS the sweeps that e-mail people — proposal reminders,
activity and milestone reminders, the digests of what needs each person and the
authorisers' digests of what their peers learned, and any discussion notice not yet
e-mailed — are queued
by whichever worker claims that period (``core.schedule``), so several workers queue them
once (and each sweep claims what it sends). Start as many workers as there are cores to
spare, on one PostgreSQL: each task row is claimed under a row lock (SELECT ... FOR UPDATE
SKIP LOCKED), so no task runs twice. On SQLite run one worker. A new worker loads the
sentence model and the explanations' text analysis beside its first tasks, so the first
matching does not wait for them, then queues the texts not cached yet (the backlog) as short
tasks below the runs in priority (``embeddings.embeddings_queue``): a run asked for
meanwhile waits for one of them at most, and encodes its own pool's missing texts itself.
"""

from __future__ import annotations

import logging
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from peerlearn.activities.tasks import send_activity_reminders
from peerlearn.core.schedule import scheduled_job_claim
from peerlearn.discussions.tasks import send_notices as send_discussion_notices
from peerlearn.evidence.tasks import send_digests as send_learning_digests
from peerlearn.matchmaking.embeddings import embeddings_queue, matching_warm_up
from peerlearn.matchmaking.services import matching_runs_fail_stale
from peerlearn.matchmaking.tasks import send_reminders
from peerlearn.notifications.tasks import send_digests

logger = logging.getLogger("peerlearn.worker")

#: The reminder sweep's name among scheduled jobs.
REMINDER_JOB = "matchmaking.send_reminders"
#: Queueing the texts not cached yet when a worker starts: one worker of those starting
#: within this many seconds of each other does it.
ENCODE_JOB = "matchmaking.encode_at_start"
ENCODE_AGAIN_SECONDS = 60.0


def _sweep_stale(stop: threading.Event, every: float, remind_every: float = 0.0) -> None:
    """Apply the stale-run rule now and every ``every`` seconds until ``stop`` is set; queue
    the reminder sweep every ``remind_every`` seconds (0: never). Of several workers, one
    queues it in each period (a claim on its ``ScheduledJob`` row), and the sweep itself
    reminds each member once."""
    next_reminders = time.monotonic()
    try:
        while True:
            try:
                matching_runs_fail_stale()
                if remind_every > 0 and time.monotonic() >= next_reminders:
                    next_reminders = time.monotonic() + remind_every
                    # Of several workers, the one that claims this period queues the sweeps.
                    if scheduled_job_claim(name=REMINDER_JOB, every_seconds=remind_every):
                        send_reminders.enqueue()
                        send_activity_reminders.enqueue()
                        send_digests.enqueue()
                        send_learning_digests.enqueue()
                        send_discussion_notices.enqueue()
            except Exception:
                logger.exception("could not check for stale matching runs or queue reminders")
            finally:
                connections.close_all()
            if stop.wait(every):
                return
    finally:
        connections.close_all()


def _warm_up() -> None:
    try:
        started = time.monotonic()
        matching_warm_up()
        logger.info("matching ready in %.1f s", time.monotonic() - started)
        # Texts written while no worker ran (or loaded in bulk): queued in short batches
        # below the runs, rather than encoded here beside them (a run would share the cores
        # with them) or in one long task (a run would wait for all of them); of several
        # workers starting together, by one.
        if settings.PEERLEARN_ENCODE_ON_WRITE and scheduled_job_claim(
            name=ENCODE_JOB, every_seconds=ENCODE_AGAIN_SECONDS
        ):
            queued = embeddings_queue()
            logger.info(
                "%d texts: %d encodings with %s not cached yet, queued in %d tasks; "
                "%d already cached (%.1f s)",
                queued.texts,
                queued.missing,
                queued.encoder,
                queued.batches,
                queued.cached,
                time.monotonic() - started,
            )
    except Exception:
        logger.exception("could not load the model, or queue the texts, ahead of the runs")
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
        if not settings.PEERLEARN_SITE_URL:
            logger.warning(
                "PEERLEARN_SITE_URL is not set: links in the e-mails this worker sends will "
                "have no address (set it to the platform's public address)"
            )
        stop = threading.Event()
        every = max(1.0, float(settings.PEERLEARN_RUN_STALE_SECONDS) / 2)
        remind_every = float(settings.PEERLEARN_REMINDER_SWEEP_SECONDS)
        sweeper = threading.Thread(
            target=_sweep_stale, args=(stop, every, remind_every), name="stale-runs", daemon=True
        )
        sweeper.start()
        threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
