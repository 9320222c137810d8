"""How close two organisations' names are, so that nobody creates a second "Ministry of
Finance" beside "Finance, Ministry of" in the same country.

Names are compared after normalising them (:func:`normalised_name`): no case, accents or
punctuation, and without the words that say what kind of body it is ("Ministry of", "the",
"Department", their French forms). Two normalised names are *close* when they are equal,
when one's words are all in the other's, or when the words they do not share are alike by
difflib's ratio (:data:`CLOSE_RATIO`). difflib is in the standard library; rapidfuzz would
be faster, but the comparisons are few (one country's organisations, a few hundred at most).

>>> normalised_name("The Ministry of Finance & Planning")
'finance planning'
>>> close_names("Ministry of Finance", "Finance Ministry")
True
>>> close_names("Ministry of Finance", "Ministry of Health")
False
>>> close_names("Tshwane Metropolitan Municipality", "eThekwini Metropolitan Municipality")
False
>>> close_names("Ministère des Finances", "Ministry of Finance")
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

#: Two normalised names at least this alike (difflib's ratio, 0 to 1) are close.
CLOSE_RATIO = 0.8

#: Words that name the kind of body, not which one it is.
COMMON_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "a",
        "an",
        "ministry",
        "ministries",
        "department",
        "office",
        "directorate",
        "le",
        "la",
        "les",
        "l",
        "de",
        "des",
        "du",
        "d",
        "et",
        "pour",
        "au",
        "aux",
        "ministere",
        "ministeres",
        "direction",
        "bureau",
    ]
)

_PUNCTUATION = re.compile(r"[^\w\s]|_")


def normalised_name(name: str) -> str:
    """``name`` folded (case, accents), without punctuation or common words."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _PUNCTUATION.sub(" ", plain).split()
    kept = [w for w in words if w not in COMMON_WORDS]
    return " ".join(kept or words)


def close_names(a: str, b: str) -> bool:
    """Whether two names probably mean the same organisation: once the words they share are
    set aside, nothing is left of one of them, or what is left is nearly the same word
    ("Finances" and "Finance", "Nakru" and "Nakuru"). The shared words are set aside so that
    a long shared part ("… Metropolitan Municipality") does not make two cities one."""
    na, nb = normalised_name(a), normalised_name(b)
    if na == nb:
        return True
    wa, wb = na.split(), nb.split()
    rest_a = [w for w in wa if w not in set(wb)]
    rest_b = [w for w in wb if w not in set(wa)]
    if not rest_a or not rest_b:
        return True
    return difflib.SequenceMatcher(None, " ".join(rest_a), " ".join(rest_b)).ratio() >= CLOSE_RATIO


def close_to(name: str, organisations: Iterable[Any]) -> list[Any]:
    """The organisations among ``organisations`` whose name (or acronym) is close to
    ``name``, in their order."""
    folded = normalised_name(name)
    found = []
    for organisation in organisations:
        acronym = getattr(organisation, "acronym", "") or ""
        if close_names(name, organisation.name) or (acronym and normalised_name(acronym) == folded):
            found.append(organisation)
    return found


def near_duplicate_pairs(organisations: Iterable[Any]) -> list[tuple[Any, Any]]:
    """Pairs of organisations in the same country (or both international) whose names are
    close. Quadratic within a country, which holds a few hundred at most."""
    by_country: dict[Any, list[Any]] = {}
    for organisation in organisations:
        by_country.setdefault(organisation.country_id, []).append(organisation)
    pairs = []
    for group in by_country.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if close_names(a.name, b.name):
                    pairs.append((a, b))
    return pairs
