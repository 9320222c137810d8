"""A facilitator's pairs run asked for right after a fresh worker starts on the demo: how
long from the run form's button to the draft, while the worker encodes its backlog.

    python benchmarks/run_while_encoding.py                 # pairs over every demo peer
    python benchmarks/run_while_encoding.py --repeats 3
    python benchmarks/run_while_encoding.py --source theme  # the revenue theme's pool

A throwaway SQLite database gets the demo (``peerlearn demo``, built once and copied for
each repeat, so every repeat starts with no text encoded); ``peerlearn serve
--with-worker`` starts on 127.0.0.1, and as soon as it answers the demo facilitator signs
in and sends the run form (pairs; every peer they may see, 307 on the demo). The run page
is read every second and each new progress text printed with its time from the button;
the run's stage and percent are read from the database every 0.25 s. The worker's own log
line for the end of its start's encoding (the backlog) is reported too. The server is
stopped at the end, whatever happens. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from background_run import _peerlearn
from first_visit import _free_port, _sign_in, _wait_for

ROOT = Path(__file__).resolve().parent.parent
WARM = re.compile(r"(\d+) texts: (\d+) encodings made with (.+), (\d+) already cached")
PROGRESS = re.compile(r'<section id="progress".*?</section>', re.S)


def _start_run(opener: urllib.request.OpenerDirector, base: str, source: str) -> str:
    """The run form sent as a facilitator sends it; the run page's URL."""
    form = opener.open(f"{base}/matching/runs/new/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("no CSRF token on the run form")
    fields = {
        "csrfmiddlewaretoken": token.group(1),
        "kind": "pairs",
        "source": source,
        "common_language": "on",
        "different_organisation": "on",
        "alliance_name": "Pairs while the worker encodes",
        "theme": "revenue-pfm",
    }
    request = urllib.request.Request(  # noqa: S310 (our own server)
        f"{base}/matching/runs/new/",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Referer": f"{base}/matching/"},
    )
    url = opener.open(request).geturl()
    if not re.search(r"/matching/runs/\d+/", url):
        raise RuntimeError(f"the run was not started (ended at {url})")
    return url


def _progress_text(page: str) -> str | None:
    """The run page's progress section as plain text, or None once the run is over."""
    found = PROGRESS.search(page)
    if found is None:
        return None
    text = re.sub(r"<[^>]+>", " ", found.group(0))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _stage(database: Path, run_id: int) -> tuple[str, str, int] | None:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute(
            "SELECT status, stage, percent FROM matchmaking_matchingrun WHERE id = ?", (run_id,)
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()
    return None if row is None else (str(row[0]), str(row[1]), int(row[2]))


def measure(template: Path, folder: Path, source: str, seconds: float) -> None:
    database = folder / "db.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, database)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="peerlearn.settings",
        PEERLEARN_ENV="development",
        PYTHONPATH=str(ROOT),
    )
    log_path = folder / "serve.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "peerlearn", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--no-migrate", "--with-worker"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    started = time.monotonic()
    try:
        _wait_for(f"{base}/healthz", 120)
        opener = _sign_in(base, "facilitator", "peerlearn-demo")
        clicked = time.monotonic()
        print(f"  button pressed {clicked - started:.1f} s after the server's start")
        url = _start_run(opener, base, source)
        run_id = int(re.search(r"/matching/runs/(\d+)/", url).group(1))  # type: ignore[union-attr]
        print(f"  the request answered in {time.monotonic() - clicked:.2f} s")
        last_text, last_stage, next_page, done_at, warm_at = None, None, 0.0, None, None
        while time.monotonic() - clicked < seconds:
            now = time.monotonic() - clicked
            stage = _stage(database, run_id)
            if stage is not None and stage != last_stage:
                last_stage = stage
                print(f"  {now:6.1f} s  {stage[0]:8} {stage[1]:10} {stage[2]:3d} %")
            if now >= next_page:
                next_page = now + 1.0
                text = _progress_text(opener.open(url, timeout=60).read().decode())
                if text != last_text and text is not None:
                    print(f"  {now:6.1f} s  page: {text}")
                last_text = text
            if warm_at is None and WARM.search(log_path.read_text()):
                warm_at = now
                print(f"  {now:6.1f} s  the worker's start finished encoding its backlog")
            if stage is not None and stage[0] not in ("queued", "running"):
                done_at = now
                break
            time.sleep(0.25)
        if done_at is None:
            print(f"  the run was not done after {seconds:.0f} s")
        else:
            print(f"  the run was a {last_stage[0] if last_stage else '?'} {done_at:.1f} s "
                  "after the button")  # fmt: skip
        deadline = time.monotonic() + seconds
        while warm_at is None and time.monotonic() < deadline:
            found = WARM.search(log_path.read_text())
            if found:
                warm_at = time.monotonic() - clicked
                print(f"  {warm_at:6.1f} s  the worker's start finished encoding its backlog "
                      f"({found.group(2)} encodings)")  # fmt: skip
            time.sleep(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--source", default="peers", choices=["peers", "theme"])
    parser.add_argument("--seconds", type=float, default=1200, help="give up after this long")
    parser.add_argument("--template", type=Path, help="a demo database to copy (else built)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="peerlearn-run-while-encoding-"))
    template = args.template
    if template is None:
        template = folder / "template.sqlite3"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"sqlite:///{template}",
            DJANGO_SETTINGS_MODULE="peerlearn.settings",
            PEERLEARN_ENV="development",
            PYTHONPATH=str(ROOT),
        )
        _peerlearn(env, "migrate", "--no-input")
        _peerlearn(env, "demo")
    for repeat in range(1, args.repeats + 1):
        print(f"repeat {repeat}:")
        measure(template, folder, args.source, args.seconds)
    load = os.getloadavg()
    print(f"{os.cpu_count()} cores, load {load[0]:.1f}, Python {sys.version.split()[0]}; "
          f"log in {folder}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
