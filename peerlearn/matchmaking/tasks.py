"""Background tasks of matchmaking, run by ``peerlearn worker`` (Django's task API through
django-tasks and its database backend; see docs/architecture.md, "Background tasks").

A matching run is queued by ``services.matching_run_create``; ``run_matching`` does the work
in a worker: it records the run's stage and percent as the matching advances, and a
heartbeat every PEERLEARN_RUN_HEARTBEAT_SECONDS from a thread of its own, so that a run
whose worker dies is marked failed (``services.matching_runs_fail_stale``) instead of
staying "running" forever.

A run encodes the texts of its own pool that are not cached yet itself
(``embeddings.PoolEncoder``), and its page says how many: while it encodes, the run's
``encoding_done`` and ``encoding_total`` count them, read by ``waiting.run_waiting``.

``encode_statements`` encodes and caches the texts of peers whose challenges or experiences
were just written (queued by ``signals``), so that a matching reads their vectors instead of
waiting for the sentence model; beyond one batch it queues ``encode_batch`` tasks, as a
worker does for the backlog it finds when it starts (``embeddings.embeddings_queue``). Each
is short and below runs in priority, so a run waits for one batch at most, never for the
whole backlog.

``send_reminders`` e-mails the members who have not answered a proposal whose reply-by date
is near, once each.
"""

from __future__ import annotations

import logging
import threading
import time
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks import task

from peerlearn.core.schedule import PRIORITY_BACKGROUND, PRIORITY_WAITED_FOR
from peerlearn.matchmaking.embeddings import (
    ENCODE_BATCH,
    cached_encoder_named,
    embeddings_queue,
    encode_in_turn,
    encoding_reported,
)
from peerlearn.matchmaking.models import MatchingRun, RunStage, RunStatus
from peerlearn.matchmaking.services import matching_run_execute, reminders_send

logger = logging.getLogger(__name__)

#: Progress is written at most this often (seconds), and whenever the stage changes.
PROGRESS_EVERY = 0.5


class Heartbeat:
    """While open, a thread records on the run that its worker is alive. Outside a
    transaction only: inside one (the immediate backend, in a request) nobody else could
    see the run yet, and the request itself is the sign of life."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.every = float(settings.PEERLEARN_RUN_HEARTBEAT_SECONDS)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    MatchingRun.objects.filter(id=self.run_id, status=RunStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except OperationalError:
                    # A busy database: the next beat tries again, well within the timeout.
                    logger.warning("run %s: heartbeat not recorded", self.run_id, exc_info=True)
        finally:
            connections.close_all()

    def __enter__(self) -> Heartbeat:
        if not connection.in_atomic_block and self.every > 0:
            self._thread = threading.Thread(
                target=self._beat, name=f"heartbeat-run-{self.run_id}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


class ProgressRecorder:
    """Writes a run's stage and percent as the matching reports them (a few times a second
    at most), with a heartbeat."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self._stage = ""
        self._percent = -1
        self._written = 0.0

    def encoding(self, done: int, total: int) -> None:
        """The run's own encoding: ``done`` of the ``total`` texts of its pool that were not
        cached, shown on its page; the bar moves from 10 to 20 %."""
        now = time.monotonic()
        if 0 < done < total and now - self._written < PROGRESS_EVERY:
            return
        self._stage, self._written = RunStage.ENCODING, now
        self._percent = 10 + (10 * done) // max(total, 1)
        try:
            MatchingRun.objects.filter(id=self.run_id, status=RunStatus.RUNNING).update(
                stage=RunStage.ENCODING,
                percent=self._percent,
                encoding_done=done,
                encoding_total=total,
                heartbeat_at=timezone.now(),
            )
        except OperationalError:
            if connection.in_atomic_block:
                raise
            logger.warning("run %s: progress not recorded", self.run_id, exc_info=True)

    def __call__(self, stage: str, percent: int) -> None:
        now = time.monotonic()
        if stage == self._stage and (
            percent == self._percent or now - self._written < PROGRESS_EVERY
        ):
            return
        self._stage, self._percent, self._written = stage, percent, now
        try:
            MatchingRun.objects.filter(id=self.run_id, status=RunStatus.RUNNING).update(
                stage=stage, percent=max(0, min(percent, 100)), heartbeat_at=timezone.now()
            )
        except OperationalError:
            # Progress is for the reader: a busy database must not stop the matching.
            if connection.in_atomic_block:
                raise
            logger.warning("run %s: progress not recorded", self.run_id, exc_info=True)


@task(priority=PRIORITY_WAITED_FOR)
def run_matching(run_id: int) -> str:
    """Match the pool of a queued run and store its proposals; returns the run's status."""
    recorder = ProgressRecorder(run_id)
    with Heartbeat(run_id), encoding_reported(recorder.encoding):
        run = matching_run_execute(run_id=run_id, report=recorder)
    return run.status if run is not None else "skipped"


@task(priority=PRIORITY_BACKGROUND)
def encode_statements(peer_ids: list[int]) -> int:
    """Encode and cache the pool texts of ``peer_ids`` not cached yet: up to one batch
    here, more in ``encode_batch`` tasks queued behind any run. Returns how many encodings
    were missing."""
    return embeddings_queue(peer_ids=peer_ids, here_up_to=ENCODE_BATCH).missing


@task(priority=PRIORITY_BACKGROUND)
def encode_batch(encoder: str, texts: list[str], backlog: dict[str, Any] | None = None) -> int:
    """Encode and cache those of ``texts`` not cached yet with the encoder named ``encoder``
    (a choice or model folder), taking turns with other encoding in this process; one batch
    of ``embeddings_queue``. The last batch of a worker's start logs the whole ``backlog``.
    Returns how many texts were encoded here."""
    cached = cached_encoder_named(encoder)
    if cached.cacheable:
        encode_in_turn(cached, texts)
    if backlog:
        logger.info(
            "%d texts: %d encodings made with %s, %d already cached (the backlog found at "
            "the worker's start, in %d tasks)",
            backlog["texts"],
            backlog["missing"],
            backlog["encoder"],
            backlog["cached"],
            backlog["batches"],
        )
    return cached.made


@task()
def send_reminders() -> int:
    """E-mail members who have not answered a proposal due soon, once each (see
    ``services.reminders_send``); queued by ``peerlearn worker`` every
    PEERLEARN_REMINDER_SWEEP_SECONDS and by ``peerlearn send_reminders``."""
    return reminders_send(site_url=settings.PEERLEARN_SITE_URL)
