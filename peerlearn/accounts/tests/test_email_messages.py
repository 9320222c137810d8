"""An e-mail address that is not one: the error shows what one looks like, on sign-up and
on the account page, in the reader's language."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.accounts.models import User

pytestmark = pytest.mark.django_db

FIX = "Enter an e-mail address such as name@example.org."
FIX_FR = "Saisissez une adresse électronique comme nom@example.org."

SIGNUP = {
    "name": "Amina Diallo",
    "username": "amina",
    "email": "amina.example.org",
    "password": "a-long-test-passphrase-42",
    "password_again": "a-long-test-passphrase-42",
}


def test_sign_up_with_an_invalid_address_says_how_to_fix_it() -> None:
    response = Client().post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [FIX]
    assert "Enter a valid email address." not in response.content.decode()
    assert not User.objects.filter(username="amina").exists()


def test_sign_up_says_it_in_french_too() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").post(reverse("accounts:signup"), SIGNUP)
    assert response.context["form"].errors["email"] == [FIX_FR]


def test_the_account_page_says_how_to_fix_an_invalid_address(world: SimpleNamespace) -> None:
    user = world.facilitator
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:account"),
        {"name": user.name, "email": "facilitator@", "organisation": "", "preferred_language": ""},
    )
    assert response.context["form"].errors["email"] == [FIX]
    user.refresh_from_db()
    assert user.pending_email == ""
