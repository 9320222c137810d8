"""``peerlearn serve --processes N``: N web processes answer on one port, a child that dies
is replaced, and SIGTERM to the server stops every process it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.serial,
    pytest.mark.skipif(sys.platform == "win32", reason="several processes need POSIX"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _served_by(base: str) -> int | None:
    """The process id that answered /healthz on a new connection, or None if none did."""
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            assert response.status == 200
            return int(response.headers["X-Served-By"])
    except OSError:
        return None


def _pids_answering(base: str, want: int, seconds: float = 120) -> set[int]:
    """Request /healthz on many connections at once until ``want`` processes have answered."""
    seen: set[int] = set()
    deadline = time.monotonic() + seconds
    with ThreadPoolExecutor(16) as pool:
        while len(seen) < want and time.monotonic() < deadline:
            seen |= {pid for pid in pool.map(_served_by, [base] * 32) if pid is not None}
            if len(seen) < want:
                time.sleep(0.2)
    return seen


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that stopped but has not been waited for yet is a zombie: not running.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PEERLEARN_ENV": "development",
        "PEERLEARN_DATA_DIR": str(tmp_path),
        # /healthz reads no database: none is migrated.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "PEERLEARN_ENV_FILE": str(tmp_path / "none.env"),
        "DJANGO_SETTINGS_MODULE": "peerlearn.settings",
        "LOG_LEVEL": "WARNING",
    }
    port = _free_port()
    # A file, not a pipe: a pipe nobody reads fills up and blocks the processes writing to it.
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "peerlearn", "serve", "--no-migrate"),
            *("--port", str(port), "--processes", "2", "--threads", "2", "--served-by"),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_two_processes_answer_on_one_port_and_sigterm_stops_them_all(
    server: tuple[subprocess.Popen[str], str],
) -> None:
    process, base = server
    pids = _pids_answering(base, want=2)
    assert len(pids) == 2, pids
    assert process.pid not in pids  # the supervising process serves nothing itself

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=40)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids)
    with pytest.raises(OSError):
        urllib.request.urlopen(base + "/healthz", timeout=5)


def test_a_web_process_that_dies_is_replaced(
    server: tuple[subprocess.Popen[str], str],
) -> None:
    process, base = server
    first = _pids_answering(base, want=2)
    assert len(first) == 2
    killed = min(first)
    os.kill(killed, signal.SIGKILL)

    survivors = _pids_answering(base, want=2)
    assert killed not in survivors
    assert len(survivors) == 2  # the survivor and the process that replaced the dead one
    assert process.poll() is None
