"""The initiatives registry pages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.initiatives.services import initiative_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(world: SimpleNamespace) -> SimpleNamespace:
    world.kyrgyz = initiative_create(
        name="Better Government Kyrgyzstan",
        type="I",
        summary="Civil service reform.",
        themes=["civil-service-hr"],
        implementers=[world.ngo],
        funders=[world.donor],
        countries=["KG", "GB"],
        started=2016,
        links=[("Website", "https://example.org/bgk")],
    )
    world.ella = initiative_create(
        name="ELLA",
        type="II",
        summary="Latin America and Africa.",
        themes=["open-government"],
        implementers=[world.ngo],
        coverage="Global (Latin America, Africa)",
    )
    world.draft = initiative_create(
        name="Draft",
        type="II",
        summary="Unpublished.",
        themes=["procurement"],
        implementers=[world.ngo],
        visibility=Visibility.PRIVATE,
    )
    return world


def test_list_and_filters(registry: SimpleNamespace) -> None:
    client = Client()
    names = {i.name for i in client.get(reverse("initiatives:list")).context["page"].object_list}
    assert names == {"Better Government Kyrgyzstan", "ELLA"}
    names = {
        i.name
        for i in client.get(reverse("initiatives:list"), {"type": "I"}).context["page"].object_list
    }
    assert names == {"Better Government Kyrgyzstan"}
    names = {
        i.name
        for i in client.get(reverse("initiatives:list"), {"country": "KG"})
        .context["page"]
        .object_list
    }
    assert names == {"Better Government Kyrgyzstan"}
    names = {
        i.name
        for i in client.get(reverse("initiatives:list"), {"q": "latin"}).context["page"].object_list
    }
    assert names == {"ELLA"}


def test_list_query_count_does_not_grow(
    registry: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    # The list, its filters' choices (countries, implementers, funders, SDG targets) and
    # the map's counts.
    with django_assert_max_num_queries(14) as first:
        client.get(reverse("initiatives:list"))
    for i in range(20):
        initiative_create(
            name=f"Initiative {i}",
            type="II",
            summary="s",
            themes=["procurement", "open-government"],
            implementers=[registry.ngo],
            countries=["KE", "UG"],
            funders=[registry.donor],
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("initiatives:list"))


def test_detail_page(registry: SimpleNamespace) -> None:
    html = Client().get(reverse("initiatives:detail", args=[registry.kyrgyz.slug])).content.decode()
    assert "Kyrgyzstan" in html and "United Kingdom" in html
    assert "https://example.org/bgk" in html
    assert (
        Client().get(reverse("initiatives:detail", args=[registry.draft.slug])).status_code == 404
    )
