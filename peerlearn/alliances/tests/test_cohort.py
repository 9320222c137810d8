"""Inviting a cohort from a CSV or Excel file: every row checked, errors by row and column,
all or nothing, nobody e-mailed twice."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from peerlearn.alliances.cohort import cohort_import, cohort_parse
from peerlearn.alliances.models import AllianceInvitation, InvitationSource, MemberRole

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "email,name,role\n"
    "wanjiru@kilifi.example,Wanjiru Mwangi,peer\n"
    "otieno@kisumu.example,Otieno Ouma,Resource peer\n"
    "achieng@cog.example,Achieng Atieno,\n"
)


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_valid_csv_invites_everyone_once(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = cohort_import(
            alliance=world.inner,
            filename="cohort.csv",
            data=GOOD_CSV.encode(),
            by=world.facilitator,
        )
    assert len(result.invited) == 3 and not result.already_invited
    assert sorted(m.to[0] for m in mail.outbox) == [
        "achieng@cog.example",
        "otieno@kisumu.example",
        "wanjiru@kilifi.example",
    ]
    roles = dict(AllianceInvitation.objects.values_list("email", "role"))
    assert roles["otieno@kisumu.example"] == MemberRole.RESOURCE
    assert roles["achieng@cog.example"] == MemberRole.PEER
    assert set(AllianceInvitation.objects.values_list("source", flat=True)) == {
        InvitationSource.IMPORT
    }
    # The same file again: nobody is e-mailed twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = cohort_import(
            alliance=world.inner,
            filename="cohort.csv",
            data=GOOD_CSV.encode(),
            by=world.facilitator,
        )
    assert not again.invited and len(again.already_invited) == 3
    assert len(mail.outbox) == 3
    assert AllianceInvitation.objects.count() == 3


def test_errors_are_named_by_row_and_column_and_nothing_is_imported(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    data = (
        b"email,name,role\n"
        b"good@example.org,Good Person,peer\n"
        b"not-an-address,Bad Address,peer\n"
        b",No Address,observer\n"
        b"good@example.org,Twice,peer\n"
        b"someone@example.org,,chief\n"
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as e:
        cohort_import(alliance=world.inner, filename="c.csv", data=data, by=world.facilitator)
    assert e.value.message_dict["file"] == [
        "Row 3, column “email”: “not-an-address” is not an e-mail address.",
        "Row 4, column “email”: the e-mail address is missing.",
        "Row 5, column “email”: the same address is on row 2.",
        "Row 6, column “name”: the name is missing.",
        "Row 6, column “role”: “chief” is not a role; use one of: "
        "facilitator, peer, resource, funder, observer.",
    ]
    assert not AllianceInvitation.objects.exists()
    assert mail.outbox == []


def test_an_excel_file_is_read_like_a_csv(world: SimpleNamespace) -> None:
    data = xlsx(
        [
            ["Name", "Email", "Role"],
            ["Amina Hassan", "amina@mombasa.example", "observer"],
            ["Bad", "bad@", None],
        ]
    )
    rows, errors = cohort_parse("cohort.xlsx", data)
    assert (rows[0].row, rows[0].email, rows[0].role) == (2, "amina@mombasa.example", "observer")
    assert [(e.row, e.column) for e in errors] == [(3, "email")]
    good = xlsx([["email", "name"], ["amina@mombasa.example", "Amina Hassan"]])
    result = cohort_import(
        alliance=world.inner, filename="COHORT.XLSX", data=good, by=world.facilitator
    )
    assert result.invited == ["amina@mombasa.example"]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("cohort.pdf", b"x", "Upload a .csv or .xlsx file."),
        ("cohort.csv", b"", "The file is empty"),
        ("cohort.csv", b"name,role\nA,peer\n", "needs the columns: email"),
        ("cohort.xlsx", b"not a workbook", "not an Excel (.xlsx) file"),
        ("cohort.csv", b"email,name\n", "nobody in it"),
        ("cohort.csv", "email,name\né@x.org,É\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_unreadable_files_are_refused_with_the_fix(
    filename: str, data: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as e:
        cohort_parse(filename, data)
    assert message in e.value.message_dict["file"][0]


def test_members_and_people_without_profiles(world: SimpleNamespace) -> None:
    member = world.member_alliance.user
    data = (
        f"email,name,role\n{member.email},Member,peer\n{world.funder.email},Funder,peer\n"
    ).encode()
    with pytest.raises(ValidationError) as e:
        cohort_import(alliance=world.inner, filename="c.csv", data=data, by=world.facilitator)
    assert e.value.message_dict["file"] == [
        f"Row 3, column “role”: {world.funder.email} has no peer profile: invite them in "
        "another role."
    ]
    data = f"email,name,role\n{member.email},Member,peer\n{world.funder.email},Funder,funder\n"
    result = cohort_import(
        alliance=world.inner, filename="c.csv", data=data.encode(), by=world.facilitator
    )
    assert result.already_members == [member.email]
    assert result.invited == [world.funder.email]


def test_semicolons_are_understood(world: SimpleNamespace) -> None:
    rows, errors = cohort_parse("c.csv", b"email;name\nx@example.org;X Y\n")
    assert not errors and rows[0].name == "X Y"
