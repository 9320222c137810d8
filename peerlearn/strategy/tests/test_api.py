"""The pre-assessment and strategy through the API: the same flow and the same refusals as
the pages, in the documented JSON shapes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

API = "/api/v1/alliances"


@pytest.fixture(autouse=True)
def _tfidf(settings: Any) -> None:
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"


def client(user: Any = None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(getattr(user, "user", user))
    return c


def send(c: Client, method: str, path: str, body: Any = None) -> Any:
    return getattr(c, method)(path, body or {}, content_type="application/json")


def test_the_pre_assessment_flow(world: SimpleNamespace) -> None:
    base = f"{API}/{world.inner.slug}/pre-assessment"
    texts = ["Market cash fees leak", "Cash leakage at markets", "Contracts for officers",
             "Performance contracts for revenue officers"]  # fmt: skip
    members = [world.member_alliance, world.member_platform]
    for i, title in enumerate(texts):
        r = send(client(members[i % 2]), "post", f"{base}/needs", {"title": title})
        assert r.status_code == 201, r.content
    fac = client(world.facilitator)
    r = send(fac, "post", f"{base}/grouping", {"n_groups": 2})
    assert r.status_code == 200
    data = r.json()
    assert data["encoder"] == "tfidf"
    assert sorted(len(g["needs"]) for g in data["groups"]) == [2, 2]
    a, b = (g["id"] for g in data["groups"])
    assert (
        send(fac, "patch", f"{base}/groups/{a}", {"title": "Cash"}).json()["groups"][0]["title"]
        == "Cash"
    )
    assert send(fac, "post", f"{base}/state", {"state": "ranking"}).status_code == 200
    me = client(world.member_alliance)
    bad = send(me, "put", f"{base}/ranking", {"ranks": [{"group_id": a, "rank": 1}]})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "ranks"]
    ok = send(
        me,
        "put",
        f"{base}/ranking",
        {"ranks": [{"group_id": a, "rank": 2}, {"group_id": b, "rank": 1}]},
    )
    assert ok.status_code == 200 and ok.json()["you"]["ranked"] is True
    assert ok.json()["ranking"] == [b, a]
    closed = send(fac, "post", f"{base}/state", {"state": "closed", "priorities": 1})
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert [p.title for p in world.inner.priorities.all()] == [
        next(g["title"] for g in closed.json()["groups"] if g["id"] == b)
    ]


def test_refusals(world: SimpleNamespace) -> None:
    base = f"{API}/{world.inner.slug}/pre-assessment"
    assert client(world.outsider).get(base).status_code == 404
    assert client(world.authoriser_a).get(base).status_code == 404
    assert client().get(base).status_code == 401
    assert client(world.funder).get(base).status_code == 200
    r = send(client(world.funder), "post", f"{base}/needs", {"title": "x"})
    assert r.status_code == 403
    r = send(client(world.member_alliance), "post", f"{base}/grouping", {"n_groups": 2})
    assert r.status_code == 403
    r = send(client(world.member_alliance), "post", f"{base}/needs", {"title": ""})
    assert r.status_code == 422
    r = send(client(world.facilitator), "post", f"{base}/grouping", {"n_groups": 99})
    assert r.status_code == 422


def test_the_strategy_flow_and_its_refusals(world, mailoutbox) -> None:
    base = f"{API}/{world.inner.slug}/strategy"
    fac = client(world.facilitator)
    parts = send(fac, "post", f"{base}/parts").json()["parts"]
    assert len(parts) == 3
    me_user = world.member_platform.user
    mine = next(
        p for p in send(client(me_user), "get", base).json()["parts"] if p["member"] == str(me_user)
    )
    body = {
        "expected_result": "Contracts for every officer",
        "objectives": [
            {"what": "Cascading contracts", "learn_from_id": world.member_alliance.user.id,
             "methods": ["coaching"]}
        ],
    }  # fmt: skip
    me = client(me_user)
    r = send(me, "put", f"{base}/parts/{mine['id']}", body)
    assert r.status_code == 200
    assert r.json()["objectives"][0]["methods"] == ["coaching"]
    assert r.json()["can_confirm"] is True
    assert send(fac, "post", f"{base}/parts/{mine['id']}/confirm").status_code == 403
    assert (
        send(client(world.member_alliance), "put", f"{base}/parts/{mine['id']}", body).status_code
        == 403
    )
    assert (
        send(client(world.outsider), "post", f"{base}/parts/{mine['id']}/confirm").status_code
        == 404
    )
    r = send(fac, "post", f"{base}/parts/{mine['id']}/remind")
    assert r.status_code == 200 and r.json()["reminded_at"]
    r = send(me, "post", f"{base}/parts/{mine['id']}/confirm")
    assert r.status_code == 200 and r.json()["confirmed"] is True
    assert send(fac, "post", f"{base}/parts/{mine['id']}/remind").status_code == 422
    body["objectives"][0]["what"] = "Cascading contracts to clerks"
    r = send(fac, "put", f"{base}/parts/{mine['id']}", body)
    assert r.status_code == 200 and r.json()["confirmed"] is False
    bad = {"objectives": [{"what": "x", "learn_from_id": world.outsider.user.id}]}
    assert send(me, "put", f"{base}/parts/{mine['id']}", bad).status_code == 422
    bad = {"objectives": [{"what": "x", "methods": ["telepathy"]}]}
    assert send(me, "put", f"{base}/parts/{mine['id']}", bad).status_code == 422
