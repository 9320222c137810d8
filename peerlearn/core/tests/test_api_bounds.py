"""Every integer and string the API takes is bounded in its OpenAPI schema, so that no
input can overflow the database or the server; the web forms use the same limits."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from peerlearn.api import api
from peerlearn.peers.forms import StatementForm
from peerlearn.peers.models import Challenge
from peerlearn.tests.api_helpers import API, client_for

# Strings whose format bounds them already. An uploaded file ("binary") is bounded by its
# endpoint's size limit (a setting, named in the operation's description and refused with a
# 422 naming the field), not by a length in characters.
BOUNDED_FORMATS = {"date", "date-time", "binary"}


def unbounded(schema: dict[str, Any]) -> list[str]:
    """Every integer without a minimum and maximum, string without maxLength and array
    without maxItems that a request may carry (query, path and body), by where it is."""
    components = schema["components"]["schemas"]
    problems: list[str] = []

    def walk(node: Any, where: str, seen: tuple[str, ...] = ()) -> None:
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(components[name], f"{where} ({name})", (*seen, name))
            return
        kind = node.get("type")
        if "enum" in node or "const" in node:
            pass
        elif kind in ("integer", "number"):
            if not ({"minimum", "exclusiveMinimum"} & node.keys()) or not (
                {"maximum", "exclusiveMaximum"} & node.keys()
            ):
                problems.append(f"{where}: {kind} without minimum and maximum")
        elif kind == "string":
            if "maxLength" not in node and node.get("format") not in BOUNDED_FORMATS:
                problems.append(f"{where}: string without maxLength")
        elif kind == "array":
            if "maxItems" not in node:
                problems.append(f"{where}: array without maxItems")
            walk(node.get("items"), f"{where}[]", seen)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                walk(sub, where, seen)
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{where}.{name}", seen)
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{where}{{}}", seen)

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                walk(
                    parameter["schema"],
                    f"{method.upper()} {path} {parameter['in']} {parameter['name']}",
                )
            for media in operation.get("requestBody", {}).get("content", {}).values():
                walk(media["schema"], f"{method.upper()} {path} body")
    return problems


def test_every_input_in_the_schema_is_bounded() -> None:
    assert unbounded(api.get_openapi_schema()) == []


def test_the_walk_finds_an_unbounded_field() -> None:
    schema = {
        "components": {"schemas": {"In": {"properties": {"n": {"type": "integer"}}}}},
        "paths": {
            "/x/{id}": {
                "post": {
                    "parameters": [{"in": "path", "name": "id", "schema": {"type": "integer"}}],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/x/In"}}}
                    },
                }
            }
        },
    }
    assert len(unbounded(schema)) == 2


def test_proposal_and_alliance_members_have_schemas_of_their_own() -> None:
    components = api.get_openapi_schema()["components"]["schemas"]
    assert "response" in components["ProposalMemberOut"]["properties"]
    assert "response" not in components["MemberOut"]["properties"]


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [str(2**63), str(2**64), "1000000000000"])
def test_an_offset_beyond_the_bound_is_422(world: SimpleNamespace, offset: str) -> None:
    client = client_for(world.admin)
    for path in ("/peers", "/challenges", "/alliances", "/matching/runs", "/countries"):
        response = client.get(f"{API}{path}", {"offset": offset})
        assert response.status_code == 422, (path, response.content)
        assert response.json()["detail"][0]["loc"] == ["query", "offset"]


@pytest.mark.django_db
def test_huge_ids_are_422(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    huge = 2**64
    response = client.post(
        f"{API}/matching/excluded",
        {"peer_a": huge, "peer_b": world.outsider.id},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert ["body", "peer_a"] in [e["loc"] for e in response.json()["detail"]]
    assert client.get(f"{API}/peers/{huge}").status_code == 422
    assert client.get(f"{API}/challenges", {"peer": str(huge)}).status_code == 422
    assert client.get(f"{API}/peers/{2**63 - 1}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("stage", [False, True])
def test_a_stage_must_be_a_number_not_true_or_false(world: SimpleNamespace, stage: bool) -> None:
    # At stage 2, both 0 (false) and 1 (true) would be valid moves back.
    type(world.inner).objects.filter(pk=world.inner.pk).update(stage=2)
    client = client_for(world.facilitator)
    response = client.post(
        f"{API}/alliances/{world.inner.slug}/stage",
        {"stage": stage, "note": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", "stage"]
    world.inner.refresh_from_db()
    assert world.inner.stage == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("length", "accepted"), [(10_000, True), (10_001, False)])
def test_web_form_and_api_take_statements_of_the_same_length(
    world: SimpleNamespace, length: int, accepted: bool
) -> None:
    text = "x" * length
    form = StatementForm(
        data={"theme": "procurement", "title": "T", "description": text, "visibility": "platform"},
        user=world.outsider.user,
    )
    assert form.is_valid() is accepted, form.errors
    response = client_for(world.outsider.user).post(
        f"{API}/challenges",
        {"theme": "procurement", "title": "T", "description": text},
        content_type="application/json",
    )
    assert (response.status_code == 201) is accepted, response.content
    assert Challenge.objects.filter(title="T").exists() is accepted
