"""Does one long request fail other people's? Serves the demo on SQLite and measures.

Starts ``peerlearn serve`` on 127.0.0.1 with a fresh demo database in a temporary directory,
signs a facilitator in and runs a matching of every demo peer (a long request: the solver
may use up to PEERLEARN_MATCHING_TIME_LIMIT seconds), while N simulated visitors, without
think time, sign in (a write) and read pages and API lists. Prints, for reads and for
writes, the number of requests, the failures (5xx or no answer) and the latency; other
unexpected answers (e.g. a redirect to the sign-in page after a failed sign-in) are counted
apart.

    python benchmarks/locking.py                       # 20 visitors
    python benchmarks/locking.py --visitors 50 --time-limit 20

Everything runs on this machine: server, visitors and solver share its cores.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "peerlearn-demo"  # noqa: S105 - the demo's published password
VISITORS = ("peer", "authoriser", "funder", "admin")
PAGES = ("/", "/peers/", "/initiatives/", "/alliances/", "/matching/", "/api/v1/peers")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    other: dict[int, int] = field(default_factory=dict)
    lock = threading.Lock()

    def unexpected(self, status: int) -> None:
        with self.lock:
            self.other[status] = self.other.get(status, 0) + 1

    def add(self, seconds: float, failure: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if failure:
                self.failures.append(failure)

    def summary(self) -> str:
        if not self.latencies:
            return "no requests"
        ms = sorted(1000 * s for s in self.latencies)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        return (
            f"{len(ms)} requests, {len(self.failures)} failed "
            f"({100 * len(self.failures) / len(ms):.1f} %), median {statistics.median(ms):.0f} ms, "
            f"p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
        ) + (f"; other answers {self.other}" if self.other else "")


class Browser:
    """A cookie-keeping client that signs in like a browser (CSRF token and all)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.last_body = b""
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> int:
        req = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + path, data=data, headers=headers or {}
        )
        try:
            with self.opener.open(req, timeout=120) as response:
                self.last_body = response.read()
                return int(response.status)
        except urllib.error.HTTPError as e:
            self.last_body = e.read()
            return int(e.code)

    def sign_in(self, username: str) -> int:
        self.request("/accounts/login/")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()}
        return self.request(
            "/accounts/login/",
            urllib.parse.urlencode(form).encode(),
            {"Referer": self.base + "/accounts/login/"},
        )

    def post_json(self, path: str, body: dict[str, object]) -> int:
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": self.csrf(),
            "Referer": self.base + "/",
        }
        return self.request(path, json.dumps(body).encode(), headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def timed(tally: Tally, call: object, ok: tuple[int, ...]) -> None:
    started = time.monotonic()
    failure = None
    try:
        status = call()  # type: ignore[operator]
        if status >= 500:
            failure = f"HTTP {status}"
        elif status not in ok:
            tally.unexpected(status)
    except OSError as e:
        failure = type(e).__name__
    tally.add(time.monotonic() - started, failure)


def visitor(base: str, username: str, stop: threading.Event, reads: Tally, writes: Tally) -> None:
    while not stop.is_set():
        browser = Browser(base)
        timed(writes, lambda b=browser: b.sign_in(username), (302,))
        for page in PAGES:
            if stop.is_set():
                break
            timed(reads, lambda b=browser, p=page: b.request(p), (200,))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=20, help="concurrent visitors")
    parser.add_argument("--threads", type=int, default=8, help="server threads (waitress)")
    parser.add_argument(
        "--time-limit", type=float, default=20.0, help="the matching's solver limit, seconds"
    )
    parser.add_argument(
        "--database", type=Path, help="copy this migrated demo database instead of building one"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="peerlearn-locking-"))
    env = {
        **os.environ,
        "PEERLEARN_ENV": "development",
        "PEERLEARN_ENV_FILE": str(work / "none.env"),
        "PEERLEARN_DATA_DIR": str(work),
        "DATABASE_URL": f"sqlite:///{work / 'peerlearn.sqlite3'}",
        "PEERLEARN_MATCHING_TIME_LIMIT": str(args.time_limit),
        "LOG_LEVEL": "ERROR",
    }
    peerlearn = [sys.executable, "-m", "peerlearn"]
    server = None
    try:
        if args.database:
            shutil.copy(args.database, work / "peerlearn.sqlite3")
        else:
            print("building the demo database ...", flush=True)
            subprocess.run([*peerlearn, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
            subprocess.run([*peerlearn, "demo", "-v0"], env=env, cwd=ROOT, check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*peerlearn, "serve", "--port", str(port), "--threads", str(args.threads)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        facilitator = Browser(base)
        assert facilitator.sign_in("facilitator") == 302, "the facilitator could not sign in"
        reads, writes, stop = Tally(), Tally(), threading.Event()
        threads = [
            threading.Thread(
                target=visitor, args=(base, VISITORS[i % len(VISITORS)], stop, reads, writes)
            )
            for i in range(args.visitors)
        ]
        for t in threads:
            t.start()
        time.sleep(2)
        started = time.monotonic()
        status = facilitator.post_json(
            "/api/v1/matching/runs",
            {
                "kind": "groups",
                "source": "peers",
                "theme": "revenue-pfm",
                "alliance_name": "Benchmark alliance",
            },
        )
        matching = time.monotonic() - started
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join()
        print(f"matching request: HTTP {status} in {matching:.1f} s")
        if status != 201:
            print(f"  {facilitator.last_body[:300]!r}")
        print(f"{args.visitors} visitors, no think time, {args.threads} server threads")
        print(f"  reads:  {reads.summary()}")
        print(f"  writes: {writes.summary()} (sign-ins)")
        failures = sorted(set(reads.failures + writes.failures))
        if failures:
            print(f"  failures: {', '.join(failures)}")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
