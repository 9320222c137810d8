"""Slugs for addresses made from names people write."""

from __future__ import annotations

import re

from django.utils.text import slugify

#: Dashes and slashes that separate words in a name ("Embu–Meru", "Health/Education"),
#: which Django's slugify would drop and so join the words.
_SEPARATORS = re.compile(r"[\u2010-\u2015\u2212/\\]")


def slug_of(name: str) -> str:
    """The name's slug, its words kept apart where a dash or slash separated them.

    >>> slug_of("Embu–Meru revenue twinning")
    'embu-meru-revenue-twinning'
    >>> slug_of("Health/Education — Côte d'Ivoire")
    'health-education-cote-divoire'
    """
    return slugify(_SEPARATORS.sub(" ", name))
