"""A refused request (403) is logged as one line naming the path and the request's id, like
every other request line: no traceback of the AccessDenied behind it. Server errors keep
their traceback."""

from __future__ import annotations

import copy
import io
import logging
import logging.config
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from peerlearn.access.roles import Role
from peerlearn.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the console handler writes, in the development (plain) format."""
    config: dict[str, Any] = copy.deepcopy(settings.LOGGING)
    configurator = logging.config.DictConfigurator(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configurator.configure_formatter(config["formatters"]["plain"]))
    handler.addFilter(configurator.configure_filter(config["filters"]["request_id"]))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _lines_of(output: str, request_id: str) -> list[str]:
    return [line for line in output.splitlines() if f"[{request_id}]" in line]


def test_a_refused_page_is_one_warning_line_without_traceback(
    log_output: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.force_login(make_user("fac", role=Role.FACILITATOR))
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("audit:trail"))
    assert response.status_code == 403
    rid = response["X-Request-ID"]
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 1
    assert refused[0].levelno == logging.WARNING
    assert refused[0].exc_info is None
    assert refused[0].request_id == rid  # type: ignore[attr-defined]
    assert refused[0].getMessage() == "Forbidden (Permission denied): /audit/"
    output = log_output.getvalue()
    assert "Traceback" not in output
    assert "AccessDenied" not in output
    assert not any(r.levelno >= logging.ERROR for r in caplog.records)
    lines = _lines_of(output, rid)
    assert any("WARNING django.request" in line and "/audit/" in line for line in lines)
    assert any("INFO peerlearn.requests" in line and "GET /audit/ 403" in line for line in lines)
    # Each of the request's records is a single line.
    assert len(output.splitlines()) == len(_lines_of(output, rid))


def test_a_peer_refused_an_alliance_history_is_not_logged_with_a_traceback(
    world: SimpleNamespace, log_output: io.StringIO
) -> None:
    client = Client()
    client.force_login(world.member_platform.user)  # a peer in the alliance, not its facilitator
    response = client.get(reverse("alliances:history", args=[world.inner.slug]))
    assert response.status_code == 403
    output = log_output.getvalue()
    assert "Traceback" not in output
    assert f"[{response['X-Request-ID']}]" in output


@override_settings(ROOT_URLCONF="peerlearn.core.tests.failing_urls")
def test_a_server_error_keeps_its_traceback(log_output: io.StringIO) -> None:
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    assert "Traceback" in log_output.getvalue()


def test_the_filter_leaves_other_records_alone() -> None:
    from peerlearn.core.requestid import ClientErrorTracebackFilter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        exc_info: Any = sys.exc_info()
    make = logging.getLogger("django.request").makeRecord
    server = make("django.request", logging.ERROR, "f", 1, "m", (), exc_info)
    server.status_code = 500
    plain = make("django.request", logging.WARNING, "f", 1, "m", (), exc_info)
    refused = make("django.request", logging.WARNING, "f", 1, "m", (), exc_info)
    refused.status_code = 403
    f = ClientErrorTracebackFilter()
    assert f.filter(server) and f.filter(plain) and f.filter(refused)
    assert server.exc_info is exc_info and plain.exc_info is exc_info
    assert refused.exc_info is None
