"""Values read or computed from a book, kept in this process while the book is unchanged.

The busiest pages of a large book need the same things on every request: the client
list, the clients a manager may see, the products, each client's monthly figures, the
portfolio. Each kind is kept in a :class:`BookCache` of its own size, under a key
(the database and what else the value depends on) together with the *version* it was
computed at: a cheap reading of what the value depends on (see
:func:`kam.store.client_index.book_version`). A request that finds another version
computes the value again and replaces it.

A value is computed once however many requests ask for it at the same moment: the
first computes it while the others wait for it, instead of repeating the work. The
least recently used values go first when a cache is full.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BookCache(Generic[V]):
    """At most ``kept`` values, each under a key and with the version it was computed at."""

    def __init__(self, kept: int) -> None:
        self._kept = kept
        self._held: OrderedDict[Hashable, tuple[Hashable, V]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Hashable, compute: Callable[[], V]) -> V:
        """The value under ``key`` at ``version``, computed by ``compute`` when not held."""
        with self._lock:
            found = self._found(key, version)
            if found is not None:
                return found[1]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                found = self._found(key, version)
            if found is not None:
                return found[1]
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self._held[key] = (version, value)
                self._held.move_to_end(key)
                while len(self._held) > self._kept:
                    self._held.popitem(last=False)
            return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._held.clear()

    def __len__(self) -> int:
        return len(self._held)

    def _found(self, key: Hashable, version: Hashable) -> tuple[Hashable, V] | None:
        """The entry under ``key`` if it is at ``version`` (as most recently used). Call
        under the lock."""
        found = self._held.get(key)
        if found is None or found[0] != version:
            return None
        self._held.move_to_end(key)
        return found
