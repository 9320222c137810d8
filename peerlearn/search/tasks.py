"""Background work of the search: encoding texts a search by meaning has not seen yet."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task


@task()
def encode_texts(texts: list[str]) -> int:
    """Encode and cache ``texts`` with the encoder of searches, in batches; returns how many."""
    from peerlearn.matchmaking.embeddings import texts_encoder

    encoder = texts_encoder()
    if not encoder.cacheable:
        return 0
    for start in range(0, len(texts), 256):
        encoder.encode(texts[start : start + 256])
    cache.delete("search:encoding")
    return len(texts)
