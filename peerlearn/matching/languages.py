"""Which languages a pool's texts are written in, for choosing its encoder.

A peer's working languages say what they can read, not what they wrote: a Senegalese
official working in French and English may write their challenge in either. The texts
themselves are identified with ``py3langid`` (langid.py's naive Bayes model over byte
n-grams, 97 languages, shipped inside the package; about 0.2 ms a text). On the labelled
sets of ``benchmarks/data`` it names the language of all 288 challenge and experience texts
of the English, French, Spanish and Russian pairs, and of every text of ``topics72`` in
English and in French.

Very short texts ("SMS", "ERP rollout") carry too little to tell languages apart, so only
texts of :data:`MIN_WORDS` words or more are counted.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence

#: Texts shorter than this (in words) are not counted: too few letters to identify.
MIN_WORDS = 4
#: At most this many texts are identified, drawn at random from the pool: the share of
#: another language is then known within a few points, in well under a second.
SAMPLE = 2000

_lock = threading.Lock()


def other_language_count(texts: Sequence[str], language: str = "en") -> tuple[int, int]:
    """How many of ``texts`` (of :data:`MIN_WORDS` words or more, at most :data:`SAMPLE`
    of them) are written in another language than ``language``, and how many were read.

    >>> other_language_count(["Traders avoid paying the daily market fees",
    ...                       "Les commerçants refusent de payer les droits de marché",
    ...                       "ERP"])
    (1, 2)
    >>> other_language_count(["", "SMS"])
    (0, 0)
    """
    long_enough = [t for t in texts if len(t.split()) >= MIN_WORDS]
    if not long_enough:
        return 0, 0
    sample = long_enough
    if len(long_enough) > SAMPLE:  # a fixed seed: the same pool gets the same choice
        sample = random.Random(0).sample(long_enough, SAMPLE)
    with _lock:  # the model is read on first use (about a second): once per process
        from py3langid import classify

        other = sum(1 for text in sample if classify(text)[0] != language)
    return other, len(sample)


def other_language_share(texts: Sequence[str], language: str = "en") -> float:
    """The share of ``texts`` that :func:`other_language_count` finds in another language
    than ``language``; 0.0 when none is long enough.

    >>> other_language_share(["Traders avoid paying the daily market fees",
    ...                       "Les commerçants refusent de payer les droits de marché"])
    0.5
    """
    other, read = other_language_count(texts, language)
    return other / read if read else 0.0
