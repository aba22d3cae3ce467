"""A generated book with planted losses, whose answer is known: who was lost, when."""

from __future__ import annotations

import calendar
import random
from datetime import date

from kam.services.book import Book
from tests.books import add_sales_rows

#: The book runs from January 2021 to December 2023; the tests ask as of January 2024.
FIRST = (2021, 1)
MONTHS = 36
TODAY = date(2024, 1, 15)


def _day(index: int) -> date:
    year, month = divmod(FIRST[0] * 12 + FIRST[1] - 1 + index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def planted_sales(seed: int = 7) -> tuple[list[dict[str, object]], dict[str, int]]:
    """Sales of 80 steady clients (``STEADY-nn``: every month, about the same value), 30
    lost in the past (``GONE-nn``: their value fades over six months, then they stop, at
    a month between 2021-09 and 2022-11, having bought in the month before) and 10 fading
    now (``FADE-nn``: fading since July 2023, buying little in December 2023); with the
    month (its index from January 2021) each ``GONE`` client stopped. One line a client
    and month, on the 10th."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    stopped: dict[str, int] = {}

    def buy(client: str, month: int, amount: float) -> None:
        rows.append({"client_id": client, "date": _day(month), "amount": max(round(amount), 1)})

    for i in range(80):
        client, base = f"STEADY-{i:02d}", rng.randint(500, 5000) * 100
        for month in range(MONTHS):
            buy(client, month, base * rng.uniform(0.8, 1.2))
    for i in range(30):
        client, base = f"GONE-{i:02d}", rng.randint(500, 5000) * 100
        stop = rng.randint(8, 22)
        stopped[client] = stop
        for month in range(stop):
            fade = min(1.0, (stop - month) / 7)
            if month == stop - 1 or rng.random() < 0.3 + 0.7 * fade:
                buy(client, month, base * fade * rng.uniform(0.8, 1.2))
    for i in range(10):
        client, base = f"FADE-{i:02d}", rng.randint(500, 5000) * 100
        for month in range(MONTHS):
            fade = min(1.0, (MONTHS + 1 - month) / 7)
            if month == MONTHS - 1 or rng.random() < 0.3 + 0.7 * fade:
                buy(client, month, base * fade * rng.uniform(0.8, 1.2))
    return rows, stopped


def fill_planted(book: Book, seed: int = 7) -> dict[str, int]:
    """Publish the planted sales in ``book``; the month each ``GONE`` client stopped."""
    rows, stopped = planted_sales(seed)
    add_sales_rows(book, rows)
    return stopped
