"""Periods of time named the way people name them: 2011, 2011-Q2, 2011-03, or a range."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kam.i18n import gettext as _


@dataclass(frozen=True)
class Period:
    """A closed range of days; either end may be open (``None``)."""

    start: date | None
    end: date | None
    label: str = ""

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            if self.label:
                raise ValueError(_("period {label} starts after it ends").format(label=self.label))
            raise ValueError(_("the period starts after it ends"))

    def __str__(self) -> str:
        if self.label:
            return self.label
        return f"{self.start or '…'}..{self.end or '…'}"


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def parse_date(text: str) -> date:
    """A day written as ``YYYY-MM-DD``.

    Examples
    --------
    >>> parse_date("2011-12-09")
    datetime.date(2011, 12, 9)
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            _("expected a date as YYYY-MM-DD, got {text!r}").format(text=text)
        ) from None


def parse_period(text: str) -> Period:
    """Read a period: a year, a quarter, a month, a day, or ``START..END``.

    Examples
    --------
    >>> parse_period("2011")
    Period(start=datetime.date(2011, 1, 1), end=datetime.date(2011, 12, 31), label='2011')
    >>> parse_period("2011-Q2").end
    datetime.date(2011, 6, 30)
    >>> parse_period("2010-02").end
    datetime.date(2010, 2, 28)
    >>> parse_period("2010-12-01..2011-05-31").start
    datetime.date(2010, 12, 1)
    """
    text = text.strip()
    if ".." in text:
        left, right = text.split("..", 1)
        start = parse_period(left).start if left else None
        end = parse_period(right).end if right else None
        return Period(start, end, text)
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m[1])
        return Period(date(year, 1, 1), date(year, 12, 31), text)
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        return Period(date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), text)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(_("no month {month} in {text!r}").format(month=month, text=text))
        return Period(date(year, month, 1), _month_end(year, month), text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = parse_date(text)
        return Period(day, day, text)
    raise ValueError(
        _(
            "expected a period such as 2011, 2011-Q2, 2011-03 or 2011-01-01..2011-06-30, got "
            "{text!r}"
        ).format(text=text)
    )


def trailing_months(last_day: date, months: int = 12) -> Period:
    """The ``months`` whole calendar months up to and including the month of ``last_day``.

    This is the default period of a book: the 12 months up to its last sale.

    Examples
    --------
    >>> p = trailing_months(date(2013, 11, 29))
    >>> p.label, p.start, p.end
    ('2012-12..2013-11', datetime.date(2012, 12, 1), datetime.date(2013, 11, 30))
    >>> trailing_months(date(2024, 1, 5), 1).label
    '2024-01..2024-01'
    """
    if months < 1:
        raise ValueError(_("expected at least one month, got {months}").format(months=months))
    index = last_day.year * 12 + last_day.month - 1 - (months - 1)
    start = date(index // 12, index % 12 + 1, 1)
    end = _month_end(last_day.year, last_day.month)
    return Period(start, end, f"{start:%Y-%m}..{end:%Y-%m}")


def parse_comparison(text: str) -> tuple[Period, Period]:
    """Two periods written ``FROM:TO``, such as ``2010:2011``.

    Examples
    --------
    >>> [p.label for p in parse_comparison("2011-Q1:2011-Q2")]
    ['2011-Q1', '2011-Q2']
    """
    if text.count(":") != 1:
        raise ValueError(
            _("expected two periods as FROM:TO, such as 2010:2011, got {text!r}").format(text=text)
        )
    before, after = text.split(":")
    return parse_period(before), parse_period(after)
