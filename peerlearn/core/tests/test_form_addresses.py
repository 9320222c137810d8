"""Addresses that only receive forms: a GET (a reload, a bookmark, a language switch after
an error shown there) goes to the page above, not to the browser's bare 405."""

from __future__ import annotations

import doctest
from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from peerlearn.core import middleware


def test_the_nearest_page_above_is_found() -> None:
    assert doctest.testmod(middleware).failed == 0
    assert middleware.page_above("/") is None
    assert middleware.page_above("/no-such-place/") == "/"


def test_a_get_to_a_form_address_goes_to_its_page(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.facilitator)
    invite = reverse("alliances:invite", args=[world.inner.slug])
    members = reverse("alliances:members", args=[world.inner.slug])
    # The form's errors are shown at its address...
    assert client.post(invite, {"email": "nope"}).status_code == 400
    # ...which, opened again, leads to the page that holds the form.
    response = client.get(invite)
    assert response.status_code == 302 and response["Location"] == members
    assert client.get(members).status_code == 200
    # Deeper addresses climb as far as a page.
    role = reverse("alliances:member_role", args=[world.inner.slug, 1])
    assert client.get(role)["Location"] == members
    # The switch of language after an error lands on a page.
    switched = client.post(reverse("set_language"), {"language": "fr", "next": invite}, follow=True)
    assert switched.redirect_chain[-1][0] == members and switched.status_code == 200


def test_the_api_keeps_its_405(world: SimpleNamespace) -> None:
    client = Client()
    client.force_login(world.facilitator)
    response = client.get(f"/api/v1/alliances/{world.inner.slug}/stage")
    assert response.status_code == 405
