"""The money at risk fitted once per state of the book, for every language and every
worker process: kept in a file of the book's cache folder."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.i18n import use_language
from kam.i18n.languages import language
from kam.services import risk, risk_cache
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.proposals import values_at_risk
from kam.services.risk import HORIZON, RiskFigures
from kam.services.risk_cache import book_money_at_risk
from kam.store import records
from kam.store.database import transaction
from tests.books import make_book
from tests.services.risk_books import TODAY, fill_planted

HEAD = ClientScope(User("someone", Role.HEAD), None)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    made = make_book(tmp_path / "book")
    fill_planted(made)
    yield made
    made.close()


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The days of the fits of the money at risk, each one counted."""
    fitted: list[date] = []

    def counted(book: Book, today: date, horizon: int = HORIZON) -> RiskFigures:
        fitted.append(today)
        return risk.compute_risk_figures(book, today, horizon)

    monkeypatch.setattr(risk_cache, "compute_risk_figures", counted)
    return fitted


def _in_a_new_process() -> None:
    """What a worker process that never fitted holds: nothing in memory."""
    risk_cache._FIGURES.clear()
    risk_cache._REPORTS.clear()


def _kept_files(book: Book) -> list[Path]:
    return sorted((book.data_dir / "cache").glob("risk-*.json"))


def test_the_other_language_and_a_new_process_read_the_kept_fit_instead_of_fitting(
    book: Book, fits: list[date]
) -> None:
    _in_a_new_process()
    english = book_money_at_risk(book, TODAY, HEAD)
    assert fits == [TODAY]
    assert len(_kept_files(book)) == 1

    with use_language(language("pl")):
        polish = book_money_at_risk(book, TODAY, HEAD)
    _in_a_new_process()
    again = book_money_at_risk(book, TODAY, HEAD)

    assert fits == [TODAY]
    # the same numbers, worded in each language
    assert [(c.client_key, c.probability) for c in polish.clients] == [
        (c.client_key, c.probability) for c in english.clients
    ]
    assert polish.at_risk == english.at_risk
    fading = next(c for c in english.clients if c.client_key.startswith("FADE"))
    in_polish = next(c for c in polish.clients if c.client_key == fading.client_key)
    assert fading.drivers and in_polish.drivers != fading.drivers
    # read from the file, the report is the one fitted, to the last digit
    assert again == english


def test_a_changed_book_is_fitted_again_and_its_fit_kept_beside(
    book: Book, fits: list[date]
) -> None:
    _in_a_new_process()
    book_money_at_risk(book, TODAY, HEAD)
    with transaction(book.database) as session:
        records.upsert(session, [Client("NEW-01", "New client")], datetime(2024, 1, 2, 9))

    book_money_at_risk(book, TODAY, HEAD)
    assert fits == [TODAY, TODAY]
    assert len(_kept_files(book)) == 2
    # a process that starts after the change reads the new state's fit
    _in_a_new_process()
    book_money_at_risk(book, TODAY, HEAD)
    assert fits == [TODAY, TODAY]
    # another month is another fit
    book_money_at_risk(book, date(2023, 12, 15), HEAD)
    assert fits == [TODAY, TODAY, date(2023, 12, 15)]


def test_two_workers_fitting_at_once_fit_once_and_both_read_one_whole_file(
    book: Book, fits: list[date]
) -> None:
    """Each thread stands for a worker process: neither holds the figures in memory, and
    each opens the folder's lock on its own."""
    found: list[RiskFigures] = []

    def worker() -> None:
        found.append(risk_cache._kept_figures(book, TODAY, HORIZON, "one state of the book"))

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for started in workers:
        started.start()
    for started in workers:
        started.join()

    assert fits == [TODAY]
    assert len(found) == 2
    assert found[0] == found[1]
    (kept,) = _kept_files(book)
    assert risk_cache.read_figures(kept, "one state of the book") == found[0]
    assert risk_cache.read_figures(kept, "another state") is None


@pytest.mark.parametrize(
    "spoil",
    [
        lambda text: text[: len(text) // 2],  # cut off: a partial file
        lambda text: "",
        lambda text: "[1, 2]",  # JSON, not of figures
        lambda text: text.replace('"clients": [[', '"clients": [[1, '),  # a client too long
    ],
    ids=["partial", "empty", "another document", "a client spoilt"],
)
def test_a_spoilt_kept_file_is_ignored_and_fitted_again(
    book: Book, fits: list[date], spoil: Callable[[str], str]
) -> None:
    _in_a_new_process()
    first = book_money_at_risk(book, TODAY, HEAD)
    (kept,) = _kept_files(book)
    kept.write_text(spoil(kept.read_text(encoding="utf-8")), encoding="utf-8")

    _in_a_new_process()
    again = book_money_at_risk(book, TODAY, HEAD)

    assert fits == [TODAY, TODAY]
    assert again == first
    # written whole again: the next process reads it
    _in_a_new_process()
    book_money_at_risk(book, TODAY, HEAD)
    assert fits == [TODAY, TODAY]


def test_the_assignment_s_values_at_risk_read_the_fit_the_pages_keep(
    book: Book, fits: list[date], monkeypatch: pytest.MonkeyPatch
) -> None:
    _in_a_new_process()
    report = book_money_at_risk(book, TODAY, HEAD)

    def no_fit(*_args: object) -> RiskFigures:
        raise AssertionError("fitted again")

    monkeypatch.setattr(risk, "compute_risk_figures", no_fit)
    at_risk = values_at_risk(book, HEAD, TODAY)
    assert fits == [TODAY]
    assert at_risk == {c.client_key: c.at_risk for c in report.clients}
    assert any(value > 0 for value in at_risk.values())
