"""The run form, the API's input schema, the service that validates a run's rules and the
explanations' rule labels are all built from the rules table (peerlearn.matching.rules):
each rule appears in each surface with the table's label, default and bounds, and no
surface has a rule the table lacks."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from peerlearn.api import api
from peerlearn.matching.rules import KINDS, RULES, Rule, default_text, rules_for
from peerlearn.matchmaking.explanations import rule_label
from peerlearn.matchmaking.forms import RULES_SHOWN, RunForm
from peerlearn.matchmaking.schemas import RULE_NAMES, RunIn
from peerlearn.matchmaking.services import RULE_DEFAULTS, rules_clean

SHOWN = list(RULES_SHOWN)
BY_KIND = [(kind, r) for kind in KINDS for r in rules_for(kind)]
#: RunIn fields that are not rules: the pool, what to form, what proposals become.
RUN_SETTINGS = {
    "kind",
    "source",
    "theme",
    "alliance",
    "call",
    "pool_country",
    "pool_language",
    "pool_stage",
    "problem",
    "pinned",
    "target_alliance",
    "alliance_name",
    "method",
    "weights",
}


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def _run_in_schema() -> dict[str, Any]:
    schema: dict[str, Any] = api.get_openapi_schema()["components"]["schemas"]["RunIn"]
    return schema


def _numeric(prop: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of an optional field's JSON schema."""
    return next(branch for branch in prop["anyOf"] if branch.get("type") != "null")


def test_every_surface_takes_exactly_the_tables_rules() -> None:
    names = {r.name for r in SHOWN}
    assert set(RULE_NAMES) == names
    assert set(RunIn.model_fields) - RUN_SETTINGS == names
    assert names <= set(RunForm.base_fields)
    for kind in KINDS:
        assert list(RULE_DEFAULTS[kind]) == [r.name for r in rules_for(kind)]


@pytest.mark.parametrize("r", SHOWN, ids=[r.name for r in SHOWN])
def test_the_form_field_is_the_tables(r: Rule) -> None:
    field = RunForm.base_fields[r.name]
    assert str(field.label) == r.label
    assert str(field.help_text) == r.help
    assert not field.required
    if r.type is bool:
        assert isinstance(field, forms.BooleanField)
        assert bool(field.initial) == bool(r.default)
    elif r.country:
        assert isinstance(field, forms.ModelChoiceField)
        assert field.to_field_name == "code"
    else:
        assert isinstance(field, forms.IntegerField)
        scale = 100 if r.percent else 1
        expected_low = None if r.minimum is None else r.minimum * scale + int(r.exclusive_minimum)
        assert field.min_value == expected_low
        assert field.max_value == (None if r.maximum is None else r.maximum * scale)
        assert field.initial == r.default


@pytest.mark.parametrize("r", SHOWN, ids=[r.name for r in SHOWN])
def test_the_api_field_is_the_tables_with_its_bounds_in_the_openapi_schema(r: Rule) -> None:
    field = RunIn.model_fields[r.name]
    assert field.default is None  # left out: the table's default applies
    prop = _run_in_schema()["properties"][r.name]
    assert f"Default: {default_text(r)}." in prop["description"]
    assert ", ".join(r.kinds) in prop["description"] or len(r.kinds) == len(KINDS)
    branch = _numeric(prop)
    expected_type = {bool: "boolean", int: "integer", float: "number", str: "string"}[r.type]
    assert branch["type"] == expected_type
    if r.minimum is not None:
        key = "exclusiveMinimum" if r.exclusive_minimum else "minimum"
        assert branch[key] == r.minimum
    if r.maximum is not None:
        assert branch["maximum"] == r.maximum
    if r.country:
        assert branch["maxLength"] == 2


@pytest.mark.parametrize(("kind", "r"), BY_KIND, ids=[f"{k}-{r.name}" for k, r in BY_KIND])
def test_the_service_applies_the_tables_default_and_bounds(kind: str, r: Rule) -> None:
    assert rules_clean(kind=kind, rules={})[r.name] == r.default
    if r.type is not int:
        return
    for inside in (r.minimum, r.maximum):
        if inside is not None:
            assert rules_clean(kind=kind, rules={r.name: inside})[r.name] == inside
    for outside in (
        None if r.minimum is None else r.minimum - 1,
        None if r.maximum is None else r.maximum + 1,
    ):
        if outside is not None:
            with pytest.raises(ValidationError) as caught:
                rules_clean(kind=kind, rules={r.name: outside})
            assert r.name in caught.value.message_dict


@pytest.mark.parametrize("r", RULES, ids=[r.name for r in RULES])
def test_the_explanations_name_each_rule_as_the_table_does(r: Rule) -> None:
    assert rule_label(r.name) == r.short
    with translation.override("fr"):
        assert rule_label(r.name) != r.short  # translated


def test_a_new_rule_gets_a_form_field_and_an_api_field_from_its_entry() -> None:
    """What adding a rule to the table gives the platform, shown on an entry of its own."""
    from peerlearn.matchmaking.forms import rule_form_field
    from peerlearn.matchmaking.schemas import _rule_field

    new = Rule(
        "max_per_country",
        int,
        ("groups",),
        short="peers from one country",
        label="At most this many peers from one country",
        minimum=1,
        maximum=30,
    )
    field = rule_form_field(new)
    assert isinstance(field, forms.IntegerField)
    assert (str(field.label), field.min_value, field.max_value) == (new.label, 1, 30)
    annotation, api_field = _rule_field(new)
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(annotation)
    assert adapter.validate_python(30) == 30 and adapter.validate_python(None) is None
    for refused in (31, 0, True):
        with pytest.raises(ValidationError):
            adapter.validate_python(refused)
    assert api_field.default is None
    assert "groups: At most this many peers from one country." in api_field.description
