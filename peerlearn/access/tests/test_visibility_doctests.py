"""The visibility module's examples are run: they are its tests of the levels' words."""

from __future__ import annotations

import doctest

from django.utils import translation

from peerlearn.access import visibility


def test_visibility_examples_hold() -> None:
    with translation.override("en"):
        result = doctest.testmod(visibility, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 6
    assert result.failed == 0
