"""The API answers every error in JSON: unknown addresses, wrong methods, bodies that are not
JSON, NUL characters and server faults (with an error id, never a traceback)."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from peerlearn.accounts.models import Role
from peerlearn.conftest import make_user
from peerlearn.peers.models import Challenge
from peerlearn.tests.api_helpers import API, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(db: Any) -> Client:
    return client_for(make_user("someone", role=Role.PEER))


@pytest.mark.parametrize(
    "path", ["/api/", "/api/v2/peers", f"{API}/no-such-endpoint", f"{API}/peers/me/extra/"]
)
@pytest.mark.parametrize("signed_in", [True, False])
def test_unknown_api_addresses_answer_json_404(client: Client, path: str, signed_in: bool) -> None:
    response = (client if signed_in else Client()).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_method_an_endpoint_does_not_take_answers_json_405(client: Client) -> None:
    response = client.delete(f"{API}/peers")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "GET" in response["Allow"]
    assert "DELETE" in response.json()["detail"]


@pytest.mark.parametrize("body", ["{not json", "\xff\xfe", "[1, 2"])
def test_a_body_that_is_not_json_answers_json_400(client: Client, body: str) -> None:
    response = client.patch(f"{API}/peers/me", body, content_type="application/json")
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]


def test_a_server_fault_answers_json_500_with_an_error_id(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("peerlearn.peers.api.peer_directory", broken)
    with caplog.at_level(logging.ERROR, logger="peerlearn.errors"):
        response = client.get(f"{API}/peers")
    assert response.status_code == 500
    body = response.json()
    assert body["error_id"] in body["detail"]
    assert "secret" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    logged = [r for r in caplog.records if body["error_id"] in r.getMessage()]
    assert logged and logged[0].exc_info and "secret internal detail" in str(logged[0].exc_info[1])


def test_a_server_fault_keeps_nothing_the_request_wrote(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerlearn.peers import api as peers_api

    real_create = peers_api.statement_create

    def create_then_fail(**kwargs: Any) -> Any:
        real_create(**kwargs)
        raise RuntimeError("after the write")

    monkeypatch.setattr(peers_api, "statement_create", create_then_fail)
    before = Challenge.objects.count()
    response = client_for(world.outsider.user).post(
        f"{API}/challenges",
        {
            "theme": "procurement",
            "title": "Half-written",
            "description": "Never kept, whole or in part.",
        },
        content_type="application/json",
    )
    assert response.status_code == 500
    assert "error_id" in response.json()
    assert Challenge.objects.count() == before


@pytest.mark.parametrize(
    ("method", "path", "body", "loc"),
    [
        (
            "post",
            "/challenges",
            {"theme": "procurement", "title": "A\x00B", "description": "Arrears of market fees."},
            ["body", "title"],
        ),
        ("patch", "/peers/me", {"bio": "one\x00two"}, ["body", "bio"]),
        ("patch", "/peers/me", {"languages": ["en", "f\x00"]}, ["body", "languages", 1]),
    ],
)
def test_nul_characters_are_refused_as_the_web_forms_do(
    world: SimpleNamespace, method: str, path: str, body: dict[str, Any], loc: list[Any]
) -> None:
    client = client_for(world.outsider.user)
    response = getattr(client, method)(f"{API}{path}", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert [e["loc"] for e in response.json()["detail"]] == [loc]
    assert not Challenge.objects.filter(title__startswith="A").exists()
    response = client.get(f"{API}/peers", {"q": "rev\x00enue"})
    assert response.status_code == 422
