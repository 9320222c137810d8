"""The access layer really is the only one: no module outside ``peerlearn.access`` filters by
visibility or compares a role to a string, and no template compares roles either.

The check reads the source (AST for Python, text for templates), so a new module or page is
covered without editing this test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from peerlearn.access.roles import Role

PACKAGE = Path(__file__).resolve().parents[2]
ACCESS = PACKAGE / "access"
#: Query methods whose keyword arguments decide what is returned.
QUERY_CALLS = {"filter", "exclude", "get", "Q", "get_or_create", "update_or_create", "first"}
ROLE_VALUES = set(Role.values)


def _outside_access(pattern: str) -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob(pattern)
        if ACCESS not in p.parents
        and "migrations" not in p.parts
        and "tests" not in p.parts
        # The demo's loader writes fixed data; it decides nothing about who sees it.
        and "demo" not in p.parts
    )


def _call_name(node: ast.Call) -> str:
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def visibility_filters(source: str) -> list[int]:
    """Lines where a query narrows by a visibility field.

    >>> visibility_filters("qs.filter(visibility__in=levels)")
    [1]
    >>> visibility_filters("Q(peer__visibility='public')")
    [1]
    >>> visibility_filters("Challenge(visibility=visibility)")
    []
    """
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _call_name(node) not in QUERY_CALLS:
            continue
        for kw in node.keywords:
            field = (kw.arg or "").split("__")
            if "visibility" in field:
                lines.append(node.lineno)
    return lines


def role_literals(source: str) -> list[int]:
    """Lines that compare a role (a name or attribute called ``role`` or ``*_role``) to a
    role's string value.

    >>> role_literals("if user.role == 'facilitator': pass")
    [1]
    >>> role_literals("ok = role in ('funder', 'peer')")
    [1]
    >>> role_literals("if user.role == Role.FUNDER: pass")
    []
    >>> role_literals("if kind == 'peer': pass")  # a parameter kind, not a role
    []
    """
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        if not any(_is_role(o) for o in operands):
            continue
        for operand in operands:
            values = (
                operand.elts if isinstance(operand, (ast.Tuple, ast.List, ast.Set)) else [operand]
            )
            if any(isinstance(v, ast.Constant) and v.value in ROLE_VALUES for v in values):
                lines.append(node.lineno)
    return lines


def _is_role(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name == "role" or name.endswith("_role")


@pytest.mark.parametrize("check", [visibility_filters, role_literals])
def test_no_access_decision_outside_the_access_package(check):
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in _outside_access("*.py")
        for line in check(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], (
        f"{check.__name__} outside peerlearn/access: ask the access layer instead "
        f"(a *_visible_to queryset, an access_* function or a can_* rule): {offenders}"
    )


def test_templates_compare_no_roles():
    role_test = re.compile(r"\.role\s*(==|!=|\bin\b)")
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{n}"
        for path in _outside_access("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if role_test.search(line)
    ]
    assert offenders == [], (
        f"templates must get role-based flags from the access layer: {offenders}"
    )


def test_the_checks_find_what_they_look_for():
    # A check that cannot fail proves nothing: each one flags its own target.
    assert visibility_filters("x.exclude(visibility=Visibility.PRIVATE)") == [1]
    assert role_literals("user.role != 'authoriser'") == [1]
    assert _outside_access("*.py"), "no source files found: the paths are wrong"
