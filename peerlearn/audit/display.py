"""The audit trail in words, for the administrators' page: object types under their models'
names, and each event's detail as short plain text instead of its stored JSON.

Everything here reads the models' metadata only, never the database: the page's query
count does not grow with the events it shows. Exports (the CSV download, a person's own
data) keep the stored codes and JSON, which machines read.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from peerlearn.audit.models import AuditEvent
from peerlearn.core.dates import date_format

#: Shown for a value that is empty or not set.
EMPTY = "—"

#: Object types that name no model: what an export or a bulk read covered.
OTHER_OBJECT_TYPES: dict[str, Any] = {
    "matchmaking.peer_records": gettext_lazy("Peer records for matching"),
    "reports.alliance_report": gettext_lazy("Alliance report"),
    "reports.open_data": gettext_lazy("Open data"),
}

#: Keys of the events' own details (not field changes), in words.
DETAIL_KEYS: dict[str, Any] = {
    "alliance": gettext_lazy("alliance"),
    "audience": gettext_lazy("audience"),
    "command": gettext_lazy("command"),
    "count": gettext_lazy("count"),
    "created": gettext_lazy("created"),
    "event": gettext_lazy("event"),
    "fields": gettext_lazy("fields"),
    "files": gettext_lazy("files"),
    "filters": gettext_lazy("filters"),
    "for_user_id": gettext_lazy("for user"),
    "format": gettext_lazy("format"),
    "from": gettext_lazy("from"),
    "open": gettext_lazy("questions left open"),
    "to": gettext_lazy("to"),
    "include_alliance": gettext_lazy("includes alliances"),
    "organisation": gettext_lazy("organisation"),
    "os_user": gettext_lazy("system user"),
    "out": gettext_lazy("written to"),
    "path": gettext_lazy("address"),
    "post": gettext_lazy("post"),
    "query": gettext_lazy("query"),
    "reader": gettext_lazy("reader"),
    "recipient": gettext_lazy("recipient"),
    "resource": gettext_lazy("resource"),
    "role": gettext_lazy("role"),
    "seed": gettext_lazy("seed"),
    "source": gettext_lazy("source"),
    "successor": gettext_lazy("successor"),
    "thread": gettext_lazy("thread"),
    "user": gettext_lazy("user"),
    "visibility": gettext_lazy("visibility"),
}

#: Per object type, the detail keys whose stored codes are choices, with their labels.
#: Apps register theirs (:func:`detail_choices_register`), so this module imports none.
DETAIL_CHOICES: dict[str, dict[str, dict[str, Any]]] = {}


def detail_choices_register(object_type: str, **choices: Iterable[tuple[Any, Any]]) -> None:
    """Show the detail key ``name`` of ``object_type``'s events by the labels of its
    ``choices`` (``detail_choices_register("alliances.learningalliance", to=AllianceStage.
    choices)``), instead of the stored code."""
    registered = DETAIL_CHOICES.setdefault(object_type, {})
    for key, pairs in choices.items():
        registered[key] = {str(code): label for code, label in pairs}


#: Detail keys whose value is the id of a record.
ID_KEYS = frozenset(
    {
        "alliance",
        "for_user_id",
        "organisation",
        "post",
        "reader",
        "recipient",
        "resource",
        "successor",
        "thread",
        "user",
    }
)


def model_of(object_type: str) -> type[models.Model] | None:
    """The model an object type ("app_label.modelname") names, if it names one."""
    if not object_type or object_type.count(".") != 1:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """An object type in words: its model's name ("Learning alliance"), or what it stands
    for; the code itself when it is unknown."""
    if not object_type:
        return ""
    if object_type in OTHER_OBJECT_TYPES:
        return str(OTHER_OBJECT_TYPES[object_type])
    model = model_of(object_type)
    if model is None:
        return object_type
    return str(capfirst(model._meta.verbose_name))


def object_type_choices(object_types: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) for each distinct object type, by name; two codes with the same name
    are told apart by their codes."""
    codes = sorted({t for t in object_types if t})
    labels = {code: object_type_label(code) for code in codes}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    choices = [
        (code, label if seen[label] == 1 or label == code else f"{label} ({code})")
        for code, label in labels.items()
    ]
    return sorted(choices, key=lambda c: (c[1].casefold(), c[0]))


def object_text(event: AuditEvent) -> str:
    """The Object column: the type's name and the object's id."""
    if not event.object_type:
        return EMPTY
    label = object_type_label(event.object_type)
    return f"{label} #{event.object_id}" if event.object_id else label


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == "None" or value in ({}, [])


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _datetime_text(value: str) -> str | None:
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):  # django-auditlog stores UTC without the offset
        parsed = parsed.replace(tzinfo=UTC)
    return date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")


def _date_text(value: str) -> str | None:
    try:
        parsed = parse_date(value)
    except ValueError:
        return None
    return date_format(parsed, "SHORT_DATE_FORMAT") if parsed is not None else None


def _plain(value: Any) -> str:
    """Any stored value, in words."""
    if _is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def field_value_text(field: Any, value: Any) -> str:
    """A value django-auditlog recorded for ``field`` (a string, mostly), in words: the
    choice's label, yes or no, a record's id, a file's name, a date; "—" when empty."""
    if _is_empty(value):
        return EMPTY
    if field is None:
        return _plain(value)
    text = str(value)
    if getattr(field, "choices", None):
        for code, label in field.flatchoices:
            if str(code) == text:
                return str(label)
    if isinstance(field, models.BooleanField):
        if text in ("True", "False"):
            return _("yes") if text == "True" else _("no")
    elif field.is_relation:
        return f"#{text}"
    elif isinstance(field, models.FileField):
        return posixpath.basename(text) or text
    elif isinstance(field, models.DateTimeField):
        return _datetime_text(text) or text
    elif isinstance(field, models.DateField):
        return _date_text(text) or text
    return _plain(value)


def _field_label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    label = getattr(field, "verbose_name", None)
    return str(label) if label else name.replace("_", " ")


def _colon() -> str:
    """A colon as the reader's language writes it (French puts a non-breaking space
    before it)."""
    return pgettext("before a colon-introduced detail", ":")


def changes_text(model: type[models.Model] | None, changes: dict[str, Any]) -> list[str]:
    """Each recorded field change as "field: before → after", leaving out those that
    changed nothing visible (``None`` to ``None``, empty to empty)."""
    parts = []
    for name, change in changes.items():
        field = _field(model, name)
        if isinstance(change, (list, tuple)) and len(change) == 2:
            before, after = (field_value_text(field, v) for v in change)
            if before == after:
                continue
            text = f"{before} → {after}"
        else:  # a many-to-many change, or a shape this page does not know
            text = _plain(change)
        parts.append(f"{_field_label(model, name)}{_colon()} {text}")
    return parts


def _detail_value_text(
    model: type[models.Model] | None, key: str, value: Any, object_type: str = ""
) -> str:
    labels = DETAIL_CHOICES.get(object_type, {}).get(key)
    if labels is not None and str(value) in labels:
        return str(labels[str(value)])
    if key in ID_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return f"#{value}"
    if key == "event" and isinstance(value, str):
        return value.replace("_", " ")
    field = _field(model, key)
    if field is not None and not field.is_relation:
        return field_value_text(field, value)
    return _plain(value)


def detail_text(event: AuditEvent) -> str:
    """The Detail column: what the event's stored detail says, in words."""
    detail = event.detail
    if not isinstance(detail, dict):
        return EMPTY if _is_empty(detail) else _plain(detail)
    model = model_of(event.object_type)
    parts: list[str] = []
    changes = detail.get("changes")
    if isinstance(changes, dict):
        parts += changes_text(model, changes)
    for key, value in detail.items():
        if key == "changes" and isinstance(changes, dict):
            continue
        label = str(DETAIL_KEYS.get(key, key.replace("_", " ")))
        value_text = _detail_value_text(model, key, value, event.object_type)
        parts.append(f"{label}{_colon()} {value_text}")
    if not parts:
        return EMPTY
    return str(capfirst("; ".join(parts)))
