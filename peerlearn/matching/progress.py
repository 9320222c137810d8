"""A progress bar on stderr for long runs, silent when disabled or not needed."""

from __future__ import annotations

import sys
from types import TracebackType

from tqdm import tqdm


class Progress:
    """Context manager around tqdm that does nothing when ``enabled`` is False."""

    def __init__(self, total: int, enabled: bool, desc: str) -> None:
        self._bar: tqdm[None] | None = (
            tqdm(total=total, desc=desc, unit="peer", file=sys.stderr, leave=False, mininterval=0.5)
            if enabled
            else None
        )

    def update(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()
