"""The API that runs an alliance: the same services and access rules as the pages."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail

from peerlearn.alliances.checklists import questions_for
from peerlearn.alliances.invitations import invitation_token
from peerlearn.alliances.models import AllianceInvitation, LearningAlliance, MemberRole
from peerlearn.alliances.services import risk_note_create
from peerlearn.conftest import make_peer
from peerlearn.tests.api_helpers import API, bearer_client, client_for

pytestmark = pytest.mark.django_db

JSON = "application/json"


def base(w: SimpleNamespace) -> str:
    return f"{API}/alliances/{w.inner.slug}"


def test_create_and_edit(world: SimpleNamespace) -> None:
    client = bearer_client(world.facilitator)
    payload = {
        "name": "Lake Region Revenue Alliance",
        "theme": "decentralisation",
        "type": "II",
        "purpose": "Own-source revenue in the lake counties.",
        "working_languages": ["en", "sw"],
        "visibility": "alliance",
        "funders": [world.donor.id],
    }
    created = client.post(f"{API}/alliances", payload, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["you"]["can_manage"] and body["working_languages"] == ["en", "sw"]
    slug = body["slug"]
    patched = client.patch(
        f"{API}/alliances/{slug}",
        {"purpose": "Revenue.", "starts_on": "2026-02-01"},
        content_type=JSON,
    )
    assert patched.status_code == 200 and patched.json()["purpose"] == "Revenue."
    assert patched.json()["funders"][0]["id"] == world.donor.id
    again = client.post(f"{API}/alliances", payload, content_type=JSON)
    assert again.status_code == 422 and again.json()["detail"][0]["loc"][-1] == "name"
    peer = bearer_client(world.member_alliance.user)
    assert (
        peer.post(f"{API}/alliances", {**payload, "name": "Y"}, content_type=JSON).status_code
        == 403
    )
    assert (
        peer.patch(f"{API}/alliances/{slug}", {"purpose": "x"}, content_type=JSON).status_code
        == 404
    )
    assert LearningAlliance.objects.get(slug=slug).purpose == "Revenue."


def test_members_directory_roles_and_removal(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.facilitator)
    found = client.get(f"{base(world)}/directory", {"q": "outsider"}).json()
    assert {p["name"] for p in found} >= {"Outsider", "Outsider Public"}
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(
            f"{base(world)}/members",
            {"user_id": world.outsider.user.id, "role": "observer"},
            content_type=JSON,
        )
    assert added.status_code == 201 and len(mail.outbox) == 1
    members = {m["user_id"]: m for m in added.json()["members"]}
    membership_id = members[world.outsider.user.id]["id"]
    changed = client.patch(
        f"{base(world)}/members/{membership_id}", {"role": "resource"}, content_type=JSON
    )
    assert changed.status_code == 200
    assert {m["role"] for m in changed.json()["members"]} >= {"resource"}
    removed = client.delete(f"{base(world)}/members/{membership_id}")
    assert removed.status_code == 200
    assert world.outsider.user.id not in {m["user_id"] for m in removed.json()["members"]}
    refused = client.post(
        f"{base(world)}/members", {"user_id": world.authoriser_a.id}, content_type=JSON
    )
    assert refused.status_code == 422
    peer = client_for(world.member_alliance.user)
    assert peer.get(f"{base(world)}/members").status_code == 403
    assert client_for(world.outsider.user).get(f"{base(world)}/members").status_code == 404


def test_invitations_cohort_and_accepting(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            f"{base(world)}/invitations", {"email": "amina@example.org"}, content_type=JSON
        )
        twice = client.post(
            f"{base(world)}/invitations", {"email": "amina@example.org"}, content_type=JSON
        )
    assert sent.json()["sent"] is True and twice.json() == {"sent": False, "invitation": None}
    assert len(mail.outbox) == 1
    bad = base64.b64encode(b"email,name\nnope,X\n").decode()
    refused = client.post(
        f"{base(world)}/invitations/import",
        {"filename": "c.csv", "content_base64": bad},
        content_type=JSON,
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == (
        "Row 2, column “email”: “nope” is not an e-mail address."
    )
    good = base64.b64encode(b"email,name\namina@example.org,Amina\nbo@example.org,Bo\n").decode()
    imported = client.post(
        f"{base(world)}/invitations/import",
        {"filename": "c.csv", "content_base64": good},
        content_type=JSON,
    )
    assert imported.json() == {
        "invited": ["bo@example.org"],
        "already_invited": ["amina@example.org"],
        "already_members": [],
    }
    invitation = AllianceInvitation.objects.get(email="bo@example.org")
    bo = make_peer("bo", world.county_b).user
    accepted = client_for(bo).post(
        f"{API}/alliances/invitations/accept",
        {"token": invitation_token(invitation.id)},
        content_type=JSON,
    )
    assert accepted.status_code == 200 and accepted.json()["you"]["inside"]
    listed = client.get(f"{base(world)}/members").json()
    assert [i["email"] for i in listed["invitations"]] == ["amina@example.org"]
    amina = AllianceInvitation.objects.get(email="amina@example.org")
    assert client.delete(f"{base(world)}/invitations/{amina.id}").json()["invitations"] == []


def test_priorities(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    client.post(f"{base(world)}/priorities", {"title": "Automation"}, content_type=JSON)
    added = client.post(f"{base(world)}/priorities", {"title": "Laws"}, content_type=JSON)
    assert added.status_code == 201
    laws = added.json()[1]["id"]
    moved = client.post(
        f"{base(world)}/priorities/{laws}/move", {"direction": "up"}, content_type=JSON
    )
    assert [p["title"] for p in moved.json()] == ["Laws", "Automation"]
    edited = client.put(
        f"{base(world)}/priorities/{laws}", {"title": "Policy and laws"}, content_type=JSON
    )
    assert edited.json()[0]["title"] == "Policy and laws"
    assert [p["title"] for p in client.delete(f"{base(world)}/priorities/{laws}").json()] == [
        "Automation"
    ]
    peer = client_for(world.member_alliance.user)
    assert (
        peer.post(f"{base(world)}/priorities", {"title": "X"}, content_type=JSON).status_code == 403
    )


def test_checklist_and_moving_on(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    key = questions_for(0)[0].key
    put = client.put(
        f"{base(world)}/checklist",
        {"answers": [{"question": key, "answer": "Fiscal decentralisation."}]},
        content_type=JSON,
    )
    assert put.status_code == 200
    stage0 = put.json()["stages"][0]
    assert stage0["open_count"] == 7 and stage0["items"][0]["answer"] == "Fiscal decentralisation."
    unknown = client.put(
        f"{base(world)}/checklist",
        {"answers": [{"question": "nope", "answer": "x"}]},
        content_type=JSON,
    )
    assert unknown.status_code == 422
    member = client_for(world.member_alliance.user)
    read = member.get(f"{base(world)}/checklist")
    assert read.status_code == 200 and read.json()["can_edit"] is False
    assert (
        member.put(f"{base(world)}/checklist", {"answers": []}, content_type=JSON).status_code
        == 403
    )
    assert client_for(world.outsider.user).get(f"{base(world)}/checklist").status_code == 404
    stage = f"{base(world)}/stage"
    refused = client.post(stage, {"stage": 1, "note": "Workshop held."}, content_type=JSON)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "confirm_open"
    moved = client.post(
        stage,
        {"stage": 1, "note": "Workshop held.", "confirm_open_questions": True},
        content_type=JSON,
    )
    assert moved.status_code == 200 and moved.json()["stage"] == 1
    history = client.get(f"{base(world)}/history").json()
    assert history[0]["text"] == (
        "Moved from “Pre-assessment” to “Foundational peer group engagement”."
    )
    assert member.get(f"{base(world)}/history").status_code == 403


def test_risk_notes(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    created = client.post(
        f"{base(world)}/risks",
        {"kind": "electoral", "title": "County elections", "body": "Fee waivers."},
        content_type=JSON,
    )
    assert created.status_code == 201
    note_id = created.json()["id"]
    edited = client.put(
        f"{base(world)}/risks/{note_id}",
        {"kind": "resistance", "title": "Revenue clerks resist automation"},
        content_type=JSON,
    )
    assert edited.json()["kind_label"] == "Resistance to change"
    assert [n["id"] for n in client.get(f"{base(world)}/risks").json()] == [note_id]
    for who in (world.member_alliance.user, world.funder, world.outsider.user):
        assert client_for(who).get(f"{base(world)}/risks").status_code == 404
        assert client_for(who).delete(f"{base(world)}/risks/{note_id}").status_code == 404
    assert client.delete(f"{base(world)}/risks/{note_id}").status_code == 204
    risk_note_create(alliance=world.inner, kind="other", title="x", by=world.facilitator)


def test_leaving(world: SimpleNamespace) -> None:
    peer = client_for(world.member_alliance.user)
    assert peer.post(f"{base(world)}/leave", {}, content_type=JSON).status_code == 204
    assert not world.inner.memberships.filter(user=world.member_alliance.user).exists()
    client = client_for(world.facilitator)
    refused = client.post(f"{base(world)}/leave", {}, content_type=JSON)
    assert refused.status_code == 422
    successor = world.inner.memberships.get(user=world.member_platform.user)
    left = client.post(
        f"{base(world)}/leave", {"successor_membership_id": successor.id}, content_type=JSON
    )
    assert left.status_code == 204
    successor.refresh_from_db()
    assert successor.role == MemberRole.FACILITATOR
