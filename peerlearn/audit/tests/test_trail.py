"""The audit trail: append-only events, what is recorded, the administrators' page, its CSV
export and the retention purge."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.tests.factories import make_api_key
from peerlearn.audit.models import AppendOnlyError, AuditAction, AuditEvent
from peerlearn.audit.services import audit_pseudonym, audit_purge, audit_record
from peerlearn.conftest import TEST_PASSWORD, make_peer, make_user
from peerlearn.core.models import Country
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge
from peerlearn.peers.services import statement_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db: Any) -> Any:
    org = organisation_create(
        name="Makueni County",
        type=OrganisationType.LOCAL_GOVERNMENT,
        country=Country.objects.get(code="KE"),
    )
    peer = make_peer("faith", org)
    admin = make_user("root", role=Role.ADMIN)
    return peer, admin


def test_events_are_append_only() -> None:
    event = audit_record(action=AuditAction.EXPORT, object_type="x", detail={"n": 1})
    event.detail = {"n": 2}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(id=event.id).update(detail={})
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(id=event.id).delete()
    assert AuditEvent.objects.get(id=event.id).detail == {"n": 1}


def test_the_database_refuses_to_change_an_event_even_in_raw_sql() -> None:
    event = audit_record(action=AuditAction.EXPORT, object_type="x")
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET object_type = 'y' WHERE id = %s", [event.id])  # noqa: S608
    assert AuditEvent.objects.get(id=event.id).object_type == "x"


def test_the_pseudonymous_key_is_stable_and_not_the_id() -> None:
    assert audit_pseudonym(7) == audit_pseudonym(7)
    assert audit_pseudonym(7) != audit_pseudonym(8)
    assert audit_pseudonym(7) != "7"
    assert len(audit_pseudonym(7)) == 32


def test_sign_in_and_sign_out_are_recorded_with_the_address(client: Any, people: Any) -> None:
    peer, _admin = people
    response = client.post(
        reverse("login"),
        {"username": "faith", "password": TEST_PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert event.actor_id == peer.user_id
    assert event.actor_key == audit_pseudonym(peer.user_id)
    assert event.ip_address == "203.0.113.9"
    assert event.user_agent == "TestBrowser/1.0"
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor=peer.user).exists()


def test_a_visibility_change_through_the_api_names_the_bearer(client: Any, people: Any) -> None:
    peer, _admin = people
    statement = statement_create(
        model=Challenge,
        peer=peer,
        theme="revenue-pfm",
        title="Leaks",
        description="Market fees leak.",
    )
    key = make_api_key(peer.user)
    response = client.patch(
        f"/api/v1/challenges/{statement.id}",
        {"visibility": Visibility.PRIVATE},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="peers.challenge")
    assert event.object_id == str(statement.id)
    assert event.actor_id == peer.user_id
    assert event.detail["changes"]["visibility"] == [Visibility.PLATFORM, Visibility.PRIVATE]


def test_role_and_membership_changes_are_recorded(people: Any) -> None:
    peer, _admin = people
    user = peer.user
    user.role = Role.FACILITATOR
    user.save()
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="accounts.user")
    assert event.detail["changes"]["role"] == [Role.PEER, Role.FACILITATOR]
    # No name or e-mail is copied into the trail.
    assert user.name not in str(event.detail)


def test_api_lists_of_peers_and_statements_are_bulk_reads(
    client: Any, people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    peer, _admin = people
    key = make_api_key(peer.user)
    for path in ("/api/v1/peers?country=KE", "/api/v1/challenges", "/api/v1/experiences"):
        # Written once the reading transaction ends.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200
    reads = AuditEvent.objects.filter(action=AuditAction.BULK_READ, actor=peer.user)
    assert sorted(reads.values_list("object_type", flat=True)) == [
        "peers.challenge",
        "peers.experience",
        "peers.peerprofile",
    ]
    assert reads.get(object_type="peers.peerprofile").detail["query"] == {"country": "KE"}


def test_export_peers_is_recorded(tmp_path: Any, people: Any) -> None:
    out = tmp_path / "peers.csv"
    call_command("export_peers", "--out", str(out), stderr=io.StringIO())
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.object_type == "matchmaking.peer_records"
    assert event.detail["command"] == "export_peers"
    assert event.detail["format"] == "csv"
    assert event.detail["include_alliance"] is False
    assert event.actor_key == ""


# --- the page ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PEER, Role.FACILITATOR, Role.AUTHORISER, Role.FUNDER])
def test_only_administrators_read_the_trail(client: Any, role: Role) -> None:
    client.force_login(make_user("someone", role=role))
    assert client.get(reverse("audit:trail")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Any) -> None:
    for name in ("audit:trail", "audit:export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_administrators_browse_and_filter(client: Any, people: Any) -> None:
    peer, admin = people
    audit_record(action=AuditAction.SIGN_IN, actor=peer.user)
    audit_record(action=AuditAction.EXPORT, actor=admin, object_type="matchmaking.peer_records")
    client.force_login(admin)

    def results(**params: str) -> str:
        html = client.get(reverse("audit:trail"), params).content.decode()
        return html.split('id="results"')[1]

    everything = results()
    assert "Faith" in everything
    assert "matchmaking.peer_records" in everything
    only = results(action="sign_in")
    assert "Faith" in only
    assert "matchmaking.peer_records" not in only
    by_actor = results(actor="root")
    assert "matchmaking.peer_records" in by_actor
    assert "Faith" not in by_actor
    by_key = results(actor=audit_pseudonym(peer.user_id))
    assert "Faith" in by_key
    assert "1 event" in results(object_type="matchmaking.peer_records")
    fragment = client.get(reverse("audit:trail"), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section id="results"')


def test_a_date_range_the_wrong_way_round_is_a_field_error(client: Any, people: Any) -> None:
    _peer, admin = people
    client.force_login(admin)
    response = client.get(
        reverse("audit:trail"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"] == [
        "The end date is before the start date: choose a later end date."
    ]
    assert (
        client.get(
            reverse("audit:export"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
        ).status_code
        == 400
    )


def test_dates_filter_the_trail(client: Any, people: Any) -> None:
    _peer, admin = people
    audit_record(action=AuditAction.EXPORT, actor=admin, object_type="today")
    client.force_login(admin)
    today = timezone.localdate()
    hit = client.get(reverse("audit:trail"), {"date_from": today, "date_to": today})
    assert "today" in hit.content.decode()
    yesterday = today - timedelta(days=1)
    miss = client.get(reverse("audit:trail"), {"date_to": yesterday})
    assert "No event matches" in miss.content.decode()


def test_the_csv_export_holds_the_filtered_events_and_is_itself_recorded(
    client: Any, people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    peer, admin = people
    audit_record(action=AuditAction.SIGN_IN, actor=peer.user)
    client.force_login(admin)  # itself a sign-in, by the administrator
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("audit:export"), {"action": "sign_in"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["sign_in", "sign_in"]
    assert {r["actor_key"] for r in rows} == {
        audit_pseudonym(peer.user_id),
        audit_pseudonym(admin.id),
    }
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="audit.auditevent")
    assert export.actor_id == admin.id
    assert export.detail["filters"] == {"action": "sign_in"}


# --- retention -----------------------------------------------------------------------------


def test_the_purge_removes_only_events_older_than_the_retention(settings: Any) -> None:
    settings.PEERLEARN_AUDIT_RETENTION_DAYS = 30
    old = AuditEvent(
        action=AuditAction.EXPORT, object_type="old", created_at=timezone.now() - timedelta(days=31)
    )
    old.save()
    recent = audit_record(action=AuditAction.EXPORT, object_type="recent")
    out = io.StringIO()
    call_command("audit_purge", stdout=out)
    assert "Removed 1 audit events older than 30 days." in out.getvalue()
    assert list(AuditEvent.objects.values_list("id", flat=True)) == [recent.id]
    assert audit_purge(days=0) == 0


def test_the_account_menu_offers_the_trail_to_administrators_only(client: Any, people: Any) -> None:
    peer, admin = people
    client.force_login(peer.user)
    assert reverse("audit:trail") not in client.get(reverse("home")).content.decode()
    client.force_login(admin)
    assert reverse("audit:trail") in client.get(reverse("home")).content.decode()
