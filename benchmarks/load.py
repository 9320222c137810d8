"""Load: signed-in peers and facilitators at work while matchings run, against a served demo.

Builds the demo in a fresh database (SQLite in a temporary directory, or a PostgreSQL
database it creates and drops), sends one matching's proposals so that peers have something
to answer (load_setup.py), starts ``peerlearn serve`` (waitress, ``--processes`` of them on
one port) and one ``peerlearn worker``
on 127.0.0.1, then, for each number of users, runs the locust scenario (locustfile.py: peers
browsing, posting challenges and answering their proposal; facilitators browsing; one
facilitator running matchings one after another) for the given duration, and then the bare
view (``/healthz``) alone with as many users, as the ceiling of the same server. Prints a
table per group of requests: requests per second, median and 95th-percentile latency, and
failures (any status but the expected one, or no answer).

    python benchmarks/load.py                                   # SQLite, 50 and 200 users
    python benchmarks/load.py --database postgres://postgres@127.0.0.1:5432/pl_load
    python benchmarks/load.py --users 50 --duration 60 --threads 8
    python benchmarks/load.py --processes 2                     # two web processes, one port

Everything runs on this machine: server, worker, solver and locust share its cores.
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
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
GROUPS = ("page", "api", "write", "matching", "sign-in", "bare")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def summarise(samples: list[list[Any]]) -> dict[str, Any]:
    """Per group of requests: sign-ins over the whole run (users sign in as they start),
    everything else over the steady state, once every user has started."""
    # A run whose users never all started (an overloaded machine) has no steady state:
    # then everything counts.
    steady = [s for s in samples if s[3]] or samples
    rows: dict[str, Any] = {}
    for group in (*GROUPS, "all"):
        pool = samples if group == "sign-in" else steady
        chosen = [
            s
            for s in pool
            if (group == "all" or s[0].split(" ")[0] == group) and "(form)" not in s[0]
        ]
        if not chosen:
            continue
        times = [s[1] for s in chosen]
        span = max(1.0, max(s[4] for s in pool) - min(s[4] for s in pool))
        rows[group] = {
            "requests": len(chosen),
            "rps": len(chosen) / span,
            "median": statistics.median(times),
            "p95": percentile(times, 0.95),
            "failures": sum(1 for s in chosen if not s[2]),
        }
    return rows


def wait_for_server(port: int, server: subprocess.Popen[bytes]) -> None:
    """Until the server answers /healthz: with several processes the port is open before
    they have loaded the platform."""
    for _ in range(1200):
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def locust(
    env: dict[str, str], work: Path, port: int, users: int, seconds: int, classes: list[str]
) -> dict[str, Any]:
    samples = work / f"samples-{users}-{classes[0]}.json"
    run_env = {**env, "PEERLEARN_LOAD_SAMPLES": str(samples)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "locustfile.py"),
            *classes,
            "--headless",
            "--only-summary",
            "--host",
            f"http://127.0.0.1:{port}",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 10)),
            "-t",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ],
        env=run_env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 120,
    )
    return summarise(json.loads(samples.read_text()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, or a postgres:// URL")
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process")
    parser.add_argument(
        "--processes", type=int, default=1, help="server processes (peerlearn serve --processes)"
    )
    parser.add_argument("--port", type=int, default=9030)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="peerlearn-load-"))
    if args.database == "sqlite":
        url = f"sqlite:///{work / 'peerlearn.sqlite3'}"
    else:
        url = args.database
        server_url, name = url.rsplit("/", 1)
        import psycopg

        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "PEERLEARN_ENV": "development",
        "PEERLEARN_ENV_FILE": str(work / "none.env"),
        "PEERLEARN_DATA_DIR": str(work),
        "DATABASE_URL": url,
        "PEERLEARN_MATCHING_ENCODER": "tfidf",
        "PEERLEARN_API_RATE": "100000/min",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    peerlearn = [sys.executable, "-m", "peerlearn"]
    print(f"building the demo in {url} ...", flush=True)
    subprocess.run([*peerlearn, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*peerlearn, "demo", "-v0"], env=env, check=True, stdout=subprocess.DEVNULL)
    setup = subprocess.run(
        [sys.executable, str(ROOT / "load_setup.py")],
        env={**env, "PEERLEARN_TASKS": "immediate"},
        check=True,
        capture_output=True,
        text=True,
    )
    accounts = work / "accounts.json"
    accounts.write_text(setup.stdout.strip().splitlines()[-1])
    env["PEERLEARN_LOAD_ACCOUNTS"] = str(accounts)
    print(f"{len(json.loads(accounts.read_text())['peers'])} peers with a proposal", flush=True)

    log = (work / "server.log").open("wb")
    server = subprocess.Popen(
        [
            *peerlearn,
            "serve",
            "--no-migrate",
            "--port",
            str(args.port),
            "--threads",
            str(args.threads),
            "--processes",
            str(args.processes),
        ],
        env=env,
        stdout=log,
        stderr=log,
    )
    worker = subprocess.Popen([*peerlearn, "worker"], env=env, stdout=log, stderr=log)
    results: dict[int, dict[str, Any]] = {}
    loads: list[float] = []  # the machine's load average as each run starts (others' too)
    try:
        wait_for_server(args.port, server)
        for users in args.users:
            print(f"{users} users, {args.duration} s ...", flush=True)
            loads.append(os.getloadavg()[0])
            results[users] = locust(
                env,
                work,
                args.port,
                users,
                args.duration,
                ["Peer", "Facilitator", "MatchingFacilitator"],
            )
            print(f"{users} users on the bare view, {args.duration} s ...", flush=True)
            results[users]["bare"] = locust(
                env, work, args.port, users, args.duration, ["BareView"]
            )["bare"]
    finally:
        for process in (worker, server):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
    server_errors = sum(
        1
        for line in (work / "server.log").read_text(errors="replace").splitlines()
        if " ERROR " in line
    )
    engine = "SQLite" if args.database == "sqlite" else "PostgreSQL"
    print(
        f"\n{engine}, waitress: {args.processes} process(es) of {args.threads} threads; "
        f"one worker; {os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}; {args.duration} s per run; "
        f"errors logged by the server: {server_errors}; load average at the start of each "
        f"run: {', '.join(f'{x:.1f}' for x in loads)}\n"
    )
    print("sign-in: the whole run (one user in ten signs in as it starts, in the first 10 s);")
    print("the others: the steady state, once every user has started.\n")
    print("| users | requests | count | req/s | median ms | p95 ms | failures |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for users, rows in results.items():
        for group, row in rows.items():
            print(
                f"| {users} | {group} | {row['requests']} | {row['rps']:.1f} | "
                f"{row['median']:.0f} | {row['p95']:.0f} | {row['failures']} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
