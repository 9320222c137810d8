"""The rules table is the one declaration of every rule: the library's rules dataclasses,
the command line and every rule name a checker or a diagnosis reports agree with it."""

from __future__ import annotations

import argparse
import dataclasses
import re
from pathlib import Path

import pytest

from peerlearn.matching.cli import build_parser
from peerlearn.matching.rules import KINDS, RULES, Rule, defaults, rule, rules_for
from peerlearn.matching.types import GroupRules, PairRules, TeamRules

LIBRARY = Path(__file__).resolve().parents[1]
DATACLASSES = {"groups": GroupRules, "pairs": PairRules, "team": TeamRules}
#: Rule fields every dataclass has that each surface takes its own way (lists of ids).
STRUCTURED = {"excluded", "pinned"}
SCALAR = [(kind, r) for kind in KINDS for r in rules_for(kind)]


def _ids(cases: list[tuple[str, Rule]]) -> list[str]:
    return [f"{kind}-{r.name}" for kind, r in cases]


def _subparser(kind: str) -> argparse.ArgumentParser:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    parser = action.choices[kind]
    assert isinstance(parser, argparse.ArgumentParser)
    return parser


def _option(kind: str, name: str) -> argparse.Action:
    return next(a for a in _subparser(kind)._actions if a.dest == name)


@pytest.mark.parametrize("kind", KINDS)
def test_the_table_names_every_field_of_the_rules_dataclasses(kind: str) -> None:
    fields = {f.name for f in dataclasses.fields(DATACLASSES[kind])}
    assert fields - STRUCTURED == {r.name for r in rules_for(kind)}
    assert {r.name for r in RULES if kind in r.kinds and not r.scalar} >= STRUCTURED


@pytest.mark.parametrize(("kind", "r"), SCALAR, ids=_ids(SCALAR))
def test_dataclass_defaults_are_the_tables(kind: str, r: Rule) -> None:
    field = next(f for f in dataclasses.fields(DATACLASSES[kind]) if f.name == r.name)
    assert field.default == r.base_default
    assert defaults(kind)[r.name] == r.default


@pytest.mark.parametrize(("kind", "r"), SCALAR, ids=_ids(SCALAR))
def test_each_rule_is_a_command_line_flag_with_the_tables_default_and_bounds(
    kind: str, r: Rule
) -> None:
    action = _option(kind, r.name)
    assert r.flag in action.option_strings
    if r.cli_negated:
        assert action.default is True and action.const is False  # store_false
        return
    assert action.default == r.base_default
    if r.type in (int, float):
        assert callable(action.type)
        if r.minimum is not None:
            edge = r.minimum if not r.exclusive_minimum else r.minimum + 0.01
            assert action.type(str(edge)) == pytest.approx(edge)
            with pytest.raises(argparse.ArgumentTypeError):
                action.type(str(r.minimum - 1 if not r.exclusive_minimum else r.minimum))
        if r.maximum is not None:
            assert action.type(str(r.maximum)) == r.maximum
            with pytest.raises(argparse.ArgumentTypeError):
                action.type(str(r.maximum + 1))


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_line_has_no_rule_flag_outside_the_table(kind: str) -> None:
    """Every option of a subcommand is a rule of the table or one of the run's settings."""
    settings = {
        "help",
        "input",
        "out",
        "encoder",
        "cache",
        "exclude",
        "progress",
        "no_explain",
        "timings",
        "pin",
        "time_limit",
        "weights",
        "method",
        "weight",
        "groups",
        "seed",
        "processes",
        "problem",
    }
    dests = {a.dest for a in _subparser(kind)._actions}
    assert dests - settings == {r.name for r in rules_for(kind)}


def _reported(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in LIBRARY.rglob("*.py"):
        if "tests" not in path.relative_to(LIBRARY).parts:
            found |= set(re.findall(pattern, path.read_text()))
    return found


def test_every_rule_a_checker_or_a_diagnosis_names_has_a_label() -> None:
    violations = _reported(r'Violation\(\s*"([a-z_]+)"')
    diagnoses = _reported(r'Diagnosis\(\s*"([a-z_]+)"') | _reported(r'\(\s*"([a-z_]+)",\s*\{"')
    assert {"size", "max_per_org", "provider_capacity", "duplicate"} <= violations
    assert "min_senior" in diagnoses
    named = {r.name for r in RULES}
    assert violations - named == set()
    assert diagnoses - named == set()
    assert all(r.short for r in RULES)


def test_bounds_are_checked_as_declared() -> None:
    share = rule("max_gender_share")
    assert not share.accepts(0) and share.accepts(0.01) and share.accepts(1)
    assert not share.accepts(1.01)
    assert rule("min_senior").accepts(0) and not rule("min_senior").accepts(-1)
    assert rule("min_size").bounds_text() == "at least 2 and at most 100"
