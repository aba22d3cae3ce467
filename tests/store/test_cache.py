"""The one cache of values read from a book: kept per key and version, computed once."""

from __future__ import annotations

import threading
import time

import pytest

from kam.store.cache import BookCache


def test_a_value_is_computed_once_per_key_and_version() -> None:
    cache: BookCache[str] = BookCache(kept=4)
    calls: list[str] = []

    def compute(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert cache.get("a", 1, lambda: compute("a")) == "A"
    assert cache.get("a", 1, lambda: compute("never")) == "A"
    assert cache.get("b", 1, lambda: compute("b")) == "B"
    # the book changed: the value is read again and replaces the old one
    assert cache.get("a", 2, lambda: compute("a2")) == "A2"
    assert cache.get("a", 2, lambda: compute("never")) == "A2"
    assert calls == ["a", "b", "a2"]
    assert len(cache) == 2


def test_the_least_recently_used_value_goes_first() -> None:
    cache: BookCache[int] = BookCache(kept=2)
    cache.get("a", 0, lambda: 1)
    cache.get("b", 0, lambda: 2)
    cache.get("a", 0, lambda: -1)  # used again: b is now the oldest
    cache.get("c", 0, lambda: 3)
    assert cache.get("a", 0, lambda: -1) == 1
    assert cache.get("b", 0, lambda: 20) == 20  # b was dropped, so it is computed again


def test_requests_at_the_same_moment_wait_for_one_computation() -> None:
    cache: BookCache[int] = BookCache(kept=4)
    calls = 0
    start = threading.Barrier(8)
    results: list[int] = []

    def compute() -> int:
        nonlocal calls
        calls += 1
        time.sleep(0.2)
        return 42

    def ask() -> None:
        start.wait()
        results.append(cache.get("index", "v1", compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8
    assert calls == 1


def test_a_failed_computation_is_not_kept() -> None:
    cache: BookCache[int] = BookCache(kept=4)

    def fail() -> int:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cache.get("a", 1, fail)
    assert cache.get("a", 1, lambda: 7) == 7


def test_clear_forgets_every_value() -> None:
    cache: BookCache[int] = BookCache(kept=4)
    cache.get("a", 1, lambda: 1)
    cache.clear()
    assert cache.get("a", 1, lambda: 2) == 2
