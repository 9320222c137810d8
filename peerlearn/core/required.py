"""What a form says of a required field left empty, or of a date, number or address it
cannot read: the fix, by kind of field.

Django's own messages ("This field is required.", "Enter a valid date.") say what is wrong
but not what to do; the error summary names the field, and the message beside it says how
to fill it. Set once for every form when the core app is ready
(:func:`install_required_messages`); a field or form that sets its own message keeps it."""

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


#: The ``invalid`` message per field class: an example of what the field reads. (A date
#: field's browser widget posts ISO dates; a date typed by hand is read in that form too.)
INVALID_MESSAGES: dict[type[forms.Field], Promise] = {
    forms.DateField: _("Enter a date such as 2027-03-14."),
    forms.DateTimeField: _("Enter a date and time such as 2027-03-14 09:30."),
    forms.TimeField: _("Enter a time such as 09:30."),
    forms.IntegerField: _("Enter a whole number, such as 12."),
    forms.DecimalField: _("Enter a number, such as 12.5."),
    forms.FloatField: _("Enter a number, such as 12.5."),
    forms.EmailField: _("Enter an e-mail address such as name@example.org."),
    forms.URLField: _("Enter a web address such as https://example.org."),
}


#: Other messages of Django's that say what is wrong but not what to do.
OTHER_MESSAGES: dict[str, dict[type[forms.Field], Promise]] = {
    "max_length": {
        forms.CharField: _(
            "Shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."
        )
    },
    "min_length": {
        forms.CharField: _("Write at least %(limit_value)d characters (it has %(show_value)d).")
    },
    # A number's bounds (``min_value``, ``max_value`` on a number field; a field's own
    # message replaces its validator's, and decimal and float fields inherit these).
    "min_value": {forms.IntegerField: _("Enter %(limit_value)s or more.")},
    "max_value": {forms.IntegerField: _("Enter %(limit_value)s or less.")},
    "invalid_choice": {
        forms.ChoiceField: _("“%(value)s” is not one of the choices: choose one from the list."),
        forms.MultipleChoiceField: _(
            "“%(value)s” is not one of the choices: choose from the list."
        ),
        forms.ModelChoiceField: _("That choice is not available: choose one from the list."),
        forms.ModelMultipleChoiceField: _(
            "“%(value)s” is not one of the choices: choose from the list."
        ),
    },
}


def install_required_messages() -> None:
    """Give each field class in :data:`REQUIRED_MESSAGES` and :data:`INVALID_MESSAGES` its
    messages (a copy of the class's own ``default_error_messages``, so Django's
    dictionaries are not changed in place)."""
    tables = [("required", REQUIRED_MESSAGES), ("invalid", INVALID_MESSAGES)]
    tables += list(OTHER_MESSAGES.items())
    for key, table in tables:
        for field_class, message in table.items():
            messages = dict(field_class.__dict__.get("default_error_messages", {}))
            messages[key] = message
            field_class.default_error_messages = messages
