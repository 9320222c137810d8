"""Background work of reading by meaning: encoding texts that a search by meaning, or the
unmet demand of the supply-and-demand page, has not seen yet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django_tasks import task

from peerlearn.core.schedule import PRIORITY_BACKGROUND

if TYPE_CHECKING:
    from peerlearn.matching import CachedEncoder

#: A request encodes at most this many texts that have no cached vector; beyond, it leaves
#: them to the worker (``left_to_worker``). Eight of the demo's statements (about 60 words)
#: take 0.2 s with all-MiniLM-L6-v2 on a quiet machine; 32 took 1.4 s, and 9.9 s while
#: the worker encoded beside on the same two cores (``benchmarks/first_visit.py --search``:
#: a peer's search, slowest reload 9.9 s at 32, 0.57 s at 8).
ENCODE_IN_REQUEST = 8
#: How long a queued lot of batches keeps others from queuing the same texts again.
ENCODING_LOCK_SECONDS = 120
_LOCK = "search:encoding"


@task(priority=PRIORITY_BACKGROUND)
def encode_texts(texts: list[str], last: bool = True) -> int:
    """Encode and cache ``texts`` (one batch) with the encoder of searches, taking turns
    with the worker's other encoding (texts it has cached meanwhile are read, not encoded
    again); the ``last`` batch lets others queue texts again. Returns how many texts were
    asked for."""
    from peerlearn.matchmaking.embeddings import encode_in_turn, texts_encoder

    encoder = texts_encoder()
    if encoder.cacheable:
        encode_in_turn(encoder, texts)
    if last:
        cache.delete(_LOCK)
    return len(texts)


def encode_later(texts: list[str]) -> None:
    """Queue ``texts`` for the worker's ``encode_texts``, in batches of ENCODE_BATCH, each
    its own task at background priority, so that a matching run queued meanwhile waits for
    one batch at most; one lot at a time, however many people ask meanwhile (a request that
    finds a lot queued leaves its texts to the next)."""
    from peerlearn.matchmaking.embeddings import ENCODE_BATCH

    if texts and cache.add(_LOCK, True, timeout=ENCODING_LOCK_SECONDS):
        starts = range(0, len(texts), ENCODE_BATCH)
        for start in starts:
            encode_texts.enqueue(texts[start : start + ENCODE_BATCH], start == starts[-1])


def left_to_worker(encoder: CachedEncoder, texts: Iterable[str]) -> set[str]:
    """Those of ``texts`` without a cached vector, when there are more than
    ENCODE_IN_REQUEST: queued for the worker (``encode_later``) and returned, for the
    caller to leave out of its answer and count. Empty when the request may encode the
    few missing itself."""
    from peerlearn.matching.encoders import text_key
    from peerlearn.matchmaking.embeddings import DatabaseEmbeddingCache

    keys = {text: text_key(encoder.name, text) for text in texts}
    found = DatabaseEmbeddingCache().get_many(list(keys.values()))
    missing = [text for text, key in keys.items() if key not in found]
    if len(missing) <= ENCODE_IN_REQUEST:
        return set()
    encode_later(missing)
    return set(missing)


def search_warm_up(**kwargs: object) -> None:
    """Load the encoder of searches by meaning and run it once (a web process's first
    search would otherwise wait about 0.6 s for the model's weights): connected to
    ``core.warm.web_process_started``. Under ``auto`` this also reads the platform's
    language sample, which chooses the model. Nothing is written to the cache."""
    from peerlearn.matchmaking.embeddings import texts_encoder

    encoder = texts_encoder()
    if encoder.cacheable:
        encoder.encoder.encode(["a first query to load the model"])
