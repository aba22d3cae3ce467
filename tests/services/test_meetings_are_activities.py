"""A plan's meeting is an activity of the client: recorded on the plan it counts for the
cadence, and an activity logged with the plan and a stage is among the plan's meetings; on
SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from kam.domain.activities import Activity, ActivityStatus
from kam.domain.engagement import (
    Achievement,
    Meeting,
    MeetingLevel,
    MeetingState,
    Pairing,
    Stage,
    StageStatus,
)
from kam.services import activities, plans, schedule
from kam.services.book import Book
from kam.services.plans.engagement import (
    add_meeting,
    delete_meeting,
    engagement_of_plan,
    save_stages,
    update_meeting,
)
from tests.services.plans.conftest import ANN, VIEWER
from tests.services.test_activities import book as book_of_acme_and_beta

NOW = datetime(2024, 6, 10, 9, 0)
TODAY = NOW.date()


#: The book of the activities' tests (ACME, ann's, class A since 2 January 2024: a visit
#: every 30 days; BETA, bob's; vera may see ACME), under the name the tests here use.
book = pytest.fixture(name="book")(book_of_acme_and_beta.__wrapped__)  # type: ignore[attr-defined]


def _plan(book: Book) -> tuple[int, int]:
    plan_id = plans.open_plan(book, ANN, "ACME", "2024", now=NOW).id
    [stage] = save_stages(
        book, ANN, plan_id, [Stage(0, 1, "Proof of value", "", "", StageStatus.IN_PROGRESS)], NOW
    )
    return plan_id, stage.id


def _visit_owed(book: Book) -> tuple[date | None, date, int]:
    owed = schedule.client_schedule(book, ANN, "ACME", TODAY).owed
    visit = next(o for o in owed if o.kind == "visit")
    return visit.last_done, visit.due, visit.overdue_days


def test_a_meeting_recorded_on_the_plan_moves_the_client_s_last_visit_and_its_due_date(
    book: Book,
) -> None:
    plan_id, stage_id = _plan(book)
    # never visited: owed since the class was taken, 2 January, 160 days before 10 June
    assert _visit_owed(book) == (None, date(2024, 1, 2), 160)
    planned = add_meeting(
        book,
        ANN,
        plan_id,
        Meeting(
            0,
            MeetingLevel.MANAGEMENT,
            date(2024, 6, 3),
            "Learn their bottlenecks",
            stage_id=stage_id,
            pairs=(Pairing("ann", "ACME-1"), Pairing("our CEO", None, "their CFO")),
        ),
        NOW,
    )
    # planned, not held: the visit is still owed since 2 January
    assert _visit_owed(book) == (None, date(2024, 1, 2), 160)

    update_meeting(
        book,
        ANN,
        plan_id,
        replace(planned, minutes="Late deliveries hurt them", achievement=Achievement.ACHIEVED),
        NOW,
    )

    # held on 3 June: the next visit is due 30 days later, on 3 July
    assert _visit_owed(book) == (date(2024, 6, 3), date(2024, 7, 3), 0)
    [kept] = activities.activities_of(book, ANN, "ACME")
    assert (kept.id, kept.kind, kept.at, kept.status) == (
        planned.id,
        "visit",
        datetime(2024, 6, 3, 10, 0),
        ActivityStatus.DONE,
    )
    # our CEO is no user: named in the pairs, not among our participants
    assert (kept.our_people, kept.their_people, kept.outcome) == (
        ("ann",),
        ("ACME-1",),
        "Late deliveries hurt them",
    )


def test_an_activity_logged_with_the_plan_and_a_stage_is_among_the_plan_s_meetings(
    book: Book,
) -> None:
    plan_id, stage_id = _plan(book)
    call = Activity(
        0,
        "ACME",
        "call",
        datetime(2024, 6, 4, 15, 30),
        ActivityStatus.DONE,
        their_people=("ACME-2",),
        objective="Agree the trial's prices",
        plan_id=plan_id,
        stage_id=stage_id,
    )
    logged = activities.log_activity(book, ANN, call, NOW)
    elsewhere = replace(call, plan_id=None, stage_id=None, objective="Thanks for the order")
    activities.log_activity(book, ANN, elsewhere, NOW)

    view = engagement_of_plan(book, VIEWER, plan_id, TODAY)

    [shown] = view.meetings
    assert (shown.meeting.id, shown.meeting.day, shown.meeting.objective) == (
        logged.id,
        date(2024, 6, 4),
        "Agree the trial's prices",
    )
    assert (shown.stage_name, shown.state, shown.level_label) == (
        "Proof of value",
        MeetingState.DONE,
        "Call",
    )
    assert shown.meeting.pairs == (Pairing("ann"), Pairing("", "ACME-2"))
    # done with Ana: she is met, Jose is not
    assert [p.name for p in view.not_met] == ["Jose Pavarotti"]
    assert (view.summary.meetings_done, view.summary.meetings_planned) == (1, 0)


def test_a_meeting_changed_from_the_client_page_keeps_what_the_plan_gave_it(
    book: Book,
) -> None:
    plan_id, _stage_id = _plan(book)
    meeting = add_meeting(
        book,
        ANN,
        plan_id,
        Meeting(
            0,
            MeetingLevel.EXECUTIVE,
            date(2024, 6, 20),
            "Present the offer",
            "Our proposal",
            pairs=(Pairing("ann", "ACME-2"),),
        ),
        NOW,
    )
    kept = activities.get_activity(book, ANN, meeting.id)
    activities.change_activity(
        book, ANN, replace(kept, at=datetime(2024, 6, 21, 14), level=None, agenda=""), NOW
    )

    [shown] = engagement_of_plan(book, ANN, plan_id, TODAY).meetings

    assert (shown.meeting.day, shown.meeting.level, shown.meeting.agenda) == (
        date(2024, 6, 21),
        MeetingLevel.EXECUTIVE,
        "Our proposal",
    )
    assert (shown.meeting.pairs, shown.meeting.version) == ((Pairing("ann", "ACME-2"),), 2)


def test_my_week_follows_a_meeting_recorded_then_removed_on_the_plan(book: Book) -> None:
    """The week is kept computed while the activities are unchanged: a meeting written or
    removed on the plan is a change of the activities like any other."""
    plan_id, stage_id = _plan(book)

    def visit_overdue() -> bool:
        week = schedule.week_of(book, ANN, TODAY)
        return any(o.client_key == "ACME" and o.kind == "visit" for o in week.overdue)

    assert visit_overdue()
    held = Meeting(
        0,
        MeetingLevel.MANAGEMENT,
        date(2024, 6, 3),
        "Learn their bottlenecks",
        stage_id=stage_id,
        minutes="Late deliveries hurt them",
    )
    meeting = add_meeting(book, ANN, plan_id, held, NOW)
    assert not visit_overdue()
    delete_meeting(book, ANN, plan_id, meeting.id, NOW)
    assert visit_overdue()
