"""The figures of a classification run the portfolio needs, as plain rows."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from kam.store.schema import SnapshotRow


class ClientFigure(NamedTuple):
    """A client's value, share, rank and class in one run."""

    client_key: str
    value: int
    share: float
    rank: int
    abc_class: str


def figures_of(session: Session, run_id: int) -> list[ClientFigure]:
    """The figures of every client of a run, by rank (then key), without the reasons.

    A run holds a row per client (100,000 and more): plain tuples cost a fraction of
    the snapshots with their reasons.
    """
    rows = session.execute(
        select(
            SnapshotRow.client_key,
            SnapshotRow.value,
            SnapshotRow.share,
            SnapshotRow.rank,
            SnapshotRow.abc_class,
        )
        .where(SnapshotRow.classification_id == run_id)
        .order_by(SnapshotRow.rank, SnapshotRow.client_key)
    )
    return [ClientFigure._make(row) for row in rows]
