"""What a web process loads before its first visitor asks for it.

A process loads some things on the first request that needs them: the search's sentence
model, for instance, on the first search by meaning (that search took 0.86 s, the next ones
0.2 s: ``benchmarks/first_visit.py --arrive-after``). ``peerlearn serve`` runs
:func:`web_warm_up` in a thread (:func:`web_warm_up_start`) as each web process starts, so
the first visitors do not wait for them. Apps add what their own first request would load
by connecting to :data:`web_process_started`, which keeps this module free of imports from
them. (The views are imported before the server listens, by the command's system checks.)
"""

from __future__ import annotations

import logging
import threading
import time

import django.dispatch
from django.db import connections

logger = logging.getLogger(__name__)

#: Sent once per web process, in its warm-up thread.
web_process_started = django.dispatch.Signal()


def web_warm_up() -> None:
    """Run each app's warm-up; a failing warm-up is logged, never raised: the request that
    needs the thing loads it as it would have anyway."""
    started = time.perf_counter()
    for receiver, result in web_process_started.send_robust(sender=None):
        if isinstance(result, Exception):
            logger.warning("warm-up %s failed: %r", receiver.__qualname__, result)
    logger.info("web process warmed up in %.1f s", time.perf_counter() - started)


def web_warm_up_start() -> threading.Thread:
    """Run :func:`web_warm_up` in a thread of its own, which closes its database
    connections when done; requests are served meanwhile."""

    def run() -> None:
        try:
            web_warm_up()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread
