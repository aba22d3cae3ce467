"""The client list held in memory: every client with its latest class, searched in process.

The client list joins every client with its snapshot in the latest classification run,
then searches, filters, counts, sorts and pages. At 100,000 clients SQLite needs 0.1 to
0.4 s a request for the count and the ordering of the outer join, however it is indexed.
Held in memory, with a set of row numbers per filter value and an ordering per sort, a
request takes a few milliseconds: intersect the sets, walk one ordering.

The index is built from the database once per :func:`book_version` (a new import, client
or classification run changes it) and per process; :func:`client_index` answers the
index of the current version and builds it, once, when the version changed.
:meth:`ClientIndex.rows` answers exactly what :func:`kam.store.views.client_rows` does
(its rows, order and total), :meth:`ClientIndex.choices` what
:func:`kam.store.views.distinct_values` does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kam.store.cache import BookCache
from kam.store.managers import HandOverRow
from kam.store.schema import (
    ClassificationRow,
    ClientRow,
    ImportRow,
    ProductRow,
    SalesFileRow,
    SnapshotRow,
)
from kam.store.views import ClientFilter, latest_run_id

#: The columns a filter or a sort reads, by position in :attr:`ClientIndex.table`.
_COLUMNS = ("key", "name", "group", "industry", "country", "owner", "class", "value", "rank")
_AT = {name: i for i, name in enumerate(_COLUMNS)}
_SHARE = len(_COLUMNS)
#: Sorts by name: the column sorted on (the list's ``SORTS``).
_SORT_COLUMNS = {"key", "name", "value", "rank", "class", "owner", "country"}
_FILTERS = (
    ("group", "group"),
    ("industry", "industry"),
    ("country", "country"),
    ("owner", "owner"),
)
_CHOICE_LIMIT = 500
_SCOPES_KEPT = 32
_SEARCHES_KEPT = 64


def book_version(session: Session) -> tuple[Any, ...]:
    """What the client list, products and sales of the book depend on, read cheaply.

    Changes with every import (clients, products, sales: each writes a row in
    ``imports``), every new client or product, every classification run and every
    hand-over of an account to another owner; each is a
    primary-key look-up or a count SQLite answers from an index.
    """
    # one statement of scalar subqueries: one round trip, each answered from an index
    last_run = (
        select(ClassificationRow.id).order_by(ClassificationRow.id.desc()).limit(1)
    ).scalar_subquery()
    row = session.execute(
        select(
            last_run,
            select(ClassificationRow.taken_at)
            .where(ClassificationRow.id == last_run)
            .scalar_subquery(),
            select(func.max(ImportRow.id)).scalar_subquery(),
            select(func.count()).select_from(ClientRow).scalar_subquery(),
            select(func.max(ClientRow.id)).scalar_subquery(),
            select(func.count()).select_from(ProductRow).scalar_subquery(),
            select(func.max(ProductRow.id)).scalar_subquery(),
            select(func.max(SalesFileRow.id)).scalar_subquery(),
            select(func.max(HandOverRow.id)).scalar_subquery(),
        )
    ).one()
    run_id, taken_at, imports, clients, last_client, products, last_product, files, handed = row
    return (
        (run_id, taken_at) if run_id is not None else None,
        imports,
        clients,
        last_client,
        products,
        last_product,
        files,
        handed,
    )


def _sorted_values(values: Iterable[str | None]) -> list[str]:
    return sorted({v for v in values if v is not None})[:_CHOICE_LIMIT]


@dataclass
class ClientIndex:
    """Every client with its class in the latest run, and what makes searching it fast."""

    version: tuple[Any, ...]
    table: list[tuple[Any, ...]]
    #: ``lower(key) + NUL + lower(name)`` per row, for the search.
    texts: list[str]
    position: dict[str, int]
    #: Row numbers per value of each filter column (``class`` includes ``None``).
    by_value: dict[str, dict[Any, frozenset[int]]]
    _orders: dict[tuple[str, bool], list[int]] = field(default_factory=dict)
    _scopes: OrderedDict[frozenset[str], tuple[frozenset[int], dict[str, list[str]]]] = field(
        default_factory=OrderedDict
    )
    _searches: OrderedDict[str, frozenset[int]] = field(default_factory=OrderedDict)
    _ordered_rows: OrderedDict[tuple[frozenset[int], str, bool], list[int]] = field(
        default_factory=OrderedDict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, session: Session, version: tuple[Any, ...]) -> ClientIndex:
        """Read every client and its latest snapshot (one query, plain rows)."""
        run = latest_run_id(session)
        join = (SnapshotRow.client_key == ClientRow.key) & (SnapshotRow.classification_id == run)
        query = (
            select(
                ClientRow.key,
                ClientRow.name,
                ClientRow.parent_key,
                ClientRow.industry,
                ClientRow.country,
                ClientRow.owner,
                SnapshotRow.abc_class,
                SnapshotRow.value,
                SnapshotRow.rank,
                SnapshotRow.share,
            )
            .outerjoin(SnapshotRow, join)
            .order_by(ClientRow.key)
        )
        # by key in Python's order, the tie-break of every sort (SQLite's binary order too)
        table = sorted((tuple(row) for row in session.execute(query)), key=lambda r: r[0])
        by_value: dict[str, dict[Any, set[int]]] = {
            name: {} for name in ("group", "industry", "country", "owner", "class")
        }
        for i, row in enumerate(table):
            for name, values in by_value.items():
                values.setdefault(row[_AT[name]], set()).add(i)
        return cls(
            version=version,
            table=table,
            texts=[f"{row[0]}\x00{row[1] or ''}".lower() for row in table],
            position={row[0]: i for i, row in enumerate(table)},
            by_value={
                name: {v: frozenset(rows) for v, rows in values.items()}
                for name, values in by_value.items()
            },
        )

    def _order(self, sort: str, descending: bool) -> list[int]:
        """Row numbers sorted as ``ORDER BY column [DESC] NULLS LAST, key``."""
        sort = sort if sort in _SORT_COLUMNS else "rank"
        cached = self._orders.get((sort, descending))
        if cached is not None:
            return cached
        at = _AT[sort]
        rows = range(len(self.table))  # already by key: a stable sort keeps key as tie-break
        present = [i for i in rows if self.table[i][at] is not None]
        missing = [i for i in rows if self.table[i][at] is None]
        # a sort with reverse=True is stable too: equal values stay in key order
        present.sort(key=lambda i: self.table[i][at], reverse=descending)
        order = present + missing
        with self._lock:
            self._orders[(sort, descending)] = order
        return order

    def _scope(self, keys: frozenset[str]) -> tuple[frozenset[int], dict[str, list[str]]]:
        """The row numbers of a scope and its filter choices (kept for the scopes seen last)."""
        with self._lock:
            if keys in self._scopes:
                self._scopes.move_to_end(keys)
                return self._scopes[keys]
        rows = frozenset(self.position[k] for k in keys if k in self.position)
        choices = {
            name: _sorted_values(self.table[i][_AT[name]] for i in rows)
            for name in ("owner", "country", "industry", "group")
        }
        with self._lock:
            self._scopes[keys] = (rows, choices)
            while len(self._scopes) > _SCOPES_KEPT:
                self._scopes.popitem(last=False)
        return rows, choices

    def _search(self, text: str) -> frozenset[int]:
        needle = text.lower()
        with self._lock:
            if needle in self._searches:
                self._searches.move_to_end(needle)
                return self._searches[needle]
        if "\x00" in needle:  # would match across the key and the name
            found = frozenset(
                i
                for i, row in enumerate(self.table)
                if needle in row[0].lower() or needle in (row[1] or "").lower()
            )
        else:
            found = frozenset(i for i, t in enumerate(self.texts) if needle in t)
        with self._lock:
            self._searches[needle] = found
            while len(self._searches) > _SEARCHES_KEPT:
                self._searches.popitem(last=False)
        return found

    def _matching(self, keys: Collection[str] | None, f: ClientFilter) -> frozenset[int] | None:
        """The rows the scope, the search and the filters leave (``None``: every row)."""
        sets: list[frozenset[int]] = []
        if keys is not None:
            sets.append(self._scope(frozenset(keys))[0])
        if f.search:
            sets.append(self._search(f.search))
        if f.abc_class:
            wanted = None if f.abc_class == "none" else f.abc_class
            sets.append(self.by_value["class"].get(wanted, frozenset()))
        for name, attribute in _FILTERS:
            value = getattr(f, attribute)
            if value:
                sets.append(self.by_value[name].get(value, frozenset()))
        if not sets:
            return None
        if len(sets) == 1:
            return sets[0]  # the very set kept for the scope, so its ordered rows are kept too
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def rows(
        self, keys: Collection[str] | None, f: ClientFilter
    ) -> tuple[int, list[dict[str, Any]]]:
        """The total count and one page, as :func:`kam.store.views.client_rows` gives them."""
        matching = self._matching(keys, f)
        order = self._order(f.sort, f.descending)
        start = (max(f.page, 1) - 1) * f.per_page
        stop = start + f.per_page
        if matching is None:
            total, page = len(order), order[start:stop]
        else:
            total = len(matching)
            page = [] if start >= total else self._ordered(matching, f)[start:stop]
        return total, [self._row(i) for i in page]

    def _ordered(self, matching: frozenset[int], f: ClientFilter) -> list[int]:
        """The rows of ``matching`` in the list's order, kept for the sets seen last: paging
        through a manager's 50,000 clients then slices a list instead of walking it."""
        key = (matching, f.sort, f.descending)
        with self._lock:
            cached = self._ordered_rows.get(key)
            if cached is not None:
                self._ordered_rows.move_to_end(key)
                return cached
        order = self._order(f.sort, f.descending)
        if len(matching) * 8 < len(order):
            rank = self._rank(f.sort, f.descending)
            ordered = sorted(matching, key=rank.__getitem__)
        else:
            ordered = [i for i in order if i in matching]
        with self._lock:
            self._ordered_rows[key] = ordered
            while len(self._ordered_rows) > _SCOPES_KEPT:
                self._ordered_rows.popitem(last=False)
        return ordered

    def _rank(self, sort: str, descending: bool) -> list[int]:
        """Each row's place in an ordering."""
        key = (f"place:{sort}", descending)
        cached = self._orders.get(key)
        if cached is None:
            cached = [0] * len(self.table)
            for place, i in enumerate(self._order(sort, descending)):
                cached[i] = place
            with self._lock:
                self._orders[key] = cached
        return cached

    def _row(self, i: int) -> dict[str, Any]:
        row = self.table[i]
        return {
            "key": row[0],
            "name": row[1],
            "group": row[2],
            "industry": row[3],
            "country": row[4],
            "owner": row[5],
            "class": row[6],
            "value": row[7],
            "rank": row[8],
            "share": row[_SHARE],
        }

    def choices(self, column: str, keys: Collection[str] | None) -> list[str]:
        """The values a filter can take among the visible clients (as ``distinct_values``)."""
        if keys is None:
            return _sorted_values(self.by_value[column])
        return self._scope(frozenset(keys))[1][column]


#: The index of each database, by URL, at the version of the book it was read at.
_INDEXES: BookCache[ClientIndex] = BookCache(kept=8)


def client_index(session: Session, database: Hashable) -> ClientIndex:
    """The client index of ``database`` at its current version (built when it changed).

    Requests that find the version changed while the index is being built wait for that
    build instead of starting their own.
    """
    version = book_version(session)
    return _INDEXES.get(database, version, lambda: ClientIndex.load(session, version))
