"""Overrides in force, expired or revoked; the default period of a book."""

from __future__ import annotations

from datetime import date, datetime

from kam.domain.class_history import ClassOverride, explain_override
from kam.domain.period import trailing_months

SET = datetime(2024, 1, 10, 9, 0)


def test_an_override_holds_through_its_last_day_and_not_after() -> None:
    override = ClassOverride("c", "A", "deal", "ann", SET, date(2024, 6, 30))
    assert [override.status(d) for d in (date(2024, 6, 30), date(2024, 7, 1))] == [
        "active",
        "expired",
    ]


def test_a_revoked_override_is_never_in_force() -> None:
    override = ClassOverride("c", "A", "deal", "ann", SET, None, revoked_at=datetime(2024, 2, 1))
    assert not override.is_active(date(2024, 1, 15))
    assert override.status(date(2024, 1, 15)) == "revoked"


def test_the_reason_of_an_override_names_who_why_until_and_the_computed_class() -> None:
    override = ClassOverride("c", "A", "deal", "ann", SET, date(2024, 6, 30))
    assert explain_override(override, "C", "C: the 283 clients ranked above hold 99.5%") == (
        "A: override by ann until 2024-06-30 (deal); computed C: the 283 clients ranked above "
        "hold 99.5%"
    )


def test_the_twelve_months_up_to_a_day_cross_the_year() -> None:
    period = trailing_months(date(2024, 2, 29))
    assert (period.start, period.end, period.label) == (
        date(2023, 3, 1),
        date(2024, 2, 29),
        "2023-03..2024-02",
    )
    assert trailing_months(date(2024, 12, 31)).start == date(2024, 1, 1)
