"""Read peer records (JSON array, JSON Lines or CSV) and weight matrices, strictly.

Every problem is reported as an :class:`InputError` naming the record (1-based, as a user
counts rows; CSV rows count the header as row 1) and the field, so a facilitator can fix a
spreadsheet without reading code.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from peerlearn.matching.types import ROLES, Peer, Role

REQUIRED = (
    "id",
    "organisation",
    "country",
    "languages",
    "seniority",
    "reform_stage",
    "role",
    "challenge",
    "experience",
)
OPTIONAL = ("name", "organisation_type", "gender", "theme")


class InputError(ValueError):
    """Bad input; ``row`` and ``field`` say where (either may be None for file-level errors)."""

    def __init__(self, message: str, row: int | None = None, field: str | None = None) -> None:
        self.row = row
        self.field = field
        where = []
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


@cache
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def _languages() -> frozenset[str]:
    import pycountry

    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def _records(path: Path) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(row number, record) pairs from whichever of the three formats the file holds."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text ({exc.reason})") from None
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise InputError(f"malformed JSON: {exc.msg}", row=None) from None
        for n, item in enumerate(data, start=1):
            if not isinstance(item, dict):
                raise InputError("each element of the JSON array must be an object", row=n)
            yield n, item
    elif stripped.startswith("{"):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"malformed JSON line: {exc.msg}", row=n) from None
            if not isinstance(item, dict):
                raise InputError("each JSON line must be an object", row=n)
            yield n, item
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames:
            raise InputError(f"{path} is empty")
        header = [h.strip() for h in reader.fieldnames]
        reader.fieldnames = header
        for n, item in enumerate(reader, start=2):
            if None in item:
                raise InputError("the row has more cells than the header", row=n)
            if any(v is None for v in item.values()):
                raise InputError("the row has fewer cells than the header", row=n)
            yield n, item


def _text(record: Mapping[str, Any], field: str, row: int, required: bool) -> str:
    if field not in record:
        if required:
            raise InputError("missing field", row, field)
        return ""
    value = record[field]
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InputError(f"expected text, got {type(value).__name__}", row, field)
    return value.strip()


def _level(record: Mapping[str, Any], field: str, row: int) -> int:
    if field not in record:
        raise InputError("missing field", row, field)
    value = record[field]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"expected a whole number from 1 to 5, got {value!r}", row, field
        ) from None
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= 5:
        raise InputError(f"expected a whole number from 1 to 5, got {value!r}", row, field)
    return int(number)


def _language_list(record: Mapping[str, Any], row: int) -> tuple[str, ...]:
    if "languages" not in record:
        raise InputError("missing field", row, "languages")
    raw = record["languages"]
    if isinstance(raw, str):
        items = [part.strip() for part in raw.replace(",", ";").split(";")]
    elif isinstance(raw, list):
        items = [str(part).strip() for part in raw]
    else:
        raise InputError("expected a list of ISO 639-1 codes", row, "languages")
    codes = [item.lower() for item in items if item]
    if not codes:
        raise InputError("at least one language is needed", row, "languages")
    for code in codes:
        if code not in _languages():
            raise InputError(f"unknown ISO 639-1 language code {code!r}", row, "languages")
    return tuple(dict.fromkeys(codes))


def parse_peer(record: Mapping[str, Any], row: int) -> Peer:
    """One validated :class:`Peer` from a raw record."""
    pid = _text(record, "id", row, True)
    if not pid:
        raise InputError("the id is empty", row, "id")
    country = _text(record, "country", row, True).upper()
    if country not in _countries():
        raise InputError(f"unknown ISO 3166-1 alpha-2 country code {country!r}", row, "country")
    role = _text(record, "role", row, True).lower()
    if role not in ROLES:
        raise InputError(f"expected one of {', '.join(ROLES)}, got {role!r}", row, "role")
    role_value: Role = (
        "seeker" if role == "seeker" else "provider" if role == "provider" else "both"
    )
    return Peer(
        id=pid,
        name=_text(record, "name", row, False),
        organisation=_text(record, "organisation", row, True),
        organisation_type=_text(record, "organisation_type", row, False),
        country=country,
        languages=_language_list(record, row),
        gender=_text(record, "gender", row, False).lower(),
        seniority=_level(record, "seniority", row),
        reform_stage=_level(record, "reform_stage", row),
        challenge=_text(record, "challenge", row, True),
        experience=_text(record, "experience", row, True),
        role=role_value,
        theme=_text(record, "theme", row, False),
    )


def read_peers(path: str | Path) -> list[Peer]:
    """All peers of a file; raises :class:`InputError` on the first problem.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "peers.csv")
    >>> _ = open(p, "w").write("id,organisation,country,languages,seniority,reform_stage,"
    ...     "role,challenge,experience\\n1,KRA,KE,en;sw,4,2,both,audits,e-filing\\n")
    >>> read_peers(p)[0].languages
    ('en', 'sw')
    """
    peers: list[Peer] = []
    seen: dict[str, int] = {}
    for row, record in _records(Path(path)):
        peer = parse_peer(record, row)
        if peer.id in seen:
            raise InputError(
                f"duplicate id {peer.id!r} (first seen in row {seen[peer.id]})", row, "id"
            )
        seen[peer.id] = row
        peers.append(peer)
    if not peers:
        raise InputError(f"{path} holds no peer records")
    return peers


def read_weights(path: str | Path) -> tuple[list[str], NDArray[np.float64]]:
    """A square weight matrix from CSV whose first row and first column are the ids."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if len(rows) < 2:
        raise InputError("the weight matrix needs a header row and at least one data row")
    ids = [cell.strip() for cell in rows[0][1:]]
    if len(set(ids)) != len(ids):
        raise InputError("duplicate id in the header row", row=1)
    n = len(ids)
    if len(rows) - 1 != n:
        raise InputError(f"the header names {n} ids but there are {len(rows) - 1} data rows")
    matrix = np.zeros((n, n))
    for r, line in enumerate(rows[1:], start=2):
        if len(line) != n + 1:
            raise InputError(f"expected {n + 1} cells, got {len(line)}", row=r)
        if line[0].strip() != ids[r - 2]:
            raise InputError(
                f"row id {line[0].strip()!r} does not match column id {ids[r - 2]!r}",
                row=r,
                field="id",
            )
        for c, cell in enumerate(line[1:]):
            try:
                value = float(cell)
            except ValueError:
                raise InputError(f"not a number: {cell!r}", row=r, field=ids[c]) from None
            if not math.isfinite(value):
                raise InputError(f"not a finite number: {cell!r}", row=r, field=ids[c])
            matrix[r - 2, c] = value
    return ids, matrix
