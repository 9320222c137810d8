"""Organisations through the API."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.visibility import Visibility
from peerlearn.organisations.tests.factories import OrganisationFactory
from peerlearn.tests.api_helpers import (
    API,
    REQUEST_QUERIES,
    build_api_world,
    client_for,
    field_errors,
    items,
)


@pytest.fixture
def api_world(db: Any) -> SimpleNamespace:
    return build_api_world()


def names(client: Any, query: str = "") -> set[str]:
    return {o["name"] for o in items(client.get(f"{API}/organisations?limit=100&{query}"))}


def test_list_and_filters(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    assert len(names(client)) == 6
    assert names(client, "country=FR") == {"Ministère des Finances"}
    assert names(client, "type=ministry") == {"Ministère des Finances"}
    assert names(client, "type=development_partner") == {"Peer Learning Fund", "Other Fund"}
    assert names(client, "q=county") == {"Nakuru County", "Kisumu County"}
    assert names(client, "q=ncg") == {"Nakuru County"}
    row = next(
        o for o in items(client.get(f"{API}/organisations?q=nakuru")) if o["acronym"] == "NCG"
    )
    assert row == {
        "id": api_world.county_a.id,
        "name": "Nakuru County",
        "acronym": "NCG",
        "type": "local_government",
        "type_label": "Local government",
        "country": "KE",
        "country_name": "Kenya",
        "website": "",
    }


@pytest.mark.parametrize(
    ("query", "field"), [("country=XX", "country"), ("type=bank", "type"), ("q=" + "x" * 201, "q")]
)
def test_list_rejects_bad_filters(api_world: SimpleNamespace, query: str, field: str) -> None:
    response = client_for(api_world.outsider.user).get(f"{API}/organisations?{query}")
    assert ("query", field) in field_errors(response)


def test_detail_counts_only_the_peers_one_may_see(api_world: SimpleNamespace) -> None:
    api_world.owner.visibility = Visibility.PRIVATE
    api_world.owner.save(update_fields=["visibility"])
    path = f"{API}/organisations/{api_world.county_a.id}"
    outside = client_for(api_world.outsider.user).get(path).json()
    assert outside["name"] == "Nakuru County" and outside["visible_peer_count"] == 0
    assert client_for(api_world.owner.user).get(path).json()["visible_peer_count"] == 1
    assert client_for(api_world.admin).get(path).json()["visible_peer_count"] == 1


def test_international_organisations_have_no_country(api_world: SimpleNamespace) -> None:
    body = client_for(api_world.outsider.user).get(f"{API}/organisations/{api_world.donor.id}")
    assert body.json()["country"] is None and body.json()["country_name"] is None


def test_unknown_organisation_is_404(api_world: SimpleNamespace) -> None:
    response = client_for(api_world.outsider.user).get(f"{API}/organisations/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such organisation."}


def test_list_does_not_query_per_organisation(
    api_world: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    OrganisationFactory.create_batch(30)
    client = client_for(api_world.outsider.user)
    with django_assert_max_num_queries(REQUEST_QUERIES + 2):  # count and page
        assert len(items(client.get(f"{API}/organisations?limit=100"))) == 36
