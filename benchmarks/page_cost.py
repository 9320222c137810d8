"""CPU time and queries per page: what one request costs the server, page by page and role by role.

Builds the load benchmark's database (the demo, plus one matching's proposals sent:
load_setup.py) in a temporary directory, or reuses one built before (``--data-dir``), then
requests each page and API list the load scenario reads, signed in as a peer with a proposal
and as the demo facilitator, through Django's test client in this process (no server, no
network). Prints, per page: the median CPU time of the request's thread over ``--repeat``
requests (after one request to warm the caches), the number of database queries, and the
number of Python function calls one request makes (counted by cProfile: unlike the CPU
time, it does not move with the machine's load, so it compares two versions of the code
on a busy machine).

    python benchmarks/page_cost.py                          # SQLite, built in a temporary dir
    python benchmarks/page_cost.py --data-dir /tmp/pl-cost  # build there once, reuse after
    python benchmarks/page_cost.py --database postgres://postgres@127.0.0.1:5432/pl_cost
    python benchmarks/page_cost.py --data-dir /tmp/pl-cost --main  # and the main pages

``--main`` adds the main pages of three demo accounts: the demo peer (``peer``, a member of
alliances), the facilitator and the administrator, each on home, the directory, an alliance's
page, its discussions and evidence, the library, discussions, evidence and (facilitator and
administrator) the page of the set-up's matching run.

Figures, not a test: they vary with the machine and its load (reported with them).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent

#: The pages and API lists of the load scenario (locustfile.py), per role.
PEER_PATHS = (
    "/",
    "/peers/",
    "/alliances/",
    "/initiatives/",
    "/matching/proposals/",
    "/matching/proposals/{proposal}/",
    "/api/v1/peers",
    "/api/v1/challenges",
    "/api/v1/matching/proposals",
)
FACILITATOR_PATHS = (
    "/",
    "/matching/",
    "/alliances/",
    "/peers/",
    "/matching/calls/",
    "/api/v1/matching/runs",
)

#: The main pages of ``--main``: {alliance} is the demo peer's first alliance (by name),
#: {run} the set-up's matching run.
MEMBER_PATHS = (
    "/",
    "/peers/",
    "/alliances/{alliance}/",
    "/library/",
    "/discussions/",
    "/discussions/alliances/{alliance}/",
    "/evidence/",
    "/evidence/alliances/{alliance}/",
)
MAIN_PATHS = (*MEMBER_PATHS, "/matching/runs/{run}/")


def environment(data_dir: Path, database: str) -> dict[str, str]:
    url = f"sqlite:///{data_dir / 'peerlearn.sqlite3'}" if database == "sqlite" else database
    return {
        **os.environ,
        "PEERLEARN_ENV": "development",
        "PEERLEARN_ENV_FILE": str(data_dir / "none.env"),
        "PEERLEARN_DATA_DIR": str(data_dir),
        "DATABASE_URL": url,
        "PEERLEARN_MATCHING_ENCODER": "tfidf",
        "PEERLEARN_API_RATE": "100000/min",
        "PEERLEARN_FORM_RATE": "",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def build(env: dict[str, str], data_dir: Path, database: str) -> None:
    """The demo and the load set-up, in a fresh database; the accounts in accounts.json."""
    if database != "sqlite":
        import psycopg

        server_url, name = database.rsplit("/", 1)
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    peerlearn = [sys.executable, "-m", "peerlearn"]
    subprocess.run([*peerlearn, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*peerlearn, "demo", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL)
    setup = subprocess.run(
        [sys.executable, str(ROOT / "load_setup.py")],
        env={**env, "PEERLEARN_TASKS": "immediate"},
        check=True,
        capture_output=True,
        text=True,
    )
    (data_dir / "accounts.json").write_text(setup.stdout.strip().splitlines()[-1])


def measure(client: Any, path: str, repeat: int) -> tuple[float, int, int, int]:
    """Median CPU ms of the request's thread, the number of queries, the number of Python
    function calls of one request (cProfile: the same from run to run, whatever the
    machine's load), and the status."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)  # warms templates, translations and per-process caches
    times = []
    for _ in range(repeat):
        start = time.thread_time()
        client.get(path)
        times.append((time.thread_time() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    n_queries = len(queries)  # read now: the next request empties the connection's log
    profile = cProfile.Profile()
    profile.runcall(client.get, path)
    calls = pstats.Stats(profile).total_calls
    return statistics.median(times), n_queries, calls, response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, or a postgres:// URL")
    parser.add_argument("--data-dir", help="build the database here once, and reuse it after")
    parser.add_argument("--repeat", type=int, default=7, help="requests timed per page")
    parser.add_argument("--main", action="store_true", help="also the main pages of 3 roles")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="peerlearn-cost-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(data_dir, args.database)
    if not (data_dir / "accounts.json").exists():
        print(f"building the demo and the load set-up in {data_dir} ...", file=sys.stderr)
        build(env, data_dir, args.database)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "peerlearn.settings"
    import django

    django.setup()
    from django.test import Client

    from peerlearn.accounts.models import User

    accounts = json.loads((data_dir / "accounts.json").read_text())
    username, proposal, _ = accounts["peers"][0]
    rows: list[tuple[str, str, float, int, int, int]] = []
    visits = [
        ("peer", username, PEER_PATHS),
        ("facilitator", "facilitator", FACILITATOR_PATHS),
    ]
    names = {"proposal": proposal}
    if args.main:
        from peerlearn.alliances.models import AllianceMembership
        from peerlearn.matchmaking.models import MatchingRun

        membership = (
            AllianceMembership.objects.filter(user__username="peer")
            .select_related("alliance")
            .order_by("alliance__name")
            .first()
        )
        names["alliance"] = membership.alliance.slug
        names["run"] = MatchingRun.objects.order_by("id").first().id
        visits += [
            ("demo peer", "peer", MEMBER_PATHS),
            ("facilitator", "facilitator", MAIN_PATHS),
            ("admin", "admin", MAIN_PATHS),
        ]
    for role, name, paths in visits:
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=name))
        for path in paths:
            cpu, queries, calls, status = measure(client, path.format(**names), args.repeat)
            shown = path.replace("{proposal}", "<id>").replace("{run}", "<id>")
            rows.append((role, shown.replace("{alliance}", "<slug>"), cpu, queries, calls, status))

    engine = "SQLite" if args.database == "sqlite" else "PostgreSQL"
    print(
        f"{engine}; Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; median of "
        f"{args.repeat} requests after one to warm up\n"
    )
    print("| role | page | CPU ms | queries | Python calls | status |")
    print("|---|---|---:|---:|---:|---:|")
    for role, path, cpu, queries, calls, status in rows:
        print(f"| {role} | `{path}` | {cpu:.0f} | {queries} | {calls:,} | {status} |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
