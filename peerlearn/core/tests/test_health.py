"""``/healthz`` and ``/readyz`` for a load balancer."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_says_the_process_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_reports_database_cache_and_the_queue(settings: Any) -> None:
    settings.PEERLEARN_TASKS = "database"
    body = Client().get("/readyz").json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["cache"] == "ok"
    assert body["queue"] == {"backend": "database", "waiting": 0, "oldest_seconds": 0.0}


def test_readyz_counts_waiting_tasks_and_their_age(settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.PEERLEARN_TASKS = "database"
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="peerlearn.matchmaking.tasks.anything",
        queue_name="default",
        backend_name="default",
    )
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=2))
    queue = Client().get("/readyz").json()["queue"]
    assert queue["waiting"] == 1 and queue["oldest_seconds"] >= 119


def test_readyz_is_503_with_retry_after_when_the_database_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from peerlearn.core import health

    class Down:
        def cursor(self) -> Any:
            raise OperationalError("could not connect")

    monkeypatch.setattr(health, "connection", Down())
    response = Client().get("/readyz")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["database"] == "unavailable: OperationalError"
    assert "queue" not in response.json()


def test_favicon_points_to_the_icon_every_page_names() -> None:
    from django.contrib.staticfiles import finders

    response = Client().get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("peerlearn/favicon.svg")
    assert finders.find("peerlearn/favicon.svg")
    home = Client().get("/accounts/login/").content.decode()
    assert 'rel="icon"' in home and "peerlearn/favicon.svg" in home
