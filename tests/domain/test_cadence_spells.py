"""Spells of a class as the schedule reads them, and the key clients nobody has met."""

from __future__ import annotations

from datetime import date

from kam.domain.cadence import ClassSpell, Contact, merged_spells, not_met
from kam.domain.classes import AbcClass

A, B = AbcClass.A, AbcClass.B


def test_a_run_that_confirms_the_class_held_starts_no_new_spell() -> None:
    runs = [
        ClassSpell(A, date(2024, 1, 2)),
        ClassSpell(A, date(2024, 4, 2)),
        ClassSpell(B, date(2024, 7, 1)),
        ClassSpell(B, date(2024, 10, 1)),
    ]
    assert merged_spells(runs) == [ClassSpell(A, date(2024, 1, 2)), ClassSpell(B, date(2024, 7, 1))]


def test_of_two_runs_on_one_day_the_later_holds() -> None:
    # the demo classifies two periods one after the other: the latest run's class holds
    runs = [
        ClassSpell(A, date(2024, 1, 2)),
        ClassSpell(B, date(2024, 3, 1)),
        ClassSpell(A, date(2024, 3, 1)),
    ]
    assert merged_spells(runs) == [ClassSpell(A, date(2024, 1, 2))]


def test_an_a_client_is_unmet_once_its_shortest_meeting_interval_has_passed() -> None:
    spells = [ClassSpell(A, date(2024, 1, 31))]
    visit = Contact("visit", date(2024, 1, 31), True)
    # 31 January + 30 days = 1 March (2024 is a leap year): not yet on 1 March, late on the 2nd
    assert not_met(spells, [visit], date(2024, 3, 1)) is None
    unmet = not_met(spells, [visit], date(2024, 3, 2))
    assert unmet is not None
    assert (unmet.last_met, unmet.due, unmet.overdue_days) == (
        date(2024, 1, 31),
        date(2024, 3, 1),
        1,
    )
    # a call or a planned visit is no meeting; time together is one
    planned = Contact("visit", date(2024, 3, 1), False)
    assert not_met(
        spells, [visit, planned, Contact("call", date(2024, 3, 1), True)], date(2024, 3, 2)
    )
    assert (
        not_met(
            spells, [visit, Contact("time_together", date(2024, 2, 20), True)], date(2024, 3, 2)
        )
        is None
    )


def test_a_client_that_became_a_is_owed_a_meeting_from_the_day_of_the_change() -> None:
    # a B client met on 1 March, class A from 1 June: due 30 days after 1 March, but not
    # before the change, so on 1 June
    spells = [ClassSpell(B, date(2024, 1, 2)), ClassSpell(A, date(2024, 6, 1))]
    met = [Contact("visit", date(2024, 3, 1), True)]
    assert not_met(spells, met, date(2024, 6, 1)) is None
    unmet = not_met(spells, met, date(2024, 6, 5))
    assert unmet is not None and (unmet.due, unmet.overdue_days) == (date(2024, 6, 1), 4)
    # a B client's policy asks for a visit every 60 days: met on 1 March, due 30 April
    assert not_met(spells[:1], met, date(2024, 4, 30)) is None
    assert not_met(spells[:1], met, date(2024, 5, 1)) is not None
