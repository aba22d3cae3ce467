"""Money at risk kept while the book is unchanged, for the pages that show it.

Fitting the model of :func:`kam.services.risk.money_at_risk` takes seconds on the Online
Retail book, too long for every visit of a page. Its numbers
(:func:`kam.services.risk.compute_risk_figures`: probabilities, the drivers by their
codes, the signals they are worded from) are the same in every language, so they are
fitted once per book, month and state of the book (:func:`kam.store.client_index.book_version`:
imports, runs, clients and hand-overs, with the classification policy) and kept in a
file of the book's ``cache`` folder, which every worker process reads instead of fitting
again; the worded report is kept in this process per language too. Each user's report
is cut from the whole book's by scope, with the totals of what the user may see. The
replay of the rules and the model on the book's past (:func:`book_backtest`) is kept in
this process, at the rules' settings too.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import uuid
from collections.abc import Hashable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from kam import i18n
from kam.services.access import ClientScope
from kam.services.alert_rules import limits_of
from kam.services.book import Book
from kam.services.risk import HORIZON, book_policy, compute_risk_figures, word_report
from kam.services.risk_backtest import BUDGET, Backtest, run_backtest
from kam.services.risk_report import ClientFigures, RiskFigures, RiskReport, compute_totals
from kam.store.cache import BookCache
from kam.store.client_index import book_version
from kam.store.database import transaction

#: Whole-book figures by database, month and horizon.
_FIGURES: BookCache[RiskFigures] = BookCache(kept=8)
#: Whole-book reports by database, month, horizon and language.
_REPORTS: BookCache[RiskReport] = BookCache(kept=16)
#: What the kept files are written as; another value makes every kept file stale (to
#: change with the model or the figures).
FORMAT = "risk figures 2"
#: How many kept files a book's cache folder holds, the most recently written.
FILES_KEPT = 8
#: Whole-book replays by database, months, horizon and budget.
_BACKTESTS: BookCache[Backtest] = BookCache(kept=8)


def scoped_report(report: RiskReport, scope: ClientScope) -> RiskReport:
    """The clients of ``report`` that ``scope`` lets one see, with their totals."""
    if scope.everything:
        return report
    clients = tuple(c for c in report.clients if scope.allows(c.client_key))
    return replace(
        report,
        clients=clients,
        by_class=compute_totals(clients, lambda c: c.abc_class),
        by_owner=compute_totals(clients, lambda c: c.owner or ""),
    )


def book_money_at_risk(
    book: Book, today: date, scope: ClientScope, horizon: int = HORIZON
) -> RiskReport:
    """:func:`~kam.services.risk.money_at_risk` as far as ``scope`` lets one see, the
    whole book's figures fitted once per state of the book (:func:`book_risk_figures`)
    and worded once per language.

    Raises
    ------
    BookError
        As :func:`~kam.services.risk.money_at_risk` (the report is not kept then).
    """
    with transaction(book.database) as session:
        version = (book_version(session), repr(book_policy(book)))
    key = (str(book.database.url), today.year, today.month, horizon, i18n.current().code)
    report = _REPORTS.get(
        key, version, lambda: word_report(book_risk_figures(book, today, horizon, version))
    )
    return scoped_report(report, scope)


def book_risk_figures(
    book: Book, today: date, horizon: int = HORIZON, version: Hashable | None = None
) -> RiskFigures:
    """:func:`~kam.services.risk.compute_risk_figures` of the book, kept in this process
    and in a file of the book's ``cache`` folder at the state of the book ``version``
    (read when not given): a process that finds the file reads it instead of fitting.

    Raises
    ------
    BookError
        As :func:`~kam.services.risk.compute_risk_figures` (nothing is kept then).
    """
    if version is None:
        with transaction(book.database) as session:
            version = (book_version(session), repr(book_policy(book)))
    key = (str(book.database.url), today.year, today.month, horizon)
    kept = repr((FORMAT, key, version))
    return _FIGURES.get(key, version, lambda: _kept_figures(book, today, horizon, kept))


def _kept_figures(book: Book, today: date, horizon: int, kept: str) -> RiskFigures:
    """The figures of the file kept under ``kept``, else fitted and written there; one
    process fits while the others wait for its file."""
    folder = book.data_dir / "cache"
    target = folder / f"risk-{hashlib.sha256(kept.encode()).hexdigest()[:24]}.json"
    found = read_figures(target, kept)
    if found is not None:
        return found
    folder.mkdir(parents=True, exist_ok=True)
    # a lock of the folder's file: each opening holds its own, so threads of this process
    # wait for each other as other processes do
    with (folder / ".risk.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            found = read_figures(target, kept)
            if found is None:
                found = compute_risk_figures(book, today, horizon)
                write_figures(target, kept, found)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return found


def write_figures(target: Path, kept: str, figures: RiskFigures) -> None:
    """Write ``figures`` to ``target`` under the name ``kept``: whole under a private
    name, then renamed, so that a reader sees the whole file or none; the oldest files
    past :data:`FILES_KEPT` go."""
    document = {
        "kept": kept,
        "month": figures.month,
        "horizon": figures.horizon,
        "examples": figures.examples,
        "lost": figures.lost,
        "clients": [
            [c.client_key, c.owner, c.abc_class, c.value, c.probability, c.drivers, c.signals]
            for c in figures.clients
        ],
    }
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    try:
        partial.write_text(json.dumps(document), encoding="utf-8")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    files = sorted(target.parent.glob("risk-*.json"), key=lambda f: f.stat().st_mtime)
    for old in files[:-FILES_KEPT]:
        old.unlink(missing_ok=True)


def read_figures(target: Path, kept: str) -> RiskFigures | None:
    """The figures kept in ``target`` under the name ``kept``; ``None`` when there is no
    such file, or it is of another name, or it cannot be read whole."""
    try:
        document: Any = json.loads(target.read_text(encoding="utf-8"))
        if document["kept"] != kept:
            return None
        clients = tuple(
            ClientFigures(
                str(key), owner, str(klass), int(value), float(p), tuple(drivers), dict(signals)
            )
            for key, owner, klass, value, p, drivers, signals in document["clients"]
        )
        return RiskFigures(
            str(document["month"]),
            int(document["horizon"]),
            int(document["examples"]),
            int(document["lost"]),
            clients,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def book_backtest(
    book: Book, start: str, end: str, horizon: int = HORIZON, budget: float = BUDGET
) -> Backtest:
    """:func:`~kam.services.risk_backtest.run_backtest` of the whole book (every key
    client lost listed), computed once per state of the book and of the rules' settings.

    Raises
    ------
    BookError
        As :func:`~kam.services.risk_backtest.run_backtest` (the replay is not kept then).
    """
    with transaction(book.database) as session:
        version = (
            book_version(session),
            repr(book_policy(book)),
            repr(limits_of(book.settings)),
        )
    key = (str(book.database.url), start, end, horizon, budget)
    return _BACKTESTS.get(
        key, version, lambda: run_backtest(book, start, end, None, horizon, budget)
    )
