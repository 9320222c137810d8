"""A facilitator's first visit to the supply-and-demand page of a platform just started:
how long the page takes, and how long until its unmet demand counts every statement.

    python benchmarks/first_visit.py              # the demo, on a throwaway SQLite file
    python benchmarks/first_visit.py --polls 60   # stop polling sooner
    python benchmarks/first_visit.py --until-warm 600   # then wait for the worker's start
    python benchmarks/first_visit.py --search "mobile payment market fees"   # a peer's search
    python benchmarks/first_visit.py --run   # then a run, queued behind the encoding
    python benchmarks/first_visit.py --search "mobile payment market fees" --arrive-after 5

A throwaway SQLite database gets the demo (``peerlearn demo``); ``peerlearn serve
--with-worker`` then starts on 127.0.0.1, so the worker begins encoding the statements as
the facilitator arrives. The facilitator signs in, opens the page three times, then reloads
it every two seconds (at most ``--polls`` times) until it no longer says that statements
are still being read. With ``--search``, a peer searches by words and meaning instead,
until the search no longer says that texts are still being read. Each reload is printed.
With ``--run``, the facilitator then asks for a pairs run on a theme, as the run form does,
while the worker is still encoding, and the run page is read every second: how long the
run waited in the queue, and how long until its proposals were ready.
With ``--arrive-after``, the first request is the visitor's own, that many seconds after the
server's port opens (otherwise the script's check of /healthz comes first), and the
sign-in page's time is printed: what the first visitor of a process just started waits.
With ``--until-warm``, it then waits (at most that many seconds) for
the worker's log line saying that its start has encoded every text, and prints when that
came. The server is stopped at the end, whatever happens. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from background_run import _peerlearn

ROOT = Path(__file__).resolve().parent.parent
PENDING = re.compile(
    r"(\d[\d,]*) (?:statements? (?:is|are) not counted below yet"
    r"|texts? (?:is|are) still being read)"
)
WARM = re.compile(r"(\d+) texts: (\d+) encodings made with (.+), (\d+) already cached")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 (our own server)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open within {seconds:.0f} s")


def _sign_in(base: str, username: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    started = time.perf_counter()
    form = opener.open(f"{base}/accounts/login/").read().decode()
    print(f"sign-in page: {time.perf_counter() - started:.2f} s")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("no CSRF token on the sign-in page")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (our own server)
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request).read()
    return opener


def _visit(opener: urllib.request.OpenerDirector, url: str) -> tuple[float, int | None]:
    """Seconds the page took, and the statements it says are still being read."""
    started = time.perf_counter()
    page = opener.open(url, timeout=300).read().decode()
    seconds = time.perf_counter() - started
    if "/accounts/login/" in page and "Unmet demand" not in page and "by meaning" not in page:
        raise RuntimeError("not signed in")
    found = PENDING.search(page)
    return seconds, int(found.group(1).replace(",", "")) if found else None


def _start_run(opener: urllib.request.OpenerDirector, base: str) -> str:
    """The run form sent as a facilitator sends it (pairs on a theme); the run page's URL."""
    form = opener.open(f"{base}/matching/runs/new/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("no CSRF token on the run form")
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "kind": "pairs",
            "source": "theme",
            "theme": "revenue-pfm",
            "common_language": "on",
            "different_organisation": "on",
            "alliance_name": "First-visit pairs",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (our own server)
        f"{base}/matching/runs/new/", data=data, headers={"Referer": f"{base}/matching/"}
    )
    response = opener.open(request)
    url = response.geturl()
    if not re.search(r"/matching/runs/\d+/", url):
        raise RuntimeError(f"the run was not started (ended at {url})")
    return url


def _watch_run(opener: urllib.request.OpenerDirector, url: str, seconds: float) -> None:
    """Read the run page every second until its proposals are ready (at most ``seconds``)."""
    started = time.monotonic()
    queued_for = None
    while time.monotonic() - started < seconds:
        page = opener.open(url, timeout=60).read().decode()
        waiting = "Waiting for a worker" in page
        if queued_for is None and not waiting:
            queued_for = time.monotonic() - started
            print(f"the run left the queue {queued_for:.1f} s after it was asked for")
        if not waiting and "Matching in progress" not in page:
            print(f"the run was done {time.monotonic() - started:.1f} s after it was asked for")
            return
        time.sleep(1)
    print(f"the run was not done after {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polls", type=int, default=120, help="at most this many reloads")
    parser.add_argument(
        "--until-warm",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="then wait at most this long for the worker's start to encode every text",
    )
    parser.add_argument(
        "--search",
        metavar="QUERY",
        help="a peer searches for QUERY instead of the facilitator's page",
    )
    parser.add_argument(
        "--run", action="store_true", help="then start a run while the worker encodes"
    )
    parser.add_argument(
        "--arrive-after",
        type=float,
        metavar="SECONDS",
        help="the visitor's request is the first, this long after the port opens",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="peerlearn-first-visit-"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="peerlearn.settings",
        PEERLEARN_ENV="development",
        PYTHONPATH=str(ROOT),
    )
    _peerlearn(env, "migrate", "--no-input")
    _peerlearn(env, "demo")
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "peerlearn", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--with-worker"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    started = time.monotonic()
    try:
        if args.arrive_after is None:
            _wait_for(f"{base}/healthz", 60)
            print(f"server answering {time.monotonic() - started:.1f} s after its start")
        else:
            _wait_for_port(port, 60)
            print(f"port open {time.monotonic() - started:.1f} s after the server's start")
            time.sleep(args.arrive_after)
        if args.search:
            opener = _sign_in(base, "peer", "peerlearn-demo")
            page = f"{base}/search/?" + urllib.parse.urlencode({"q": args.search})
        else:
            opener = _sign_in(base, "facilitator", "peerlearn-demo")
            page = f"{base}/supply-and-demand/"
        first_at = time.monotonic()
        for visit in (1, 2, 3):
            seconds, pending = _visit(opener, page)
            print(f"visit {visit}: {seconds:.2f} s; texts still being read: {pending or 0}")
        if args.run and not args.search:
            _watch_run(opener, _start_run(opener, base), 600)
        slowest = 0.0
        for poll in range(args.polls):
            time.sleep(2)
            seconds, pending = _visit(opener, page)
            slowest = max(slowest, seconds)
            print(f"  reload {poll + 1}: {seconds:.2f} s; texts still being read: {pending or 0}")
            if not pending:
                print(
                    f"complete {time.monotonic() - first_at:.0f} s after the first visit, "
                    f"at reload {poll + 1}; the slowest reload took {slowest:.2f} s"
                )
                break
        else:
            print(f"still {pending} texts to read after {args.polls} reloads")
        deadline = time.monotonic() + args.until_warm
        while args.until_warm and time.monotonic() < deadline:
            warm = WARM.search((folder / "serve.log").read_text())
            if warm:
                print(
                    f"the worker's start encoded {warm.group(2)} texts with {warm.group(3)} "
                    f"({warm.group(4)} found cached) by {time.monotonic() - started:.0f} s "
                    "after the server's start"
                )
                break
            time.sleep(1)
        else:
            if args.until_warm:
                print(f"the worker's start had not finished after {args.until_warm:.0f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; log in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
