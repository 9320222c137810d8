"""Proposing an initiative: its countries are chosen with the country picker, by name or
code, with or without JavaScript."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.initiatives.models import Initiative

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _propose(client: Client, world: SimpleNamespace, **countries: Any) -> Any:
    data = {
        "name": "Research Week in Ghana",
        "type": "I",
        "summary": "Uganda's parliament research week replicated in Ghana.",
        "themes": ["parliaments-evidence"],
        "implementers": [world.ngo.id],
        "visibility": "public",
        **countries,
    }
    return client.post(reverse("initiatives:propose"), data)


def test_the_proposal_form_offers_a_country_picker_not_a_long_list(
    world: SimpleNamespace,
) -> None:
    html = _client(world.outsider.user).get(reverse("initiatives:propose")).content.decode()
    assert "Hold Ctrl" not in html
    assert reverse("core:country_suggestions") in html
    assert 'name="countries__q"' in html
    assert "<select" not in html.split('id="id_countries_picker"')[1].split("</div>")[0]


def test_countries_are_chosen_by_name_or_ticked(world: SimpleNamespace) -> None:
    client = _client(world.outsider.user)
    response = _propose(client, world, countries=["UG"], countries__q="Ghana")
    assert response.status_code == 302, response.context["form"].errors
    initiative = Initiative.objects.get(name="Research Week in Ghana")
    assert sorted(c.code for c in initiative.countries.all()) == ["GH", "UG"]


def test_an_ambiguous_country_lists_the_matches_and_saves_nothing(
    world: SimpleNamespace,
) -> None:
    response = _propose(_client(world.outsider.user), world, countries__q="gui")
    assert response.status_code == 200
    assert "Several match" in response.context["form"].errors["countries"][0]
    assert 'name="countries" value="GN"' in response.content.decode()
    assert not Initiative.objects.filter(name="Research Week in Ghana").exists()
