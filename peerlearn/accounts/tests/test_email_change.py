"""Changing one's e-mail address: the new address waits until the link sent to it is
followed, the current one is told, and the account keeps an address shown to work."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from peerlearn.accounts.models import User
from peerlearn.accounts.services import email_verification_token, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_sent_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mail leaves when the transaction commits; the test's own never does."""
    monkeypatch.setattr(
        "peerlearn.core.mail.transaction", SimpleNamespace(on_commit=lambda send: send())
    )


def _save(client: Client, user: User, email: str) -> Any:
    return client.post(
        "/accounts/me/",
        {"name": user.name, "email": email, "organisation": "", "preferred_language": ""},
        follow=True,
    )


def _link(message: Any) -> str:
    found = re.search(r"http://testserver(/accounts/verify/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_a_new_address_replaces_the_old_only_once_confirmed(world: SimpleNamespace) -> None:
    user = world.facilitator
    old = user.email
    client = Client()
    client.force_login(user)

    page = _save(client, user, "New.Address@Example.org")
    text = page.content.decode()
    assert "New.Address@example.org" in text and old in text

    user.refresh_from_db()
    assert user.email == old  # still the address shown to work
    assert user.pending_email == "New.Address@example.org"
    assert user.email_verified is True
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["New.Address@example.org", old])
    confirm = next(m for m in mail.outbox if m.to == ["New.Address@example.org"])
    notice = next(m for m in mail.outbox if m.to == [old])
    assert "Confirm your new e-mail address" in confirm.subject
    assert "New.Address@example.org" in notice.body and "/accounts/verify/" not in notice.body

    # The API shows the waiting change.
    me = client.get("/api/v1/accounts/me").json()
    assert me["email"] == old and me["pending_email"] == "New.Address@example.org"

    assert Client().get(_link(confirm)).status_code == 302
    user.refresh_from_db()
    assert user.email == "New.Address@example.org"
    assert user.pending_email == ""
    assert user.email_verified is True


def test_saving_the_current_address_cancels_a_pending_change(world: SimpleNamespace) -> None:
    user = world.facilitator
    old = user.email
    client = Client()
    client.force_login(user)
    _save(client, user, "elsewhere@example.org")
    token_link = _link(next(m for m in mail.outbox if m.to == ["elsewhere@example.org"]))
    mail.outbox.clear()

    _save(client, user, old)
    user.refresh_from_db()
    assert user.pending_email == "" and user.email == old
    assert mail.outbox == []  # nothing to confirm

    # The link of the cancelled change no longer moves the account.
    response = Client().get(token_link)
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == old


def test_an_address_taken_meanwhile_is_not_given_to_a_second_account(
    world: SimpleNamespace,
) -> None:
    user = world.facilitator
    client = Client()
    client.force_login(user)
    _save(client, user, "contested@example.org")
    link = _link(next(m for m in mail.outbox if m.to == ["contested@example.org"]))
    user_create(
        username="quicker", email="contested@example.org", name="Quicker", password="x" * 20
    )

    response = Client().get(link)
    assert response.status_code == 400
    assert "Another account now uses this e-mail address" in response.content.decode()
    user.refresh_from_db()
    assert user.email != "contested@example.org"


def test_a_token_for_the_current_address_still_verifies_it(world: SimpleNamespace) -> None:
    """A sign-up link sent before a change was asked for keeps working for that address."""
    user = user_create(
        username="fresh",
        email="fresh@example.org",
        name="Fresh",
        password="x" * 20,
        email_verified=False,
    )
    token = email_verification_token(user)
    User.objects.filter(id=user.id).update(pending_email="later@example.org")
    assert Client().get(f"/accounts/verify/{token}/").status_code == 302
    user.refresh_from_db()
    assert user.email_verified is True
    assert user.email == "fresh@example.org" and user.pending_email == "later@example.org"


def test_an_unconfirmed_account_changing_address_is_pointed_to_the_new_one_only(
    world: SimpleNamespace,
) -> None:
    """Someone who mistyped their address at sign-up and corrects it reads one request, for
    the new address, not also one for the address they are leaving."""
    user = world.facilitator
    User.objects.filter(id=user.id).update(email_verified=False)
    client = Client()
    client.force_login(user)
    page = _save(client, user, "right@example.org").content.decode()
    banner = page[page.index('id="verify-email"') :]
    banner = banner[: banner.index("</div>")]
    assert "follow the link we sent to right@example.org" in banner
    assert user.email not in banner and "Send the link again" not in banner
