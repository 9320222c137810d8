"""Errors show the project's own pages, in the reader's language: never Django's debug
pages, a traceback or the URL configuration. A server error shows an error id that is
logged with the exception."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.test import Client, override_settings

from peerlearn.core.tests.test_settings import run_peerlearn

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("value", "expected"), [(None, "False"), ("true", "True")])
def test_debug_is_off_unless_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None, expected: str
) -> None:
    monkeypatch.delenv("DEBUG", raising=False)
    env = {
        "PEERLEARN_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "PEERLEARN_ENV_FILE": str(tmp_path / "none.env"),
    }
    if value is not None:
        env["DEBUG"] = value
    code = "from django.conf import settings; print(settings.DEBUG)"
    result = run_peerlearn("shell", "-c", code, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("fr", "Page introuvable")]
)
def test_an_unknown_address_shows_the_project_404_page(language: str, heading: str) -> None:
    response = Client(headers={"Accept-Language": language}).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert heading in html
    assert "URLconf" not in html and "urlpatterns" not in html


def test_a_visitor_is_offered_to_sign_in_and_come_back(world: object) -> None:
    """A link shared with signed-in users (a mention in a public thread, a profile) leads a
    visitor to the sign-in page and back, whether or not there is anything there."""
    from types import SimpleNamespace

    assert isinstance(world, SimpleNamespace)
    for path in (f"/peers/{world.member_platform.id}/", "/peers/999999/"):
        html = Client().get(path).content.decode()
        assert f'href="/accounts/login/?next={path}">Sign in and try again</a>' in html, path
    signed_in = Client()
    signed_in.force_login(world.outsider.user)
    assert "Sign in and try again" not in signed_in.get("/peers/999999/").content.decode()


@override_settings(ROOT_URLCONF="peerlearn.core.tests.failing_urls")
@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Something went wrong"), ("fr", "Une erreur s’est produite")]
)
def test_a_server_error_shows_an_error_id_and_nothing_internal(
    language: str, heading: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(raise_request_exception=False, headers={"Accept-Language": language})
    with caplog.at_level(logging.ERROR, logger="peerlearn.errors"):
        response = client.get("/fail/")
    assert response.status_code == 500
    html = response.content.decode()
    assert heading in html
    assert "secret internal detail" not in html and "Traceback" not in html
    error_id = re.search(r"<code>([0-9a-f]{32})</code>", html)
    assert error_id is not None
    logged = [r for r in caplog.records if error_id.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "secret internal detail" in str(logged[0].exc_info[1])


@override_settings(ROOT_URLCONF="peerlearn.core.tests.failing_urls")
def test_a_server_error_outside_the_api_endpoints_still_answers_json_under_api() -> None:
    response = Client(raise_request_exception=False).get("/api/v1/fail")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error_id"] in body["detail"]


@override_settings(ALLOWED_HOSTS=["peerlearn.example.org"])
def test_a_request_for_an_unknown_host_gets_the_400_page_not_a_server_error() -> None:
    """The host is refused before any middleware sets the user; the page frame still
    renders, as for an anonymous reader."""
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()
