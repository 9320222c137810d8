"""Run by test_locking.py in a process of its own, on a file-based SQLite database (named by
DATABASE_URL): one thread holds the database's write lock while a page is read and another
request writes. Prints one JSON line with what happened."""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from peerlearn.accounts.models import User  # noqa: E402

PASSWORD = "a-long-probe-passphrase-42"


def hold_write_lock(locked: threading.Event, release: threading.Event, hold: float) -> None:
    """Take the write lock (BEGIN IMMEDIATE, then a write) and keep it until `release` is set
    or `hold` seconds have passed."""
    try:
        with transaction.atomic():
            User.objects.filter(pk=-1).update(name="x")
            locked.set()
            release.wait(hold)
    finally:
        connection.close()


def request(method: str, path: str, data: dict[str, str] | None, out: dict[str, Any]) -> None:
    client = Client(raise_request_exception=False)
    try:
        response = client.get(path) if method == "GET" else client.post(path, data or {})
        out["status"] = response.status_code
    except Exception as exc:
        out["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        connection.close()


def main() -> None:
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_user(username="probe", email="probe@example.org", password=PASSWORD)
    result: dict[str, Any] = {
        "journal_mode": connection.cursor().execute("PRAGMA journal_mode").fetchone()[0],
        "busy_timeout": connection.cursor().execute("PRAGMA busy_timeout").fetchone()[0],
    }
    connection.close()

    # 1. A page read while another connection holds the write lock: it must not wait for it.
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(locked, release, 60.0))
    holder.start()
    locked.wait(30)
    read: dict[str, Any] = {}
    for path in ("/", "/peers/"):
        request("GET", path, None, read)
        if read.get("status") != 200:
            break
    release.set()
    holder.join()
    result["read"] = read

    # 2. A sign-in (a write) while another connection holds the write lock for longer than
    # SQLite's default 5 s timeout: it must wait for the lock, then succeed.
    hold = float(sys.argv[1]) if len(sys.argv) > 1 else 6.0
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(locked, release, hold))
    holder.start()
    locked.wait(30)
    write: dict[str, Any] = {}
    writer = threading.Thread(
        target=request,
        args=("POST", "/accounts/login/", {"username": "probe", "password": PASSWORD}, write),
    )
    writer.start()
    holder.join()
    writer.join()
    result["write"] = write
    result["signed_in"] = User.objects.get(username="probe").last_login is not None
    print(json.dumps(result))


if __name__ == "__main__":
    main()
