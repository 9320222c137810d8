"""Links in e-mails sent by the worker: ``peerlearn serve`` gives its children the address
it serves when ``PEERLEARN_SITE_URL`` is unset, and the deploy checks warn without it."""

from __future__ import annotations

import io
import os
import socket
from typing import Any

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings

from peerlearn.core.management.commands.serve import Command


@pytest.fixture
def no_address() -> Any:
    before = os.environ.pop("PEERLEARN_SITE_URL", None)
    with override_settings(PEERLEARN_SITE_URL=""):
        yield
    os.environ.pop("PEERLEARN_SITE_URL", None)
    if before is not None:
        os.environ["PEERLEARN_SITE_URL"] = before


def _site_address(host: str, port: int) -> str:
    Command(stdout=io.StringIO())._site_address({"host": host, "port": port})
    return str(settings.PEERLEARN_SITE_URL)


def test_serve_gives_the_worker_the_address_it_serves(no_address: Any) -> None:
    assert _site_address("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert os.environ["PEERLEARN_SITE_URL"] == "http://127.0.0.1:8123"  # for its children


def test_a_wildcard_host_is_named_by_the_machine(no_address: Any) -> None:
    assert _site_address("0.0.0.0", 80) == f"http://{socket.getfqdn() or 'localhost'}:80"  # noqa: S104


def test_a_configured_address_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEERLEARN_SITE_URL", raising=False)
    with override_settings(PEERLEARN_SITE_URL="https://peerlearn.example.org"):
        assert _site_address("127.0.0.1", 8000) == "https://peerlearn.example.org"
    assert "PEERLEARN_SITE_URL" not in os.environ


def test_the_deploy_checks_warn_without_an_address(no_address: Any) -> None:
    ids = {m.id for m in run_checks(include_deployment_checks=True)}
    assert "core.W001" in ids
    with override_settings(PEERLEARN_SITE_URL="https://peerlearn.example.org"):
        assert "core.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}
