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
    """The fields of a form as shown: made without arguments, or else with ``None`` for
    each keyword it requires (the querysets a view passes in); ``None`` when neither works."""
    required = [
        p.name
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.kind is p.KEYWORD_ONLY and p.default is p.empty
    ]
    try:
        return cls(**dict.fromkeys(required)).fields
    except (TypeError, KeyError, AttributeError, ValueError):
        return None


def shows_djangos_dashes(field: forms.Field) -> bool:
    if isinstance(field, forms.ModelChoiceField):
        return field.empty_label == "---------"
    return any(str(label) == "---------" for _value, label in getattr(field, "choices", []))


def test_no_form_shows_djangos_dashes() -> None:
    made = [(cls, fields) for cls in project_forms() if (fields := fields_of(cls)) is not None]
    assert len(made) > 60  # every app's forms were found, and made
    shown = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls, fields in made
        for name, field in fields.items()
        # A picker lists matches, never an empty choice; a hidden field shows none.
        if not isinstance(field.widget, PickerWidget) and not field.widget.is_hidden
        if shows_djangos_dashes(field)
    ]
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
