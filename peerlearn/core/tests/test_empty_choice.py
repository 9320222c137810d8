"""Every list's empty choice reads "—", on every form: Django's own "---------" is not shown
anywhere."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django import forms

import peerlearn
from peerlearn.core.forms import EMPTY_CHOICE, dash_empty_choices
from peerlearn.core.pickers import PickerWidget

pytestmark = pytest.mark.django_db


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for module in pkgutil.walk_packages(peerlearn.__path__, "peerlearn."):
        if not module.name.endswith(".forms"):
            continue
        loaded = importlib.import_module(module.name)
        for _name, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ == loaded.__name__ and issubclass(cls, forms.BaseForm):
                found.append(cls)
    return found


def fields_of(cls: type[forms.BaseForm]) -> dict[str, Any] | None:
    """The fields of a form as shown, when the form can be made without arguments (a form
    that takes some is left out: it sets its lists in ``__init__``, from them)."""
    try:
        return cls().fields
    except (TypeError, KeyError, AttributeError):
        return None


def test_no_form_shows_djangos_dashes() -> None:
    made = [(cls, fields) for cls in project_forms() if (fields := fields_of(cls)) is not None]
    assert len(made) > 40  # every app's forms were found
    shown = []
    for cls, fields in made:
        for name, field in fields.items():
            if isinstance(field.widget, PickerWidget) or field.widget.is_hidden:
                continue  # a picker lists matches, never an empty choice; a hidden one none
            labels = [str(label) for _value, label in getattr(field, "choices", [])]
            if "---------" in labels:
                shown.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert shown == [], shown


def test_a_model_forms_nullable_lists_get_the_dash() -> None:
    from peerlearn.evidence.forms import IndicatorForm, OutcomeForm

    for form in (IndicatorForm(), OutcomeForm()):
        firsts = [
            next(iter(f.choices))[1]
            for f in form.fields.values()
            if isinstance(f, forms.Field)
            and getattr(f, "choices", None)
            and next(iter(f.choices))[0] == ""
        ]
        assert firsts and set(map(str, firsts)) == {EMPTY_CHOICE}


def test_dash_empty_choices_leaves_other_labels_alone() -> None:
    class F(forms.Form):
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
        other = forms.ChoiceField(choices=[("", "Any"), ("a", "A")], required=False)

    form = F()
    dash_empty_choices(form)
    assert list(form.fields["kind"].choices) == [("", EMPTY_CHOICE), ("a", "A")]
    assert list(form.fields["other"].choices) == [("", "Any"), ("a", "A")]
