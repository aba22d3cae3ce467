"""What a client is owed and when, worked by hand on the calendar."""

from __future__ import annotations

from datetime import date

import pytest

from kam.domain.cadence import (
    DEFAULT_POLICIES,
    CadenceRule,
    ClassSpell,
    Compliance,
    Contact,
    DueStatus,
    Interval,
    IntervalUnit,
    Owed,
    ServicePolicy,
    compliance,
    due_contacts,
)
from kam.domain.classes import AbcClass

A_SINCE_2024 = [ClassSpell(AbcClass.A, date(2024, 1, 1))]


def _due(kind: str, spells: list[ClassSpell], contacts: list[Contact], today: date) -> date:
    [item] = [d for d in due_contacts(spells, contacts, today) if d.rule.kind == kind]
    return item.due


@pytest.mark.parametrize(
    ("start", "every", "expected"),
    [
        (date(2024, 1, 31), "1 month", date(2024, 2, 29)),  # a leap year's February
        (date(2023, 1, 31), "1 month", date(2023, 2, 28)),
        (date(2024, 2, 29), "12 months", date(2025, 2, 28)),  # no 29 February in 2025
        (date(2024, 2, 29), "48 months", date(2028, 2, 29)),
        (date(2024, 11, 30), "3 months", date(2025, 2, 28)),  # across the year's end
        (date(2024, 8, 31), "3m", date(2024, 11, 30)),
        (date(2024, 12, 15), "30 days", date(2025, 1, 14)),
        (date(2024, 2, 15), "30d", date(2024, 3, 16)),  # 14 days left in February 2024
        (date(2023, 2, 15), "30 days", date(2023, 3, 17)),
        (date(2024, 12, 30), "2 weeks", date(2025, 1, 13)),
        # in Polish, as a Polish head types it on the service policies page
        (date(2024, 11, 30), "3 miesiące", date(2025, 2, 28)),
        (date(2024, 8, 31), "1 miesiąc", date(2024, 9, 30)),
        (date(2024, 12, 15), "30 dni", date(2025, 1, 14)),
        (date(2024, 12, 30), "2 tygodnie", date(2025, 1, 13)),
        (date(2024, 12, 30), "5 tygodni", date(2025, 2, 3)),
    ],
)
def test_the_next_contact_is_due_one_interval_after_the_last(
    start: date, every: str, expected: date
) -> None:
    assert Interval.parse(every).after(start) == expected


@pytest.mark.parametrize(
    "text", ["", "monthly", "0 days", "3 years", "3 lata", "-2 weeks", "3661 days", "30 dniówek"]
)
def test_an_interval_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Interval.parse(text)


def test_an_a_client_visited_on_31_january_is_due_a_visit_30_days_later() -> None:
    visit = Contact("visit", date(2024, 1, 31), done=True)
    # 31 January + 30 days: 1 March in a leap year (29 days in February)
    assert _due("visit", A_SINCE_2024, [visit], date(2024, 2, 10)) == date(2024, 3, 1)


def test_what_was_never_done_is_owed_from_the_day_the_client_took_its_class() -> None:
    owed = due_contacts(A_SINCE_2024, [], date(2024, 1, 21))
    assert {d.rule.kind for d in owed} == {"visit", "business_review", "offer", "event_invitation"}
    assert {(d.due, d.overdue_days, d.status) for d in owed} == {
        (date(2024, 1, 1), 20, DueStatus.OVERDUE)
    }


def test_the_business_review_is_owed_by_the_head_every_quarter() -> None:
    review = Contact("business_review", date(2024, 3, 31), done=True)
    [item] = [
        d
        for d in due_contacts(A_SINCE_2024, [review], date(2024, 4, 1))
        if d.rule.kind == "business_review"
    ]
    assert (item.rule.by, item.due, item.status) == (Owed.HEAD, date(2024, 6, 30), DueStatus.DUE)


def test_a_class_change_mid_interval_applies_the_new_policy_from_the_day_of_the_change() -> None:
    spells = [ClassSpell(AbcClass.B, date(2023, 1, 1)), ClassSpell(AbcClass.A, date(2024, 6, 1))]
    # B: a visit every 60 days. Visited on 15 May: next visit due 14 July as a B client
    visit = Contact("visit", date(2024, 5, 15), done=True)
    assert _due("visit", spells, [visit], date(2024, 5, 31)) == date(2024, 7, 14)
    # from 1 June it is A, owed a visit every 30 days: 15 May + 30 = 14 June
    assert _due("visit", spells, [visit], date(2024, 6, 1)) == date(2024, 6, 14)
    # visited on 1 March: overdue as an A client, but from the day of the change, not before
    march = Contact("visit", date(2024, 3, 1), done=True)
    [item] = [d for d in due_contacts(spells, [march], date(2024, 6, 5)) if d.rule.kind == "visit"]
    assert (item.due, item.overdue_days) == (date(2024, 6, 1), 4)
    # the A client's review was never due while it was B
    assert _due("business_review", spells, [], date(2024, 6, 5)) == date(2024, 6, 1)


def test_a_downgrade_makes_what_only_a_clients_owe_disappear() -> None:
    spells = [ClassSpell(AbcClass.A, date(2023, 1, 1)), ClassSpell(AbcClass.C, date(2024, 6, 1))]
    owed = due_contacts(spells, [Contact("visit", date(2024, 5, 20), done=True)], date(2024, 6, 2))
    assert [(d.rule.kind, d.due) for d in owed] == [("call", date(2024, 6, 1))]


def test_a_planned_contact_is_in_hand_but_not_done() -> None:
    done = Contact("visit", date(2024, 3, 1), done=True)
    planned = Contact("visit", date(2024, 3, 28), done=False)
    [item] = [
        d
        for d in due_contacts(A_SINCE_2024, [done, planned], date(2024, 3, 20))
        if d.rule.kind == "visit"
    ]
    assert (item.due, item.last_done, item.planned, item.status) == (
        date(2024, 3, 31),
        date(2024, 3, 1),
        date(2024, 3, 28),
        DueStatus.PLANNED,
    )
    # still not done on 5 April: overdue, however planned
    [late] = [
        d
        for d in due_contacts(A_SINCE_2024, [done, planned], date(2024, 4, 5))
        if d.rule.kind == "visit"
    ]
    assert (late.overdue_days, late.status) == (5, DueStatus.OVERDUE)


def test_a_contact_planned_before_the_last_done_one_is_not_in_hand() -> None:
    old_plan = Contact("visit", date(2024, 2, 20), done=False)
    done = Contact("visit", date(2024, 3, 1), done=True)
    [item] = [
        d
        for d in due_contacts(A_SINCE_2024, [old_plan, done], date(2024, 3, 10))
        if d.rule.kind == "visit"
    ]
    assert (item.planned, item.status) == (None, DueStatus.DUE)


def test_a_contact_dated_after_today_does_not_count_as_done_yet() -> None:
    later = Contact("visit", date(2024, 3, 15), done=True)
    assert _due("visit", A_SINCE_2024, [later], date(2024, 3, 10)) == date(2024, 1, 1)


def test_a_client_s_own_policy_replaces_its_class_s_and_unclassed_clients_owe_nothing() -> None:
    own = ServicePolicy((CadenceRule("call", Interval(2, IntervalUnit.WEEKS)),))
    call = Contact("call", date(2024, 3, 1), done=True)
    owed = due_contacts(A_SINCE_2024, [call], date(2024, 3, 5), own=own)
    assert [(d.rule.kind, d.due) for d in owed] == [("call", date(2024, 3, 15))]
    assert due_contacts([], [call], date(2024, 3, 5)) == []
    assert [d.due for d in due_contacts([], [call], date(2024, 3, 5), own=own)] == [
        date(2024, 3, 15)
    ]


def test_the_shipped_policies_serve_a_clients_most_and_c_clients_least() -> None:
    assert [(r.kind, str(r.every), r.by) for r in DEFAULT_POLICIES[AbcClass.A].rules] == [
        ("visit", "30 days", Owed.OWNER),
        ("business_review", "3 months", Owed.HEAD),
        ("offer", "90 days", Owed.OWNER),
        ("event_invitation", "6 months", Owed.OWNER),
    ]
    assert [(r.kind, str(r.every)) for r in DEFAULT_POLICIES[AbcClass.B].rules] == [
        ("visit", "60 days")
    ]
    assert [(r.kind, str(r.every)) for r in DEFAULT_POLICIES[AbcClass.C].rules] == [
        ("call", "180 days")
    ]


def test_a_policy_that_names_a_kind_twice_is_refused() -> None:
    twice = (CadenceRule("visit", Interval(30, IntervalUnit.DAYS)),) * 2
    with pytest.raises(ValueError, match="twice"):
        ServicePolicy(twice)


VISITS_ONLY = {
    AbcClass.A: ServicePolicy((CadenceRule("visit", Interval(30, IntervalUnit.DAYS)),)),
    AbcClass.B: ServicePolicy((CadenceRule("visit", Interval(60, IntervalUnit.DAYS)),)),
}


def _visits(*days: date) -> list[Contact]:
    return [Contact("visit", day, done=True) for day in days]


def test_compliance_counts_each_contact_due_and_those_done_by_their_due_day() -> None:
    visits = _visits(date(2024, 1, 10), date(2024, 2, 20), date(2024, 3, 15))
    planned = Contact("visit", date(2024, 4, 10), done=False)
    # due 1 Jan (the class's first day): done late on 10 Jan; due 9 Feb: late on 20 Feb;
    # due 21 Mar: done on 15 Mar, on time; due 14 Apr: not done (the planned one is not)
    whole = compliance(
        A_SINCE_2024, [*visits, planned], date(2024, 1, 1), date(2024, 4, 30), VISITS_ONLY
    )
    assert (whole.due, whole.on_time) == (4, 1)
    assert whole.share == 0.25
    # from 1 March only the dues of 21 March and 14 April count
    since_march = compliance(A_SINCE_2024, visits, date(2024, 3, 1), date(2024, 4, 30), VISITS_ONLY)
    assert (since_march.due, since_march.on_time) == (2, 1)


def test_compliance_follows_each_class_from_the_day_it_was_held() -> None:
    spells = [ClassSpell(AbcClass.B, date(2023, 1, 1)), ClassSpell(AbcClass.A, date(2024, 3, 1))]
    visits = _visits(date(2023, 12, 15), date(2024, 2, 10), date(2024, 3, 5), date(2024, 4, 20))
    # as B: due 13 Feb (15 Dec + 60), met on 10 Feb. As A from 1 March: due 11 March
    # (10 Feb + 30), met on 5 March; due 4 April, done late on 20 April
    found = compliance(spells, visits, date(2024, 1, 1), date(2024, 4, 30), VISITS_ONLY)
    assert (found.due, found.on_time) == (3, 2)


def test_several_contacts_before_one_due_day_meet_it_once() -> None:
    visits = _visits(date(2024, 1, 1), date(2024, 1, 5), date(2024, 1, 20))
    # due 1 Jan, met that day; due 31 Jan, met by 5 and 20 Jan; next due 19 Feb
    found = compliance(A_SINCE_2024, visits, date(2024, 1, 1), date(2024, 2, 15), VISITS_ONLY)
    assert (found.due, found.on_time) == (2, 2)


def test_nothing_due_gives_no_share_and_compliances_add_up() -> None:
    nothing = compliance([], _visits(date(2024, 1, 1)), date(2024, 1, 1), date(2024, 12, 31))
    assert (nothing.due, nothing.share) == (0, None)
    assert Compliance(3, 1) + Compliance(2, 2) == Compliance(5, 3)
