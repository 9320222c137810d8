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

# This thread's batch: the peers written since its last task was queued.
_pending = threading.local()


class _Batch:
    """The peers whose texts were written in this thread's transaction. Every save registers
    the batch with ``transaction.on_commit``; the first call after the commit queues one task
    naming them all, and the later calls do nothing.

    A rolled-back transaction's calls are dropped by Django, and its peers stay in the batch
    for the next transaction's task. That task then re-reads their committed texts, which are
    usually cached already, so nothing more is encoded for them."""

    def __init__(self) -> None:
        self.peer_ids: set[int] = set()
        self.queued = False

    def __call__(self) -> None:
        from peerlearn.matchmaking.tasks import encode_statements

        if self.queued:
            return
        self.queued = True
        encode_statements.enqueue(sorted(self.peer_ids))


def statement_written(sender: Any, instance: Challenge | Experience, **kwargs: Any) -> None:
    if not settings.PEERLEARN_ENCODE_ON_WRITE or kwargs.get("raw"):
        return
    batch = getattr(_pending, "batch", None)
    if batch is None or batch.queued:
        batch = _pending.batch = _Batch()
    batch.peer_ids.add(instance.peer_id)
    transaction.on_commit(batch)


def connect() -> None:
    for model in (Challenge, Experience):
        post_save.connect(
            statement_written, sender=model, dispatch_uid=f"encode-on-write-{model.__name__}"
        )
