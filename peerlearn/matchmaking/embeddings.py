"""The text encoder the platform matches with, and its embeddings cached in the database."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np
from django.conf import settings

from peerlearn.matching import CachedEncoder, Encoder, MiniLMEncoder, TfidfEncoder, default_encoder
from peerlearn.matching.encoders import Vectors
from peerlearn.matchmaking.models import EmbeddingVector

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


def _base_encoder(name: str) -> Encoder:
    # The model takes seconds to load: keep one per process.
    with _lock:
        if name not in _encoders:
            if name == "tfidf":
                _encoders[name] = TfidfEncoder()
            elif name == "minilm":
                _encoders[name] = MiniLMEncoder()
            else:
                _encoders[name] = default_encoder()
        return _encoders[name]


def matching_encoder() -> Encoder:
    """The encoder chosen by ``PEERLEARN_MATCHING_ENCODER`` (``auto``: the sentence model when
    it is installed, otherwise TF-IDF), reading and filling the database cache."""
    name = str(settings.PEERLEARN_MATCHING_ENCODER).lower()
    return CachedEncoder(_base_encoder(name), DatabaseEmbeddingCache())
