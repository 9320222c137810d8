"""Progress of long runs: a bar on stderr (silent when disabled or not needed), and a hook
through which a caller hears each stage's progress whatever the bar does.

The hook is a function ``(stage, done, total)`` installed for the duration of a ``with
reporting(hook):`` block; every ``Progress`` opened inside it reports to it, in the thread
(or task) that opened the block. ``stage`` is the bar's description ("grouping", "pairing",
"explaining"); ``done`` counts peers handled so far out of ``total``.

Phases (reading, encoding, explaining, writing) can also be timed: :func:`timed` blocks add
their duration to the dictionary of an enclosing :func:`recording_timings` block, and cost
nothing outside one.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType

from tqdm import tqdm

#: Called with (stage, done, total) when a stage starts, advances and ends.
ProgressHook = Callable[[str, int, int], None]

_hook: ContextVar[ProgressHook | None] = ContextVar("peerlearn_matching_progress", default=None)


@contextmanager
def reporting(hook: ProgressHook) -> Iterator[None]:
    """Send the progress of every run started inside the block to ``hook``.

    >>> seen = []
    >>> with reporting(lambda stage, done, total: seen.append((stage, done, total))):
    ...     with Progress(total=4, enabled=False, desc="grouping") as bar:
    ...         bar.update(3)
    >>> seen
    [('grouping', 0, 4), ('grouping', 3, 4), ('grouping', 4, 4)]
    """
    token = _hook.set(hook)
    try:
        yield
    finally:
        _hook.reset(token)


class Progress:
    """Context manager around tqdm that shows no bar when ``enabled`` is False; the hook
    installed by :func:`reporting`, if any, hears every update either way."""

    def __init__(self, total: int, enabled: bool, desc: str) -> None:
        self._bar: tqdm[None] | None = (
            tqdm(total=total, desc=desc, unit="peer", file=sys.stderr, leave=False, mininterval=0.5)
            if enabled
            else None
        )
        self._hook = _hook.get()
        self._desc = desc
        self._total = total
        self._done = 0

    def update(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)
        if self._hook is not None:
            self._done += count
            self._hook(self._desc, min(self._done, self._total), self._total)

    def __enter__(self) -> Progress:
        if self._hook is not None:
            self._hook(self._desc, 0, self._total)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
        if self._hook is not None and exc_type is None:
            self._hook(self._desc, self._total, self._total)


_timings: ContextVar[dict[str, float] | None] = ContextVar(
    "peerlearn_matching_timings", default=None
)


@contextmanager
def recording_timings() -> Iterator[dict[str, float]]:
    """Collect the seconds spent in each :func:`timed` phase run inside the block.

    >>> with recording_timings() as seconds:
    ...     with timed("encode"):
    ...         pass
    >>> list(seconds)
    ['encode', 'encode cpu']
    """
    seconds: dict[str, float] = {}
    token = _timings.set(seconds)
    try:
        yield seconds
    finally:
        _timings.reset(token)


@contextmanager
def timed(phase: str) -> Iterator[None]:
    """Add the block's duration to ``phase``, and the processor time of this process to
    ``"<phase> cpu"``, when a :func:`recording_timings` block is open."""
    seconds = _timings.get()
    if seconds is None:
        yield
        return
    started, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        seconds[phase] = seconds.get(phase, 0.0) + time.perf_counter() - started
        cpu_key = f"{phase} cpu"
        seconds[cpu_key] = seconds.get(cpu_key, 0.0) + time.process_time() - cpu
