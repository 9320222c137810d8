"""Rate limits on the website's forms: sign-up, password reset (per address and per e-mail
address asked for) and every form POST, counted in the cache; beyond a limit, 429 with
Retry-After and a page saying when to try again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from peerlearn.accounts.models import User
from peerlearn.accounts.ratelimit import hit, parse_rate
from peerlearn.conftest import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_twenty_password_resets_in_a_row_send_three_e_mails() -> None:
    make_user("forgetful")
    client = Client()
    answers = [
        client.post("/accounts/password_reset/", {"email": "forgetful@example.org"})
        for _ in range(20)
    ]
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    assert {a.status_code for a in answers[3:]} == {429}
    assert len(mail.outbox) == 3
    refused = answers[3]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Try again in" in refused.content.decode()


def test_password_resets_are_also_limited_per_address_whatever_the_e_mail() -> None:
    client = Client()
    codes = [
        client.post("/accounts/password_reset/", {"email": f"someone{i}@example.org"}).status_code
        for i in range(12)
    ]
    assert codes[:10] == [302] * 10
    assert codes[10:] == [429, 429]
    # Another address is not held back by the first one's count.
    other = Client(REMOTE_ADDR="198.51.100.7")
    answer = other.post("/accounts/password_reset/", {"email": "someone@example.org"})
    assert answer.status_code == 302


@override_settings(PEERLEARN_SIGNUP_RATE="2/hour")
def test_sign_ups_are_limited_per_address() -> None:
    def sign_up(n: int) -> int:
        return (
            Client()
            .post(
                "/accounts/signup/",
                {
                    "name": f"New Peer {n}",
                    "username": f"new{n}",
                    "email": f"new{n}@example.org",
                    "password": TEST_PASSWORD,
                    "password_again": TEST_PASSWORD,
                },
            )
            .status_code
        )

    assert [sign_up(n) for n in range(3)] == [302, 302, 429]
    assert User.objects.filter(username__startswith="new").count() == 2


@override_settings(PEERLEARN_FORM_RATE="3/min")
def test_every_form_post_is_limited_per_person_when_signed_in() -> None:
    first, second = make_user("first"), make_user("second")
    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    codes = [a.post("/accounts/tokens/", {"label": f"script {i}"}).status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert first.api_tokens.count() == 3
    # Someone else on the same address keeps their own count.
    assert b.post("/accounts/tokens/", {"label": "mine"}).status_code == 200
    # Reading is never limited.
    assert a.get("/accounts/tokens/").status_code == 200


@override_settings(PEERLEARN_FORM_RATE="2/min")
def test_every_form_post_is_limited_per_address_when_signed_out() -> None:
    codes = [
        Client().post("/accounts/login/", {"username": "x", "password": "y"}).status_code
        for _ in range(3)
    ]
    assert codes[-1] == 429
    assert codes[:2] != [429, 429]


@override_settings(PEERLEARN_FORM_RATE="1/min")
def test_the_count_lives_in_the_shared_cache() -> None:
    user = make_user("counted")
    client = Client()
    client.force_login(user)
    assert client.post("/accounts/tokens/", {"label": "a"}).status_code == 200
    assert client.post("/accounts/tokens/", {"label": "b"}).status_code == 429
    assert [k for k in cache._cache if "peerlearn:rl:form:user:" in str(k)]  # type: ignore[attr-defined]
    cache.clear()  # as if the window had passed
    assert client.post("/accounts/tokens/", {"label": "c"}).status_code == 200


@override_settings(PEERLEARN_FORM_RATE="")
def test_an_empty_rate_turns_the_limit_off() -> None:
    user = make_user("unlimited")
    client = Client()
    client.force_login(user)
    assert {client.post("/accounts/tokens/", {"label": "a"}).status_code for _ in range(70)} == {
        200
    }


@override_settings(LANGUAGE_CODE="fr", PEERLEARN_FORM_RATE="1/min")
def test_the_429_page_is_in_the_readers_language() -> None:
    client = Client(headers={"Accept-Language": "fr"})
    client.post("/accounts/login/", {"username": "x", "password": "y"})
    refused = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 429
    assert "Trop de requêtes" in refused.content.decode()


@pytest.mark.parametrize(
    ("rate", "parsed"), [("10/min", (10, 60)), ("3/hour", (3, 3600)), ("5/s", (5, 1)), ("", None)]
)
def test_rates_are_read_like_the_apis(rate: str, parsed: Any) -> None:
    assert parse_rate(rate) == parsed


def test_a_rate_that_means_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="10/min"):
        parse_rate("ten a minute")


def test_hit_says_how_long_to_wait() -> None:
    assert hit("t", "k", "2/hour") is None
    assert hit("t", "k", "2/hour") is None
    wait = hit("t", "k", "2/hour")
    assert wait is not None and 0 < wait <= 3600
