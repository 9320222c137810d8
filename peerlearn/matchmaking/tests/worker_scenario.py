"""A real ``peerlearn worker`` against a file database, driven by test_worker.py through
subprocesses (each one starts Django on the database named by DATABASE_URL):

    python -m peerlearn.matchmaking.tests.worker_scenario seed [RUNS]
        migrate, create a small theme pool and queue RUNS pairs matchings (default 1);
        print their ids
    python -m peerlearn.matchmaking.tests.worker_scenario status RUN [RUN ...]
        apply the stale-run rule as the run page does, then print each run as JSON
    python -m peerlearn.matchmaking.tests.worker_scenario slow-worker [WORKER ARGS]
        a real worker whose matchings never finish: the solver waits forever (to be killed)
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")


def seed(runs: int) -> list[int]:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)

    from peerlearn.access.roles import Role
    from peerlearn.conftest import make_peer, make_user
    from peerlearn.core.models import Country
    from peerlearn.matchmaking.services import matching_run_create
    from peerlearn.organisations.models import OrganisationType
    from peerlearn.organisations.services import organisation_create
    from peerlearn.peers.models import Challenge, Experience
    from peerlearn.peers.services import statement_create

    countries = ["KE", "UG", "GH", "KE", "UG", "GH"]
    orgs = [
        organisation_create(
            name=f"County {i}",
            type=OrganisationType.LOCAL_GOVERNMENT,
            country=Country.objects.get(code=code),
        )
        for i, code in enumerate(countries)
    ]
    peers = [make_peer(f"peer{i}", orgs[i]) for i in range(6)]
    texts = [
        ("Market fees", "Cash collection of market fees leaks revenue at every gate."),
        ("Property rates", "Property rates valuation roll is outdated and disputed."),
        ("Revenue audit", "Audit backlog of revenue collectors and late audit reports."),
        ("Mobile money market fees", "We moved market fees to mobile money; leakage fell."),
        ("Valuation roll", "We rebuilt the property rates valuation roll with GIS."),
        ("Audit teams", "Risk-based audit teams cleared the audit backlog of collectors."),
    ]
    for i, (title, description) in enumerate(texts):
        statement_create(
            model=Challenge if i < 3 else Experience,
            peer=peers[i],
            title=title,
            description=description,
            theme="revenue-pfm",
        )
    facilitator = make_user("fac", role=Role.FACILITATOR, organisation=orgs[0])
    return [
        matching_run_create(
            created_by=facilitator,
            kind="pairs",
            source="theme",
            theme="revenue-pfm",
            alliance_name=f"Revenue pairs {n}",
        ).id
        for n in range(runs)
    ]


def status(run_ids: list[int]) -> list[dict[str, Any]]:
    from django_tasks_db.models import DBTaskResult

    from peerlearn.matchmaking.models import MatchingRun
    from peerlearn.matchmaking.services import matching_runs_fail_stale

    for run_id in run_ids:
        matching_runs_fail_stale(run_id=run_id)
    tasks_by_run: dict[int, list[Any]] = {}
    for task in DBTaskResult.objects.filter(task_path__endswith=".run_matching"):
        tasks_by_run.setdefault(task.args_kwargs["args"][0], []).append(task)
    out = []
    for run_id in run_ids:
        run = MatchingRun.objects.get(id=run_id)
        tasks = tasks_by_run.get(run_id, [])
        out.append(
            {
                "id": run.id,
                "status": run.status,
                "stage": run.stage,
                "percent": run.percent,
                "failure": run.failure,
                "failure_messages": run.failure_messages,
                "proposals": run.proposals.count(),
                "members": sorted(
                    [m.peer_id for m in p.members.all()] for p in run.proposals.all()
                ),
                "tasks": [{"status": t.status, "worker_ids": list(t.worker_ids)} for t in tasks],
            }
        )
    return out


def slow_worker(args: list[str]) -> int:
    """A real worker, except that the solver never returns: the run stays running (with its
    heartbeat) until the process is killed."""
    import django

    django.setup()
    from peerlearn.matchmaking.services import execution

    def solve_forever(*args: Any, **kwargs: Any) -> Any:
        while True:
            time.sleep(0.2)

    execution._solve = solve_forever  # type: ignore[assignment]
    from peerlearn.cli import main

    return main(["worker", *args])


def main(argv: list[str]) -> int:
    command, rest = argv[0], argv[1:]
    if command == "slow-worker":
        return slow_worker(rest)
    import django

    django.setup()
    if command == "seed":
        print(json.dumps(seed(int(rest[0]) if rest else 1)))
    elif command == "status":
        print(json.dumps(status([int(r) for r in rest])))
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
