"""Where a sign-in comes from, as the lockout counts it."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from peerlearn.accounts.security import client_ip


def test_the_connection_address_counts_without_a_proxy(settings: Any) -> None:
    settings.BEHIND_PROXY = False
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert client_ip(request) == "198.51.100.7"  # a client cannot choose its own address


def test_behind_the_proxy_its_last_forwarded_entry_counts(settings: Any) -> None:
    settings.BEHIND_PROXY = True
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    assert client_ip(request) == "198.51.100.7"  # what the client wrote first is ignored
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
