"""A second, spawned process that one large matching shares between its steps.

The explanations' concepts are fitted there while this process encodes and orders the pool
(:func:`peerlearn.matching.explain.concepts_beside`), and blocks are then searched there
from the end of the list while this process searches from the start
(:func:`peerlearn.matching.groups.solve.solve_blocks`). One process serves both: it starts
and imports once, and it is ready by the time the search needs it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context

logger = logging.getLogger(__name__)


def one_blas_thread() -> None:
    """The second process's start: one BLAS thread, as the first runs the matching."""
    global _LIMITS
    from threadpoolctl import threadpool_limits

    _LIMITS = threadpool_limits(1)


_LIMITS: object = None


@contextmanager
def second_process(enabled: bool) -> Iterator[ProcessPoolExecutor | None]:
    """A one-process pool, spawned when first given work (None when not ``enabled`` or
    when it cannot be made); on leaving, work not yet started is cancelled and nothing is
    waited for. Jobs run in the order they were submitted. A script that uses it must
    guard its own code with ``if __name__ == "__main__":``, as every program that starts
    processes by spawning them does."""
    if not enabled:
        yield None
        return
    try:
        executor = ProcessPoolExecutor(
            max_workers=1, mp_context=get_context("spawn"), initializer=one_blas_thread
        )
    except (OSError, RuntimeError) as exc:
        logger.warning("matching in one process: the second one could not be made (%s)", exc)
        yield None
        return
    try:
        yield executor
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
