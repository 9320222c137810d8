"""A periodic job is claimed once per period, whoever asks."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.core.models import ScheduledJob
from peerlearn.core.schedule import scheduled_job_claim


@pytest.mark.django_db
def test_one_claim_per_period() -> None:
    assert scheduled_job_claim(name="sweep", every_seconds=3600)
    assert not scheduled_job_claim(name="sweep", every_seconds=3600)
    assert not scheduled_job_claim(name="sweep", every_seconds=3600)
    # Another job has periods of its own.
    assert scheduled_job_claim(name="other", every_seconds=3600)


@pytest.mark.django_db
def test_the_next_period_is_claimed_once_it_comes() -> None:
    assert scheduled_job_claim(name="sweep", every_seconds=60)
    job = ScheduledJob.objects.get(name="sweep")
    job.last_started_at -= timedelta(seconds=61)
    job.save()
    assert scheduled_job_claim(name="sweep", every_seconds=60)
    assert not scheduled_job_claim(name="sweep", every_seconds=60)


@pytest.mark.django_db
def test_workers_queue_the_reminder_sweep_once(settings: Any, monkeypatch: Any) -> None:
    """Two workers' sweepers in the same period: the reminder sweep is queued once."""
    import threading

    from peerlearn.matchmaking.management.commands import worker

    queued: list[int] = []
    monkeypatch.setattr(worker, "send_reminders", SimpleNamespace(enqueue=lambda: queued.append(1)))
    monkeypatch.setattr(worker.connections, "close_all", lambda: None)
    stop = threading.Event()
    stop.set()  # one pass each
    worker._sweep_stale(stop, every=1.0, remind_every=3600.0)
    worker._sweep_stale(stop, every=1.0, remind_every=3600.0)
    assert queued == [1]
