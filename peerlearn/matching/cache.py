"""Embedding caches: in memory, and on disk in SQLite (one row per text).

Both follow :class:`peerlearn.matching.encoders.EmbeddingCache`; the platform may add a
database-backed one with the same two methods.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from peerlearn.matching.encoders import Vectors


class MemoryCache:
    """A dict of vectors; copies on the way in and out so callers can't alter stored rows.

    >>> c = MemoryCache(); c.put_many({"k": np.ones(2, dtype=np.float32)})
    >>> sorted(c.get_many(["k", "x"]))
    ['k']
    """

    def __init__(self) -> None:
        self._data: dict[str, Vectors] = {}

    def __len__(self) -> int:
        return len(self._data)

    def get_many(self, keys: Sequence[str]) -> dict[str, Vectors]:
        return {k: self._data[k].copy() for k in keys if k in self._data}

    def put_many(self, items: Mapping[str, Vectors]) -> None:
        for key, vec in items.items():
            self._data[key] = np.array(vec, dtype=np.float32, copy=True)


class SqliteCache:
    """Vectors stored as float32 blobs in a SQLite file, safe to share between runs.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "emb.sqlite")
    >>> SqliteCache(path).put_many({"k": np.arange(3, dtype=np.float32)})
    >>> SqliteCache(path).get_many(["k"])["k"].tolist()
    [0.0, 1.0, 2.0]
    """

    _CHUNK = 500  # SQLite limits the number of parameters in one statement

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS embedding (key TEXT PRIMARY KEY, dim INTEGER, "
                "vector BLOB)"
            )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:  # commits, or rolls back on error
                yield db
        finally:
            db.close()

    def get_many(self, keys: Sequence[str]) -> dict[str, Vectors]:
        out: dict[str, Vectors] = {}
        keys = list(keys)
        with self._connect() as db:
            for start in range(0, len(keys), self._CHUNK):
                chunk = keys[start : start + self._CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, dim, vector FROM embedding WHERE key IN ({marks})",  # noqa: S608
                    chunk,
                )
                for key, dim, blob in rows:
                    vec = np.frombuffer(blob, dtype=np.float32)
                    if vec.shape[0] == dim:
                        out[key] = vec  # read-only, on the row's own bytes
        return out

    def put_many(self, items: Mapping[str, Vectors]) -> None:
        rows = [
            (k, int(np.asarray(v).shape[0]), np.asarray(v, dtype=np.float32).tobytes())
            for k, v in items.items()
        ]
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?, ?)", rows)
