"""Two web processes and two workers on one PostgreSQL: nothing done twice, nothing lost.

Starts two ``peerlearn serve`` processes (A and B) and two ``peerlearn worker`` processes on
127.0.0.1 against the test database (its rows are committed, so the processes see them) and
drives through them, alternately:

* a session signed in through A is signed in on B; an API key's rate limit counts the
  requests to A and B together; wrong passwords tried on A and B lock the sign-in on both;
* a matching started through A, and the same request retried through B with its
  ``Idempotency-Key``, is one run, matched by one worker, once;
* its proposals sent through B e-mail each member once; answers go through A and B;
* once the reply-by date is near, the workers' reminder sweeps (every second here) e-mail
  each member who has not answered exactly once, and the sweep is queued at most once per
  period however many workers run.

E-mail goes to files (Django's file backend), one per message, read back here. Every process
is killed in teardown. PostgreSQL only: SQLite serves one process and one worker.
"""

from __future__ import annotations

import email
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.conf import settings
from django.utils import timezone

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="runs on PostgreSQL only (set DATABASE_URL=postgres://…): several processes "
        "and workers share one PostgreSQL; on SQLite one process serves and one worker runs",
    ),
]

PORTS = (9020, 9021)
#: Generous: the test waits on other processes on a shared machine; it asserts no duration.
PATIENCE = 180.0
REMINDER_PERIOD = 1.0
API_RATE = 100  # per minute
PROPOSED = "a peer-learning match is proposed to you"
REMINDER = "a peer-learning match is waiting for your answer"
DIGEST = "for you"  # "1 thing waits for you", "3 things wait for you"

T = TypeVar("T")


def wait_until(what: str, probe: Callable[[], T | None], patience: float = PATIENCE) -> T:
    deadline = time.monotonic() + patience
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.3)


class Client:
    """HTTP to one of the servers, with a cookie jar that may be shared between them."""

    def __init__(self, port: int, jar: http.cookiejar.CookieJar | None = None) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.base + path, data=body, headers=headers or {}, method=method
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as e:
            return int(e.code), e.read()

    def api(
        self, method: str, path: str, key: str, data: Any = None, **headers: str
    ) -> tuple[int, Any]:
        body = None if data is None else json.dumps(data).encode()
        status, content = self.request(
            method,
            "/api/v1" + path,
            body,
            {"Authorization": f"Bearer {key}", "Content-Type": "application/json", **headers},
        )
        return status, json.loads(content) if content else None

    def sign_in(self, username: str, password: str) -> int:
        self.request("GET", "/accounts/login/")
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            urllib.parse.urlencode(form).encode(),
            {"Referer": self.base + "/accounts/login/"},
        )
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def mails(folder: Path) -> list[tuple[str, str]]:
    """(recipient, subject) of every message the processes wrote."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for raw in path.read_bytes().split(b"-" * 79):
            if raw.strip():
                message = email.message_from_bytes(raw.strip())
                found.append((str(message["To"]), str(message["Subject"])))
    return found


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[dict[str, Any]]:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    url = f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CACHE_URL", "REDIS_URL", "EMAIL_URL")
    }
    env.update(
        {
            "PEERLEARN_ENV": "development",
            "PEERLEARN_ENV_FILE": str(tmp_path / "none.env"),
            "PEERLEARN_DATA_DIR": str(tmp_path),
            "SECRET_KEY": "multiprocess-test-key",
            "DATABASE_URL": f"{url}/{db['NAME']}",
            "PEERLEARN_TASKS": "database",
            "PEERLEARN_MATCHING_ENCODER": "tfidf",
            "PEERLEARN_MATCHING_TIME_LIMIT": "5",
            "PEERLEARN_REMINDER_SWEEP_SECONDS": str(REMINDER_PERIOD),
            # The workers' sweeper wakes every half of this (at least every second).
            "PEERLEARN_RUN_STALE_SECONDS": "2",
            "PEERLEARN_RUN_HEARTBEAT_SECONDS": "0.5",
            "PEERLEARN_API_RATE": f"{API_RATE}/min",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "LOG_LEVEL": "WARNING",
        }
    )
    peerlearn = [sys.executable, "-m", "peerlearn"]
    servers = [
        [*peerlearn, "serve", "--port", str(port), "--no-migrate", "--threads", "4"]
        for port in PORTS
    ]
    workers = [[*peerlearn, "worker", "--interval", "0.2", "--no-startup-delay"]] * 2
    started: list[subprocess.Popen[bytes]] = []
    logs = [(tmp_path / f"process-{i}.log").open("wb") for i in range(4)]

    def start(commands: list[list[str]]) -> float:
        for command in commands:
            log = logs[len(started)]
            started.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
        return time.monotonic()

    try:
        start(servers)
        for port in PORTS:

            def answers(port: int = port) -> bool:
                for process, log in zip(started, logs, strict=False):
                    if process.poll() is not None:
                        log.flush()
                        raise AssertionError(Path(log.name).read_text(errors="replace"))
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                except OSError:
                    return False
                return Client(port).request("GET", "/healthz")[0] == 200

            wait_until(f"the server on port {port}", answers, patience=60)
        yield {
            "mail": tmp_path / "mail",
            "logs": [log.name for log in logs],
            "start_workers": lambda: start(workers),
        }
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def build_world() -> dict[str, Any]:
    """Six peers in three countries with statements on one theme, a facilitator, and a
    user for the shared limits; bearer keys for all."""
    from peerlearn.access.roles import Role
    from peerlearn.accounts.tests.factories import make_api_key
    from peerlearn.conftest import make_peer, make_user
    from peerlearn.core.models import Country
    from peerlearn.organisations.models import OrganisationType
    from peerlearn.organisations.services import organisation_create
    from peerlearn.peers.models import Challenge, Experience
    from peerlearn.peers.services import statement_create

    orgs = [
        organisation_create(
            name=f"County {i}",
            type=OrganisationType.LOCAL_GOVERNMENT,
            country=Country.objects.get(code=code),
        )
        for i, code in enumerate(["KE", "UG", "GH", "KE", "UG", "GH"])
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
    counter = make_user("counter", organisation=orgs[1])
    return {
        "peers": peers,
        "peer_keys": {p.id: make_api_key(p.user) for p in peers},
        "facilitator_key": make_api_key(facilitator),
        "counter": counter,
        "counter_key": make_api_key(counter),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_servers_and_two_workers_do_everything_once(
    settings: Any, processes: dict[str, Any]
) -> None:
    from django_tasks_db.models import DBTaskResult

    from peerlearn.core.reference import ensure_reference_data

    # Transactional tests before this one may have emptied the tables the migrations filled.
    ensure_reference_data()

    from peerlearn.conftest import TEST_PASSWORD
    from peerlearn.matchmaking.models import MatchingRun, Proposal, ProposalMember

    # The servers check passwords with the project's own hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    world = build_world()
    a, b = (Client(port) for port in PORTS)

    # Sessions: signed in through A, signed in on B.
    jar = http.cookiejar.CookieJar()
    assert Client(PORTS[0], jar).sign_in("fac", TEST_PASSWORD) == 302
    status, body = Client(PORTS[1], jar).request("GET", "/api/v1/accounts/me")
    assert status == 200 and json.loads(body)["username"] == "fac"

    # Rate limits: the requests to A and B count together.
    key = world["counter_key"]
    answers = [(a if i % 2 else b).api("GET", "/accounts/me", key)[0] for i in range(API_RATE)]
    assert answers == [200] * API_RATE
    assert a.api("GET", "/accounts/me", key)[0] == 429
    assert b.api("GET", "/accounts/me", key)[0] == 429

    # Sign-in lockouts: wrong passwords on A and B add up; then even the right one is refused.
    for i in range(settings.AXES_FAILURE_LIMIT):
        # The attempt that reaches the limit is answered with the lockout already.
        assert Client(PORTS[i % 2]).sign_in("counter", "wrong password") in (200, 429)
    assert Client(PORTS[0]).sign_in("counter", TEST_PASSWORD) == 429
    assert Client(PORTS[1]).sign_in("counter", TEST_PASSWORD) == 429

    # A matching started through A and retried through B is one run, matched once.
    fac = world["facilitator_key"]
    request = {
        "kind": "pairs",
        "source": "theme",
        "theme": "revenue-pfm",
        "alliance_name": "Revenue pairs",
    }
    status, run = a.api("POST", "/matching/runs", fac, request, **{"Idempotency-Key": "run-1"})
    assert status == 202, run
    status, again = b.api("POST", "/matching/runs", fac, request, **{"Idempotency-Key": "run-1"})
    assert status == 202 and again["id"] == run["id"]
    run_id = run["id"]
    workers_started = processes["start_workers"]()

    def drafted() -> dict[str, Any] | None:
        status, state = b.api("GET", f"/matching/runs/{run_id}", fac)
        assert status == 200 and state["status"] not in ("failed", "closed"), state
        return state if state["status"] == "draft" else None

    wait_until("the matching", drafted)
    tasks = DBTaskResult.objects.filter(task_path__endswith=".run_matching")
    assert [len(t.worker_ids) for t in tasks] == [1]
    assert MatchingRun.objects.count() == 1

    # Proposals sent through B, with a reply-by date far enough not to remind anyone yet.
    far = (timezone.localdate() + timedelta(days=10)).isoformat()
    status, state = b.api("POST", f"/matching/runs/{run_id}/propose", fac, {"reply_by": far})
    assert status == 200 and state["status"] == "proposed", state
    members = list(ProposalMember.objects.select_related("peer__user").order_by("id"))
    assert len(members) == 6
    address = {m.peer_id: m.peer.user.email for m in members}

    def proposed() -> list[tuple[str, str]]:
        return [m for m in mails(processes["mail"]) if m[1].endswith(PROPOSED)]

    wait_until("the proposal e-mails", lambda: len(proposed()) >= 6)
    assert Counter(proposed()) == Counter(
        (address[m.peer_id], f"peerlearn: {PROPOSED}") for m in members
    )

    # Two members answer, one through each server.
    answered = []
    for client, member, response in ((a, members[0], "accept"), (b, members[1], "not_now")):
        key = world["peer_keys"][member.peer_id]
        status, proposal = client.api(
            "POST", f"/matching/proposals/{member.proposal_id}/respond", key, {"response": response}
        )
        assert status == 200, proposal
        answered.append(member.peer_id)

    # Days pass: the reply-by date is near. Each member who has not answered is reminded
    # once, by whichever worker's sweep finds them first.
    Proposal.objects.update(reply_by=timezone.localdate() + timedelta(days=2))
    waiting = [m for m in members if m.peer_id not in answered]

    def reminded() -> list[tuple[str, str]] | None:
        found = [m for m in mails(processes["mail"]) if m[1].endswith(REMINDER)]
        return found if len(found) >= len(waiting) else None

    wait_until("the reminders", reminded)
    time.sleep(5 * REMINDER_PERIOD)  # more sweeps by both workers: still once each
    reminders = [m for m in mails(processes["mail"]) if m[1].endswith(REMINDER)]
    assert Counter(reminders) == Counter(
        (address[m.peer_id], f"peerlearn: {REMINDER}") for m in waiting
    )
    assert all(ProposalMember.objects.get(id=m.id).reminded_at for m in waiting)

    # The only other e-mail is the digest of what needs someone (the facilitator's draft,
    # say), which the workers' digest sweep may send while this runs: once a person at most.
    others = [m for m in mails(processes["mail"]) if not m[1].endswith((PROPOSED, REMINDER))]
    assert all(subject.endswith(DIGEST) for _, subject in others), others
    assert max(Counter(others).values(), default=1) == 1, others

    # The sweep was queued at most once in any period, though two workers run it.
    sweeps = sorted(
        DBTaskResult.objects.filter(task_path__endswith=".send_reminders").values_list(
            "enqueued_at", flat=True
        )
    )
    periods = (time.monotonic() - workers_started) / REMINDER_PERIOD
    assert 2 <= len(sweeps) <= periods + 1, (len(sweeps), periods)
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(sweeps)]
    assert min(gaps) >= REMINDER_PERIOD * 0.8, gaps
    assert not [
        line
        for log in processes["logs"]
        for line in Path(log).read_text(errors="replace").splitlines()
        if re.search(r"Traceback|ERROR", line)
    ]
