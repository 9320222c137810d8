"""Sign-in checks the password outside the request's transaction."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection

from peerlearn.conftest import TEST_PASSWORD, make_user
from peerlearn.core.middleware import OWN_TRANSACTIONS, _url_name


@pytest.mark.django_db
def test_sign_in_checks_the_password_outside_a_transaction(client: Any, monkeypatch: Any) -> None:
    """On SQLite a transaction holds the write lock: the (slow) password check inside one
    would make every other writer wait for it. (The test runs inside the test's own
    transaction, so a request's transaction shows as one more savepoint.)"""
    depth: list[int] = []
    verify = MD5PasswordHasher.verify

    def watched(self: Any, password: str, encoded: str) -> bool:
        depth.append(len(connection.savepoint_ids))
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", watched)
    make_user("someone")
    outside = len(connection.savepoint_ids)
    response = client.post("/accounts/login/", {"username": "someone", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert depth == [outside]


@pytest.mark.django_db
def test_only_sign_in_is_outside_the_request_transaction() -> None:
    assert _url_name(SimpleNamespace(path_info="/accounts/login/")) in OWN_TRANSACTIONS
    assert _url_name(SimpleNamespace(path_info="/peers/me/")) not in OWN_TRANSACTIONS
