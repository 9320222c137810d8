"""E-mail verification: sign-up e-mails a signed link that expires; until it is followed the
account works but its profile and statements are seen by nobody else and enter no matching
(peerlearn.access.peers); a banner says so and sends the link again (rate-limited).
Accounts made by an administrator or the demo count as verified."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client, override_settings

from peerlearn.access.matching import peers_for_export, peers_matchable_by, statements_matchable_by
from peerlearn.access.peers import challenges_visible_to, peers_visible_to
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.accounts.services import email_verification_token, email_verify, user_create
from peerlearn.conftest import TEST_PASSWORD
from peerlearn.peers.models import Challenge
from peerlearn.peers.services import peer_profile_create, statement_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_sent_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mail leaves when the transaction commits; the test's own never does."""
    monkeypatch.setattr(
        "peerlearn.core.mail.transaction", SimpleNamespace(on_commit=lambda send: send())
    )


def sign_up(client: Client, username: str = "newcomer") -> Any:
    return client.post(
        "/accounts/signup/",
        {
            "name": "New Comer",
            "username": username,
            "email": f"{username}@example.org",
            "password": TEST_PASSWORD,
            "password_again": TEST_PASSWORD,
        },
    )


def link_in(message: Any) -> str:
    found = re.search(r"http://testserver(/accounts/verify/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_sign_up_e_mails_a_link_and_following_it_verifies_the_address() -> None:
    client = Client()
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.email_verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.org"]
    assert "Confirm your e-mail address" in mail.outbox[0].subject

    # The account works meanwhile, and every page says what is missing.
    page = client.get("/accounts/me/")
    assert page.status_code == 200
    assert "Confirm your e-mail address" in page.content.decode()
    assert "Send the link again" in page.content.decode()

    followed = client.get(link_in(mail.outbox[0]))
    assert followed.status_code == 302
    user.refresh_from_db()
    assert user.email_verified is True
    assert "Confirm your e-mail address" not in client.get("/accounts/me/").content.decode()


def test_admin_demo_and_existing_accounts_count_as_verified(world: SimpleNamespace) -> None:
    assert world.admin.email_verified and world.facilitator.email_verified
    created = User.objects.create_superuser("root", "root@example.org", TEST_PASSWORD)
    assert created.email_verified
    assert User.objects.filter(email_verified=False).count() == 0


def _unverified_peer(world: SimpleNamespace, visibility: str = Visibility.PUBLIC) -> Any:
    user = user_create(
        username="fresh",
        email="fresh@example.org",
        name="Fresh Peer",
        password=TEST_PASSWORD,
        organisation=world.county_a,
        email_verified=False,
    )
    profile = peer_profile_create(
        user=user, position="Budget officer", languages=("en",), visibility=visibility
    )
    statement_create(
        model=Challenge,
        peer=profile,
        theme="revenue-pfm",
        title="Fresh challenge",
        description="Unverified author.",
        visibility=Visibility.PUBLIC,
    )
    return profile


def test_an_unverified_profile_is_seen_by_its_owner_only(world: SimpleNamespace) -> None:
    profile = _unverified_peer(world)
    for viewer in (None, world.outsider.user, world.facilitator, world.funder):
        from django.contrib.auth.models import AnonymousUser

        who = viewer or AnonymousUser()
        assert profile not in peers_visible_to(who)
        assert not challenges_visible_to(who).filter(peer=profile).exists()
    assert profile in peers_visible_to(profile.user)
    assert challenges_visible_to(profile.user).filter(peer=profile).exists()
    # Administrators may read it, but nobody may match or export it.
    assert profile in peers_visible_to(world.admin)
    for viewer in (world.admin, world.facilitator, profile.user):
        assert profile not in peers_matchable_by(viewer)
        assert not statements_matchable_by(viewer, Challenge).filter(peer=profile).exists()
    assert profile not in peers_for_export(include_alliance=True)

    profile.user.email_verified = True
    profile.user.save()
    assert profile in peers_visible_to(world.outsider.user)
    assert profile in peers_matchable_by(world.facilitator)
    assert profile in peers_for_export()


def test_pages_and_api_hide_an_unverified_profile_until_verified(world: SimpleNamespace) -> None:
    profile = _unverified_peer(world)
    other = Client()
    other.force_login(world.outsider.user)
    assert "Fresh Peer" not in other.get("/peers/").content.decode()
    assert other.get(f"/peers/{profile.id}/").status_code == 404
    assert profile.id not in {p["id"] for p in other.get("/api/v1/peers").json()["items"]}
    assert other.get(f"/api/v1/peers/{profile.id}").status_code == 404
    assert "Fresh challenge" not in other.get("/api/v1/challenges").content.decode()
    assert "Fresh Peer" not in Client().get("/peers/").content.decode()

    email_verify(token=email_verification_token(profile.user))
    assert "Fresh Peer" in other.get("/peers/").content.decode()
    assert other.get(f"/api/v1/peers/{profile.id}").status_code == 200
    assert "Fresh challenge" in other.get("/api/v1/challenges").content.decode()


def test_the_api_says_whether_the_address_is_verified_and_sends_the_link_again(
    world: SimpleNamespace,
) -> None:
    profile = _unverified_peer(world)
    api = Client()
    api.force_login(profile.user)
    assert api.get("/api/v1/accounts/me").json()["email_verified"] is False
    sent = api.post("/api/v1/accounts/me/verification")
    assert sent.status_code == 202
    assert len(mail.outbox) == 1
    email_verify(token=link_in(mail.outbox[0]).split("/")[-2])
    assert api.get("/api/v1/accounts/me").json()["email_verified"] is True
    again = api.post("/api/v1/accounts/me/verification")
    assert again.status_code == 200 and again.json()["email_verified"] is True
    assert len(mail.outbox) == 1


def test_send_again_is_rate_limited_on_the_page_and_in_the_api(world: SimpleNamespace) -> None:
    profile = _unverified_peer(world)
    client = Client()
    client.force_login(profile.user)
    email = profile.user.email
    first = client.post("/accounts/verify/send/", {"next": "/peers/"})
    assert first.status_code == 302 and first.url == "/peers/"
    # Back on the page, the banner says what happened beside the button.
    banner = client.get("/peers/").content.decode()
    assert f"We sent the link again to {email}." in banner
    assert "You can ask for it 2 more times this hour." in banner
    assert "Send the link again" in banner
    pages = [client.post("/accounts/verify/send/").status_code for _ in range(3)]
    assert pages == [302, 302, 302]  # the fourth asks beyond the limit, and sends nothing
    banner = client.get("/peers/").content.decode()
    found = re.search(
        rf"We sent the link again to {re.escape(email)} 3 times this hour, as often as we "
        r"send it\. You can ask again in (\d+) minutes?\.",
        banner,
    )
    assert found and 1 <= int(found.group(1)) <= 60
    assert "Send the link again" not in banner  # no button that would do nothing
    api = client.post("/api/v1/accounts/me/verification")
    assert api.status_code == 429
    assert int(api["Retry-After"]) > 0
    assert "Too many requests" in api.json()["detail"]
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("problem", ["forged", "expired", "address changed"])
def test_a_bad_link_verifies_nothing_and_says_why(world: SimpleNamespace, problem: str) -> None:
    profile = _unverified_peer(world)
    user = profile.user
    token = email_verification_token(user)
    if problem == "forged":
        token = token[:-4] + "abcd"
        expected = "not valid"
    elif problem == "address changed":
        User.objects.filter(id=user.id).update(email="other@example.org")
        expected = "no longer uses"
    else:
        expected = "expired"
    client = Client()
    if problem == "expired":
        later = signing.time.time() + timedelta(days=8).total_seconds()  # type: ignore[attr-defined]
        with mock.patch("django.core.signing.time.time", return_value=later):
            response = client.get(f"/accounts/verify/{token}/")
    else:
        response = client.get(f"/accounts/verify/{token}/")
    assert response.status_code == 400
    assert expected in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified is False


@override_settings(LANGUAGE_CODE="en")
def test_the_verification_e_mail_says_how_long_the_link_works() -> None:
    sign_up(Client(), "timely")
    assert "7 days" in mail.outbox[0].body


def test_send_again_returns_only_to_a_local_page(world: SimpleNamespace) -> None:
    profile = _unverified_peer(world)
    client = Client()
    client.force_login(profile.user)
    local = client.post("/accounts/verify/send/", {"next": "/peers/"})
    assert local["Location"] == "/peers/"
    away = client.post("/accounts/verify/send/", {"next": "https://evil.example/"})
    assert away["Location"] == "/accounts/me/"
