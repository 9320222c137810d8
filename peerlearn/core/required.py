"""What a form says of a required field left empty: the fix, by kind of field.

Django's own message ("This field is required.") says what is wrong but not what to do;
the error summary names the field, and the message beside it says how to fill it. Set
once for every form when the core app is ready (:func:`install_required_messages`); a
field or form that sets its own ``required`` message keeps it."""

from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: The ``required`` message per field class; subclasses inherit the nearest one.
REQUIRED_MESSAGES: dict[type[forms.Field], Promise] = {
    forms.Field: _("Fill in this field: it is required."),
    forms.ChoiceField: _("Choose one: this field is required."),
    forms.ModelChoiceField: _("Choose one: this field is required."),
    forms.MultipleChoiceField: _("Choose at least one: this field is required."),
    forms.ModelMultipleChoiceField: _("Choose at least one: this field is required."),
    forms.FileField: _("Choose a file to upload: this field is required."),
    forms.BooleanField: _("Tick this box to go on: it is required."),
}


def install_required_messages() -> None:
    """Give each field class in :data:`REQUIRED_MESSAGES` its message (a copy of the class's
    own ``default_error_messages``, so Django's dictionaries are not changed in place)."""
    for field_class, message in REQUIRED_MESSAGES.items():
        messages = dict(field_class.__dict__.get("default_error_messages", {}))
        messages["required"] = message
        field_class.default_error_messages = messages
