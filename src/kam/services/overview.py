"""The portfolio page: classes, the Pareto curve, concentration and movements of the book."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from kam.domain.class_history import ClassificationRun
from kam.domain.classes import MIGRATION_STATES, NO_CLASS, AbcClass
from kam.domain.concentration import compute_herfindahl_hirschman_index, compute_top_share
from kam.domain.explanation import explain_movement
from kam.domain.migration import ClassPosition, Movement, compute_migration_matrix
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.store import class_history as history
from kam.store.cache import BookCache
from kam.store.database import transaction
from kam.store.run_figures import ClientFigure, figures_of

CURVE_POINTS = 200


@dataclass(frozen=True)
class ClassCount:
    """Clients and value of one class."""

    abc_class: str
    clients: int
    value: float
    share: float


@dataclass(frozen=True)
class CurvePoint:
    """A point of the Pareto curve: share of clients (by rank) against share of value."""

    clients: float
    value: float
    abc_class: str


@dataclass(frozen=True)
class Mover:
    """A client whose class changed since the previous run."""

    client_key: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Overview:
    """Everything the portfolio page shows, for the clients a user may see."""

    run: ClassificationRun | None
    previous: ClassificationRun | None
    clients: int
    value: float
    classes: list[ClassCount] = field(default_factory=list)
    curve: list[CurvePoint] = field(default_factory=list)
    top10_share: float = 0.0
    herfindahl_hirschman_index: float = 0.0
    matrix: dict[str, dict[str, int]] = field(default_factory=dict)
    movers: list[Mover] = field(default_factory=list)


def _curve(snapshots: list[ClientFigure]) -> list[CurvePoint]:
    values = [max(s.value, 0) for s in snapshots]
    total = sum(values) or 1
    n = len(values)
    step = max(1, n // CURVE_POINTS)
    points = [CurvePoint(0.0, 0.0, snapshots[0].abc_class if snapshots else "A")]
    running = 0
    for index, (snapshot, value) in enumerate(zip(snapshots, values, strict=True), start=1):
        running += value
        boundary = index == n or snapshots[index].abc_class != snapshot.abc_class
        if index % step == 0 or boundary:
            points.append(CurvePoint(index / n, running / total, snapshot.abc_class))
    return points


#: Overviews computed lately, by book and scope, at the run they show: a run never changes
#: once stored (a re-run is a new run), so an overview stays true until a newer run exists.
_OVERVIEWS: BookCache[tuple[Overview, list[Movement]]] = BookCache(kept=64)


def book_overview(book: Book, scope: ClientScope, movers_limit: int = 100) -> Overview:
    """The portfolio of the latest run, as far as ``scope`` lets the user see."""
    with transaction(book.database) as session:
        run = history.latest_run(session)
    if run is None:
        return Overview(run=None, previous=None, clients=0, value=0.0)
    found = _OVERVIEWS.get(
        (str(book.database.url), scope.keys, movers_limit),
        (run.id, run.taken_at),
        lambda: _compute_overview(book, scope, run, movers_limit),
    )
    return _worded(*found)


def moved_clients(book: Book, scope: ClientScope, before: str, after: str) -> frozenset[str]:
    """The clients ``scope`` lets the user see whose class was ``before`` in the run before the
    latest and is ``after`` in the latest (``none``: without a class): one cell of the
    portfolio's movement matrix. Empty without two runs to compare.
    """
    with transaction(book.database) as session:
        run = history.latest_run(session)
        if run is None:
            return frozenset()
        previous = history.previous_run(session, run.period_start, run.groups, exclude=run.id)
        if previous is None:
            return frozenset()
        now = {f.client_key: f.abc_class for f in _figures(session, book, run)}
        was = {f.client_key: f.abc_class for f in _figures(session, book, previous)}
    return frozenset(
        key
        for key in set(now) | set(was)
        if was.get(key, NO_CLASS) == before
        and now.get(key, NO_CLASS) == after
        and (scope.everything or scope.allows(key))
    )


def _worded(overview: Overview, moved: list[Movement]) -> Overview:
    """The overview with its movers' reasons in the reader's language (worded per request:
    a hundred sentences cost less than a millisecond)."""
    return replace(
        overview,
        movers=[
            Mover(m.client_id, m.before.abc_class, m.after.abc_class, explain_movement(m))
            for m in moved
        ],
    )


#: The figures of the latest runs by database and run: every scope's portfolio is
#: computed from them, so a manager's first visit does not read 100,000 rows again.
_FIGURES: BookCache[list[ClientFigure]] = BookCache(kept=4)


def _figures(session: Session, book: Book, run: ClassificationRun) -> list[ClientFigure]:
    return _FIGURES.get(
        (str(book.database.url), run.id), run.taken_at, lambda: figures_of(session, run.id)
    )


def _compute_overview(
    book: Book, scope: ClientScope, run: ClassificationRun, movers_limit: int
) -> tuple[Overview, list[Movement]]:
    def visible(figures: list[ClientFigure]) -> list[ClientFigure]:
        return figures if scope.everything else [f for f in figures if scope.allows(f.client_key)]

    with transaction(book.database) as session:
        snapshots = visible(_figures(session, book, run))
        previous = history.previous_run(session, run.period_start, run.groups, exclude=run.id)
        before = (
            {f.client_key: f for f in visible(_figures(session, book, previous))}
            if previous
            else {}
        )
    total = sum(max(s.value, 0) for s in snapshots)
    counts = dict.fromkeys((cls.value for cls in AbcClass), 0)
    sums = dict.fromkeys(counts, 0)
    for s in snapshots:
        if s.abc_class in counts:
            counts[s.abc_class] += 1
            sums[s.abc_class] += max(s.value, 0)
    classes = [
        ClassCount(cls, counts[cls], sums[cls] / 100, sums[cls] / total if total else 0.0)
        for cls in counts
    ]
    after = {s.client_key: s for s in snapshots}
    pairs: list[tuple[str, str]] = []
    changes: list[tuple[int, str]] = []  # (value change, key) of every client that moved
    if previous is not None:
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key), after.get(key)
            was = old.abc_class if old else NO_CLASS
            now = new.abc_class if new else NO_CLASS
            pairs.append((was, now))
            if was != now:
                changes.append(((new.value if new else 0) - (old.value if old else 0), key))
    matrix = compute_migration_matrix(pairs)
    # largest change first, clients in key order among equal changes (a stable sort);
    # movements are built for the movers shown only
    changes.sort(key=lambda c: -abs(c[0]))
    moved = [
        Movement(key, _position(before.get(key)), _position(after.get(key)))
        for _change, key in changes[:movers_limit]
    ]
    values = [s.value for s in snapshots]
    overview = Overview(
        run=run,
        previous=previous,
        clients=len(snapshots),
        value=total / 100,
        classes=classes,
        curve=_curve(snapshots),
        top10_share=compute_top_share(values, 10),
        herfindahl_hirschman_index=compute_herfindahl_hirschman_index(values),
        matrix={b: {a: matrix.count(b, a) for a in MIGRATION_STATES} for b in MIGRATION_STATES}
        if previous
        else {},
    )
    return overview, moved


def _position(figure: ClientFigure | None) -> ClassPosition:
    if figure is None:
        return ClassPosition(NO_CLASS, 0, 0.0, None)
    return ClassPosition(figure.abc_class, figure.value, figure.share, figure.rank)
