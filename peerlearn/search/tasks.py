"""Background work of reading by meaning: encoding texts that a search by meaning, or the
unmet demand of the supply-and-demand page, has not seen yet."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

#: How long a queued encoding batch keeps others from queuing the same texts again.
ENCODING_LOCK_SECONDS = 120
_LOCK = "search:encoding"


@task()
def encode_texts(texts: list[str]) -> int:
    """Encode and cache ``texts`` with the encoder of searches, in batches; returns how many."""
    from peerlearn.matchmaking.embeddings import texts_encoder

    encoder = texts_encoder()
    if not encoder.cacheable:
        return 0
    for start in range(0, len(texts), 256):
        encoder.encode(texts[start : start + 256])
    cache.delete(_LOCK)
    return len(texts)


def encode_later(texts: list[str]) -> None:
    """Queue ``texts`` for the worker's ``encode_texts``: one batch at a time, however many
    people ask meanwhile (a request that finds a batch queued leaves its texts to the next)."""
    if texts and cache.add(_LOCK, True, timeout=ENCODING_LOCK_SECONDS):
        encode_texts.enqueue(texts)
