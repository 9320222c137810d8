"""What a web process loads before its first visitor asks for it.

A process imports its views when the first request resolves a URL (about 1.5 s on two
cores: every app's views and what they import), and the search's sentence model when the
first search by meaning encodes its query (about 0.6 s). ``peerlearn serve`` runs
:func:`web_warm_up` in a thread (:func:`web_warm_up_start`) as each web process starts,
so the first visitors do not wait for either. Apps add what their own first request would
load by connecting to :data:`web_process_started`, which keeps this module free of imports
from them.
"""

from __future__ import annotations

import logging
import threading
import time

import django.dispatch
from django.db import connections
from django.urls import get_resolver

logger = logging.getLogger(__name__)

#: Sent once per web process, in its warm-up thread, after the views are imported.
web_process_started = django.dispatch.Signal()


def web_warm_up() -> None:
    """Import every view, then run each app's warm-up; a failing warm-up is logged, never
    raised: the request that needs the thing loads it as it would have anyway."""
    started = time.perf_counter()
    get_resolver().reverse_dict  # noqa: B018 (imports the URL configuration and views)
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
