"""Periods as people write them."""

from __future__ import annotations

from datetime import date

import pytest

from kam.domain.period import parse_comparison, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2011", date(2011, 1, 1), date(2011, 12, 31)),
        ("2011-Q4", date(2011, 10, 1), date(2011, 12, 31)),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29)),
        ("2011-03-15", date(2011, 3, 15), date(2011, 3, 15)),
        ("2011-01..2011-06", date(2011, 1, 1), date(2011, 6, 30)),
        ("2011-07-01..", date(2011, 7, 1), None),
    ],
)
def test_a_period_is_read_from_its_usual_names(text: str, start: date, end: date | None) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


def test_a_comparison_names_two_periods() -> None:
    before, after = parse_comparison("2010:2011")
    assert before.end == date(2010, 12, 31) and after.start == date(2011, 1, 1)


@pytest.mark.parametrize("text", ["2011-13", "last year", "2011-Q5"])
def test_an_unknown_period_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"period|month"):
        parse_period(text)


def test_a_comparison_without_a_colon_is_refused() -> None:
    with pytest.raises(ValueError, match="FROM:TO"):
        parse_comparison("2010-2011")


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="starts after"):
        parse_period("2012..2011")
