"""The figures of the latest classification run, kept while it is the latest.

A run holds a row per client (100,000 and more). The cockpit reads them all on every
visit, and a client's page needs the class of its owner's clients: both read them
from here, computed once per run of each book (a new run replaces them).
"""

from __future__ import annotations

from collections.abc import Mapping

from kam.services.book import Book
from kam.store import signals
from kam.store.cache import BookCache
from kam.store.database import transaction
from kam.store.run_figures import ClientFigure, figures_of

#: The figures of the latest run of each database.
_FIGURES: BookCache[list[ClientFigure]] = BookCache(kept=4)
#: The class of each client in the latest run of each database.
_CLASSES: BookCache[dict[str, str]] = BookCache(kept=4)


def latest_run_id(book: Book) -> int | None:
    """The id of the book's latest run of single clients, or ``None`` before the first."""
    with transaction(book.database) as session:
        return signals.client_runs(session).latest


def latest_figures(book: Book) -> list[ClientFigure]:
    """Every client's figures in the latest run (none before the first run)."""
    run_id = latest_run_id(book)
    if run_id is None:
        return []

    def read() -> list[ClientFigure]:
        with transaction(book.database) as session:
            return figures_of(session, run_id)

    return _FIGURES.get(str(book.database.url), run_id, read)


def latest_classes(book: Book) -> Mapping[str, str]:
    """Each client's class (``"A"``) in the latest run (empty before the first run)."""
    run_id = latest_run_id(book)
    if run_id is None:
        return {}
    return _CLASSES.get(
        str(book.database.url),
        run_id,
        lambda: {f.client_key: f.abc_class for f in latest_figures(book)},
    )
