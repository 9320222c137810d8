"""Suite-wide test configuration: say plainly what ran where, and what was skipped."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

CHROMIUM = os.environ.get("PEERLEARN_CHROMIUM", "/usr/bin/chromium")


def chromium_available() -> bool:
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return True
    return bool(shutil.which(CHROMIUM))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Real hashers are deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_to_start() -> Any:
    # A request in French leaves French active in its thread (the locale middleware
    # activates each request's language and nothing deactivates it), so a later test that
    # renders text outside a request would read French. Each test starts in English.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_encoding_on_write(settings: Any) -> None:
    # Encoding every statement a test writes with the sentence model would cost seconds per
    # test; the tests of it (matchmaking/tests/test_encode_on_write.py) turn it back on.
    settings.PEERLEARN_ENCODE_ON_WRITE = False


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings: Any) -> None:
    # Background tasks run inside the call that queues them, so no worker is needed; tests
    # of the queue itself switch to the database backend (see matchmaking/tests/test_tasks.py).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


# Tests that start servers or worker processes, or drive a browser: `make test` runs them
# after the rest, one at a time, because they share ports and a file database and time out
# when another test process competes for the same cores.
SERIAL_FILES = (
    "tests/browser/",
    "tests/test_multiprocess.py",
    "tests/test_demo_e2e.py",
    "peerlearn/matchmaking/tests/test_worker.py",
    "peerlearn/core/tests/test_locking.py",
    "peerlearn/core/tests/test_settings.py",
    # Restores replace the whole test database and close its connections.
    "peerlearn/backups/tests/",
)


def _mark_serial(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = str(config.rootpath)
    for item in items:
        where = str(item.path)[len(root) + 1 :]
        if where.startswith(SERIAL_FILES) or "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.serial)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _mark_serial(config, items)
    if chromium_available():
        return
    if os.environ.get("PEERLEARN_REQUIRE_BROWSER"):
        raise pytest.UsageError(
            f"PEERLEARN_REQUIRE_BROWSER is set but Chromium is not at {CHROMIUM}: "
            "install it with `apt-get install chromium` (Debian) or set PEERLEARN_CHROMIUM."
        )
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) "
        "or set PEERLEARN_CHROMIUM to run the browser tests"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    tr = terminalreporter
    tr.section("peerlearn test environment")
    tr.write_line(f"database: {engine}")
    if engine == "sqlite3":
        tr.write_line(
            "  PostgreSQL not tested in this run: set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/peerlearn (or `make test-postgres`)."
        )
    if chromium_available():
        tr.write_line(f"browser: Chromium at {CHROMIUM}")
    else:
        tr.write_line(
            f"browser: SKIPPED — Chromium not found at {CHROMIUM}. Install it "
            "(apt-get install chromium) to run the browser journeys."
        )
