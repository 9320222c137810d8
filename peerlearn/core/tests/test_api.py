"""The API as a whole (authentication everywhere, error and paging format) and the
reference-data endpoints."""

from __future__ import annotations

import gzip
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.api import api
from peerlearn.core.models import Country
from peerlearn.tests.api_helpers import (
    API,
    REQUEST_QUERIES,
    bearer_client,
    build_api_world,
    client_for,
    field_errors,
    items,
)

PATH_EXAMPLES = {
    "code": "KE",
    "slug": "county-revenue",
    "peer_id": "1",
    "statement_id": "1",
    "organisation_id": "1",
    "token_id": "1",
    "run_id": "1",
    "proposal_id": "1",
    "call_id": "1",
    "pair_id": "1",
    "authorisation_id": "1",
    "user_id": "1",
    "need_id": "1",
    "needgroup_id": "1",
    "part_id": "1",
}


def _example(name: str) -> str:
    # Any other numeric key: an id the world may not have, which is fine for these checks.
    if name not in PATH_EXAMPLES and name.endswith("_id"):
        return "1"
    return PATH_EXAMPLES[name]


@pytest.fixture
def api_world(db: Any) -> SimpleNamespace:
    return build_api_world()


def every_operation() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="")
    operations = []
    for path, methods in schema["paths"].items():
        concrete = re.sub(r"{(\w+)}", lambda m: _example(m.group(1)), path)
        operations.extend((method.upper(), API + concrete) for method in methods)
    return operations


OPERATIONS = every_operation()


def test_the_schema_lists_every_resource() -> None:
    paths = {path for _, path in OPERATIONS}
    for expected in (
        "/countries",
        "/languages",
        "/themes",
        "/sdg-targets",
        "/organisations",
        "/peers",
        "/peers/me",
        "/challenges",
        "/experiences",
        "/initiatives",
        "/alliances",
        "/alliances/county-revenue/stage",
        "/accounts/me",
        "/matching/runs",
        "/matching/excluded",
        "/authorisations",
    ):
        assert API + expected in paths, expected
    assert len(OPERATIONS) >= 25


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_endpoint_refuses_anonymous_requests(
    api_world: SimpleNamespace,
    method: str,
    path: str,
) -> None:
    response = client_for(None).generic(method, path, data="{}", content_type="application/json")
    assert response.status_code == 401, (method, path, response.content)
    detail = response.json()["detail"]
    assert "Authorization: Bearer" in detail and "/accounts/tokens/" in detail
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_openapi_schema_and_docs_are_served(db: Any) -> None:
    client = client_for(None)
    schema = client.get(f"{API}/openapi.json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["info"]["title"] == "peerlearn API"
    assert {"BearerKey", "SignedInSession"} <= set(body["components"]["securitySchemes"])
    assert client.get(f"{API}/docs").status_code == 200
    # Compressed for a browser that accepts it: the same document, a fraction of the bytes.
    packed = client.get(f"{API}/openapi.json", headers={"accept-encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == body
    assert len(packed.content) < len(schema.content) / 4


# --- reference data ----------------------------------------------------------------------


def test_countries_are_paged_with_a_total_count(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    body = client.get(f"{API}/countries?limit=10&offset=5").json()
    assert body["count"] == Country.objects.count() > 200
    assert (body["limit"], body["offset"], len(body["items"])) == (10, 5, 10)
    everything = client.get(f"{API}/countries?limit=300").json()
    assert len(everything["items"]) == everything["count"]


def test_country_fields_and_region_filter(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    east_africa = items(client.get(f"{API}/countries?region=014&limit=100"))
    kenya = next(c for c in east_africa if c["code"] == "KE")
    assert kenya == {
        "code": "KE",
        "alpha_3": "KEN",
        "name": "Kenya",
        "region": "002",
        "region_name": "Africa",
        "subregion": "014",
        "subregion_name": "Eastern Africa",
    }
    assert all(c["subregion"] == "014" for c in east_africa)
    africa = items(client.get(f"{API}/countries?region=002&limit=100"))
    assert len(africa) > len(east_africa)


def test_countries_in_use_and_search(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    in_use = {c["code"] for c in items(client.get(f"{API}/countries?in_use=true"))}
    assert in_use == {"KE", "FR"}
    assert [c["code"] for c in items(client.get(f"{API}/countries?q=ken"))] == ["KE"]


def test_country_names_follow_the_request_language(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    germany = client.get(f"{API}/countries/DE", headers={"Accept-Language": "fr"}).json()
    assert germany["name"] == "Allemagne"
    assert client.get(f"{API}/countries/de").json()["name"] == "Germany"


def test_unknown_country_is_404(api_world: SimpleNamespace) -> None:
    response = client_for(api_world.outsider.user).get(f"{API}/countries/XX")
    assert response.status_code == 404
    assert "ISO 3166-1" in response.json()["detail"]


def test_unknown_region_is_a_field_error(api_world: SimpleNamespace) -> None:
    errors = field_errors(client_for(api_world.outsider.user).get(f"{API}/countries?region=999"))
    assert "M49" in errors[("query", "region")]


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=0", "limit"), ("limit=301", "limit"), ("offset=-1", "offset"), ("limit=ten", "limit")],
)
def test_bad_paging_is_a_field_error(
    api_world: SimpleNamespace,
    query: str,
    field: str,
) -> None:
    errors = field_errors(client_for(api_world.outsider.user).get(f"{API}/countries?{query}"))
    assert ("query", field) in errors


def test_languages(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    body = client.get(f"{API}/languages?limit=300").json()
    codes = {lang["code"] for lang in body["items"]}
    assert {"en", "fr", "es", "ru", "sw"} <= codes and body["count"] == len(codes)
    assert items(client.get(f"{API}/languages?q=swahili")) == [{"code": "sw", "name": "Swahili"}]
    french = client.get(f"{API}/languages?q=ru", headers={"Accept-Language": "fr"}).json()
    assert {"code": "ru", "name": "russe"} in french["items"]


def test_themes_carry_their_sdg_targets(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    themes = items(client.get(f"{API}/themes?limit=100"))
    assert len(themes) >= 10
    revenue = next(t for t in themes if t["slug"] == "revenue-pfm")
    assert revenue["name"] == "Revenue and public financial management"
    assert {t["code"] for t in revenue["sdg_targets"]} == {"16.6", "17.1"}
    assert all(t["title"] for t in revenue["sdg_targets"])
    assert client.get(f"{API}/themes/revenue-pfm").json() == revenue
    assert client.get(f"{API}/themes/no-such-theme").status_code == 404


def test_sdg_targets(api_world: SimpleNamespace) -> None:
    client = client_for(api_world.outsider.user)
    goal_16 = items(client.get(f"{API}/sdg-targets?goal=16&limit=100"))
    assert "16.6" in {t["code"] for t in goal_16}
    assert all(t["goal"] == 16 for t in goal_16)
    assert ("query", "goal") in field_errors(client.get(f"{API}/sdg-targets?goal=18"))


def test_reference_lists_do_not_query_per_item(
    api_world: SimpleNamespace,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(api_world.outsider.user)
    # count and page, and for themes one prefetch of their SDG targets
    with django_assert_max_num_queries(REQUEST_QUERIES + 2):
        assert len(items(client.get(f"{API}/countries?limit=300"))) > 200
    with django_assert_max_num_queries(REQUEST_QUERIES + 3):
        assert len(items(client.get(f"{API}/themes?limit=100"))) >= 10


def test_service_errors_become_field_entries() -> None:
    from django.core.exceptions import ValidationError

    from peerlearn.api import django_errors

    keyed = ValidationError(
        {
            "languages": [ValidationError("Unknown language code “xx”.", code="unknown_language")],
            "__all__": ["The end date must not be before the start date."],
        }
    )
    assert django_errors(keyed) == [
        {
            "loc": ["body", "languages"],
            "msg": "Unknown language code “xx”.",
            "type": "unknown_language",
        },
        {
            "loc": ["body"],
            "msg": "The end date must not be before the start date.",
            "type": "invalid",
        },
    ]
    assert django_errors(ValidationError("Nothing to change.")) == [
        {"loc": ["body"], "msg": "Nothing to change.", "type": "invalid"}
    ]


def test_each_user_has_a_request_rate(api_world: SimpleNamespace, settings: Any) -> None:
    settings.PEERLEARN_API_RATE = "3/min"
    owner = api_world.users["owner"]
    session, bearer = client_for(owner), bearer_client(owner)
    answers = [c.get(f"{API}/themes").status_code for c in (session, bearer, session)]
    assert answers == [200, 200, 200]
    refused = bearer.get(f"{API}/themes")  # a fourth, however the user signs in
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Too many requests: wait ")
    assert client_for(api_world.users["co_member"]).get(f"{API}/themes").status_code == 200


def test_the_api_docs_page_has_a_language_and_fits_a_phone(client: Any) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "swagger-ui-bundle.js" in html
