"""Two reminder sweeps at the same moment, on PostgreSQL, each in its own thread and database
connection (as two workers would be): every activity's participants, and every overdue
milestone's owner, are e-mailed exactly once."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.utils import timezone

from peerlearn.activities import services
from peerlearn.activities.tests.world import build_world, schedule
from peerlearn.core.reference import ensure_reference_data

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL's row locks (set DATABASE_URL to a PostgreSQL database); "
        "on SQLite one worker runs at a time",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def aworld() -> SimpleNamespace:
    # A transactional test empties the database afterwards, reference data included.
    ensure_reference_data()
    return build_world()


SWEEPS = 2
ACTIVITIES = 12


def _race(sweep: Callable[[], int]) -> list[int]:
    """Run ``sweep`` in SWEEPS threads released together; what each returned."""
    barrier = threading.Barrier(SWEEPS)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(sweep())
        except BaseException as e:  # reported in the main thread
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(SWEEPS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return results


def test_two_sweeps_remind_each_activity_once(aworld: SimpleNamespace, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    activities = [schedule(aworld, days=0.5, title=f"Session {n}") for n in range(ACTIVITIES)]
    mail.outbox = []
    results = _race(lambda: services.activity_reminders_send(site_url="https://x.org"))
    assert sum(results) == ACTIVITIES
    reminders = Counter(
        (m.to[0], m.subject) for m in mail.outbox if m.subject.startswith("Reminder")
    )
    expected = {
        (f"{p}@example.org", f"Reminder: {a.title}")
        for a in activities
        for p in ("peer_a", "peer_b")
    }
    assert set(reminders) == expected
    assert set(reminders.values()) == {1}


def test_two_sweeps_remind_each_milestone_owner_once(
    aworld: SimpleNamespace, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    plan = services.action_plan_create(
        alliance=aworld.alliance, organisation_id=aworld.county_a.id, title="Alpha"
    )
    action = services.plan_action_create(plan=plan, title="Ticket", owner=aworld.peer_a)
    late = timezone.localdate() - dt.timedelta(days=3)
    for n in range(ACTIVITIES):
        services.milestone_create(action=action, title=f"Step {n}", due_on=late)
    mail.outbox = []
    results = _race(lambda: services.milestone_reminders_send())
    assert sum(results) == ACTIVITIES
    subjects = Counter(m.subject for m in mail.outbox)
    assert len(subjects) == ACTIVITIES
    assert set(subjects.values()) == {1}
