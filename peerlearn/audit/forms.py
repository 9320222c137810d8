"""The audit trail's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.audit.display import object_type_choices
from peerlearn.audit.models import AuditAction
from peerlearn.audit.selectors import AuditFilters, audit_object_types
from peerlearn.core.forms import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=150,
        help_text=_("A user name, part of a name, or a pseudonymous key."),
    )
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *AuditAction.choices]
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [  # type: ignore[attr-defined]
            ("", _("Any type")),
            *object_type_choices(audit_object_types()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("The end date is before the start date: choose a later end date.")
            )
        return data

    def filters(self) -> AuditFilters:
        """The filters of a valid form (an invalid one filters nothing)."""
        if not self.is_valid():
            return AuditFilters()
        d = self.cleaned_data
        return AuditFilters(
            actor=d.get("actor") or "",
            action=d.get("action") or "",
            object_type=d.get("object_type") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )
