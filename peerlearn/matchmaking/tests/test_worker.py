"""``peerlearn worker`` as a real process on a file database: SQLite by default, PostgreSQL
when DATABASE_URL names one (a scratch database beside it). The data is written and read by
worker_scenario.py in subprocesses, so nothing here shares the test database."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

SCENARIO = "peerlearn.matchmaking.tests.worker_scenario"
#: Generous: these wait on other processes on a shared machine, and assert no duration.
PATIENCE = 180.0


def _postgres_url() -> str | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    return f"postgres://{auth}@{host}:{port}"


@pytest.fixture
def worker_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of every process of one scenario: its own database."""
    env = {
        **os.environ,
        "PEERLEARN_ENV": "development",
        "PEERLEARN_DATA_DIR": str(tmp_path),
        "PEERLEARN_TASKS": "database",
        "PEERLEARN_MATCHING_ENCODER": "tfidf",
        "PEERLEARN_RUN_HEARTBEAT_SECONDS": "0.5",
        "PEERLEARN_RUN_STALE_SECONDS": "4",
        "LOG_LEVEL": "WARNING",
    }
    server = _postgres_url()
    if server is None:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'peerlearn.sqlite3'}"
        yield env
        return
    import psycopg

    name = f"{settings.DATABASES['default']['NAME']}_worker_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{server}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scenario(env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", SCENARIO, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def start(env: dict[str, str], *command: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", *command, "--no-startup-delay", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(
    env: dict[str, str], runs: list[int], done: Callable[[list[dict[str, Any]]], bool]
) -> list[dict[str, Any]]:
    """Poll the runs until ``done`` holds (or patience runs out: then the last state)."""
    deadline = time.monotonic() + PATIENCE
    while True:
        state: list[dict[str, Any]] = scenario(env, "status", *map(str, runs))
        if done(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.5)


def stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.terminate()
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out or ""


def test_a_worker_process_runs_a_queued_matching(worker_env: dict[str, str]) -> None:
    (run,) = scenario(worker_env, "seed", "1")
    (queued,) = scenario(worker_env, "status", str(run))
    assert queued["status"] == "queued" and queued["proposals"] == 0
    assert [t["status"] for t in queued["tasks"]] == ["READY"]

    worker = start(worker_env, "peerlearn", "worker")
    try:
        (state,) = wait_for(
            worker_env, [run], lambda s: s[0]["status"] not in ("queued", "running")
        )
    finally:
        log = stop(worker)
    assert state["status"] == "draft", (state, log)
    assert (state["stage"], state["percent"]) == ("done", 100)
    # The three seekers each paired with the provider whose experience answers them.
    assert state["members"] == [[1, 4], [2, 5], [3, 6]]
    assert [t["status"] for t in state["tasks"]] == ["SUCCESSFUL"]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="several workers share one queue on PostgreSQL (on SQLite, run one worker)",
)
def test_two_workers_on_postgresql_run_each_matching_once(worker_env: dict[str, str]) -> None:
    runs = scenario(worker_env, "seed", "8")
    workers = [start(worker_env, "peerlearn", "worker") for _ in range(2)]
    try:
        state = wait_for(worker_env, runs, lambda s: all(r["status"] == "draft" for r in s))
    finally:
        logs = [stop(w) for w in workers]
    assert [r["status"] for r in state] == ["draft"] * len(runs), logs
    for run in state:
        # One task per run, claimed by one worker, and one set of proposals.
        assert [len(t["worker_ids"]) for t in run["tasks"]] == [1]
        assert run["members"] == [[1, 4], [2, 5], [3, 6]]


def test_a_killed_worker_leaves_its_run_failed_with_the_reason(
    worker_env: dict[str, str],
) -> None:
    (run,) = scenario(worker_env, "seed", "1")
    worker = start(worker_env, SCENARIO, "slow-worker")
    try:
        (running,) = wait_for(worker_env, [run], lambda s: s[0]["status"] != "queued")
        assert running["status"] == "running", stop(worker)
        # Still running after the stale timeout: the heartbeat keeps it alive.
        time.sleep(5)
        (alive,) = scenario(worker_env, "status", str(run))
        assert alive["status"] == "running"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    (state,) = wait_for(worker_env, [run], lambda s: s[0]["status"] != "running")
    assert state["status"] == "failed"
    assert state["failure"] == {"code": "stopped"}
    assert state["failure_messages"] == ["The worker stopped while matching; run it again."]
    assert state["proposals"] == 0
    # The queue no longer shows the task as running either.
    assert [t["status"] for t in state["tasks"]] == ["FAILED"]


def test_serve_with_worker_runs_a_worker_and_stops_it_on_exit(
    worker_env: dict[str, str],
) -> None:
    """`make demo` serves with a worker beside the server: a queued run is matched, and
    stopping the server (SIGTERM, as a process manager does) stops the worker too."""
    (run,) = scenario(worker_env, "seed", "1")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "peerlearn",
            "serve",
            "--port",
            str(port),
            "--no-migrate",
            "--with-worker",
        ],
        # Without a configured address, which serve then gives its worker.
        env={k: v for k, v in worker_env.items() if k != "PEERLEARN_SITE_URL"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        said = [server.stdout.readline() for _ in range(2)]  # the e-mails' address, then this
        match = re.search(r"background worker started \(process (\d+)\)", "".join(said))
        assert match, said
        assert f"links in e-mails point to http://127.0.0.1:{port}" in said[0]
        worker_pid = int(match.group(1))
        (state,) = wait_for(worker_env, [run], lambda s: s[0]["status"] == "draft")
        assert state["status"] == "draft" and state["proposals"] == 3
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=60)
    assert server.returncode == 0, out
    # The worker was the server's child and has been reaped: no such process any more.
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)
