"""The case library through the API: lists and items through the access layer, adding,
changing, uploading and reviewing, with documented JSON errors."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.test import override_settings

from peerlearn.library.models import Case, ItemStatus, Resource, ResourceType
from peerlearn.library.tests import files
from peerlearn.tests.api_helpers import API, client_for, field_errors, items

CASES = f"{API}/library/cases"
RESOURCES = f"{API}/library/resources"


def test_anonymous_is_refused(db: Any) -> None:
    assert client_for(None).get(CASES).status_code == 401


def test_lists_hold_only_what_the_reader_may_see(items_world: SimpleNamespace) -> None:
    w = items_world
    titles = {c["title"] for c in items(client_for(w.outsider.user).get(CASES, {"limit": 300}))}
    assert "Public case on parking fees" in titles
    assert "Private case on tax amnesty" not in titles
    assert any("Kyrgyzstan" in t for t in titles)
    assert items(client_for(w.outsider.user).get(RESOURCES)) == []
    member = items(client_for(w.member_platform.user).get(RESOURCES))
    assert [r["title"] for r in member] == ["Inner workshop notes"]
    assert member[0]["type"] == "report" and member[0]["has_file"] is False
    w.public_case.countries.set(["KE"])
    only = items(client_for(w.outsider.user).get(CASES, {"country": "ke", "q": "parking"}))
    assert [c["title"] for c in only] == ["Public case on parking fees"]


def test_an_item_is_404_when_hidden(items_world: SimpleNamespace) -> None:
    w = items_world
    url = f"{CASES}/{w.private_case.id}"
    answer = client_for(w.outsider.user).get(url)
    assert answer.status_code == 404 and answer.json() == {"detail": "No such case study."}
    assert client_for(w.facilitator).get(url).json()["title"] == "Private case on tax amnesty"
    resource = client_for(w.outsider.user).get(f"{RESOURCES}/{w.inner_resource.id}")
    assert resource.status_code == 404
    detail = client_for(w.member_platform.user).get(f"{RESOURCES}/{w.inner_resource.id}").json()
    assert detail["alliance"]["slug"] == w.inner.slug


def test_a_case_is_added_changed_and_reviewed(items_world: SimpleNamespace) -> None:
    w = items_world
    peer = client_for(w.member_platform.user)
    body = {
        "title": "Alliance lessons",
        "summary": "What we learned.",
        "lessons": ["Meet often.", "Write it down."],
        "themes": ["decentralisation"],
        "countries": ["ke"],
        "tags": ["meetings"],
        "alliance": w.inner.slug,
        "visibility": "alliance",
    }
    answer = peer.post(CASES, body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["status"] == "proposed" and created["lessons"] == [
        "Meet often.",
        "Write it down.",
    ]
    assert created["countries"] == ["KE"] and created["alliance"]["slug"] == w.inner.slug
    case_id = created["id"]
    # The author changes it; another peer of the alliance may not.
    changed = peer.put(
        f"{CASES}/{case_id}", {**body, "summary": "Better."}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["summary"] == "Better."
    other = client_for(w.member_alliance.user).put(
        f"{CASES}/{case_id}", body, content_type="application/json"
    )
    assert other.status_code == 404  # not published: not theirs to see
    review = client_for(w.facilitator).post(
        f"{CASES}/{case_id}/review", {"decision": "decline"}, content_type="application/json"
    )
    assert field_errors(review)[("body", "note")].startswith("Say why")
    review = client_for(w.facilitator).post(
        f"{CASES}/{case_id}/review", {"decision": "publish"}, content_type="application/json"
    )
    assert review.status_code == 200 and review.json()["status"] == "published"
    forbidden = client_for(w.member_alliance.user).put(
        f"{CASES}/{case_id}", body, content_type="application/json"
    )
    assert forbidden.status_code == 403


def test_errors_name_the_field_and_the_fix(items_world: SimpleNamespace) -> None:
    w = items_world
    client = client_for(w.outsider.user)
    errors = field_errors(
        client.post(
            CASES,
            {"title": "x", "summary": "y", "alliance": w.inner.slug, "visibility": "alliance"},
            content_type="application/json",
        )
    )
    assert "member of" in errors[("body", "alliance")]
    errors = field_errors(
        client.post(
            CASES,
            {"title": "x", "summary": "y", "initiative": "nope"},
            content_type="application/json",
        )
    )
    assert "/api/v1/initiatives" in errors[("body", "initiative")]
    errors = field_errors(
        client.post(
            CASES,
            {"title": "x" * 201, "summary": "y", "lessons": ["z" * 401]},
            content_type="application/json",
        )
    )
    assert ("body", "title") in errors and ("body", "lessons", 0) in errors
    assert not Case.objects.filter(author=w.outsider.user).exists()


def test_a_resource_link_then_its_file(items_world: SimpleNamespace) -> None:
    w = items_world
    client = client_for(w.facilitator)
    answer = client.post(
        RESOURCES,
        {
            "title": "Toolkit",
            "type": "toolkit",
            "link": "https://example.org/t",
            "themes": ["revenue-pfm"],
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    resource_id = answer.json()["id"]
    assert answer.json()["status"] == "published"
    refused = client.post(f"{RESOURCES}/{resource_id}/file", {"file": files.upload("t.pdf", b"MZ")})
    assert "is not a PDF file" in field_errors(refused)[("body", "file")]
    with override_settings(PEERLEARN_LIBRARY_MAX_UPLOAD_MB=1):
        too_big = client.post(
            f"{RESOURCES}/{resource_id}/file", {"file": files.pdf("big.pdf", size=2 * 1024 * 1024)}
        )
    assert too_big.status_code == 422
    assert "the limit is 1 MB" in field_errors(too_big)[("body", "file")]
    uploaded = client.post(f"{RESOURCES}/{resource_id}/file", {"file": files.pdf("kit.pdf")})
    assert uploaded.status_code == 200, uploaded.content
    assert uploaded.json()["has_file"] and uploaded.json()["file_name"] == "kit.pdf"
    download = client.get(uploaded.json()["download_url"])
    assert download["Content-Disposition"] == 'attachment; filename="kit.pdf"'
    no_link = client.post(
        RESOURCES, {"title": "x", "type": "link"}, content_type="application/json"
    )
    assert "needs its address" in field_errors(no_link)[("body", "url")]
    assert Resource.objects.filter(type=ResourceType.LINK).count() == 0
    assert Resource.objects.get(id=resource_id).status == ItemStatus.PUBLISHED


def test_the_schema_documents_the_library(db: Any) -> None:
    schema = client_for(None).get(f"{API}/openapi.json").json()
    add = schema["paths"]["/api/v1/library/cases"]["post"]
    assert {"201", "422"} <= set(add["responses"])
    props = schema["components"]["schemas"]["CaseIn"]["properties"]
    assert props["title"]["maxLength"] == 200
    assert props["lessons"]["maxItems"] == 20
