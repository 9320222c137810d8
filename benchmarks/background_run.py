"""A facilitator's matching of a large pool, from the request to the proposals, in the
background: prints when each stage of the run began (seconds from the request).

    python benchmarks/background_run.py                    # 20,000 peers, groups, TF-IDF
    python benchmarks/background_run.py --peers 2000 --encoder model

A throwaway SQLite database (or ``--database URL``) gets the demo with ``--peers`` synthetic
peers (``peerlearn demo --peers N``, timed apart). The demo facilitator then asks for groups
of every peer they may see (``matching_run_create``, as the run form does); the request only
queues the run. One ``peerlearn worker`` started next claims and runs it; the run's stage
and percentage are read every 0.2 s until it is a draft (or failed). Nothing here asserts a
time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _env(database: str, encoder: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database,
        DJANGO_SETTINGS_MODULE="peerlearn.settings",
        PEERLEARN_TASKS="database",
        PEERLEARN_MATCHING_ENCODER=encoder,
        PEERLEARN_ENV="development",
    )
    return env


def _peerlearn(env: dict[str, str], *args: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "peerlearn", *args],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def measure(peers: int, database: str, encoder: str, time_limit: float) -> dict[str, object]:
    env = _env(database, encoder)
    os.environ.update(env)
    setup = {"migrate": _peerlearn(env, "migrate", "--no-input")}
    setup["demo"] = _peerlearn(env, "demo", "--peers", str(peers))

    import django

    django.setup()
    from peerlearn.accounts.models import User
    from peerlearn.matchmaking.models import MatchingRun, Proposal
    from peerlearn.matchmaking.services import matching_run_create

    facilitator = User.objects.get(username="facilitator")
    asked = time.monotonic()
    run = matching_run_create(
        created_by=facilitator,
        kind="groups",
        source="peers",
        theme="revenue-pfm",  # the theme of the alliance the groups would form
        alliance_name="Benchmark groups",
        time_limit=time_limit,
    )
    answered = time.monotonic() - asked
    worker = subprocess.Popen(
        [sys.executable, "-m", "peerlearn", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    timeline: list[tuple[float, str, str, int]] = [(answered, run.status, run.stage, run.percent)]
    try:
        while True:
            row = MatchingRun.objects.values("status", "stage", "percent").get(id=run.id)
            step = (row["status"], row["stage"], row["percent"])
            if step != timeline[-1][1:]:
                timeline.append((time.monotonic() - asked, *step))
            if row["status"] not in ("queued", "running"):
                break
            if time.monotonic() - asked > 3600:
                raise SystemExit("the run took more than an hour; stopped")
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    run.refresh_from_db()
    proposals = Proposal.objects.filter(run=run)
    members = sum(len(p.members.all()) for p in proposals.prefetch_related("members"))
    return {
        "peers": peers,
        "encoder": encoder,
        "setup_seconds": setup,
        "timeline": timeline,
        "status": run.status,
        "failure": run.failure,
        "proposals": proposals.count(),
        "members": members,
        "objective": run.objective,
        "gap": run.gap,
        "peak_mb_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers", type=int, default=20_000)
    parser.add_argument("--encoder", choices=["tfidf", "model"], default="tfidf")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--database", default="", help="a database URL (default: temp SQLite)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or f"sqlite:///{folder}/bench.sqlite3"
        result = measure(args.peers, database, args.encoder, args.time_limit)
    print(
        f"{result['peers']:,} peers, {result['encoder']}: "
        f"migrate {result['setup_seconds']['migrate']:.0f} s, "  # type: ignore[index]
        f"demo {result['setup_seconds']['demo']:.0f} s"
    )  # type: ignore[index]
    print("| seconds from the request | status | stage | percent |")
    print("|---:|---|---|---:|")
    shown = ""
    for seconds, status, stage, percent in result["timeline"]:  # type: ignore[attr-defined]
        if stage != shown:  # the first moment of each stage; --json keeps every step
            print(f"| {seconds:.1f} | {status} | {stage} | {percent} |")
            shown = stage
    print(
        f"status {result['status']} {result['failure'] or ''}; {result['proposals']} proposals "
        f"with {result['members']} members; objective {result['objective']}, "
        f"gap {result['gap']}; peak of a child process {result['peak_mb_children']:.0f} MB"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    return 0 if result["status"] == "draft" else 1


if __name__ == "__main__":
    sys.exit(main())
