"""Using both cores for a region's intake: ``fn`` over ``items`` in forked processes.

Only the command line asks for it (a running window must not fork a Qt application), only where
the platform forks (Linux: the children inherit what they read, copy-on-write), and only for
batches large enough to pay for the processes. Otherwise, and when no process can be had, the work
is done here, in order: the result is the same either way.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Sequence, TypeVar

PARALLEL_FROM = 200  # below this many items a second process costs more than it saves

T = TypeVar("T")
R = TypeVar("R")


def forked_map(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    if workers > 1 and len(items) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                return list(pool.map(fn, items, chunksize=max(1, len(items) // (workers * 8))))
        except (OSError, BrokenProcessPool):
            pass
    return [fn(x) for x in items]
