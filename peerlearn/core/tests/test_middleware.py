"""Sign-in checks the password outside the request's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection

from peerlearn.conftest import TEST_PASSWORD, make_user


@pytest.mark.django_db(transaction=True)
def test_sign_in_checks_the_password_outside_a_transaction(client: Any, monkeypatch: Any) -> None:
    """On SQLite a transaction holds the write lock: the (slow) password check inside one
    would make every other writer wait for it."""
    inside: list[bool] = []
    verify = MD5PasswordHasher.verify

    def watched(self: Any, password: str, encoded: str) -> bool:
        inside.append(connection.in_atomic_block)
        return verify(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", watched)
    make_user("someone")
    response = client.post("/accounts/login/", {"username": "someone", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert inside == [False]


def test_only_sign_in_is_outside_the_request_transaction() -> None:
    from types import SimpleNamespace

    from peerlearn.core.middleware import OWN_TRANSACTIONS, _url_name

    assert _url_name(SimpleNamespace(path_info="/accounts/login/")) in OWN_TRANSACTIONS
    assert _url_name(SimpleNamespace(path_info="/peers/me/")) not in OWN_TRANSACTIONS
