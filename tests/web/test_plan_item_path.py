"""The path of adding a plan item, as a user takes it on the risks page: the form's
post writes in one transaction, and neither it nor the page it leads back to reads
the book's sales lines (the yearly value at stake comes from the per-client figures
the client page reads)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from kam.services import client_sales, plans
from kam.services.book import Book
from tests.web.conftest import PlanBook

KEY = "DRACD"  # the manager's client
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}/risks"
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(scope="module")
def demo(plan_book: Callable[[Mapping[str, str]], PlanBook]) -> Book:
    return plan_book({KEY: "Keep the account"}).book


@pytest.fixture
def transactions(demo: Book) -> Iterator[list[list[str]]]:
    """The statements of each transaction on the book's database, as they run."""
    seen: list[list[str]] = []

    def began(_connection: Any) -> None:
        seen.append([])

    def executed(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen[-1].append(" ".join(statement.split()))

    event.listen(demo.database, "begin", began)
    event.listen(demo.database, "before_cursor_execute", executed)
    yield seen
    event.remove(demo.database, "begin", began)
    event.remove(demo.database, "before_cursor_execute", executed)


def test_adding_a_risk_writes_in_one_transaction_and_reads_no_sales_line(
    login: Callable[[str], TestClient],
    transactions: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = login("manager")
    before = manager.get(PAGE)  # the client's figures are ready, as after any page
    assert before.status_code == 200

    def no_scan(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the sales lines were read")

    monkeypatch.setattr(client_sales, "_build", no_scan)
    monkeypatch.setattr(client_sales, "engine_session", no_scan)
    transactions.clear()
    answer = manager.post(PAGE, data={"title": "Key buyer retires", "probability": "30"})
    assert answer.status_code == 303 and answer.headers["location"] == PAGE
    writing = [t for t in transactions if any(s.startswith(WRITES) for s in t)]
    assert len(writing) == 1
    assert any(s.startswith("INSERT INTO plan_risks") for s in writing[0])
    assert manager.get(answer.headers["location"]).status_code == 200
