"""Batches defer the collector's full collections, and give its thresholds back."""

from __future__ import annotations

import gc
import threading

from callkit._batch import full_collections_deferred


def test_thresholds_restored() -> None:
    """After a batch, the collector's thresholds are as they were."""
    before = gc.get_threshold()
    with full_collections_deferred():
        assert gc.get_threshold()[2] > before[2]
    assert gc.get_threshold() == before


def test_overlapping_batches() -> None:
    """Batches that overlap, as in two threads, restore the thresholds when the last ends."""
    before = gc.get_threshold()
    first, second = full_collections_deferred(), full_collections_deferred()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[2] > before[2]  # the second still runs
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_threads() -> None:
    """Many threads in and out of batches leave the thresholds as they were."""
    before = gc.get_threshold()
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        for _ in range(200):
            with full_collections_deferred():
                pass

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.get_threshold() == before
