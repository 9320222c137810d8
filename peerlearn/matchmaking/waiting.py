"""What a queued matching run is waiting for, told to the facilitator who watches its page.

A run waits in the task queue until a worker is free. The queue hands a free worker the
matchings first (``core.schedule.PRIORITY_WAITED_FOR``), oldest first, and background work
(encoding new texts, digests) after them; what a worker has already started, it finishes.
So a queued run waits for the matchings asked for before it and for whatever the workers
are doing now. Other facilitators' runs are counted, never named.

A background task is short: the worker queues the texts it finds not cached yet in batches
(``embeddings.embeddings_queue``), so a run waits for one batch at most. Once running, a run
encodes the texts of its own pool that are not cached yet itself, and says how many of them
it has encoded (``tasks.ProgressRecorder.encoding``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.matchmaking.models import MatchingRun, RunStage, RunStatus


@dataclass(frozen=True)
class RunWaiting:
    """Why a queued run has not started yet (nothing, for a run that is not queued)."""

    queued: bool = False
    #: Other matchings being computed now.
    matchings_running: int = 0
    #: Matchings queued before this one, which start first.
    matchings_ahead: int = 0
    #: Tasks that are not matchings running now: encoding texts, sending digests.
    background_running: int = 0
    #: Queued for longer than ``PEERLEARN_RUN_STALE_SECONDS`` while nothing else runs.
    no_worker: bool = False
    #: Running and encoding the texts of its pool not cached yet: (encoded, to encode).
    encoding: tuple[int, int] | None = None

    @property
    def sentences(self) -> list[str]:
        """What the page says, one sentence per cause, in the order they will clear; for a
        run encoding its pool, how far it has got."""
        if self.encoding is not None:
            done, total = self.encoding
            return [
                ngettext(
                    "Encoding the %(total)s text of this pool not encoded before: %(done)s done.",
                    "Encoding the %(total)s texts of this pool not encoded before: %(done)s done.",
                    total,
                )
                % {"done": done, "total": total}
            ]
        if not self.queued:
            return []
        out = []
        if self.matchings_running:
            out.append(
                ngettext(
                    "%(count)s other matching is being computed.",
                    "%(count)s other matchings are being computed.",
                    self.matchings_running,
                )
                % {"count": self.matchings_running}
            )
        if self.matchings_ahead:
            out.append(
                ngettext(
                    "%(count)s matching asked for earlier starts before this one.",
                    "%(count)s matchings asked for earlier start before this one.",
                    self.matchings_ahead,
                )
                % {"count": self.matchings_ahead}
            )
        if self.background_running:
            out.append(
                _(
                    "The worker is finishing background work (encoding new texts for "
                    "search and matching); this matching goes before the rest of it."
                )
            )
        if self.no_worker:
            out.append(
                _(
                    "Still waiting: the background worker may not be running. An "
                    "administrator starts it with “peerlearn worker”."
                )
            )
        if not out:
            out.append(_("It starts as soon as a worker is free."))
        return out


def run_waiting(run: MatchingRun) -> RunWaiting:
    """What queued run ``run`` waits for: at most four queries, whatever the queue holds;
    for a running one, how many of its pool's texts it has encoded (no query)."""
    if run.status == RunStatus.RUNNING and run.stage == RunStage.ENCODING:
        return RunWaiting(encoding=_encoding(run))
    if run.status != RunStatus.QUEUED:
        return RunWaiting()
    now = timezone.now()
    alive = now - timedelta(seconds=float(settings.PEERLEARN_RUN_STALE_SECONDS))
    running = (
        MatchingRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__gte=alive)
        .exclude(id=run.id)
        .count()
    )
    ahead = MatchingRun.objects.filter(
        status=RunStatus.QUEUED, created_at__lt=run.created_at
    ).count()
    background = _background_running()
    stale = run.created_at < alive
    return RunWaiting(
        queued=True,
        matchings_running=running,
        matchings_ahead=ahead,
        background_running=background,
        # A worker that is computing or encoding is running: the run only waits its turn.
        no_worker=stale and not running and not background,
    )


def _background_running() -> int:
    """Tasks other than matchings that workers are running now, in the database queue
    (empty when tasks run inside the request that starts them)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from peerlearn.matchmaking.tasks import run_matching

    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        .exclude(task_path=run_matching.module_path)
        .count()
    )


def _encoding(run: MatchingRun) -> tuple[int, int] | None:
    """(encoded, to encode) as the run's task records them while the run encodes its pool,
    or None before it has counted them."""
    if run.encoding_total <= 0:
        return None
    return min(run.encoding_done, run.encoding_total), run.encoding_total
