"""Every request has an id: returned in X-Request-ID, carried by each log record written while
it runs, shown on the error pages; logs are JSON lines when LOG_FORMAT is json."""

from __future__ import annotations

import copy
import io
import json
import logging
import logging.config
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_each_request_gets_a_fresh_id_in_the_response_header() -> None:
    client = Client()
    first, second = client.get("/healthz"), client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("lb-7f3a9c21-4d2e", True),
        ("0123456789abcdef0123456789abcdef", True),
        ("short", False),
        ("has spaces in it", False),
        ("x" * 200, False),
        ("evil\r\nSet-Cookie: a=b", False),
        ("<script>alert(1)</script>", False),
    ],
)
def test_a_sane_incoming_request_id_is_kept_and_others_replaced(incoming: str, kept: bool) -> None:
    response = Client().get("/healthz", headers={"X-Request-ID": incoming})
    assert (response["X-Request-ID"] == incoming) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_every_log_record_of_a_request_carries_its_id(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        response = Client().get("/healthz", headers={"X-Request-ID": "trace-0001-abcd"})
    records = [r for r in caplog.records if r.name == "peerlearn.requests"]
    assert records and all(r.request_id == "trace-0001-abcd" for r in records)  # type: ignore[attr-defined]
    assert records[0].status == 200  # type: ignore[attr-defined]
    assert response["X-Request-ID"] == "trace-0001-abcd"
    outside = logging.getLogger("peerlearn.test").makeRecord(
        "x", logging.INFO, "f", 1, "m", (), None
    )
    assert outside.request_id == "-"  # type: ignore[attr-defined]


def _json_handler(stream: io.StringIO) -> logging.Handler:
    config = copy.deepcopy(settings.LOGGING)
    configurator = logging.config.DictConfigurator(config)
    formatter = configurator.configure_formatter(config["formatters"]["json"])
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(configurator.configure_filter(config["filters"]["request_id"]))
    return handler


@override_settings(ROOT_URLCONF="peerlearn.core.tests.failing_urls")
def test_json_logs_are_one_object_per_line_with_the_request_id() -> None:
    stream = io.StringIO()
    handler = _json_handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        client = Client(raise_request_exception=False)
        ok = client.get("/healthz")
        failed = client.get("/fail/")
    finally:
        root.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    by_id: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        by_id.setdefault(line["request_id"], []).append(line)
    ok_lines = by_id[ok["X-Request-ID"]]
    assert any(
        e["logger"] == "peerlearn.requests" and e["status"] == 200 and e["path"] == "/healthz"
        for e in ok_lines
    )
    assert {"time", "level", "logger", "message"} <= set(ok_lines[0])
    failed_lines = by_id[failed["X-Request-ID"]]
    error = next(e for e in failed_lines if e["logger"] == "peerlearn.errors")
    assert error["level"] == "ERROR"
    assert "secret internal detail" in error["exc_info"]  # the traceback is in the log only
    assert "secret internal detail" not in failed.content.decode()


def test_the_development_log_format_is_plain_and_names_the_request() -> None:
    assert settings.LOG_FORMAT in ("plain", "json")
    plain = settings.LOGGING["formatters"]["plain"]["format"]
    assert "%(request_id)s" in plain


def test_the_404_page_shows_the_request_id() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


@override_settings(ROOT_URLCONF="peerlearn.core.tests.failing_urls")
def test_the_500_page_and_json_show_the_request_id_as_error_id() -> None:
    client = Client(raise_request_exception=False)
    page = client.get("/fail/", headers={"X-Request-ID": "support-ticket-42"})
    assert page.status_code == 500
    assert "<code>support-ticket-42</code>" in page.content.decode()
    api = client.get("/api/v1/fail", headers={"X-Request-ID": "support-ticket-43"})
    assert api.json()["error_id"] == api.json()["request_id"] == "support-ticket-43"


@pytest.mark.parametrize(
    ("mode", "override", "expected"),
    [
        ("production", None, "json"),
        ("development", None, "plain"),
        ("development", "json", "json"),
        ("production", "plain", "plain"),
    ],
)
def test_logs_are_json_in_production_unless_set_otherwise(
    tmp_path: Any, mode: str, override: str | None, expected: str
) -> None:
    from peerlearn.core.tests.test_settings import production_env, run_peerlearn

    env = production_env(tmp_path)
    env["PEERLEARN_ENV"] = mode
    if override:
        env["LOG_FORMAT"] = override
    code = (
        "import logging; from django.conf import settings; print(settings.LOG_FORMAT); "
        "logging.getLogger('peerlearn.check').warning('hello')"
    )
    result = run_peerlearn("shell", "-c", code, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
    line = result.stderr.strip().splitlines()[-1]
    if expected == "json":
        record = json.loads(line)
        assert record["message"] == "hello" and record["request_id"] == "-"
        assert record["level"] == "WARNING" and record["logger"] == "peerlearn.check"
    else:
        assert line.endswith("WARNING peerlearn.check [-] hello")
