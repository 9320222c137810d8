"""Helpers shared by the web forms."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from peerlearn.core.choices import PartnershipType
from peerlearn.core.models import Theme
from peerlearn.core.pickers import folded


class DateInput(forms.DateInput):
    """The browser's date field. It reads and sends ISO dates (2027-03-14) whatever the
    page's language, so its value is written in ISO too: in the reader's format
    ("14/03/2027" in French) the browser shows the field empty, and saving the form as it
    stands erases the date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


#: The empty choice of a list: a dash, the same in every language and on every form
#: (Django's own is "---------").
EMPTY_CHOICE = "—"


F = TypeVar("F", bound=forms.Field)


def needed(field: F) -> F:
    """Mark a field the form takes empty but the page still needs: answered in another
    part of the page, needed for some answers of another field only, or checked by the
    service with the form's other fields so that every problem is named in one round. Its
    label is not marked "(optional)" (``core.templatetags.form_targets.field_label``)."""
    field.needed = True  # type: ignore[attr-defined]
    return field


def dash_empty_choices(form: forms.BaseForm) -> None:
    """Name the empty choice of ``form``'s lists ``EMPTY_CHOICE``, as on every other form:
    for the fields a model form makes from nullable keys or optional choices."""
    for field in form.fields.values():
        if getattr(field, "empty_label", None) == "---------":
            field.empty_label = EMPTY_CHOICE  # type: ignore[attr-defined]
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
            field.choices = [
                ("", EMPTY_CHOICE) if (value, label) == ("", "---------") else (value, label)
                for value, label in choices
            ]


def theme_filter_field() -> forms.ModelChoiceField[Theme]:
    """The optional theme filter every list page offers, by slug."""
    return forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any theme"),
    )


def partnership_type_filter_field() -> forms.ChoiceField:
    """The optional Type I / Type II filter."""
    return forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any type")), *PartnershipType.choices], required=False
    )


def form_add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: to the field it names when the form
    has that field, otherwise to the form as a whole (the message names what to fix; the
    service's key, an internal name such as ``ranks``, is not shown)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        if field in form.fields:
            for message in errors:
                form.add_error(field, message)
        else:
            for message in errors:
                form.add_error(None, message)


def form_add_problems(
    form: forms.BaseForm, problems: Mapping[str, list[str]], *, skip: Collection[str] = ()
) -> None:
    """Attach a service's ``*_problems`` (errors by field, from the fields the form could
    read) in ``clean()``, to the fields that have no error of their own yet, so that every
    error shows in one round; fields in ``skip``, or not on the form, are left alone."""
    for field, messages in problems.items():
        if field in form.fields and field not in form.errors and field not in skip:
            for message in messages:
                form.add_error(field, message)


class ByNameIterator(ModelChoiceIterator):
    """The choices in the alphabetical order of the names shown, in the reader's language,
    whatever their case and accents ("Åland Islands" among the A's, "Côte d’Ivoire" after
    Costa Rica), not in the order of the names stored (Country and Language rows are stored
    in English under ISO names: "Bonaire, Sint Eustatius and Saba" shows as "Caribbean
    Netherlands", "Chichewa" as "Nyanja", "Germany" as "Allemagne" in French)."""

    def __iter__(self) -> Iterator[Any]:
        choices = list(super().__iter__())
        head = choices[:1] if self.field.empty_label is not None else []
        yield from head
        yield from sorted(choices[len(head) :], key=lambda choice: folded(str(choice[1])))


class ModelChoiceByName(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one row, listed by the names shown (:class:`ByNameIterator`)."""

    iterator = ByNameIterator


class ModelMultipleChoiceByName(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of several rows, listed by the names shown (:class:`ByNameIterator`)."""

    iterator = ByNameIterator
