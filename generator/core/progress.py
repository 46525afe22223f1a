"""Progress on long runs, for a person at a terminal.

One line on standard error, redrawn in place, shown only when the run has
already taken a moment and only on a terminal: CI logs and pipes get the
plain summary line each command ends with, and nothing else.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    def __init__(
        self,
        stream: TextIO,
        *,
        enabled: bool,
        delay: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.enabled = enabled
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self._drawn_at: float | None = None
        self._width = 0

    @classmethod
    def for_stream(cls, stream: TextIO) -> Progress:
        """Shown on a terminal (not a dumb one), silent when output is piped or logged."""
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError):
            tty = False
        return cls(stream, enabled=tty and os.environ.get("TERM") != "dumb")

    @property
    def elapsed(self) -> float:
        return self.clock() - self.started

    def update(self, stage: str, done: int | None = None, total: int | None = None) -> None:
        """Show ``stage: done/total`` (or what is given of it), at most ten times a second."""
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self._drawn_at is not None and now - self._drawn_at < 0.1 and done != total:
            return
        text = stage
        if done is not None:
            text += f": {done:,}/{total:,}" if total else f": {done:,}"
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)
        self._drawn_at = now

    def counter(self, stage: str) -> Callable[[str], None]:
        """A callback that counts what it is told of (files read, say) under ``stage``."""
        count = 0

        def seen(_: str) -> None:
            nonlocal count
            count += 1
            self.update(stage, count)

        return seen

    def clear(self) -> None:
        """Remove the progress line, so that what is printed next starts a clean line."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
            self._drawn_at = None


def seconds(elapsed: float) -> str:
    return f"{elapsed:.1f} s"
