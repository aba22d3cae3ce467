"""Money at risk kept while the book is unchanged, for the pages that show it.

Fitting the model of :func:`kam.services.risk.money_at_risk` takes most of a second on
the demo book, too long for every visit of a page. The whole book's report is kept per
book, month and language (the signals are worded in the reader's language), at the
book's version (:func:`kam.store.client_index.book_version`: imports, runs, clients and
hand-overs) and its classification policy; each user's report is cut from it by scope,
with the totals of what the user may see. The replay of the rules and the model on the
book's past (:func:`book_backtest`) is kept the same way, at the rules' settings too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from kam import i18n
from kam.services.access import ClientScope
from kam.services.alert_rules import limits_of
from kam.services.book import Book
from kam.services.risk import HORIZON, ClientRisk, RiskReport, RiskTotal, book_policy, money_at_risk
from kam.services.risk_backtest import BUDGET, Backtest, run_backtest
from kam.store.cache import BookCache
from kam.store.client_index import book_version
from kam.store.database import transaction

#: Whole-book reports by database, month, horizon and language.
_REPORTS: BookCache[RiskReport] = BookCache(kept=16)
#: Whole-book replays by database, months, horizon and budget.
_BACKTESTS: BookCache[Backtest] = BookCache(kept=8)


def _totals(
    clients: Sequence[ClientRisk], key: Callable[[ClientRisk], str]
) -> tuple[RiskTotal, ...]:
    grouped: dict[str, list[ClientRisk]] = defaultdict(list)
    for client in clients:
        grouped[key(client)].append(client)
    return tuple(
        RiskTotal(name, len(group), sum(c.value for c in group), sum(c.at_risk for c in group))
        for name, group in sorted(grouped.items())
    )


def scoped_report(report: RiskReport, scope: ClientScope) -> RiskReport:
    """The clients of ``report`` that ``scope`` lets one see, with their totals."""
    if scope.everything:
        return report
    clients = tuple(c for c in report.clients if scope.allows(c.client_key))
    return replace(
        report,
        clients=clients,
        by_class=_totals(clients, lambda c: c.abc_class),
        by_owner=_totals(clients, lambda c: c.owner or ""),
    )


def book_money_at_risk(
    book: Book, today: date, scope: ClientScope, horizon: int = HORIZON
) -> RiskReport:
    """:func:`~kam.services.risk.money_at_risk` as far as ``scope`` lets one see, the
    whole book's report computed once per state of the book.

    Raises
    ------
    BookError
        As :func:`~kam.services.risk.money_at_risk` (the report is not kept then).
    """
    with transaction(book.database) as session:
        version = (book_version(session), repr(book_policy(book)))
    key = (str(book.database.url), today.year, today.month, horizon, i18n.current().code)
    report = _REPORTS.get(key, version, lambda: money_at_risk(book, today, None, horizon))
    return scoped_report(report, scope)


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
