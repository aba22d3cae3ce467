"""Money at risk on a generated book with planted losses, what if we lose a client on a
hand-made book, and the model replayed on the planted book's past."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from kam.analytics.churn import month_number, month_text
from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.services import risk
from kam.services.access import ClientScope
from kam.services.book import Book, BookError
from kam.services.loss import lose_clients
from kam.services.risk import FEATURES, LossModel, RiskReport, money_at_risk, one_thread
from kam.services.risk_backtest import run_backtest
from kam.store import records
from kam.store.database import transaction
from tests.books import add_sales_rows, make_book
from tests.services.risk_books import FIRST, TODAY, fill_planted

NOW = datetime(2024, 1, 2, 9)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Book, dict[str, int]]]:
    book = make_book(tmp_path_factory.mktemp("planted") / "book")
    stopped = fill_planted(book)
    with transaction(book.database) as session:
        clients = [
            Client(f"STEADY-{i:02d}", f"Steady {i}", owner="ann" if i % 2 else "bob")
            for i in range(80)
        ] + [Client(f"FADE-{i:02d}", f"Fade {i}", owner="ann") for i in range(10)]
        records.upsert(session, clients, NOW)
    yield book, stopped
    book.close()


@pytest.fixture(scope="module")
def report(planted: tuple[Book, dict[str, int]]) -> RiskReport:
    return money_at_risk(planted[0], TODAY)


def test_clients_planted_to_fade_are_more_likely_lost_than_every_steady_one(
    report: RiskReport,
) -> None:
    chance = {c.client_key: c.probability for c in report.clients}
    fading = [chance[f"FADE-{i:02d}"] for i in range(10)]
    steady = [chance[f"STEADY-{i:02d}"] for i in range(80)]

    assert report.month == "2023-12"
    # the GONE clients stopped by 2022-11: only the 90 others bought in 2023
    assert len(report.clients) == 90
    assert min(fading) > max(steady)


def test_the_signals_driving_a_fading_client_are_worded(report: RiskReport) -> None:
    fading = next(c for c in report.clients if c.client_key.startswith("FADE"))

    assert report.clients[0].client_key.startswith("FADE")
    assert 1 <= len(fading.drivers) <= 3
    assert any(
        "trend" in driver or "against the same months a year before" in driver
        for driver in fading.drivers
    )


def test_a_signal_drives_a_client_s_risk_only_on_its_risky_side(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the inputs as they are; the book's means subtracted to scale them; the regression's
    # weights as inputs that go together can leave them, some backwards
    monkeypatch.setattr(risk, "feature_row", lambda signals: signals["inputs"])
    means = dict.fromkeys(FEATURES, 0.0) | {"slope_6": 0.5, "class_b": 0.3}
    weights = dict.fromkeys(FEATURES, 0.0) | {
        "active_3": 0.9,  # backwards: buying more would raise the risk
        "months_since_last": 0.5,
        "trend": -0.4,
        "slope_6": -0.5,
        "class_b": -1.0,
    }

    class Scaler:
        @staticmethod
        def transform(matrix: np.ndarray) -> np.ndarray:
            return matrix - np.array([means[f] for f in FEATURES])

    class Regression:
        coef_ = np.array([[weights[f] for f in FEATURES]])

    model = LossModel(None, (Scaler(), Regression()), 0, 0)
    client = dict.fromkeys(FEATURES, 0.0) | {
        "active_3": 1.0,  # bought in more of the last 3 months than most: no risk in that
        "months_since_last": 2.0,  # last bought longer ago than most: term 1.0
        "trend": -1.0,  # a falling trend: term 0.4
        "slope_6": 0.2,  # growing, if less than most (term 0.15): no risk in that
        "class_a": 1.0,  # class A, so not B: no risk in that (term 0.3)
    }
    assert model.drivers({"inputs": [client[f] for f in FEATURES]}) == [
        "months_since_last",
        "trend",
    ]
    # falling, and more than most: a driver; as class B is, for a client of class C
    client |= {"slope_6": -0.6, "class_a": 0.0}
    assert model.drivers({"inputs": [client[f] for f in FEATURES]}, 4) == [
        "months_since_last",
        "slope_6",
        "trend",
        "class_b",
    ]


def test_value_at_risk_is_value_times_probability_and_the_totals_add_up(
    report: RiskReport,
) -> None:
    for client in report.clients:
        assert client.at_risk == round(client.value * client.probability)
    for totals in (report.by_class, report.by_owner):
        assert sum(t.at_risk for t in totals) == report.at_risk
        assert sum(t.value for t in totals) == report.value
        assert sum(t.clients for t in totals) == len(report.clients)
    by_owner = {t.name: t for t in report.by_owner}
    assert sorted(by_owner) == ["ann", "bob"]
    assert by_owner["bob"].clients == 40
    assert by_owner["bob"].at_risk == sum(c.at_risk for c in report.clients if c.owner == "bob")


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Book]:
    """X 500, Y 300, Z 150 and W 50 in 2023 (one line each on 30 June)."""
    book = make_book(tmp_path / "book")
    add_sales_rows(
        book,
        [
            {"client_id": key, "date": date(2023, 6, 30), "amount": value}
            for key, value in (("X", 50_000), ("Y", 30_000), ("Z", 15_000), ("W", 5_000))
        ],
    )
    yield book
    book.close()


def test_losing_the_largest_client_concentrates_the_book_and_moves_the_others_up(
    small: Book,
) -> None:
    # Before: shares 50, 30, 15, 5 -> HHI 2,500 + 900 + 225 + 25 = 3,650; classes (80/95):
    # X A (0 above), Y A (50%), Z B (80%), W C (95%).
    # After losing X: 300, 150, 50 of 500 -> 60, 30, 10 -> HHI 3,600 + 900 + 100 = 4,600;
    # Y A (0), Z A (60%), W B (90%).
    outcome = lose_clients(small, ["X"], date(2024, 1, 15))

    assert outcome.month == "2023-06"  # the book's last month
    assert outcome.lost_value == 50_000
    assert (outcome.before.value, outcome.after.value) == (100_000, 50_000)
    assert outcome.before.herfindahl_hirschman_index == pytest.approx(3650)
    assert outcome.after.herfindahl_hirschman_index == pytest.approx(4600)
    assert (outcome.before.top_share, outcome.after.top_share) == (1.0, 1.0)
    assert outcome.before.classes == {"A": 2, "B": 1, "C": 1}
    assert outcome.after.classes == {"A": 2, "B": 1, "C": 0}
    assert [(m.client_key, m.before, m.after) for m in outcome.moves] == [
        ("Z", "B", "A"),
        ("W", "C", "B"),
    ]


def test_losing_a_client_without_sales_in_the_year_is_refused(small: Book) -> None:
    with pytest.raises(BookError, match="no sales in the 12 months to 2023-06 for: NOPE"):
        lose_clients(small, ["NOPE"], date(2024, 1, 15))


def test_the_replay_finds_the_planted_key_losses_and_catches_them_ahead(
    planted: tuple[Book, dict[str, int]],
) -> None:
    book, stopped = planted
    first = month_number(*FIRST)

    found = run_backtest(book, "2022-03", "2022-08", horizon=6)

    assert [m.month for m in found.months] == [f"2022-{m:02d}" for m in range(3, 9)]
    assert found.key_losses
    for loss in found.key_losses:
        # only the GONE clients stop, at the month planted
        assert loss.client_key.startswith("GONE")
        assert loss.month == month_text(first + stopped[loss.client_key])
    # the label (stopped within six months, then six quiet months) is known 11 months
    # on, so the replay's models learn from fewer months than the horizon alone allows
    assert found.auc is not None and found.auc > 0.85
    assert found.caught_share is not None and found.caught_share >= 0.5
    assert sum(d.clients for d in found.deciles) == sum(m.clients for m in found.months)


def test_a_replay_outside_the_book_is_refused(planted: tuple[Book, dict[str, int]]) -> None:
    with pytest.raises(BookError, match="the book holds the months 2021-01 to 2023-12"):
        run_backtest(planted[0], "2020-01", "2022-01")
    with pytest.raises(BookError, match="is not a month"):
        run_backtest(planted[0], "2022-13", "2023-01")


def test_a_replay_to_the_book_s_last_month_held_in_part_stops_the_month_before(
    small: Book,
) -> None:
    add_sales_rows(small, [{"client_id": "X", "date": date(2023, 7, 10), "amount": 100}])

    found = run_backtest(small, "2023-06", "2023-07")

    # one month of history: too short to fit, said by a month fitted on no example
    assert [(m.month, m.examples, m.lost) for m in found.months] == [("2023-06", 0, None)]
    assert (found.end, found.auc, found.key_losses) == ("2023-06", None, ())


def test_a_manager_sees_the_money_at_risk_of_its_own_clients_only(
    planted: tuple[Book, dict[str, int]], report: RiskReport
) -> None:
    own = frozenset({"FADE-00", "STEADY-01"})
    scope = ClientScope(User("ann", Role.MANAGER), own)

    seen = money_at_risk(planted[0], TODAY, scope)
    outcome = lose_clients(planted[0], ["FADE-00"], TODAY, scope)

    everyone = {c.client_key: c.probability for c in report.clients}
    assert {c.client_key for c in seen.clients} == own
    # the model is the whole book's: the same probabilities
    assert {c.client_key: c.probability for c in seen.clients} == {k: everyone[k] for k in own}
    assert sum(t.clients for t in seen.by_owner) == 2
    assert all(m.client_key in own for m in outcome.moves)
    with pytest.raises(BookError, match="for: STEADY-02"):
        lose_clients(planted[0], ["STEADY-02"], TODAY, scope)


def test_the_model_s_single_thread_is_given_back_when_two_fits_overlap() -> None:
    from sklearn import ensemble  # type: ignore[import-untyped]  # loads OpenMP
    from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

    assert ensemble

    def running(start: float) -> None:
        time.sleep(start)
        with one_thread():
            time.sleep(0.2)

    def limits() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info()]

    before = limits()
    if max(before) < 2:
        pytest.skip("the libraries run on one thread here already")
    # the second starts while the first holds one thread; had both set the limit, the
    # first would give back what it found and the second, ending last, the 1 it found
    fits = [threading.Thread(target=running, args=(start,)) for start in (0.0, 0.1)]
    for fit in fits:
        fit.start()
    for fit in fits:
        fit.join()
    assert limits() == before
