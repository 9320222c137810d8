"""Matching runs in the background: queued on the database backend, run by a worker (here
in this process, in batch mode; test_worker.py runs real worker processes), their progress,
failures, the stale-run rule, and double submits."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from peerlearn.access.visibility import Visibility
from peerlearn.matchmaking.models import MatchingRun, RunStage, RunStatus
from peerlearn.matchmaking.services import (
    MAX_POOL,
    execution,
    matching_run_close,
    matching_run_create,
    matching_run_execute,
    matching_runs_fail_stale,
)
from peerlearn.peers.models import PeerProfile
from peerlearn.tests.api_helpers import API, bearer_client

pytestmark = pytest.mark.django_db

RUN_FORM = {
    "source": "theme",
    "theme": "revenue-pfm",
    "kind": "pairs",
    "common_language": "on",
    "different_organisation": "on",
    "alliance_name": "Revenue pairs",
}


@pytest.fixture
def queue(settings: Any) -> None:
    """The platform's real queue: tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work() -> None:
    """A worker that runs every queued task in this process, then stops. (It keeps the test's
    connection: a worker process closes connections between tasks, which would end the test's
    transaction.)"""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def queue_pairs(market: SimpleNamespace, **kwargs: Any) -> MatchingRun:
    return matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue pairs",
        **kwargs,
    )


def pairs_of(run: MatchingRun) -> list[list[int]]:
    return sorted(sorted(m.peer_id for m in p.members.all()) for p in run.proposals.all())


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_run_is_queued_and_a_worker_stores_the_same_proposals(
    market: SimpleNamespace, queue: None, settings: Any
) -> None:
    run = queue_pairs(market)
    assert (run.status, run.stage, run.percent) == (RunStatus.QUEUED, RunStage.QUEUED, 0)
    assert not run.proposals.exists() and run.pool_size == 6
    (task,) = DBTaskResult.objects.all()
    assert task.status == "READY" and task.args_kwargs["args"] == [run.id]

    work()
    run.refresh_from_db()
    assert (run.status, run.stage, run.percent) == (RunStatus.DRAFT, RunStage.DONE, 100)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.worker_ids == ["test-worker"]
    # Each seeker with the provider whose experience answers her challenge, as when the
    # matching ran inside the request.
    peers = [p.id for p in market.peers]
    assert pairs_of(run) == [[peers[i], peers[i + 3]] for i in range(3)]

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    at_once = queue_pairs(market, rules={"provider_capacity": 1})
    assert at_once.status == RunStatus.DRAFT and pairs_of(at_once) == pairs_of(run)


def test_progress_is_reported_stage_by_stage(market: SimpleNamespace, queue: None) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue groups",
    )
    heard: list[tuple[Any, ...]] = []
    matching_run_execute(run_id=run.id, report=lambda *event: heard.append(event))
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.proposals.exists()
    stages = [stage for stage, _ in heard]
    order = [RunStage.ENCODING, RunStage.SOLVING, RunStage.EXPLAINING, RunStage.SAVING]
    assert sorted(set(stages), key=order.index) == order
    assert stages == sorted(stages, key=order.index), "stages come in order"
    percents = [percent for _, percent in heard]
    assert percents == sorted(percents) and percents[0] > 0 and percents[-1] == 95


def test_a_run_is_claimed_once(market: SimpleNamespace, queue: None) -> None:
    run = queue_pairs(market)
    assert matching_run_execute(run_id=run.id) is not None
    assert matching_run_execute(run_id=run.id) is None
    assert run.proposals.count() == 3


def test_a_pool_that_changed_before_the_worker_ran_fails_with_the_reason(
    market: SimpleNamespace, queue: None
) -> None:
    run = queue_pairs(market)
    PeerProfile.objects.update(visibility=Visibility.PRIVATE)
    work()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.failure["code"] == "invalid"
    assert run.failure_messages == [
        "The pool holds 0 peer(s) you can see; a matching needs at least two. Choose a wider pool."
    ]
    assert not run.proposals.exists()


def test_an_unexpected_error_fails_the_run_and_says_so(
    market: SimpleNamespace, queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(execution, "_solve", broken)
    run = queue_pairs(market)
    work()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.failure == {"code": "error"}
    assert "unexpected error" in run.failure_messages[0]


def test_a_closed_queued_run_is_not_matched(market: SimpleNamespace, queue: None) -> None:
    run = queue_pairs(market)
    matching_run_close(run=run)
    work()
    run.refresh_from_db()
    assert run.status == RunStatus.CLOSED and not run.proposals.exists()


def test_a_run_whose_heartbeat_stopped_fails(
    market: SimpleNamespace, queue: None, settings: Any
) -> None:
    settings.PEERLEARN_RUN_STALE_SECONDS = 30
    stale, alive = queue_pairs(market), queue_pairs(market, rules={"provider_capacity": 2})
    now = timezone.now()
    MatchingRun.objects.filter(id=stale.id).update(
        status=RunStatus.RUNNING, heartbeat_at=now - timedelta(seconds=31)
    )
    MatchingRun.objects.filter(id=alive.id).update(
        status=RunStatus.RUNNING, heartbeat_at=now - timedelta(seconds=5)
    )
    DBTaskResult.objects.update(status="RUNNING")
    assert matching_runs_fail_stale() == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.status == RunStatus.FAILED and alive.status == RunStatus.RUNNING
    assert stale.failure_messages == ["The worker stopped while matching; run it again."]
    # The stopped worker's task is failed in the queue too; the live one still runs.
    tasks = {t.args_kwargs["args"][0]: t.status for t in DBTaskResult.objects.all()}
    assert tasks == {stale.id: "FAILED", alive.id: "RUNNING"}


def test_the_run_page_shows_progress_and_marks_a_stopped_run(
    market: SimpleNamespace, queue: None, settings: Any
) -> None:
    client = client_for(market.facilitator)
    response = client.post(reverse("matchmaking:run_new"), RUN_FORM, follow=True)
    run = MatchingRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("matchmaking:run", args=[run.id])
    page = response.content.decode()
    assert "Waiting for a worker" in page and 'hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "you may close this page and come back" in page

    MatchingRun.objects.filter(id=run.id).update(
        status=RunStatus.RUNNING, stage=RunStage.SOLVING, percent=40, heartbeat_at=timezone.now()
    )
    url = reverse("matchmaking:run", args=[run.id])
    fragment = client.get(f"{url}?fragment=progress", headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert text.lstrip().startswith('<section id="progress"')
    assert "Forming the proposals" in text and 'value="40"' in text and "<html" not in text

    settings.PEERLEARN_RUN_STALE_SECONDS = 30
    MatchingRun.objects.filter(id=run.id).update(
        heartbeat_at=timezone.now() - timedelta(seconds=60)
    )
    # The fragment asks htmx for the whole page once the run is over; the page says why.
    fragment = client.get(f"{url}?fragment=progress", headers={"HX-Request": "true"})
    assert fragment.headers["HX-Refresh"] == "true"
    page = client.get(url).content.decode()
    assert "The matching failed" in page
    assert "The worker stopped while matching; run it again." in page
    assert "http-equiv" not in page and "every 2s" not in page


def test_a_queued_run_says_what_it_waits_for(
    market: SimpleNamespace, queue: None, settings: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(market.facilitator)
    first = queue_pairs(market, rules={"provider_capacity": 2})
    run = queue_pairs(market)
    url = reverse("matchmaking:run", args=[run.id])

    def waiting() -> str:
        page = client.get(f"{url}?fragment=progress", headers={"HX-Request": "true"})
        return page.content.decode().split('class="run-waiting">', 1)[1].split("</p>", 1)[0]

    assert waiting() == "1 matching asked for earlier starts before this one."
    assert (
        "It starts as soon as a worker is free."
        in client.get(reverse("matchmaking:run", args=[first.id])).content.decode()
    )

    # The first is being computed, and a worker encodes texts beside it.
    MatchingRun.objects.filter(id=first.id).update(
        status=RunStatus.RUNNING, heartbeat_at=timezone.now()
    )
    DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [["a text"], True], "kwargs": {}},
        task_path="peerlearn.search.tasks.encode_texts",
        backend_name="default",
        run_after=timezone.now(),
    )
    shown = waiting()
    assert "1 other matching is being computed." in shown
    assert "finishing background work (encoding new texts" in shown
    assert "before this one" not in shown and "may not be running" not in shown

    # Long queued with a live worker: it waits its turn, the worker is not said missing.
    settings.PEERLEARN_RUN_STALE_SECONDS = 30
    MatchingRun.objects.filter(id=run.id).update(created_at=timezone.now() - timedelta(seconds=120))
    assert "may not be running" not in waiting()
    # Nothing runs any more: now it is.
    DBTaskResult.objects.filter(status="RUNNING").update(status="SUCCESSFUL")
    MatchingRun.objects.filter(id=first.id).update(status=RunStatus.DRAFT)
    assert waiting().startswith("Still waiting: the background worker may not be running.")
    # What the page reads does not grow with the queue.
    for _ in range(5):
        clone = MatchingRun.objects.get(id=first.id)
        clone.pk, clone.status = None, RunStatus.QUEUED
        clone.save()
    MatchingRun.objects.filter(status=RunStatus.QUEUED).exclude(id=run.id).update(
        created_at=timezone.now() - timedelta(seconds=200)
    )
    assert waiting().startswith("5 matchings asked for earlier start before this one.")
    with django_assert_max_num_queries(7):
        client.get(f"{url}?fragment=progress", headers={"HX-Request": "true"})


def test_the_finished_run_page_has_no_refresh(market: SimpleNamespace, queue: None) -> None:
    client = client_for(market.facilitator)
    client.post(reverse("matchmaking:run_new"), RUN_FORM)
    work()
    run = MatchingRun.objects.get()
    page = client.get(reverse("matchmaking:run", args=[run.id])).content.decode()
    assert "3 proposals" in page
    assert "http-equiv" not in page and "every 2s" not in page


def test_the_same_form_sent_twice_starts_one_run(market: SimpleNamespace, queue: None) -> None:
    client = client_for(market.facilitator)
    form = client.get(reverse("matchmaking:run_new")).content.decode()
    token = form.split('name="token" value="', 1)[1].split('"', 1)[0]
    assert len(token) == 32
    first = client.post(reverse("matchmaking:run_new"), {**RUN_FORM, "token": token})
    second = client.post(reverse("matchmaking:run_new"), {**RUN_FORM, "token": token})
    (run,) = MatchingRun.objects.all()
    assert first["Location"] == second["Location"] == reverse("matchmaking:run", args=[run.id])
    assert DBTaskResult.objects.count() == 1
    # An identical request with no token, while the first is still queued, is the same.
    assert queue_pairs(market, rules={}).id == run.id
    # Once it is done, the same request is a new matching.
    work()
    assert queue_pairs(market).id != run.id


def test_the_api_answers_202_with_the_queued_run_and_shows_its_progress(
    market: SimpleNamespace, queue: None
) -> None:
    api = bearer_client(market.facilitator)
    body = {"kind": "pairs", "source": "theme", "theme": "revenue-pfm", "alliance_name": "P"}
    created = api.post(
        f"{API}/matching/runs",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "abc"},
    )
    assert created.status_code == 202, created.content
    run = created.json()
    assert (run["status"], run["stage"], run["percent"]) == ("queued", "queued", 0)
    assert run["stage_label"] == "Waiting for a worker" and run["proposals"] == []
    assert run["waiting"] == ["It starts as soon as a worker is free."]
    again = api.post(
        f"{API}/matching/runs",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": "abc"},
    )
    assert again.status_code == 202 and again.json()["id"] == run["id"]

    work()
    done = api.get(f"{API}/matching/runs/{run['id']}").json()
    assert (done["status"], done["stage"], done["percent"]) == ("draft", "done", 100)
    assert len(done["proposals"]) == 3 and done["failure"] == [] and done["waiting"] == []


def test_web_pools_may_hold_a_hundred_thousand_peers() -> None:
    assert MAX_POOL == 100_000
