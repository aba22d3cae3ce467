"""Activities refused when they cannot be, and the gifts and hospitality register."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from kam.domain.activities import (
    DEFAULT_KINDS,
    Activity,
    ActivityStatus,
    check_activity,
    gift_register,
    kind_label,
    needs_approval,
)
from kam.domain.items import ItemValueError
from kam.i18n import use_language
from kam.i18n.languages import language

NOW = datetime(2024, 6, 10, 9, 0)
PEOPLE = {"SAVEA/jose": "SAVEA", "SAVEA/ana": "SAVEA", "ERNSH/roland": "ERNSH"}
VISIT = Activity(
    1,
    "SAVEA",
    "visit",
    datetime(2024, 6, 3, 14, 0),
    ActivityStatus.DONE,
    our_people=("nancy.davolio",),
    their_people=("SAVEA/jose",),
    objective="Review the year's orders",
)


def _refused(activity: Activity) -> str:
    with pytest.raises(ItemValueError) as refused:
        check_activity(activity, DEFAULT_KINDS, PEOPLE, NOW)
    return refused.value.field


def test_a_visit_with_the_client_s_own_people_is_accepted() -> None:
    check_activity(VISIT, DEFAULT_KINDS, PEOPLE, NOW)
    check_activity(
        replace(VISIT, their_people=("SAVEA/jose", "SAVEA/ana")), DEFAULT_KINDS, PEOPLE, NOW
    )


def test_an_activity_with_another_client_s_people_is_refused() -> None:
    mixed = replace(VISIT, their_people=("SAVEA/jose", "ERNSH/roland"))
    assert _refused(mixed) == "their_people"
    assert _refused(replace(VISIT, their_people=("nobody",))) == "their_people"


def test_an_activity_done_in_the_future_is_refused_but_one_planned_is_not() -> None:
    later = datetime(2024, 6, 11, 9, 0)
    assert _refused(replace(VISIT, at=later)) == "at"
    check_activity(
        replace(VISIT, at=later, status=ActivityStatus.PLANNED), DEFAULT_KINDS, PEOPLE, NOW
    )


def test_a_kind_not_in_the_book_s_list_is_refused() -> None:
    assert _refused(replace(VISIT, kind="fax")) == "kind"
    check_activity(replace(VISIT, kind="fax"), [*DEFAULT_KINDS, "fax"], PEOPLE, NOW)


def test_only_gifts_and_events_carry_a_value_and_never_a_negative_one() -> None:
    assert _refused(replace(VISIT, value=5_000)) == "value"
    assert _refused(replace(VISIT, kind="gift", value=-1)) == "value"
    check_activity(replace(VISIT, kind="gift", value=5_000), DEFAULT_KINDS, PEOPLE, NOW)


def test_a_next_step_s_owner_or_due_day_needs_the_step() -> None:
    assert _refused(replace(VISIT, next_step_owner="nancy.davolio")) == "next_step"
    assert _refused(replace(VISIT, next_step_due=date(2024, 7, 1))) == "next_step"
    check_activity(
        replace(VISIT, next_step="Send the offer", next_step_due=date(2024, 7, 1)),
        DEFAULT_KINDS,
        PEOPLE,
        NOW,
    )


def test_the_register_adds_up_gifts_and_hospitality_per_person_and_year() -> None:
    def gift(n: int, day: datetime, value: int, *people: str, done: bool = True) -> Activity:
        status = ActivityStatus.DONE if done else ActivityStatus.PLANNED
        return replace(
            VISIT, id=n, kind="gift", at=day, value=value, their_people=people, status=status
        )

    activities = [
        gift(1, datetime(2023, 12, 20), 8_000, "SAVEA/jose"),
        gift(2, datetime(2024, 3, 1), 12_000, "SAVEA/jose", "SAVEA/ana"),
        replace(VISIT, id=3, kind="event_attendance", at=datetime(2024, 5, 2), value=15_000),
        gift(4, datetime(2024, 6, 20), 99_000, "SAVEA/jose", done=False),
        replace(VISIT, id=5),  # a visit gives nothing
    ]
    lines = [(line.person, line.year, line.total) for line in gift_register(activities)]
    assert lines == [
        ("SAVEA/ana", 2024, 12_000),
        ("SAVEA/jose", 2023, 8_000),
        ("SAVEA/jose", 2024, 27_000),  # 120.00 shared gift + 150.00 event; the planned one not yet
    ]
    [jose_2024] = [
        line
        for line in gift_register(activities)
        if line.year == 2024 and line.person == "SAVEA/jose"
    ]
    assert [a.id for a in jose_2024.activities] == [2, 3]
    assert jose_2024.over(25_000) and not jose_2024.over(27_000)


def test_a_gift_above_the_threshold_needs_the_head_s_approval() -> None:
    gift = replace(VISIT, kind="gift", value=10_001)
    assert needs_approval(gift, 10_000)
    assert not needs_approval(replace(gift, value=10_000), 10_000)
    assert not needs_approval(VISIT, 0)


def test_a_kind_s_label_is_in_the_reader_s_language_and_a_kind_the_book_added_is_as_is() -> None:
    with use_language(language("pl")):
        polish = [kind_label(k) for k in ("visit", "offer", "site_tour")]

    assert [kind_label(k) for k in ("visit", "offer", "site_tour")] == [
        "Visit",
        "Offer sent",
        "site_tour",
    ]
    assert polish == ["Wizyta", "Wysłana oferta", "site_tour"]
