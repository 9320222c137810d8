"""The text encoder the platform matches with, and its embeddings cached in the database."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from peerlearn.access.matching import statements_for_export
from peerlearn.matching import (
    CachedEncoder,
    Encoder,
    MiniLMEncoder,
    MultilingualEncoder,
    choice,
    multilingual,
)
from peerlearn.matching.encoders import Vectors, text_key
from peerlearn.matchmaking.models import EmbeddingVector
from peerlearn.matchmaking.records import focus_on_theme, statement_text, statements_by_peer
from peerlearn.peers.models import Challenge, Experience, statement_meaning_text

# Older SQLite builds accept at most 999 parameters in one statement.
_CHUNK = 500


class DatabaseEmbeddingCache:
    """The library's ``EmbeddingCache`` on the ``EmbeddingVector`` table (float32 bytes)."""

    def get_many(self, keys: Sequence[str]) -> dict[str, Vectors]:
        out: dict[str, Vectors] = {}
        keys = list(keys)
        for start in range(0, len(keys), _CHUNK):
            rows = EmbeddingVector.objects.filter(key__in=keys[start : start + _CHUNK])
            for key, dim, blob in rows.values_list("key", "dim", "vector"):
                vector = np.frombuffer(bytes(blob), dtype=np.float32)
                if vector.shape[0] == dim:  # a truncated row is recomputed, not trusted
                    out[key] = vector.copy()
        return out

    def put_many(self, items: Mapping[str, Vectors]) -> None:
        rows = [
            EmbeddingVector(
                key=key,
                dim=int(np.asarray(vector).shape[0]),
                vector=np.asarray(vector, dtype=np.float32).tobytes(),
            )
            for key, vector in items.items()
        ]
        EmbeddingVector.objects.bulk_create(rows, batch_size=_CHUNK, ignore_conflicts=True)


_encoders: dict[str, Encoder] = {}
_lock = threading.Lock()
_encoding_locks: dict[str, threading.Lock] = {}
#: Texts per turn of ``encode_in_turn`` (for ``peerlearn embed`` and the page's batches),
#: and what a write's task encodes itself before it queues the rest: a task beside waits at
#: most this many texts' encoding for its turn.
ENCODE_BATCH = 64
#: Texts per task of the backlog a worker finds when it starts (``embeddings_queue``): a
#: matching run queued meanwhile waits for one such task at most. 32 texts take about 4 s
#: with all-mpnet-base-v2 on a quiet 2-core machine, several times that on a loaded one.
BACKLOG_BATCH = 32
#: Texts a matching encodes between two reports of its progress (``PoolEncoder``).
POOL_CHUNK = 32

#: Who hears a matching's encoding progress, (texts encoded, texts to encode), in this
#: thread: ``tasks.run_matching`` records it on the run (``encoding_reported``).
_encoding_hook: ContextVar[Callable[[int, int], None] | None] = ContextVar(
    "peerlearn_encoding_progress", default=None
)


@contextmanager
def encoding_reported(hook: Callable[[int, int], None]) -> Iterator[None]:
    """Inside the block, every ``PoolEncoder`` that has texts to encode calls
    ``hook(done, total)`` before its first chunk and after each."""
    token = _encoding_hook.set(hook)
    try:
        yield
    finally:
        _encoding_hook.reset(token)


def _length(item: tuple[str, str]) -> int:
    return len(item[1])


class PoolEncoder(CachedEncoder):
    """The cached encoder of a matching: the texts of its pool not cached yet are encoded
    by the matching itself, POOL_CHUNK at a time, never waiting for the worker's backlog.
    Before each chunk the cache is read again, so a text another worker (or a backlog task
    on another machine) cached meanwhile is read, not encoded twice; after each, the hook
    of ``encoding_reported`` hears how many of the pool's missing texts are done."""

    def encode(self, texts: Sequence[str]) -> Vectors:
        if self.encoder.cacheable and texts:
            self._encode_missing(texts)
        return super().encode(texts)

    def _encode_missing(self, texts: Sequence[str]) -> None:
        keys = {text_key(self.name, t): t for t in texts}
        found = self.cache.get_many(sorted(keys))
        # Texts of like length side by side: each chunk is padded to its longest text.
        missing = sorted(((k, t) for k, t in keys.items() if k not in found), key=_length)
        if not missing:
            return
        hook = _encoding_hook.get()
        if hook is not None:
            hook(0, len(missing))
        for start in range(0, len(missing), POOL_CHUNK):
            chunk = dict(missing[start : start + POOL_CHUNK])
            if start:  # the first chunk was just read
                for key in self.cache.get_many(sorted(chunk)):
                    del chunk[key]
            if chunk:
                fresh = self.encoder.encode(list(chunk.values()))
                self.cache.put_many({k: fresh[i] for i, k in enumerate(chunk)})
                self.made += len(chunk)
            if hook is not None:
                hook(min(start + POOL_CHUNK, len(missing)), len(missing))


def encode_in_turn(encoder: CachedEncoder, texts: Sequence[str]) -> None:
    """Encode and cache those of ``texts`` not cached yet, one caller per encoder at a time
    in this process. ``peerlearn embed`` (``embeddings_warm``) and the worker's tasks (a
    page's ``encode_texts``, a write's ``encode_statements``, the backlog's
    ``encode_batch``), with several worker threads, may want the same texts at once; taking
    turns, whoever comes second finds them cached instead of encoding them again."""
    with _lock:
        turn = _encoding_locks.setdefault(encoder.name, threading.Lock())
    with turn:
        encoder.encode(texts)


def encoder_setting_problem(value: str) -> str | None:
    """Why ``PEERLEARN_MATCHING_ENCODER`` cannot be used, or None when it can: it names an
    encoder of :mod:`peerlearn.matching.choice` (in any case; empty means auto) or a model
    folder, and that encoder's model is installed."""
    problem = choice.name_problem(value)
    if problem is None:
        problem = choice.missing_model(value)
    if problem is None:
        return None
    return f"PEERLEARN_MATCHING_ENCODER: {problem}."


def _base_encoder(name: str) -> Encoder:
    # The model takes seconds to load: keep one per process.
    with _lock:
        if name not in _encoders:
            _encoders[name] = choice.encoder_named(name)
        return _encoders[name]


def _setting() -> str:
    """``PEERLEARN_MATCHING_ENCODER`` as a choice (lower case) or a model folder."""
    name = str(settings.PEERLEARN_MATCHING_ENCODER)
    return name if Path(name).is_dir() else name.lower()


def _encoder_choice(kind: str, texts: Sequence[str]) -> str:
    name = _setting()
    return choice.auto_choice(kind, texts) if choice.canonical(name) == "auto" else name


def matching_encoder(kind: str = "groups", texts: Sequence[str] = ()) -> PoolEncoder:
    """The encoder chosen by ``PEERLEARN_MATCHING_ENCODER`` for a matching of ``kind`` over
    ``texts``, reading and filling the database cache (``PoolEncoder``: what is missing is
    encoded in chunks, with progress). Under ``auto`` the languages of ``texts`` choose
    between the multilingual model and all-mpnet-base-v2 (for ``choice.TEXTS``,
    all-MiniLM-L6-v2), each when installed, otherwise TF-IDF
    (:func:`peerlearn.matching.choice.auto_choice`)."""
    return PoolEncoder(_base_encoder(_encoder_choice(kind, texts)), DatabaseEmbeddingCache())


def cached_encoder_named(name: str) -> CachedEncoder:
    """The cached encoder of the choice (or model folder) ``name``, as ``_encoder_choice``
    and ``_platform_choice`` give it: what a queued backlog task encodes with."""
    return CachedEncoder(_base_encoder(name), DatabaseEmbeddingCache())


def texts_encoder() -> CachedEncoder:
    """The encoder for texts compared outside a matching (search by meaning, unmet demand,
    grouping learning needs). Under ``auto`` the light all-MiniLM-L6-v2, which every web
    process can load and which encodes a query within a request, or multilingual-e5-small
    on a platform a third of whose latest statements are in another language than English
    (:func:`platform_encoder`)."""
    return platform_encoder(choice.TEXTS)


def matching_warm_up() -> None:
    """Load what a worker's first run would otherwise wait for (several seconds): the text
    analysis the explanations use, the weights of the sentence model groups would use on
    the platform's latest statements, and under ``auto`` the language identifier that
    chooses the model for each pool."""
    from peerlearn.matching.languages import other_language_count
    from peerlearn.matching.stopwords import concept_stop_words

    concept_stop_words()
    encoder = platform_encoder("groups").encoder
    if isinstance(encoder, MiniLMEncoder | MultilingualEncoder):
        encoder.model  # noqa: B018 (reads the weights)
    if choice.canonical(str(settings.PEERLEARN_MATCHING_ENCODER)) == "auto":
        other_language_count(["a first text to load the language identifier"])


# --- precomputing ------------------------------------------------------------------------


def pool_texts(peer_ids: Collection[int] | None = None) -> list[str]:
    """Every text a matching pool is likely to give the encoder: each peer's challenges and
    experiences, all together and focused on each theme they wrote about, as a facilitator
    and as an administrator read them; with ``peer_ids``, those peers' texts only. Computed
    only to be encoded and cached — nothing is shown to anyone, so this reads statements
    directly rather than through the access layer. A facilitator who belongs to an alliance
    may still meet texts not listed here; those are encoded when a run needs them."""
    texts = {""}  # a peer who states no challenge (or no experience)

    def written(model: type[Challenge] | type[Experience], include_alliance: bool) -> Any:
        qs = statements_for_export(model, include_alliance=include_alliance)
        return qs if peer_ids is None else qs.filter(peer_id__in=list(peer_ids))

    # Two common readers of a pool: any facilitator (platform and public statements), and
    # one who also reads alliance statements (an administrator).
    for include_alliance in (False, True):
        challenges, experiences = (
            statements_by_peer(written(model, include_alliance))
            for model in (Challenge, Experience)
        )
        for peer_id in set(challenges) | set(experiences):
            mine = challenges.get(peer_id, []), experiences.get(peer_id, [])
            themes = {None, *(r[3] for statements in mine for r in statements)}
            for theme in themes:
                for statements in mine:
                    texts.add(statement_text(focus_on_theme(statements, theme)))
    return sorted(texts)


def meaning_texts(peer_ids: Collection[int] | None = None) -> list[str]:
    """Every challenge and experience that can enter a pool, as search by meaning and the
    unmet demand read it (``statement_meaning_text``); with ``peer_ids``, those peers' only.
    Read through the access layer, only to be encoded and cached, like ``pool_texts``."""
    texts: set[str] = set()
    for model in (Challenge, Experience):
        qs = statements_for_export(model, include_alliance=True)
        if peer_ids is not None:
            qs = qs.filter(peer_id__in=list(peer_ids))
        rows = qs.values_list("title", "description")
        texts.update(statement_meaning_text(title, description) for title, description in rows)
    return sorted(texts)


def _language_sample(size: int = 500) -> list[str]:
    """The latest challenges and experiences that can enter a matching pool, as texts:
    enough to tell whether the platform's pools are written in several languages. Read
    through the access layer, as ``pool_texts`` is; only their language is read."""
    texts = []
    for model in (Challenge, Experience):
        rows = statements_for_export(model, include_alliance=True).order_by("-id")
        texts += [
            statement_meaning_text(title, description)
            for title, description in rows.values_list("title", "description")[:size]
        ]
    return texts


#: A process rereads the platform's language mix at most this often (seconds). Reading it
#: costs a query and about 0.2 s of language identification, which every write's task and
#: every search would otherwise repeat; a mix changes slowly.
LANGUAGE_MIX_SECONDS = 600.0

_mix_lock = threading.Lock()
# (when read, (texts in another language than English, texts read)) of _language_sample
_mix_read: list[tuple[float, tuple[int, int]]] = []


def _platform_languages() -> tuple[int, int]:
    """How many of the platform's latest statements are written in another language than
    English, and how many were read: read again after LANGUAGE_MIX_SECONDS."""
    from peerlearn.matching.languages import other_language_count

    now = time.monotonic()
    with _mix_lock:
        if _mix_read and now - _mix_read[0][0] < LANGUAGE_MIX_SECONDS:
            return _mix_read[0][1]
    counts = other_language_count(_language_sample())
    with _mix_lock:
        _mix_read[:] = [(now, counts)]
    return counts


def _platform_choice(kind: str) -> str:
    name = _setting()
    if choice.canonical(name) == "auto":
        # Without the multilingual model the languages cannot change the choice: not read.
        counts = _platform_languages() if multilingual.available(multilingual.E5_NAME) else (0, 0)
        name = choice.choice_for_languages(kind, *counts)
    return name


def platform_encoder(kind: str) -> CachedEncoder:
    """The encoder the platform uses for ``kind`` (a matching, or ``choice.TEXTS``) when it
    encodes texts outside a given pool: a few peers' texts as they are written, a search.
    Under ``auto`` the languages of its latest statements (``_language_sample``) choose the
    model, and each process reads them again after LANGUAGE_MIX_SECONDS."""
    return cached_encoder_named(_platform_choice(kind))


@dataclass(frozen=True)
class WarmResult:
    encoder: str  # the encoders' names, joined by commas
    texts: int  # distinct texts found (pool texts and statements)
    encoded: int  # encodings made now (a text counts once per encoder)
    cached: int = 0  # encodings found in the cache, some cached meanwhile by tasks beside


@dataclass(frozen=True)
class Backlog:
    """What ``embeddings_warm`` and ``embeddings_queue`` find to encode."""

    #: Each cacheable encoder's choice name (``cached_encoder_named``), its encoder, and the
    #: texts it should have cached, in the order they are encoded.
    jobs: list[tuple[str, CachedEncoder, list[str]]]
    #: (choice name, text) not cached yet, statements first.
    missing: list[tuple[str, str]]
    #: Every encoder considered, cacheable or not, for the report.
    names: list[str]

    @property
    def texts(self) -> int:
        """Distinct texts found (pool texts and statements)."""
        return len(set().union(*(texts for _, _, texts in self.jobs)))

    @property
    def encodings(self) -> int:
        """Encodings wanted, cached or not (a text counts once per encoder)."""
        return sum(len(texts) for _, _, texts in self.jobs)


def embeddings_backlog(*, peer_ids: Collection[int] | None = None) -> Backlog:
    """What is not cached yet, for ``peer_ids`` or everyone: first each statement as search
    by meaning and the unmet demand read it (``meaning_texts``), with their encoder, since
    web pages wait for these; then every text ``pool_texts`` lists, with the encoder groups
    use and with the one pairs use when it differs (the multilingual model, for texts in
    several languages; groups use it too when most texts are in another language than
    English). TF-IDF (fitted on each pool, never cached) needs nothing."""
    texts_name, named = _platform_choice(choice.TEXTS), matching_encoder("groups")
    texts_model = cached_encoder_named(texts_name)
    auto = choice.canonical(str(settings.PEERLEARN_MATCHING_ENCODER)) == "auto"
    if not (texts_model.cacheable or named.cacheable or auto):
        return Backlog([], [], [named.name])  # TF-IDF chosen: no text to read
    pool = pool_texts(peer_ids)
    # Under auto the languages choose the models: of the whole pool, or for a few peers'
    # texts, of the platform's latest statements.
    if peer_ids is None:
        groups, pairs = _encoder_choice("groups", pool), _encoder_choice("pairs", pool)
    else:
        groups, pairs = _platform_choice("groups"), _platform_choice("pairs")
    meaning = meaning_texts(peer_ids)
    listed = [(texts_name, meaning), (groups, pool), (pairs, pool)]
    names: list[str] = []
    wanted: dict[str, tuple[str, CachedEncoder, dict[str, None]]] = {}
    for name, listed_texts in listed:
        encoder = cached_encoder_named(name)
        names.append(encoder.name)
        if encoder.cacheable:
            entry = wanted.setdefault(encoder.name, (name, encoder, {}))
            entry[2].update(dict.fromkeys(listed_texts))
    cache = DatabaseEmbeddingCache()
    missing: list[tuple[str, str]] = []
    for name, encoder, texts in wanted.values():
        known = set(cache.get_many([text_key(encoder.name, t) for t in texts]))
        # Texts of like length in one batch: each is padded to its longest text.
        missing += sorted(
            ((name, t) for t in texts if text_key(encoder.name, t) not in known), key=_length
        )
    jobs = [(name, encoder, list(texts)) for name, encoder, texts in wanted.values()]
    return Backlog(jobs, missing, list(dict.fromkeys(names)))


def embeddings_warm(
    *,
    peer_ids: Collection[int] | None = None,
    batch: int = ENCODE_BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> WarmResult:
    """Encode and cache here and now, for ``peer_ids`` or everyone, what is not cached yet
    (``embeddings_backlog``), so that nobody waits for a sentence model (``peerlearn
    embed``; a worker queues it instead, ``embeddings_queue``). Batches of ``batch`` texts
    take turns with the tasks encoding beside (``encode_in_turn``)."""
    backlog = embeddings_backlog(peer_ids=peer_ids)
    if not backlog.jobs:
        return WarmResult(", ".join(backlog.names), 0, 0, 0)
    encoders = {name: encoder for name, encoder, _ in backlog.jobs}
    missing = backlog.missing
    for start in range(0, len(missing), batch):
        chunk = missing[start : start + batch]
        for name in dict.fromkeys(n for n, _ in chunk):
            encode_in_turn(encoders[name], [t for n, t in chunk if n == name])
        if progress is not None:
            progress(min(start + batch, len(missing)), len(missing))
    # What this call encoded itself: a task beside may have encoded some of ``missing``
    # while this call waited for its turn (``encode_in_turn``), and those were read.
    made = sum(encoder.made for encoder in encoders.values())
    return WarmResult(
        ", ".join(e.name for e in encoders.values()),
        backlog.texts,
        made,
        backlog.encodings - made,
    )


@dataclass(frozen=True)
class Queued:
    encoder: str  # the encoders' names, joined by commas
    texts: int  # distinct texts found (pool texts and statements)
    missing: int  # encodings not cached yet, queued (or made here, when few)
    cached: int  # encodings found in the cache
    batches: int  # tasks queued (0: encoded here)


def embeddings_queue(
    *,
    peer_ids: Collection[int] | None = None,
    batch: int | None = None,
    here_up_to: int = 0,
) -> Queued:
    """Queue what is not cached yet (``embeddings_backlog``) for the workers, ``batch``
    texts (BACKLOG_BATCH) per ``tasks.encode_batch`` task at background priority, so that
    a matching run
    queued meanwhile waits for one batch at most instead of the whole backlog (and encodes
    its own pool's missing texts itself, ``PoolEncoder``). Up to ``here_up_to`` missing
    texts are encoded in this call instead. The last task logs the whole backlog's figures
    once it is done."""
    from peerlearn.matchmaking.tasks import encode_batch

    batch = batch or BACKLOG_BATCH
    backlog = embeddings_backlog(peer_ids=peer_ids)
    names = ", ".join(e.name for _, e, _ in backlog.jobs) or ", ".join(backlog.names)
    missing = backlog.missing
    cached = backlog.encodings - len(missing)
    if len(missing) <= here_up_to:
        encoders = {name: encoder for name, encoder, _ in backlog.jobs}
        for name in dict.fromkeys(n for n, _ in missing):
            encode_in_turn(encoders[name], [t for n, t in missing if n == name])
        return Queued(names, backlog.texts, len(missing), cached, 0)
    batches = [
        (name, [t for n, t in missing[start : start + batch] if n == name])
        for start in range(0, len(missing), batch)
        for name in dict.fromkeys(n for n, _ in missing[start : start + batch])
    ]
    summary = {
        "texts": backlog.texts,
        "missing": len(missing),
        "cached": cached,
        "encoder": names,
        "batches": len(batches),
    }
    for number, (name, texts) in enumerate(batches, start=1):
        last = summary if number == len(batches) and peer_ids is None else None
        encode_batch.enqueue(name, texts, last)
    return Queued(names, backlog.texts, len(missing), cached, len(batches))
