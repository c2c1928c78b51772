"""Batches that keep what they make: no full garbage collection while they run.

Reading a list or reviewing it builds hundreds of thousands of objects that all live until
the batch ends, and none of them refers back to another in a cycle. The collector's full
collections would find nothing to free, yet each walks every object built so far, and they
come each time the older objects have grown by a quarter: a batch of a hundred thousand
applications would pay for several such walks over everything it has built, a tenth of its
time. So a batch defers full collections until it ends (the collector's young generations
run as usual, and a full collection comes after the batch if it is due), and restores the
collector's thresholds as they were.

Only code that runs none of its caller's code in the middle defers them: a stream, which
hands each row to its caller, never does, and keeps nothing anyway.
"""

from __future__ import annotations

import gc
import threading

_NEVER = 1 << 30
"""A threshold for full collections that a batch never reaches."""

_LOCK = threading.Lock()
_running = 0
"""How many batches run now, in any thread: the thresholds are the process's."""
_saved: tuple[int, ...] = ()
"""The thresholds as they were before the first of the batches running now."""


class full_collections_deferred:  # noqa: N801  (used as a function: ``with ...():``)
    """A context in which the collector makes no full collection; as it was, after.

    The collector's thresholds belong to the process, so batches in several threads share
    one deferral: the first to start saves the thresholds, and the last to end restores
    them.
    """

    __slots__ = ()

    def __enter__(self) -> None:
        global _running, _saved  # noqa: PLW0603  (the process's one state, under the lock)
        with _LOCK:
            if _running == 0:
                _saved = gc.get_threshold()
                young, middle, *_ = _saved
                gc.set_threshold(young, middle, _NEVER)
            _running += 1

    def __exit__(self, *_exc: object) -> None:
        global _running  # noqa: PLW0603
        with _LOCK:
            _running -= 1
            if _running == 0:
                gc.set_threshold(*_saved)
