"""An error summary's links lead to a control the person can fix."""

from __future__ import annotations

import doctest

from peerlearn.core.templatetags import form_targets


def test_doctests() -> None:
    result = doctest.testmod(form_targets)
    assert result.attempted > 0 and result.failed == 0
