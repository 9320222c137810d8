"""The administrators' audit page shows the trail in words: each object type once in the
filter, under its model's name; objects by name and id; details as plain text with the
fields' names, not the stored JSON. The CSV export keeps the codes and JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from peerlearn.access.roles import Role
from peerlearn.alliances.services import alliance_create
from peerlearn.audit.display import detail_text, object_text
from peerlearn.audit.forms import AuditFilterForm
from peerlearn.audit.models import AuditAction, AuditEvent
from peerlearn.audit.selectors import audit_object_types
from peerlearn.audit.services import audit_export, audit_record
from peerlearn.conftest import make_user

pytestmark = pytest.mark.django_db

#: What the trail held in a real walk: a resource's creation with no-op changes.
RESOURCE_CREATED = {
    "changes": {
        "alliance": ["None", "None"],
        "file": ["None", "library/resources/2026/report.pdf"],
        "status": ["None", "published"],
        "visibility": ["None", "platform"],
    }
}


@pytest.fixture
def admin(db: Any) -> Any:
    return make_user("root", role=Role.ADMIN)


def _results(client: Any, **params: str) -> str:
    html = client.get(reverse("audit:trail"), params).content.decode()
    return html.split('id="results"')[1]


def _options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select name="object_type".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))


def test_each_object_type_is_offered_once_under_its_name(client: Any, admin: Any) -> None:
    for i in range(3):
        alliance_create(
            name=f"Alliance {i}",
            theme="decentralisation",
            purpose="Raise own-source revenue.",
            working_languages=["en"],
            created_by=admin,
        )
    for _ in range(2):
        audit_record(action=AuditAction.UPDATE, object_type="accounts.user", object_id=admin.id)
        audit_export(what="reports.alliance_report", detail={"alliance": 1, "format": "pdf"})
    alliance_events = AuditEvent.objects.filter(object_type="alliances.learningalliance").count()
    assert alliance_events >= 3

    assert audit_object_types() == sorted(set(audit_object_types()))
    client.force_login(admin)
    options = _options(client.get(reverse("audit:trail")).content.decode())
    codes = [code for code, _label in options]
    assert len(codes) == len(set(codes))
    labels = dict(options)
    assert labels["alliances.learningalliance"] == "Learning alliance"
    assert labels["accounts.user"] == "User"
    assert labels["reports.alliance_report"] == "Alliance report"
    assert labels[""] == "Any type"
    # The codes stay the values: filtering by one still works.
    found = _results(client, object_type="alliances.learningalliance")
    assert f"{alliance_events} events" in found


def test_two_types_with_the_same_name_are_told_apart() -> None:
    form_choices = AuditFilterForm().fields["object_type"].choices  # no events: only "any"
    assert list(form_choices) == [("", "Any type")]
    from peerlearn.audit.display import object_type_choices

    choices = object_type_choices(["alliances.learningalliance", "x.learning_alliance", ""])
    assert choices == [
        ("alliances.learningalliance", "Learning alliance"),
        ("x.learning_alliance", "x.learning_alliance"),
    ]


def test_the_page_shows_objects_and_details_in_words(client: Any, admin: Any) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=admin,
        object_type="library.resource",
        object_id=7,
        detail=RESOURCE_CREATED,
    )
    client.force_login(admin)
    html = _results(client)
    assert "Resource #7" in html
    assert "library.resource #7" not in html
    assert "{&quot;changes&quot;" not in html and '"changes"' not in html
    # Field names and choice labels; a change from nothing to nothing is left out.
    assert (
        "File: — → report.pdf; status: — → Published; visibility: — → Platform — signed-in users"
        in html
    )


def test_detail_text_of_field_changes() -> None:
    event = AuditEvent(object_type="library.resource", object_id="7", detail=RESOURCE_CREATED)
    assert detail_text(event) == (
        "File: — → report.pdf; status: — → Published; visibility: — → Platform — signed-in users"
    )
    update = AuditEvent(
        object_type="accounts.user",
        detail={
            "changes": {
                "role": ["peer", "facilitator"],
                "is_active": ["True", "False"],
                "is_staff": ["False", "False"],
            }
        },
    )
    assert detail_text(update) == "Role: Peer → Facilitator; active: yes → no"
    membership = AuditEvent(
        object_type="alliances.alliancemembership",
        detail={"changes": {"alliance": ["None", "12"], "user": ["None", "5"]}},
    )
    assert detail_text(membership) == "Learning alliance: — → #12; user: — → #5"
    nothing = AuditEvent(object_type="library.resource", detail={"changes": {"file": ["None", ""]}})
    assert detail_text(nothing) == "—"
    assert detail_text(AuditEvent(object_type="", detail={})) == "—"


def test_detail_text_of_other_events() -> None:
    export = AuditEvent(
        object_type="audit.auditevent",
        detail={"format": "csv", "filters": {"action": "sign_in"}, "count": 3},
    )
    assert detail_text(export) == "Format: csv; filters: action=sign_in; count: 3"
    download = AuditEvent(
        object_type="library.resource",
        detail={"resource": 4, "alliance": None, "visibility": "private"},
    )
    assert detail_text(download) == "Resource: #4; alliance: —; visibility: Private — only me"
    assert object_text(download) == "Resource"
    assert object_text(AuditEvent(object_type="reports.alliance_report", object_id="")) == (
        "Alliance report"
    )
    assert object_text(AuditEvent(object_type="", object_id="")) == "—"
    # An alliance's stage move names the stages (the alliances app registers them).
    moved = AuditEvent(
        object_type="alliances.learningalliance",
        detail={"alliance": 5, "event": "stage_moved", "from": 0, "to": 1, "open": 2},
    )
    assert detail_text(moved) == (
        "Alliance: #5; event: stage moved; from: Pre-assessment; "
        "to: Foundational peer group engagement; "
        "questions left open: 2"
    )
    assert object_text(AuditEvent(object_type="no.such_thing", object_id="3")) == (
        "no.such_thing #3"
    )


def test_details_are_escaped(client: Any, admin: Any) -> None:
    audit_record(
        action=AuditAction.EXPORT,
        actor=admin,
        object_type="reports.open_data",
        detail={"out": "<script>alert(1)</script>"},
    )
    client.force_login(admin)
    html = _results(client)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_csv_export_keeps_codes_and_json(
    client: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    audit_record(
        action=AuditAction.CREATE,
        actor=admin,
        object_type="library.resource",
        object_id=7,
        detail=RESOURCE_CREATED,
    )
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("audit:export"), {"object_type": "library.resource"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["object_type"], r["object_id"]) for r in rows] == [("library.resource", "7")]
    assert json.loads(rows[0]["detail"]) == RESOURCE_CREATED


def _add_events(admin: Any, start: int, n: int) -> None:
    for i in range(start, start + n):
        audit_record(
            action=AuditAction.CREATE,
            actor=admin,
            object_type="library.resource",
            object_id=i,
            detail=RESOURCE_CREATED,
        )
        audit_record(
            action=AuditAction.UPDATE,
            object_type="alliances.alliancemembership",
            object_id=i,
            detail={"changes": {"role": ["peer", "facilitator"]}},
        )
        audit_export(what=f"reports.type_{i}", detail={"format": "csv", "count": i})
        user = make_user(f"someone_{i}")
        audit_record(action=AuditAction.SIGN_IN, actor=user)


def test_the_page_query_count_does_not_grow(
    client: Any, admin: Any, django_assert_max_num_queries: Any
) -> None:
    _add_events(admin, 0, 2)
    client.force_login(admin)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse("audit:trail")).status_code == 200
    _add_events(admin, 2, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("audit:trail"))
    html = response.content.decode()
    assert "Someone 13" in html and "Resource #13" in html
    assert len(_options(html)) > 12
