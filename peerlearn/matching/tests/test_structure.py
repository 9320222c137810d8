"""The library's structure, checked from its source: checkers share no code with solvers,
nothing imports Django, and no module of the grouping package outgrows a reader."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]  # peerlearn/matching
PACKAGE = "peerlearn.matching"
CHECKS = f"{PACKAGE}.checks"
CHECKER_NAMES = {"check_groups", "check_pairs", "check_team"}
#: What the checkers may read besides the standard library: the rule definitions.
CHECKS_MAY_IMPORT = {f"{PACKAGE}.types", f"{PACKAGE}.messages"}
#: Modules that only judge candidate groups, and build none of the groups a matching
#: returns, so they may ask the checkers: whether a diagnosis's relaxation places anyone.
JUDGES = {f"{PACKAGE}.groups.relaxations"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] == "tests":
            continue
        parts = [PACKAGE, *rel.with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """Modules ``name`` imports (``from X import y`` counts X, and X.y when that is a
    module), anywhere in the file, relative imports resolved."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            for alias in node.names:
                found.add(f"{base}.{alias.name}")
                if base == PACKAGE and alias.name in CHECKER_NAMES:
                    found.add(CHECKS)  # the facade re-exports the checkers
    return found


def _library_imports(name: str) -> set[str]:
    return {m for m in _imports(name) if m in MODULES and m != name}


def test_the_walk_finds_the_solvers_and_the_checkers() -> None:
    assert {CHECKS, f"{PACKAGE}.groups.search", f"{PACKAGE}.pairs", f"{PACKAGE}.team"} <= set(
        MODULES
    )
    assert CHECKS in _library_imports(PACKAGE)  # the facade re-exports them
    assert set(MODULES) >= JUDGES


@pytest.mark.parametrize("name", sorted(set(MODULES) - {PACKAGE, CHECKS} - JUDGES))
def test_no_solver_imports_the_checkers(name: str) -> None:
    assert CHECKS not in _imports(name), f"{name} imports the checkers"


def test_the_checkers_import_no_solver() -> None:
    reached: set[str] = set()
    todo = [CHECKS]
    while todo:
        for dep in _library_imports(todo.pop()) - reached:
            if dep != PACKAGE:  # importing a submodule runs the facade; its code is not used
                reached.add(dep)
                todo.append(dep)
    assert reached <= CHECKS_MAY_IMPORT, sorted(reached - CHECKS_MAY_IMPORT)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_library_is_pure(name: str) -> None:
    assert not any(m == "django" or m.startswith("django.") for m in _imports(name))


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m.startswith(f"{PACKAGE}.groups")))
def test_grouping_modules_stay_readable(name: str) -> None:
    assert len(MODULES[name].read_text().splitlines()) <= 600
