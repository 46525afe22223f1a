"""Python's cyclic garbage collector, held off while a stage builds what it keeps.

Loading and checking a large programme makes millions of objects that all live
to the end of the run: parsed data, lines of keys, models. Each of the
collector's full passes walks every one of them, and it starts a pass each time
the number of live objects has grown by a quarter, so building them cost about
a fifth of ``validate``'s time in passes that found nothing to free. None of
these stages makes reference cycles that must be freed early (objects without
cycles are freed as soon as they are unused, collector or not), so each holds
the collector off while it runs, and it runs again as usual after.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def collector_held() -> Iterator[None]:
    """The cyclic garbage collector paused inside the block, as it was after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def holds_collector(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """``function`` run with the collector held off (``collector_held``)."""

    @functools.wraps(function)
    def held(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with collector_held():
            return function(*args, **kwargs)

    return held
