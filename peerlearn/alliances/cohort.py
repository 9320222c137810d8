"""Inviting a whole cohort from a CSV or Excel (.xlsx) file.

The file has a header row with the columns ``email`` and ``name`` (required) and ``role``
(optional: a role's code or its English or translated label; peer learner when empty).
Every row is checked before anything is written; the errors name the row (as a
spreadsheet numbers it, the header being row 1) and the column. Nothing is imported unless
every row is valid, and an address that already has an open invitation, or belongs to a
member, is not e-mailed again."""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from peerlearn.accounts.models import User
from peerlearn.alliances.models import InvitationSource, LearningAlliance, MemberRole

#: Rows one file may hold.
MAX_ROWS = 500
#: Bytes one file may hold.
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = ("email", "name", "role")
REQUIRED = ("email", "name")


@dataclass(frozen=True)
class CohortRow:
    row: int  # as the spreadsheet numbers it (the header is row 1)
    email: str
    name: str
    role: str


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class CohortResult:
    invited: list[str] = field(default_factory=list)  # addresses e-mailed now
    already_invited: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)


def _role_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in MemberRole.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    lookup["peer"] = MemberRole.PEER
    return lookup


def _read_rows(filename: str, data: bytes) -> list[list[str]]:
    """The file's cells as text, row by row (the header first)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise ValidationError(
                {"file": [_("This is not an Excel (.xlsx) file that can be read.")]}
            ) from None
        sheet = book.worksheets[0]
        rows = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        book.close()
        return rows
    if name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                {"file": [_("Save the CSV file as UTF-8 text and upload it again.")]}
            ) from None
        dialect: type[csv.Dialect] | csv.Dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise ValidationError({"file": [_("Upload a .csv or .xlsx file.")]})


def cohort_parse(filename: str, data: bytes) -> tuple[list[CohortRow], list[RowError]]:
    """The rows of a cohort file and every error in it, by row and column."""
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": [_("The file is larger than 2 MB: split the cohort.")]})
    rows = _read_rows(filename, data)
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationError(
            {"file": [_("The file is empty: add a header row and one row per person.")]}
        )
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationError(
            {
                "file": [
                    _("The header row (row 1) needs the columns: %(columns)s.")
                    % {"columns": ", ".join(missing)}
                ]
            }
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError({"file": [_("At most %(n)d people per file.") % {"n": MAX_ROWS}]})
    at = {c: header.index(c) for c in COLUMNS if c in header}
    roles = _role_lookup()
    parsed: list[CohortRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue

        def cell(column: str, cells: list[str] = cells) -> str:
            i = at.get(column)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        email, name, role_text = cell("email").lower(), cell("name"), cell("role")
        if not email:
            errors.append(RowError(number, "email", _("the e-mail address is missing.")))
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    RowError(
                        number,
                        "email",
                        _("“%(value)s” is not an e-mail address.") % {"value": email},
                    )
                )
            else:
                if email in seen:
                    errors.append(
                        RowError(
                            number,
                            "email",
                            _("the same address is on row %(row)d.") % {"row": seen[email]},
                        )
                    )
                else:
                    seen[email] = number
        if not name:
            errors.append(RowError(number, "name", _("the name is missing.")))
        elif len(name) > 200:
            errors.append(RowError(number, "name", _("the name is longer than 200 characters.")))
        role = roles.get(role_text.lower()) if role_text else MemberRole.PEER
        if role is None:
            errors.append(
                RowError(
                    number,
                    "role",
                    _("“%(value)s” is not a role; use one of: %(roles)s.")
                    % {"value": role_text, "roles": ", ".join(MemberRole.values)},
                )
            )
        parsed.append(CohortRow(row=number, email=email, name=name, role=role or ""))
    # A peer learner must have (or create) a peer profile; someone on the platform with
    # another role and no profile cannot be one.
    existing = {
        u.email.lower(): u
        for u in User.objects.filter(email__in=[r.email for r in parsed if r.email])
    }
    for r in parsed:
        user = existing.get(r.email)
        if user is not None and r.role == MemberRole.PEER and not hasattr(user, "peer_profile"):
            errors.append(
                RowError(
                    r.row,
                    "role",
                    _("%(email)s has no peer profile: invite them in another role.")
                    % {"email": r.email},
                )
            )
    if not parsed and not errors:
        raise ValidationError({"file": [_("The file has a header but nobody in it.")]})
    return parsed, sorted(errors, key=lambda e: (e.row, COLUMNS.index(e.column)))


@transaction.atomic
def cohort_import(
    *,
    alliance: LearningAlliance,
    filename: str,
    data: bytes | IO[bytes],
    by: User | None,
    site_url: str = "",
) -> CohortResult:
    """Check every row, then invite everyone — or nobody, if any row is wrong (the
    ``ValidationError`` lists every error under ``file``)."""
    from peerlearn.alliances.services import (
        alliance_change_record,
        alliance_closed_problems,
        alliance_invite_email,
    )

    if problems := alliance_closed_problems(alliance, field="file"):
        raise ValidationError(problems)
    raw = data if isinstance(data, bytes) else data.read()
    rows, errors = cohort_parse(filename, raw)
    if errors:
        raise ValidationError({"file": [str(e) for e in errors]})
    result = CohortResult()
    members = {e.lower() for e in alliance.memberships.values_list("user__email", flat=True) if e}
    for r in rows:
        if r.email in members:
            result.already_members.append(r.email)
            continue
        invitation = alliance_invite_email(
            alliance=alliance,
            email=r.email,
            name=r.name,
            role=r.role,
            by=by,
            site_url=site_url,
            source=InvitationSource.IMPORT,
        )
        (result.invited if invitation is not None else result.already_invited).append(r.email)
    alliance_change_record(
        alliance,
        by,
        "cohort_imported",
        invited=len(result.invited),
        skipped=len(result.already_invited) + len(result.already_members),
    )
    return result
