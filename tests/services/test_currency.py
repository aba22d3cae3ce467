"""The book's currency: the settings, then its settings.toml, read again when it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kam.services.book import init_book
from kam.services.currency import CurrencyError, book_currency, save_currency
from kam.settings import SETTINGS_FILE, load_settings, read_settings_file


def test_a_book_is_in_euro_until_told_and_keeps_its_other_settings(tmp_path: Path) -> None:
    book = init_book(load_settings({}, None, {"data_dir": str(tmp_path)}))
    try:
        assert book_currency(book) == "EUR"
        (tmp_path / SETTINGS_FILE).write_text('policy = "count"\n', encoding="utf-8")
        assert book_currency(book) == "EUR"
        assert save_currency(book, "pln") == "PLN"
        assert book_currency(book) == "PLN"
        assert read_settings_file(tmp_path / SETTINGS_FILE) == {
            "policy": "count",
            "currency": "PLN",
        }
        save_currency(book, "USD")  # same size as before: read again all the same
        assert book_currency(book) == "USD"
        with pytest.raises(CurrencyError, match="ISO 4217"):
            save_currency(book, "dollars")
        assert book_currency(book) == "USD"
    finally:
        book.close()


def test_the_settings_name_the_currency_when_the_file_does_not(tmp_path: Path) -> None:
    book = init_book(load_settings({"KAM_CURRENCY": "gbp"}, None, {"data_dir": str(tmp_path)}))
    try:
        assert book_currency(book) == "GBP"
    finally:
        book.close()
