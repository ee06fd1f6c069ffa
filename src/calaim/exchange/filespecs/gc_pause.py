"""Automatic garbage collection paused around one bulk file operation.

A 100k-row file makes millions of short-lived container objects (rows, cells, ORM state) on
top of a large live heap; every automatic full collection walks that whole heap again, which
made the MIF export grow faster than its row count. While any file operation runs, automatic
collection is off (thread-safe, nested uses allowed); it is restored, never forced, afterwards:
nothing is skipped, the collector runs when Python next decides to.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class _Pause:
    lock: threading.Lock = field(default_factory=threading.Lock)
    depth: int = 0
    resume: bool = False


_PAUSE = _Pause()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Automatic collection off inside the block (restored when the last such block exits)."""
    with _PAUSE.lock:
        if _PAUSE.depth == 0:
            _PAUSE.resume = gc.isenabled()
            gc.disable()
        _PAUSE.depth += 1
    try:
        yield
    finally:
        with _PAUSE.lock:
            _PAUSE.depth -= 1
            if _PAUSE.depth == 0 and _PAUSE.resume:
                gc.enable()
