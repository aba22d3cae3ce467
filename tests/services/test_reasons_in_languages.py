"""A stored class keeps the numbers of its reason, so each reader reads it in its language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from kam.domain.period import parse_period
from kam.i18n import use_language
from kam.i18n.languages import language
from kam.services.book import Book
from kam.services.class_history import show_history
from kam.services.classify import ClassifyRequest, PolicySpec, classify_book
from tests.books import add_sales_rows, make_book

NOW = datetime(2024, 5, 1, 12, 0)


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, user="ann")
    add_sales_rows(
        opened,
        [
            {"client_id": "S1", "date": date(2023, 3, 1), "amount": 900_000},
            {"client_id": "S2", "date": date(2023, 3, 1), "amount": 80_000},
            {"client_id": "S3", "date": date(2023, 3, 1), "amount": 20_000},
        ],
    )
    yield opened
    opened.close()


def test_a_class_taken_in_english_is_read_in_polish(book: Book) -> None:
    classify_book(book, ClassifyRequest(period=parse_period("2023")), NOW)
    (snapshot,) = show_history(book, "S2").snapshots
    # S2 has 800.00 of 10,000.00; S1, ranked above, holds 90%: B (A below 80%, B below 95%).
    assert snapshot.reason == (
        "B: the 1 client ranked above holds 90.0% of the value (A below 80.0%, B below 95.0%)"
    )
    assert snapshot.explained() == snapshot.reason
    with use_language(language("pl")):
        assert snapshot.explained() == (
            "B: klient na wyższej pozycji (liczba: 1) ma 90,0% wartości "
            "(A poniżej 80,0%, B poniżej 95,0%)"
        )


def test_computed_abc_limits_are_kept_with_the_run(book: Book) -> None:
    classify_book(
        book, ClassifyRequest(period=parse_period("2023"), policy=PolicySpec("computed")), NOW
    )
    (snapshot,) = show_history(book, "S1").snapshots
    assert snapshot.stored is not None
    assert snapshot.stored.key == "computed"
    with use_language(language("pl")):
        polish = snapshot.explained()
    assert polish.startswith("A: wartość 9\xa0000,00\xa0€ wobec progów Computed ABC: A od ")
    assert snapshot.reason.startswith("A: value €9,000.00 against the Computed ABC limits A from ")
    # the limits are the same numbers in both languages
    polish_limits = re.findall(r"od ([\d\xa0]+,\d\d)\xa0€", polish)
    english_limits = re.findall(r"from €([\d,]+\.\d\d)", snapshot.reason)
    assert len(polish_limits) == len(english_limits) == 2
    assert [p.replace("\xa0", "").replace(",", ".") for p in polish_limits] == [
        e.replace(",", "") for e in english_limits
    ]
