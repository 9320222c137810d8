"""Sign-up, sign-in, password reset by e-mail, API tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from peerlearn.access.roles import Role
from peerlearn.accounts.models import ApiToken, User
from peerlearn.accounts.services import api_token_authenticate

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Amina Diallo",
    "username": "amina",
    "email": "amina@example.org",
    "password": "a-long-test-passphrase-42",
    "password_again": "a-long-test-passphrase-42",
}


def test_signup_creates_a_peer_and_signs_in() -> None:
    client = Client()
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302 and response["Location"] == reverse("peers:profile_edit")
    user = User.objects.get(username="amina")
    assert user.role == Role.PEER and not user.is_staff
    assert client.get(reverse("home")).context["user"] == user


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password": "short", "password_again": "short"}, "password"),
        ({"password_again": "something-else-entirely"}, "password_again"),
        ({"email": "not-an-address"}, "email"),
        ({"username": "has spaces"}, "username"),
    ],
)
def test_signup_errors_name_the_field(change: dict[str, str], field: str) -> None:
    response = Client().post(reverse("accounts:signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(username=SIGNUP["username"]).exists()


def test_signup_drops_spaces_around_the_user_name() -> None:
    """A user name pasted with a space around it is kept without it, as the sign-in form
    strips what it is given, rather than refused as if it had a bad character."""
    client = Client()
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "username": "  amina "})
    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.filter(username="amina").exists()
    signin = {"username": "amina", "password": SIGNUP["password"]}
    assert Client().post(reverse("login"), signin).status_code == 302


def test_signup_refuses_a_taken_email() -> None:
    Client().post(reverse("accounts:signup"), SIGNUP)
    response = Client().post(reverse("accounts:signup"), {**SIGNUP, "username": "other"})
    assert "email" in response.context["form"].errors
    assert User.objects.count() == 1


def test_every_signup_error_shows_in_one_round() -> None:
    """A taken user name and a weak password show beside a bad address and a mistyped
    repeat, not after they are fixed."""
    Client().post(reverse("accounts:signup"), SIGNUP)
    response = Client().post(
        reverse("accounts:signup"),
        {**SIGNUP, "email": "bad@", "password": "123", "password_again": "1234"},
    )
    errors = response.context["form"].errors
    assert set(errors) == {"username", "email", "password", "password_again"}, errors
    assert "taken" in errors["username"][0]
    assert any("too short" in e for e in errors["password"])
    assert User.objects.count() == 1
    # Listed at the top too, each linking to its field.
    summary = response.content.decode().split('class="errors error-summary"')[1].split("</div>")[0]
    for field in ("username", "email", "password", "password_again"):
        assert f'href="#id_{field}"' in summary


@pytest.mark.parametrize(
    ("password", "fix"),
    [
        ("amina.diallo.example", "choose one that does not repeat it"),
        ("password1234", "choose another, such as a few words"),
        ("1234567890123579", "add letters or words"),
    ],
)
def test_a_weak_password_is_refused_with_what_to_do(password: str, fix: str) -> None:
    signup = {**SIGNUP, "username": "amina.diallo", "email": "amina.diallo@example.org"}
    response = Client().post(
        reverse("accounts:signup"), {**signup, "password": password, "password_again": password}
    )
    assert any(fix in e for e in response.context["form"].errors["password"])
    assert not User.objects.exists()


def test_sign_in_and_out() -> None:
    Client().post(reverse("accounts:signup"), SIGNUP)
    client = Client()
    response = client.post(reverse("login"), {"username": "amina", "password": SIGNUP["password"]})
    assert response.status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_password_reset_by_email(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Client().post(reverse("accounts:signup"), SIGNUP)
    client = Client()
    assert "E-mail address" in client.get(reverse("password_reset")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "amina@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert "Reset your peerlearn password" in message.subject
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
        follow=True,
    )
    # Having shown they hold the address, they are signed in.
    assert response.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "You are signed in as amina" in response.content.decode()
    assert response.context["user"].username == "amina"
    signed_in = Client().post(
        reverse("login"), {"username": "amina", "password": "another-long-passphrase-7"}
    )
    assert signed_in.status_code == 302


def test_api_tokens_are_shown_once_and_can_be_revoked() -> None:
    Client().post(reverse("accounts:signup"), SIGNUP)
    user = User.objects.get(username="amina")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"label": "reporting script"})
    key = response.context["new_key"]
    assert key.startswith("pl_")
    token = ApiToken.objects.get(user=user)
    assert token.key_hash != key and key not in token.key_hash
    assert api_token_authenticate(key=key) == user
    assert key not in client.get(reverse("accounts:tokens")).content.decode()
    client.post(reverse("accounts:token_revoke", args=[token.id]))
    assert api_token_authenticate(key=key) is None


def test_createsuperuser_makes_a_platform_administrator() -> None:
    from django.core.management import call_command

    call_command(
        "createsuperuser",
        interactive=False,
        username="boss",
        email="boss@example.org",
        name="The Boss",
        verbosity=0,
    )
    boss = User.objects.get(username="boss")
    assert boss.role == Role.ADMIN and boss.is_superuser and boss.is_platform_admin


def test_repeated_wrong_passwords_pause_sign_in_for_that_name_and_address(
    settings: Any,
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    Client().post(reverse("accounts:signup"), SIGNUP)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    wrong = {"username": SIGNUP["username"], "password": "not-the-password"}
    answers = [attacker.post(reverse("login"), wrong).status_code for _ in range(3)]
    assert answers == [200, 200, 429]  # the form again, twice; then the pause
    paused = attacker.post(
        reverse("login"), {"username": SIGNUP["username"], "password": SIGNUP["password"]}
    )
    assert paused.status_code == 429  # even the right password waits
    page = paused.content.decode()
    assert "After 3 wrong passwords for this user name" in page
    assert "Try again in 15 minutes." in page
    # The owner, from their own address, still signs in; so does anyone else from there.
    own = Client(REMOTE_ADDR="198.51.100.7").post(
        reverse("login"), {"username": SIGNUP["username"], "password": SIGNUP["password"]}
    )
    assert own.status_code == 302


# --- each role's own page -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["facilitator", "authoriser", "funder", "admin"])
def test_other_roles_get_their_account_page_not_the_peer_form(role: str) -> None:
    from django.test import Client
    from django.urls import reverse

    from peerlearn.conftest import make_user

    user = make_user(f"a_{role}", role=role)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("peers:profile_edit"))
    assert response.status_code == 302 and response.url == reverse("accounts:account")
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "My account" in html and "Complete your peer profile" not in html
    saved = client.post(
        reverse("accounts:account"),
        {"name": "Renamed", "email": f"new_{role}@example.org", "preferred_language": "fr"},
    )
    assert saved.status_code == 302
    user.refresh_from_db()
    # A new address waits for its confirmation link (test_email_change.py).
    assert (user.name, user.pending_email, user.preferred_language) == (
        "Renamed",
        f"new_{role}@example.org",
        "fr",
    )


def test_the_account_page_refuses_an_email_someone_else_uses() -> None:
    from django.test import Client
    from django.urls import reverse

    from peerlearn.conftest import make_user

    make_user("first")
    user = make_user("second")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:account"), {"name": "Second", "email": "first@example.org"}
    )
    assert response.status_code == 400
    assert "Another account uses this e-mail address" in response.context["form"].errors["email"][0]
    user.refresh_from_db()
    assert user.email == "second@example.org"


# --- a signed-in person's language follows them -------------------------------------------


def test_the_footers_language_becomes_the_accounts() -> None:
    from peerlearn.conftest import make_user

    user = make_user("lucie")
    client = Client()
    client.force_login(user)
    switched = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert switched.status_code == 302 and switched.cookies["django_language"].value == "fr"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    # A language the platform does not offer changes nothing.
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    # A visitor's choice stays in their browser only.
    assert Client().post(reverse("set_language"), {"language": "fr"}).status_code == 302


def test_another_browser_reads_in_the_accounts_language_and_keeps_it() -> None:
    from peerlearn.conftest import make_user

    user = make_user("lucie")
    user.preferred_language = "fr"
    user.save()
    client = Client()
    client.force_login(user)
    first = client.get(reverse("accounts:account"))
    assert '<html lang="fr">' in first.content.decode()
    assert first.cookies["django_language"].value == "fr"
    # The browser's own choice then wins.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get(reverse("accounts:account")).content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "en"
    # Nobody signed in: the browser's language, as before.
    assert '<html lang="en">' in Client().get(reverse("login")).content.decode()


def test_the_account_pages_language_switches_this_browser_too() -> None:
    from peerlearn.conftest import make_user

    user = make_user("lucie")
    client = Client()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    saved = client.post(
        reverse("accounts:account"),
        {"name": "Lucie", "email": user.email, "preferred_language": "fr"},
    )
    assert saved.status_code == 302 and saved.cookies["django_language"].value == "fr"
    page = client.get(reverse("accounts:account")).content.decode()
    # The page, and what it says about the saving, in the language just chosen.
    assert '<html lang="fr">' in page and "Votre compte est enregistré." in page


@pytest.mark.parametrize("role", [Role.AUTHORISER, Role.FUNDER])
def test_an_authoriser_or_funder_cannot_move_themselves_to_another_organisation(
    role: str, world: Any
) -> None:
    """Their organisation decides what they see (its peers' requests and diaries, the
    alliances it funds): moving themselves would open another organisation's to them."""
    from django.core.exceptions import ValidationError

    from peerlearn.accounts.services import user_update
    from peerlearn.conftest import make_user

    user = make_user(f"a_{role}", role=role)
    own, other = world.county_a, world.county_b
    user.organisation = own
    user.save()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("accounts:account")).content.decode()
    # Shown as a fact, not offered as a field.
    assert "a platform administrator changes it" in page and own.name in page
    assert 'name="organisation' not in page
    saved = client.post(
        reverse("accounts:account"),
        {"name": "Renamed", "email": user.email, "organisation": other.id},
    )
    assert saved.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.organisation) == ("Renamed", own)
    with pytest.raises(ValidationError, match="ask a platform administrator"):
        user_update(user=user, name="Renamed", email=user.email, organisation=other)
    user.refresh_from_db()
    assert user.organisation == own
