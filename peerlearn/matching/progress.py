"""Progress of long runs: a bar on stderr (silent when disabled or not needed), and a hook
through which a caller hears each stage's progress whatever the bar does.

The hook is a function ``(stage, done, total)`` installed for the duration of a ``with
reporting(hook):`` block; every ``Progress`` opened inside it reports to it, in the thread
(or task) that opened the block. ``stage`` is the bar's description ("grouping", "pairing",
"explaining"); ``done`` counts peers handled so far out of ``total``.
"""

from __future__ import annotations

import sys
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
