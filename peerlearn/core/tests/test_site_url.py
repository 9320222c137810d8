"""Links in e-mails lead to one address: the configured one when there is one."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from peerlearn.core.http import site_url


def test_the_configured_address_wins_over_the_one_a_request_reached(settings: Any) -> None:
    request = RequestFactory().get("/", HTTP_HOST="localhost:8000")
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.PEERLEARN_SITE_URL = ""
    assert site_url(request) == "http://localhost:8000"
    settings.PEERLEARN_SITE_URL = "http://127.0.0.1:8000"
    assert site_url(request) == "http://127.0.0.1:8000"
