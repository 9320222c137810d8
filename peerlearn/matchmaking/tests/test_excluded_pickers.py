"""The excluded-pairs form picks peers by name, only among those the facilitator may see."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.matchmaking.models import ExcludedPair

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_names_typed_without_javascript_choose_the_peers(world: SimpleNamespace) -> None:
    client = signed_in(world.facilitator)
    response = client.post(
        reverse("matchmaking:excluded"),
        {"peer_a__q": "Member Platform", "peer_b__q": "Outsider Public", "reason": "conflict"},
    )
    assert response.status_code == 302
    pair = ExcludedPair.objects.get()
    assert {pair.peer_a, pair.peer_b} == {world.member_platform, world.outsider_public}


def test_an_ambiguous_name_lists_visible_matches_only(world: SimpleNamespace) -> None:
    client = signed_in(world.facilitator)
    response = client.post(
        reverse("matchmaking:excluded"),
        {"peer_a__q": "outsi", "peer_b": world.member_platform.id, "reason": "conflict"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Several match" in html
    assert f'name="peer_a" value="{world.outsider.id}"' in html
    assert f'name="peer_a" value="{world.outsider_public.id}"' in html
    # The facilitator shares no alliance with this alliance-level profile: never offered.
    assert f'value="{world.outsider_alliance.id}"' not in html
    assert "Outsider Alliance" not in html
    # The peer already chosen stays chosen.
    assert f'name="peer_b" value="{world.member_platform.id}" checked' in html
    assert not ExcludedPair.objects.exists()


def test_a_hidden_peer_cannot_be_posted_by_id(world: SimpleNamespace) -> None:
    client = signed_in(world.facilitator)
    response = client.post(
        reverse("matchmaking:excluded"),
        {"peer_a": world.outsider_alliance.id, "peer_b": world.outsider.id, "reason": "conflict"},
    )
    assert response.status_code == 400
    assert not ExcludedPair.objects.exists()
    assert "Outsider Alliance" not in response.content.decode()
