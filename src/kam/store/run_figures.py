"""The figures of a classification run the portfolio needs, as plain rows."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy.orm import Session

from kam.store.class_history import rows_of_run


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
    return [ClientFigure._make(row) for row in rows_of_run(session, run_id, ClientFigure._fields)]
