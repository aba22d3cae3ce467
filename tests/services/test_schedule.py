"""The schedule: a user's week and the head's view of the team, on dates worked by hand.

The book (see :func:`tests.services.test_activities.book`): ACME, ann's, class A since the
run of 2 January 2024 (a visit every 30 days, a business review every 3 months, an offer
every 90 days, an event invitation every 6 months); BETA, bob's, class B (a visit every 60
days); vera may see ACME. Today is Monday 10 June 2024: this week runs to 16 June, the
next from 17 to 23 June.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from kam.domain.activities import Activity, ActivityStatus
from kam.domain.cadence import DueStatus
from kam.domain.classes import AbcClass
from kam.services import activities, schedule, service_policies
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from tests.services.plans.conftest import ANN, BOB, HEAD, VIEWER
from tests.services.test_activities import book as book_of_acme_and_beta

NOW = datetime(2024, 6, 10, 9, 0)
TODAY = NOW.date()
#: The book of the activities' tests (its fixture under the name the tests here use).
book = pytest.fixture(name="book")(book_of_acme_and_beta.__wrapped__)  # type: ignore[attr-defined]


def _log(book: Book, kind: str, day: date, client: str = "ACME", **values: object) -> Activity:
    status = values.pop("status", ActivityStatus.DONE)
    who = ANN if client == "ACME" else BOB
    made = Activity(
        0,
        client,
        kind,
        datetime.combine(day, datetime.min.time()).replace(hour=10),
        status,
        **values,
    )  # type: ignore[arg-type]
    return activities.log_activity(book, who, made, NOW)


def test_a_week_lists_the_overdue_first_then_what_falls_due_this_week_and_next(
    book: Book,
) -> None:
    _log(book, "visit", date(2024, 5, 20))  # the next visit: 19 June, next week
    _log(book, "visit", date(2024, 4, 12), "BETA")  # the next: 11 June, this week
    week = schedule.week_of(book, ANN, TODAY)
    assert (week.week_start, week.next_week_start) == (date(2024, 6, 10), date(2024, 6, 17))
    # never done since 2 January: 160 days overdue (29 + 29 + 31 + 30 + 31 + 10 days)
    assert [(o.client_key, o.kind, o.due, o.overdue_days) for o in week.overdue] == [
        ("ACME", "business_review", date(2024, 1, 2), 160),
        ("ACME", "event_invitation", date(2024, 1, 2), 160),
        ("ACME", "offer", date(2024, 1, 2), 160),
    ]
    assert week.due_this_week == []  # BETA is bob's: not in ann's sight
    assert [(o.kind, o.due, o.last_done) for o in week.due_next_week] == [
        ("visit", date(2024, 6, 19), date(2024, 5, 20))
    ]
    assert week.unmet == []  # met on 20 May, within 30 days
    assert week.can_log
    [beta] = schedule.week_of(book, BOB, TODAY).due_this_week
    assert (beta.client_key, beta.due, beta.status) == ("BETA", date(2024, 6, 11), DueStatus.DUE)
    head = schedule.week_of(book, HEAD, TODAY)
    assert {o.client_key for o in head.due_this_week + head.due_next_week} == {"ACME", "BETA"}
    assert head.totals["overdue"] == 3
    viewer = schedule.week_of(book, VIEWER, TODAY)
    assert len(viewer.overdue) == 3 and not viewer.can_log


def test_an_a_client_not_met_for_longer_than_its_policy_allows_is_listed(book: Book) -> None:
    _log(book, "call", date(2024, 6, 3))  # a call is no meeting
    [unmet] = schedule.week_of(book, ANN, TODAY).unmet
    # class A since 2 January, a visit every 30 days: due 1 February, 130 days ago (leap year)
    assert (unmet.client_key, unmet.last_met, unmet.due, unmet.overdue_days) == (
        "ACME",
        None,
        date(2024, 2, 1),
        130,
    )
    _log(book, "business_review", date(2024, 6, 5))  # the head's review with them: a meeting
    assert schedule.week_of(book, ANN, TODAY).unmet == []


def test_next_steps_stand_until_a_later_activity_is_done_and_planned_ones_show(
    book: Book,
) -> None:
    _log(
        book,
        "visit",
        date(2024, 6, 3),
        next_step="Send the offer",
        next_step_owner="ann",
        next_step_due=date(2024, 6, 7),
    )
    _log(book, "offer", date(2024, 6, 12), status=ActivityStatus.PLANNED, objective="Prices")
    _log(book, "call", date(2024, 6, 5), status=ActivityStatus.PLANNED)
    week = schedule.week_of(book, ANN, TODAY)
    [step] = week.next_steps
    assert (step.next_step, step.owner, step.due, step.overdue_days) == (
        "Send the offer",
        "ann",
        date(2024, 6, 7),
        3,
    )
    assert [(p.kind, p.at.date(), p.overdue) for p in week.planned] == [
        ("call", date(2024, 6, 5), True),
        ("offer", date(2024, 6, 12), False),
    ]
    offer = next(o for o in week.overdue if o.kind == "offer")
    assert offer.planned == date(2024, 6, 12)
    _log(book, "email", date(2024, 6, 8))  # the follow-up, done after the visit
    assert schedule.week_of(book, ANN, TODAY).next_steps == []


def test_the_team_s_compliance_per_class_and_manager_over_90_days_and_the_year(
    book: Book,
) -> None:
    for day in (date(2024, 1, 2), date(2024, 1, 30), date(2024, 3, 15), date(2024, 5, 20)):
        _log(book, "visit", day)
    team = schedule.team_of(book, HEAD, TODAY)
    # ACME's visits: due 2 Jan (met that day), 1 Feb (met 30 Jan), 29 Feb (missed: 15 Mar),
    # 14 Apr (missed: 20 May), 19 Jun (not yet); its review, offer and invitation: due
    # 2 Jan, never done. The last 90 days run from 12 March to yesterday: only the visit of
    # 14 April.
    a_class, b_class = team.by_class
    assert (a_class.name, a_class.year.due, a_class.year.on_time) == ("A", 7, 2)
    assert (a_class.last_90_days.due, a_class.last_90_days.on_time) == (1, 0)
    # BETA: a visit due 2 January, never done
    assert (b_class.name, b_class.year.due, b_class.year.on_time) == ("B", 1, 0)
    assert b_class.last_90_days.share is None
    assert [(m.name, m.year.due, m.year.on_time) for m in team.by_manager] == [
        ("ann", 7, 2),
        ("bob", 1, 0),
    ]
    assert (team.total.year.due, team.total.year.on_time) == (8, 2)
    # the grid: 13 May to the week of 1 July; ann's visit of 20 May, the visit due 19 June
    assert team.weeks[0] == date(2024, 5, 13) and team.weeks[-1] == date(2024, 7, 1)
    ann = next(row for row in team.grid if row.manager == "ann")
    cells = {c.week_start: (c.done, c.due) for c in ann.cells}
    assert cells[date(2024, 5, 20)] == (1, 0)
    assert cells[date(2024, 6, 17)] == (0, 1)
    assert sum(c.done + c.due for c in ann.cells) == 2
    [late] = team.out_of_cadence
    assert (late.client_key, late.kinds, late.overdue_days, late.last_met) == (
        "ACME",
        ["business_review", "event_invitation", "offer"],
        160,
        date(2024, 5, 20),
    )


def test_only_the_head_and_admins_see_the_team(book: Book) -> None:
    for user in (ANN, VIEWER):
        with pytest.raises(AccessDeniedError):
            schedule.team_of(book, user, TODAY)


def test_a_contact_done_late_is_counted_once_and_a_step_overdue_shows_on_the_team(
    book: Book,
) -> None:
    _log(
        book,
        "visit",
        date(2024, 2, 20),
        next_step="Call back",
        next_step_owner="ann",
        next_step_due=date(2024, 3, 1),
    )
    team = schedule.team_of(book, HEAD, TODAY)
    [step] = team.steps_overdue
    assert (step.client_key, step.due, step.overdue_days) == ("ACME", date(2024, 3, 1), 101)
    # the visit due 2 January, done late on 20 February; the next, due 21 March, missed
    [a_class, _b] = team.by_class
    assert (a_class.year.due, a_class.year.on_time) == (2 + 3, 0)


def test_whom_a_gift_went_to_is_shown_to_editors_only(book: Book) -> None:
    _log(book, "gift", date(2024, 6, 3), their_people=("ACME-1",), value=5_000)
    _log(book, "visit", date(2024, 6, 4), their_people=("ACME-2",))
    seen = schedule.client_schedule(book, ANN, "ACME", TODAY)
    assert [(a.kind, a.their_people) for a in seen.history] == [
        ("visit", ("ACME-2",)),
        ("gift", ("ACME-1",)),
    ]
    assert seen.names["ACME-1"] == "Jose Pavarotti"
    read = schedule.client_schedule(book, VIEWER, "ACME", TODAY)
    assert [(a.kind, a.their_people) for a in read.history] == [
        ("visit", ("ACME-2",)),
        ("gift", ()),
    ]
    assert [o.kind for o in read.owed] == ["business_review", "event_invitation", "offer", "visit"]
    with pytest.raises(LookupError):
        schedule.client_schedule(book, ANN, "BETA", TODAY)


def test_a_planned_gift_above_the_threshold_shows_in_my_week_as_awaiting_approval(
    book: Book,
) -> None:
    dear = _log(
        book, "gift", TODAY + timedelta(days=1), status=ActivityStatus.PLANNED, value=15_000
    )
    cheap = _log(
        book, "gift", TODAY + timedelta(days=2), status=ActivityStatus.PLANNED, value=8_000
    )
    planned = {a.id: a.awaiting_approval for a in schedule.week_of(book, ANN, TODAY).planned}
    assert (planned[dear.id], planned[cheap.id]) == (True, False)


def test_the_week_and_the_team_are_kept_until_an_activity_or_a_policy_changes(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[frozenset[str] | None] = []  # whose activities each reading read
    read = schedule._read

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(args[1].keys)
        return read(*args, **kwargs)

    monkeypatch.setattr(schedule, "_read", counted)

    def overdue() -> list[str]:
        return [o.kind for o in schedule.week_of(book, ANN, TODAY).overdue]

    assert overdue() == ["business_review", "event_invitation", "offer", "visit"]
    assert schedule.week_of(book, HEAD, TODAY).totals["overdue"] == 4 + 1  # BETA's visit
    assert schedule.week_of(book, BOB, TODAY).totals["overdue"] == 1
    assert reads == [None]  # the whole book's week, read once for ann, the head and bob
    offer = _log(book, "offer", date(2024, 6, 7))
    assert overdue() == ["business_review", "event_invitation", "visit"]
    assert reads == [None, {"ACME"}]  # ACME's lists alone, read again
    activities.remove_activity(book, ANN, offer.id)
    assert overdue() == ["business_review", "event_invitation", "offer", "visit"]
    assert reads[-1] == {"ACME"}
    # the head asks no more of class A than a visit a year: owed since 2 January
    yearly = service_policies.read_policy(book, "visit every 12 months by owner")
    service_policies.save_class_policy(book, HEAD, AbcClass.A, yearly, NOW)
    assert overdue() == ["visit"] and reads[-1] is None and len(reads) == 4
    [visit] = schedule.week_of(book, ANN, TODAY + timedelta(days=1)).overdue
    assert visit.overdue_days == 161 and len(reads) == 5  # another day, read again
    team = schedule.team_of(book, HEAD, TODAY)
    assert schedule.team_of(book, HEAD, TODAY) is team and len(reads) == 6
    _log(book, "visit", date(2024, 6, 7), "BETA")
    assert schedule.team_of(book, HEAD, TODAY) is not team and len(reads) == 7


def test_a_week_put_together_after_changes_is_the_week_read_whole(book: Book) -> None:
    """Activities logged, changed and removed with some clients: the week and the team
    page kept, with those clients' parts read again, are those read from scratch."""
    assert schedule.week_of(book, HEAD, TODAY).totals["overdue"] == 5
    assert schedule.team_of(book, HEAD, TODAY).total.year.due == 5  # none done on time
    _log(book, "visit", date(2024, 6, 3), "BETA", next_step="Call", next_step_due=TODAY)
    planned = _log(book, "offer", date(2024, 6, 14), status=ActivityStatus.PLANNED)
    review = _log(book, "business_review", date(2024, 3, 1))
    activities.change_activity(book, ANN, replace(review, at=datetime(2024, 5, 2, 10)), NOW)
    _log(book, "call", date(2024, 6, 12), status=ActivityStatus.PLANNED)
    activities.remove_activity(book, ANN, planned.id)
    kept = schedule.week_of(book, HEAD, TODAY)
    team = schedule.team_of(book, HEAD, TODAY)
    schedule._WEEKS.clear()  # forget them: read the book whole
    schedule._TEAMS.clear()
    assert schedule.week_of(book, HEAD, TODAY) == kept
    assert schedule.team_of(book, HEAD, TODAY) == team
    assert [(o.client_key, o.kind) for o in kept.overdue] == [
        ("ACME", "event_invitation"),
        ("ACME", "offer"),
        ("ACME", "visit"),
    ]
    assert [(s.client_key, s.next_step) for s in kept.next_steps] == [("BETA", "Call")]
    assert [(p.client_key, p.kind) for p in kept.planned] == [("ACME", "call")]
