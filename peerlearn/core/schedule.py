"""Periodic jobs that run once per period however many workers share the database, and the
priorities of the task queue.

Each worker asks :func:`scheduled_job_claim` before it queues a periodic job; the claim is
one conditional ``UPDATE`` of the job's row (``WHERE last_started_at`` is empty or older than
the period), which the database applies to one claimant only, on PostgreSQL and SQLite
alike. Workers on several machines need clocks kept in step (NTP): a clock ahead by more than
the period could start a job early.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from peerlearn.core.models import ScheduledJob

#: Priorities of queued tasks (django-tasks: -100 to 100; the database queue hands a free
#: worker the highest first, then the oldest). Someone waits on a page for a matching run;
#: encoding texts ahead of time waits for nobody, and is queued in short batches, so a run
#: queued behind a bulk import's encoding waits for one batch, not for all of them.
PRIORITY_WAITED_FOR = 10
PRIORITY_BACKGROUND = -10


def scheduled_job_claim(*, name: str, every_seconds: float) -> bool:
    """Claim this period's run of job ``name``: true for exactly one caller per period of
    ``every_seconds``, false for every other."""
    now = timezone.now()
    if not ScheduledJob.objects.filter(name=name).exists():
        try:
            with transaction.atomic():
                ScheduledJob.objects.create(name=name, last_started_at=now)
            return True
        except IntegrityError:
            pass  # another worker created it first: it has this period
    due = Q(last_started_at__isnull=True) | Q(
        last_started_at__lte=now - timedelta(seconds=every_seconds)
    )
    return ScheduledJob.objects.filter(due, name=name).update(last_started_at=now) == 1
