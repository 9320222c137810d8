"""The database made unavailable in the middle of a writing request: the reader gets a 503 in
their language (a page, or JSON under /api/) with Retry-After and the request id, never a
traceback, and what the request wrote before the failure is rolled back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from peerlearn.accounts.models import User
from peerlearn.conftest import TEST_PASSWORD
from peerlearn.peers.models import Challenge

pytestmark = pytest.mark.django_db


@contextmanager
def database_fails_after_first_write(error: type[Exception]) -> Iterator[list[str]]:
    """The first query after the request's first INSERT or UPDATE raises ``error``, as a
    database that went away (or stayed locked) half-way through would. Only once: the
    rollback that follows reaches the database."""
    seen: list[str] = []
    state = {"written": False, "failed": False}

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if state["written"] and not state["failed"]:
            state["failed"] = True
            raise error("database is locked")
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            state["written"] = True
            seen.append(sql)
        return result

    with connection.execute_wrapper(wrapper):
        yield seen


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "The platform is unavailable for a moment"), ("fr", "momentanément indisponible")],
)
def test_a_page_that_loses_the_database_mid_write_answers_503_and_keeps_nothing(
    error: type[Exception], language: str, heading: str
) -> None:
    client = Client(raise_request_exception=False, headers={"Accept-Language": language})
    with database_fails_after_first_write(error) as writes:
        response = client.post(
            "/accounts/signup/",
            {
                "username": "newcomer",
                "email": "newcomer@example.org",
                "name": "New Comer",
                "password": TEST_PASSWORD,
                "password_again": TEST_PASSWORD,
            },
        )
    assert writes, "the sign-up wrote something before the failure"
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    html = response.content.decode()
    assert heading in html
    assert "http-equiv" not in html, "a form sent is not sent again by the page"
    assert "Traceback" not in html and "database is locked" not in html
    request_id = response["X-Request-ID"]
    assert re.search(rf"<code>{request_id}</code>", html)
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_api_that_loses_the_database_mid_write_answers_json_503_and_keeps_nothing(
    world: Any, error: type[Exception]
) -> None:
    client = Client(raise_request_exception=False, headers={"Accept-Language": "fr"})
    client.force_login(world.outsider.user)
    before = Challenge.objects.count()
    with database_fails_after_first_write(error) as writes:
        response = client.post(
            "/api/v1/challenges",
            {
                "theme": "revenue-pfm",
                "title": "Cash at bus parks",
                "description": "Collectors keep the cash.",
                "visibility": "platform",
            },
            content_type="application/json",
        )
    assert writes
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"].isdigit()
    body = response.json()
    assert body["request_id"] == body["error_id"] == response["X-Request-ID"]
    assert "indisponible" in body["detail"]
    assert "Traceback" not in response.content.decode()
    assert Challenge.objects.count() == before


def test_a_locked_database_on_a_read_answers_503_not_500() -> None:
    def locked(*args: Any) -> Any:
        raise OperationalError("database is locked")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(locked):
        page = client.get("/initiatives/")
    assert page.status_code == 503
    assert page["Retry-After"].isdigit()
    assert "X-Request-ID" in page
    # A read tries again by itself after the delay it announces; the sign-up above, a form
    # sent, does not (tested there).
    html = page.content.decode()
    delay = page["Retry-After"]
    assert f'<meta http-equiv="refresh" content="{delay}">' in html
    assert f"tries again by itself in {delay} seconds" in html
