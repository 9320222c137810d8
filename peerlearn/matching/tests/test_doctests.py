"""The examples in the library's docstrings run and give what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import peerlearn.matching

NAMES = sorted(
    ["peerlearn.matching"]
    + [
        m.name
        for m in pkgutil.walk_packages(peerlearn.matching.__path__, "peerlearn.matching.")
        if ".tests" not in m.name and not m.name.endswith("__main__")
    ]
)


@pytest.mark.parametrize("name", NAMES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"
