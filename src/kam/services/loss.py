"""What if we lose some clients: the book's value, its concentration and the others'
classes before and after, each client valued by its last 12 months.

The classes come from the ranking and the policy of :mod:`kam.analytics.abc` and the
totals and concentration (Herfindahl-Hirschman index, top-10 share) from
:mod:`kam.analytics.concentration`, run on the book's figures by month as of the last
whole month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from kam.analytics import churn
from kam.analytics.abc import classify_ranking, compute_ranking
from kam.analytics.concentration import compute_class_totals
from kam.i18n import gettext as _
from kam.services.access import ClientScope
from kam.services.book import Book, BookError
from kam.services.risk import History, book_history, last_whole_month


@dataclass(frozen=True)
class BookShape:
    """The book's value (cents), its concentration and its clients per class."""

    clients: int
    value: int
    top_share: float
    herfindahl_hirschman_index: float
    classes: dict[str, int]


@dataclass(frozen=True)
class ClassMove:
    """A client whose class changes once the others are lost."""

    client_key: str
    value: int
    before: str
    after: str


@dataclass(frozen=True)
class LossOutcome:
    """The book before and after losing ``lost``, and who changes class."""

    month: str
    lost: tuple[str, ...]
    lost_value: int
    before: BookShape
    after: BookShape
    moves: tuple[ClassMove, ...]


def _classified(history: History, values: list[tuple[str, int]]) -> Any:
    """The clients ranked and classed by the book's policy, as a DuckDB relation."""
    table = pa.table(
        {
            "client_id": pa.array([key for key, _value in values], pa.string()),
            "value": pa.array([value for _key, value in values], pa.int64()),
        }
    )
    relation = history.engine.duckdb.from_arrow(table)
    frame = history.engine.frame_from_duckdb(relation)
    ranked = classify_ranking(compute_ranking(frame), history.policy)
    return ranked.select("client_id", "value", "rank", "class").to_native()


def _shape(classified: Any) -> BookShape:
    row = compute_class_totals(classified).fetchall()[0]
    names = compute_class_totals(classified).columns
    found = dict(zip(names, row, strict=True))
    return BookShape(
        int(found["clients"]),
        int(found["total"]),
        float(found["top_share"]),
        float(found["herfindahl_hirschman_index"]),
        {k: int(found[f"clients_{k}"]) for k in ("A", "B", "C")},
    )


def lose_clients(
    book: Book, clients: Sequence[str], today: date, scope: ClientScope | None = None
) -> LossOutcome:
    """The book as of the last whole month before ``today``, before and after losing
    ``clients``; the moves are those of the clients ``scope`` lets one see.

    Raises
    ------
    BookError
        When a client named bought nothing in the last 12 months, is not in the book or
        is out of ``scope`` (said alike, so that nothing leaks).
    """
    lost = tuple(dict.fromkeys(clients))
    if not lost:
        raise BookError(_("name at least one client to lose"))
    with book_history(book) as history:
        at = last_whole_month(history, today)
        values = [(r["client_id"], int(r["value_12"])) for r in history.signals(at)]
        known = {key for key, _value in values}
        unknown = [
            key for key in lost if key not in known or (scope is not None and not scope.allows(key))
        ]
        if unknown:
            raise BookError(
                _("no sales in the 12 months to {month} for: {clients}").format(
                    month=churn.month_text(at), clients=", ".join(unknown)
                )
            )
        before = _classified(history, values)
        kept = [(key, value) for key, value in values if key not in lost]
        after = _classified(history, kept)
        classes_before = {k: c for k, _v, _r, c in before.fetchall()}
        moves = [
            ClassMove(key, int(value), classes_before[key], klass)
            for key, value, _rank, klass in after.fetchall()
            if classes_before[key] != klass and (scope is None or scope.allows(key))
        ]
        shape_before, shape_after = _shape(before), _shape(after)
    lost_value = sum(value for key, value in values if key in lost)
    moves.sort(key=lambda m: (-m.value, m.client_key))
    return LossOutcome(
        churn.month_text(at), lost, lost_value, shape_before, shape_after, tuple(moves)
    )
