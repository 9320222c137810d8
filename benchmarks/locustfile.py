"""The load scenario of benchmarks/load.py (locust): signed-in peers and facilitators at work.

* ``Peer`` (most users): a member of a proposal, signed in (one in ten through the sign-in
  form, the others with a session made beforehand), then, with
  1–3 s between actions, reads pages (home, directory, alliances, initiatives, proposals,
  the proposal), reads API lists, posts a challenge through the API, and answers its
  proposal "not now" (an answer that may be given again).
* ``Facilitator``: reads the facilitator's pages and the API's list of runs.
* ``MatchingFacilitator`` (one user): starts a matching of every peer through the API, polls
  it until it ends, waits, and starts another: matchings run all through the test.
* ``BareView``: only ``/healthz``, a view that touches neither database nor template: the
  ceiling of the same server, run on its own.

Request names group what is measured: ``page …`` (HTML pages), ``api …``, ``write …``,
``sign-in``, ``matching …``, ``bare /healthz``. A request fails on any status but the ones
expected for it. The accounts come from the JSON file named by PEERLEARN_LOAD_ACCOUNTS.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from typing import Any

from locust import HttpUser, between, events, task

PASSWORD = "peerlearn-demo"  # noqa: S105 - the demo's published password
_accounts: dict[str, Any] = json.loads(
    open(os.environ.get("PEERLEARN_LOAD_ACCOUNTS", "/dev/null")).read() or "{}"  # noqa: SIM115
)
# Every request's name, time (ms) and outcome, written to PEERLEARN_LOAD_SAMPLES at the end
# so that load.py computes percentiles per group of requests.
# Each sample also says whether every user had started (and signed in) by then: the
# steady state, which load.py reports apart from the ramp.
_samples: list[tuple[str, float, bool, bool, float]] = []
_steady = False


@events.spawning_complete.add_listener
def _spawned(user_count: int, **kwargs: Any) -> None:
    global _steady
    _steady = True


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **kwargs: Any) -> None:
    _samples.append((name, response_time, exception is None, _steady, time.time()))


@events.quitting.add_listener
def _write(**kwargs: Any) -> None:
    target = os.environ.get("PEERLEARN_LOAD_SAMPLES")
    if target:
        with open(target, "w") as out:
            json.dump(_samples, out)


_peers = itertools.cycle(_accounts.get("peers") or [["peer", None, None]])
_facilitator_sessions = itertools.cycle(_accounts.get("facilitators") or [None])
_started = itertools.count()
#: One user in this many signs in through the form; the others start with a session made
#: beforehand (load_setup.py), as people already signed in.
SIGN_IN_EVERY = 10
PAGES = ("/", "/peers/", "/alliances/", "/initiatives/", "/matching/proposals/")
FACILITATOR_PAGES = ("/", "/matching/", "/alliances/", "/peers/", "/matching/calls/")
API_LISTS = ("/api/v1/peers", "/api/v1/challenges", "/api/v1/matching/proposals")


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = "peer"

    def sign_in(self) -> None:
        self.client.get("/accounts/login/", name="sign-in (form)")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            allow_redirects=False,
            name="sign-in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    def begin(self, session: str | None) -> None:
        if session is None or next(_started) % SIGN_IN_EVERY == 0:
            self.sign_in()
        else:
            self.client.cookies.set("sessionid", session)
        # A first page, which also sets the CSRF cookie that writes need.
        self.expect("GET", "/", "page /", (200,))

    def json_headers(self) -> dict[str, str]:
        return {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Referer": self.host + "/",
        }

    def expect(self, method: str, path: str, name: str, ok: tuple[int, ...], **kw: Any) -> Any:
        with self.client.request(method, path, name=name, catch_response=True, **kw) as response:
            if response.status_code not in ok:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            return response


class Peer(SignedIn):
    weight = 8

    def on_start(self) -> None:
        self.username, self.proposal, session = next(_peers)
        self.begin(session)

    @task(6)
    def page(self) -> None:
        path = random.choice(PAGES)
        self.expect("GET", path, f"page {path}", (200,))

    @task(1)
    def proposal_page(self) -> None:
        if self.proposal:
            path = f"/matching/proposals/{self.proposal}/"
            self.expect("GET", path, "page /matching/proposals/<id>/", (200,))

    @task(3)
    def api_list(self) -> None:
        path = random.choice(API_LISTS)
        self.expect("GET", path, f"api {path}", (200,))

    @task(1)
    def post_statement(self) -> None:
        body = {
            "theme": "revenue-pfm",
            "title": "Load test challenge",
            "description": "Collecting property rates from absentee landlords.",
            "visibility": "private",
        }
        self.expect(
            "POST",
            "/api/v1/challenges",
            "write POST /api/v1/challenges",
            (201,),
            json=body,
            headers=self.json_headers(),
        )

    @task(1)
    def answer(self) -> None:
        if self.proposal:
            self.expect(
                "POST",
                f"/api/v1/matching/proposals/{self.proposal}/respond",
                "write POST /api/v1/matching/proposals/<id>/respond",
                (200,),
                json={"response": "not_now"},
                headers=self.json_headers(),
            )


class Facilitator(SignedIn):
    weight = 2
    username = "facilitator"

    def on_start(self) -> None:
        self.begin(next(_facilitator_sessions))

    @task(4)
    def page(self) -> None:
        path = random.choice(FACILITATOR_PAGES)
        self.expect("GET", path, f"page {path}", (200,))

    @task(1)
    def runs(self) -> None:
        self.expect("GET", "/api/v1/matching/runs", "api /api/v1/matching/runs", (200,))


class MatchingFacilitator(SignedIn):
    fixed_count = 1
    username = "facilitator"
    wait_time = between(5, 5)

    def on_start(self) -> None:
        self.begin(next(_facilitator_sessions))

    @task
    def run_matching(self) -> None:
        response = self.expect(
            "POST",
            "/api/v1/matching/runs",
            "matching POST /api/v1/matching/runs",
            (202,),
            json={
                "kind": "groups",
                "source": "peers",
                "theme": "revenue-pfm",
                "alliance_name": "Load groups",
            },
            headers=self.json_headers(),
        )
        if response.status_code != 202:
            return
        run_id = response.json()["id"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = self.expect(
                "GET",
                f"/api/v1/matching/runs/{run_id}",
                "matching GET /api/v1/matching/runs/<id>",
                (200,),
            )
            if state.status_code != 200 or state.json()["status"] not in ("queued", "running"):
                break
            time.sleep(2)


class BareView(HttpUser):
    wait_time = between(1, 3)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="bare /healthz")
