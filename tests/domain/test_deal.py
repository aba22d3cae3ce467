"""A deal's checklist and a partner's buy-back schedule, checked against hand-worked values."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam.domain.deal import (
    BuybackStep,
    Deliverable,
    DeliverableKind,
    DeliverableStatus,
    compute_buyback_value,
    compute_checklist_counts,
    format_schedule,
    parse_money,
    parse_schedule,
    schedule_years,
    validate_schedule,
)
from kam.i18n import use_language
from kam.i18n.languages import language

#: DOMAIN.md's leasing buy-back: 70% in year one, 50% in years two to four, 25% from year five.
LEASING = (BuybackStep(1, 1, 0.7), BuybackStep(2, 4, 0.5), BuybackStep(5, None, 0.25))


def item(status: DeliverableStatus, due: date | None, item_id: int = 1) -> Deliverable:
    return Deliverable(
        item_id,
        1,
        DeliverableKind.OTHER,
        "x",
        None,
        due,
        status,
        "",
        None,
        (),
        datetime(2026, 1, 1),
        "ann",
    )


def test_the_leasing_buy_back_of_domain_md_on_a_price_of_850_000() -> None:
    # 850,000.00: year 1 at 70% = 595,000.00; years 2-4 at 50% = 425,000.00;
    # year 5 and every later year at 25% = 212,500.00.
    price = 85_000_000
    values = [compute_buyback_value(price, LEASING, year) for year in (1, 2, 4, 5, 9)]
    assert values == [59_500_000, 42_500_000, 42_500_000, 21_250_000, 21_250_000]
    assert compute_buyback_value(price, LEASING, 0) is None


def test_a_closed_schedule_pays_nothing_after_its_last_year_and_rounds_halves_up() -> None:
    schedule = (BuybackStep(1, 2, 0.333),)
    # 0.333 * 1,000.05 = 333.01665 -> 333.02 (cents: 33,301.665 -> 33,302)
    assert compute_buyback_value(100_005, schedule, 2) == 33_302
    assert compute_buyback_value(100_005, schedule, 3) is None


def test_a_schedule_is_read_from_the_form_and_written_back_the_same() -> None:
    assert parse_schedule("1: 70\n2-4: 50%\n5-: 25") == LEASING
    assert parse_schedule("5-:25; 1=70 ; 2 - 4 : 50") == LEASING
    assert format_schedule(LEASING) == "1: 70\n2-4: 50\n5-: 25"
    assert parse_schedule("1: 12,5") == (BuybackStep(1, 1, 0.125),)
    assert parse_schedule("  ") == ()
    assert schedule_years(LEASING) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1-3: 70\n3-: 50", "overlap from year 3"),
        ("1-: 70\n3-: 50", "overlap from year 3"),
        ("0: 70", "starts at 1"),
        ("4-2: 70", "ends"),
        ("1: 120", "between 0% and 100%"),
        ("year one: 70", "reads like"),
    ],
)
def test_a_bad_schedule_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_schedule(text)


def test_rows_are_put_in_order_of_years() -> None:
    assert validate_schedule(list(reversed(LEASING))) == LEASING


def test_checklist_counts_done_overdue_and_blocked_as_of_a_day() -> None:
    today = date(2026, 3, 10)
    items = [
        item(DeliverableStatus.DONE, date(2026, 3, 1), 1),  # done late: not overdue
        item(DeliverableStatus.TODO, date(2026, 3, 9), 2),  # overdue
        item(DeliverableStatus.BLOCKED, date(2026, 2, 1), 3),  # blocked and overdue
        item(DeliverableStatus.IN_PROGRESS, date(2026, 3, 10), 4),  # due today: not yet
        item(DeliverableStatus.TODO, None, 5),  # no due date: never overdue
    ]
    counts = compute_checklist_counts(items, today)
    assert (counts.total, counts.done, counts.overdue, counts.blocked) == (5, 1, 2, 1)


def test_amounts_are_read_as_each_language_writes_them() -> None:
    assert parse_money("1,234,567.89") == 123_456_789
    assert parse_money("250000") == 25_000_000
    with use_language(language("pl")):
        assert parse_money("1\u00a0234\u00a0567,89") == 123_456_789
        assert parse_money("1 234,5") == 123_450
    with pytest.raises(ValueError):
        parse_money("twelve")
    with pytest.raises(ValueError):
        parse_money("-5")
