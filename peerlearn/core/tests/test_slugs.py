"""Slugs keep apart the words a dash or slash separated."""

from __future__ import annotations

import doctest

from peerlearn.core import slugs
from peerlearn.core.slugs import slug_of


def test_doctests() -> None:
    result = doctest.testmod(slugs)
    assert result.attempted >= 2 and result.failed == 0


def test_dashes_and_slashes_separate_words() -> None:
    # Django's slugify alone gives "embumeru-revenue-twinning".
    assert slug_of("Embu–Meru revenue twinning") == "embu-meru-revenue-twinning"
    assert slug_of("Tax—Customs / Ports") == "tax-customs-ports"
    assert slug_of("Plain name") == "plain-name"
