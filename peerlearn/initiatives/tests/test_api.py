"""The initiatives registry through the API."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.access.visibility import Visibility
from peerlearn.core.choices import PartnershipType
from peerlearn.initiatives.tests.factories import InitiativeFactory, InitiativeLinkFactory
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.tests.factories import OrganisationFactory
from peerlearn.tests.api_helpers import (
    API,
    REQUEST_QUERIES,
    VIEWERS,
    build_api_world,
    client_for,
    field_errors,
    items,
)


@pytest.fixture
def api_world(db: Any) -> SimpleNamespace:
    w = build_api_world()
    w.ella = InitiativeFactory(
        name="Evidence and Lessons from Latin America",
        slug="ella",
        type=PartnershipType.TYPE_II,
        countries=["PE", "KE", "GH"],
        themes=["service-delivery", "statistics-data"],
        implementers=[OrganisationFactory(name="Practical Action", country=None)],
        funders=[OrganisationFactory(name="DFID", type=OrganisationType.DEVELOPMENT_PARTNER)],
        summary="South-south learning on development issues.",
        lessons="Moderated online discussion needs small groups.",
        started=2010,
        ended=2015,
    )
    InitiativeLinkFactory(initiative=w.ella, label="ELLA website", url="https://ella.example.org/")
    w.pair = InitiativeFactory(
        name="Uganda-Ghana parliamentary research pairing",
        slug="uganda-ghana",
        type=PartnershipType.TYPE_I,
        countries=["UG", "GH"],
        themes=["parliaments-evidence"],
    )
    return w


def slugs(client: Any, query: str = "") -> set[str]:
    return {i["slug"] for i in items(client.get(f"{API}/initiatives?limit=100&{query}"))}


def test_list_and_filters(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    assert slugs(client) == {"ella", "uganda-ghana"}
    assert slugs(client, "type=I") == {"uganda-ghana"}
    assert slugs(client, "type=II") == {"ella"}
    assert slugs(client, "theme=parliaments-evidence") == {"uganda-ghana"}
    assert slugs(client, "country=GH") == {"ella", "uganda-ghana"}
    assert slugs(client, "country=pe") == {"ella"}
    assert slugs(client, "q=latin") == {"ella"}
    assert slugs(client, "q=south-south") == {"ella"}
    assert slugs(client, "country=FR") == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [("type=III", "type"), ("theme=nope", "theme"), ("country=Ghana", "country")],
)
def test_list_rejects_bad_filters(api_world: SimpleNamespace, query: str, field: str) -> None:
    response = client_for(api_world.outsider.user).get(f"{API}/initiatives?{query}")
    assert ("query", field) in field_errors(response)


def test_detail(api_world: SimpleNamespace) -> None:
    body = client_for(api_world.outsider.user).get(f"{API}/initiatives/ella").json()
    assert body["name"] == "Evidence and Lessons from Latin America"
    assert (body["type"], body["started"], body["ended"]) == ("II", 2010, 2015)
    assert body["type_label"].startswith("Type II")
    assert sorted(body["countries"]) == ["GH", "KE", "PE"]
    assert {t["slug"] for t in body["themes"]} == {"service-delivery", "statistics-data"}
    assert [o["name"] for o in body["implementers"]] == ["Practical Action"]
    assert [o["name"] for o in body["funders"]] == ["DFID"]
    assert body["lessons"] == "Moderated online discussion needs small groups."
    assert body["links"] == [{"label": "ELLA website", "url": "https://ella.example.org/"}]
    assert body["alliances"] == []


def test_detail_names_only_the_alliances_one_may_see(api_world: SimpleNamespace) -> None:
    api_world.inner.initiative = api_world.ella
    api_world.inner.save(update_fields=["initiative"])
    inside = client_for(api_world.co_member.user).get(f"{API}/initiatives/ella").json()
    assert inside["alliances"] == [{"slug": "county-revenue", "name": "County Revenue Alliance"}]
    outside = client_for(api_world.outsider.user).get(f"{API}/initiatives/ella").json()
    assert outside["alliances"] == []


INITIATIVE_VISIBLE_TO = {
    # drafts: the facilitators who curate the registry
    Visibility.PRIVATE: {"facilitator", "other_facilitator", "admin"},
    Visibility.ALLIANCE: {"facilitator", "other_facilitator", "admin"},
    Visibility.PLATFORM: set(VIEWERS),
    Visibility.PUBLIC: set(VIEWERS),
}


@pytest.mark.parametrize("visibility", Visibility.values)
def test_who_sees_an_initiative(api_world: SimpleNamespace, visibility: str) -> None:
    api_world.ella.visibility = visibility
    api_world.ella.save(update_fields=["visibility"])
    in_list, detail = set(), set()
    for who in VIEWERS:
        client = client_for(api_world.users[who])
        if "ella" in slugs(client):
            in_list.add(who)
        response = client.get(f"{API}/initiatives/ella")
        if response.status_code == 200:
            detail.add(who)
        else:
            assert response.status_code == 404
            assert response.json() == {"detail": "No such initiative."}
    assert in_list == detail == INITIATIVE_VISIBLE_TO[visibility]


def test_unknown_initiative_is_404(api_world: SimpleNamespace) -> None:
    assert client_for(api_world.admin).get(f"{API}/initiatives/nope").status_code == 404


def test_list_does_not_query_per_initiative(
    api_world: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    for _ in range(25):
        InitiativeFactory(
            countries=["KE", "UG"],
            themes=["revenue-pfm", "procurement"],
            funders=[OrganisationFactory()],
        )
    client = client_for(api_world.outsider.user)
    # count, page, countries, implementers, funders, themes
    with django_assert_max_num_queries(REQUEST_QUERIES + 6):
        assert len(items(client.get(f"{API}/initiatives?limit=100"))) == 27
