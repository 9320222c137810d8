"""SQLite under concurrent requests: reads never wait for a writer, writers wait for each
other instead of failing. Runs on a file database in a process of its own (the test
database is in memory, where SQLite locks differently)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from peerlearn.accounts.models import User
from peerlearn.core.middleware import WritingRequestAtomicMiddleware

PROBE = Path(__file__).with_name("locking_probe.py")


@pytest.fixture
def file_database(transactional_db: None, tmp_path: Path) -> Path:
    """The migrated test database, copied to a file."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking; PostgreSQL readers never wait for writers")
    path = tmp_path / "peerlearn.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path


def test_a_held_write_lock_neither_fails_reads_nor_writes(
    file_database: Path, tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{file_database}",
        "PEERLEARN_DATA_DIR": str(tmp_path),
        "PEERLEARN_ENV_FILE": str(tmp_path / "none.env"),
    }
    # The lock is held 6 s, longer than SQLite's default timeout of 5 s.
    probe = subprocess.run(
        [sys.executable, str(PROBE), "6"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    assert result["journal_mode"] == "wal"
    assert result["busy_timeout"] >= 20_000  # milliseconds
    assert result["read"] == {"status": 200}, probe.stderr
    assert result["write"] == {"status": 302}, probe.stderr
    assert result["signed_in"]


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "kept"), [(200, True), (302, True), (500, False)])
def test_a_writing_request_is_all_or_nothing(status: int, kept: bool) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        assert transaction.get_connection().in_atomic_block
        User.objects.create(username="written")
        return HttpResponse(status=status)

    WritingRequestAtomicMiddleware(view)(RequestFactory().post("/"))
    assert User.objects.filter(username="written").exists() is kept


@pytest.mark.django_db(transaction=True)
def test_a_read_runs_outside_a_transaction() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        assert not transaction.get_connection().in_atomic_block
        return HttpResponse()

    assert WritingRequestAtomicMiddleware(view)(RequestFactory().get("/")).status_code == 200
