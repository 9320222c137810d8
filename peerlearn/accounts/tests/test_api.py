"""Authentication (bearer keys and the session, with CSRF) and the account endpoints."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from peerlearn.accounts.models import ApiToken
from peerlearn.accounts.services import api_token_create, api_token_revoke
from peerlearn.tests.api_helpers import (
    API,
    VIEWERS,
    bearer_client,
    build_api_world,
    client_for,
    field_errors,
)


@pytest.fixture
def api_world(db: Any) -> SimpleNamespace:
    return build_api_world()


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


# --- bearer keys -------------------------------------------------------------------------


def test_a_bearer_key_authenticates_without_a_session(api_world: SimpleNamespace) -> None:
    token, key = api_token_create(user=api_world.outsider.user, label="reporting")
    response = bearer(key).get(f"{API}/accounts/me")
    assert response.status_code == 200
    assert response.json()["username"] == "outsider"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_key_is_refused(api_world: SimpleNamespace) -> None:
    token, key = api_token_create(user=api_world.outsider.user, label="reporting")
    assert bearer(key).get(f"{API}/peers").status_code == 200
    api_token_revoke(token=token)
    response = bearer(key).get(f"{API}/peers")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_the_key_of_a_deactivated_user_is_refused(api_world: SimpleNamespace) -> None:
    _, key = api_token_create(user=api_world.outsider.user, label="reporting")
    api_world.outsider.user.is_active = False
    api_world.outsider.user.save(update_fields=["is_active"])
    assert bearer(key).get(f"{API}/peers").status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer pl_not-a-real-key",
        "Bearer not-even-our-format",
        "Bearer ",
        "Basic b3V0c2lkZXI6cGFzc3dvcmQ=",
        "pl_key-without-scheme",
    ],
)
def test_wrong_credentials_are_refused(api_world: SimpleNamespace, header: str) -> None:
    response = Client(headers={"Authorization": header}).get(f"{API}/peers")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_bearer_writes_need_no_csrf_token(api_world: SimpleNamespace) -> None:
    _, key = api_token_create(user=api_world.outsider.user, label="script")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {key}"})
    response = client.post(
        f"{API}/challenges",
        {"theme": "revenue-pfm", "title": "Arrears", "description": "Old arrears pile up."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


# --- the session -------------------------------------------------------------------------


def test_session_reads_work_without_csrf(api_world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_world.outsider.user)
    assert client.get(f"{API}/accounts/me").status_code == 200


def test_session_writes_need_the_csrf_token(api_world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_world.outsider.user)
    payload = {"theme": "revenue-pfm", "title": "Arrears", "description": "Old arrears."}
    refused = client.post(f"{API}/challenges", payload, content_type="application/json")
    assert refused.status_code == 403
    assert "X-CSRFToken" in refused.json()["detail"]
    assert not api_world.outsider.challenges.exists()

    # As a page of the site would have set it.
    token = "k" * 32
    client.cookies["csrftoken"] = token
    accepted = client.post(
        f"{API}/challenges",
        payload,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201, accepted.content


def test_anonymous_write_is_401_not_a_csrf_failure(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{API}/challenges", {}, content_type="application/json")
    assert response.status_code == 401


# --- /accounts/me ------------------------------------------------------------------------


@pytest.mark.parametrize("who", VIEWERS)
def test_me_describes_the_signed_in_account(api_world: SimpleNamespace, who: str) -> None:
    user = api_world.users[who]
    body = client_for(user).get(f"{API}/accounts/me").json()
    assert body["username"] == user.username
    assert body["email"] == user.email
    assert body["role"] == user.role
    assert (body["organisation"] or {}).get("id") == user.organisation_id
    has_profile = who in ("owner", "co_member", "outsider")
    assert (body["peer_profile_id"] is not None) == has_profile
    assert "password" not in body


# --- tokens ------------------------------------------------------------------------------


def test_create_list_and_revoke_tokens(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    created = client.post(
        f"{API}/accounts/tokens", {"label": "nightly report"}, content_type="application/json"
    )
    assert created.status_code == 201
    body = created.json()
    key = body["key"]
    assert key.startswith("pl_") and body["prefix"] == key[3:11]
    stored = ApiToken.objects.get(id=body["id"])
    assert stored.key_hash == ApiToken.hash_key(key) and key not in stored.key_hash

    listed = client.get(f"{API}/accounts/tokens").json()
    assert [t["label"] for t in listed] == ["nightly report"]
    assert "key" not in listed[0] and "key_hash" not in listed[0]

    assert bearer(key).get(f"{API}/accounts/me").status_code == 200
    assert client.delete(f"{API}/accounts/tokens/{body['id']}").status_code == 204
    assert bearer(key).get(f"{API}/accounts/me").status_code == 401
    assert client.delete(f"{API}/accounts/tokens/{body['id']}").status_code == 404


def test_token_label_is_required(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    errors = field_errors(
        client.post(f"{API}/accounts/tokens", {"label": ""}, content_type="application/json")
    )
    assert ("body", "label") in errors
    errors = field_errors(
        client.post(f"{API}/accounts/tokens", {"label": "   "}, content_type="application/json")
    )
    assert "label" in errors[("body", "label")]
    assert not ApiToken.objects.exists()


def test_one_cannot_see_or_revoke_another_users_tokens(api_world: SimpleNamespace) -> None:
    token, key = api_token_create(user=api_world.owner.user, label="owner's")
    other = client_for(api_world.outsider.user)
    assert other.get(f"{API}/accounts/tokens").json() == []
    assert other.delete(f"{API}/accounts/tokens/{token.id}").status_code == 404
    assert bearer(key).get(f"{API}/accounts/me").status_code == 200


def test_bearer_client_helper_works(api_world: SimpleNamespace) -> None:
    assert bearer_client(api_world.admin).get(f"{API}/accounts/me").json()["role"] == "admin"
