"""Texts are encoded when they are written: saving a challenge or an experience queues
``tasks.encode_statements`` for its author once the transaction commits, so that the next
matching reads the author's vectors from the cache instead of waiting for the sentence model.

One task per transaction, however many statements it writes (an import of a thousand peers
queues one task naming them all). ``PEERLEARN_ENCODE_ON_WRITE=false`` turns this off (the
tests do, except the ones that check it); ``peerlearn embed`` still encodes everything.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from peerlearn.peers.models import Challenge, Experience

# The batch of this thread's open transaction, while its commit is awaited.
_pending = threading.local()


class _Batch:
    """The peers whose texts one transaction changed; called when it commits."""

    def __init__(self) -> None:
        self.peer_ids: set[int] = set()

    def __call__(self) -> None:
        from peerlearn.matchmaking.tasks import encode_statements

        encode_statements.enqueue(sorted(self.peer_ids))


def _waiting(batch: _Batch | None) -> bool:
    """Whether ``batch`` still waits for its transaction (not run, not rolled back)."""
    connection = transaction.get_connection()
    return (
        batch is not None
        and connection.in_atomic_block
        and any(entry[1] is batch for entry in connection.run_on_commit)
    )


def statement_written(sender: Any, instance: Challenge | Experience, **kwargs: Any) -> None:
    if not settings.PEERLEARN_ENCODE_ON_WRITE or kwargs.get("raw"):
        return
    batch = getattr(_pending, "batch", None)
    if _waiting(batch):
        batch.peer_ids.add(instance.peer_id)  # type: ignore[union-attr]
        return
    batch = _pending.batch = _Batch()
    batch.peer_ids.add(instance.peer_id)
    transaction.on_commit(batch)


def connect() -> None:
    for model in (Challenge, Experience):
        post_save.connect(
            statement_written, sender=model, dispatch_uid=f"encode-on-write-{model.__name__}"
        )
