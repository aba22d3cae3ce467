"""The engagement element of a plan: stages, meetings at several levels, what is late."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from kam.domain.engagement import (
    Achievement,
    Meeting,
    MeetingLevel,
    MeetingState,
    Pairing,
    Stage,
    StageStatus,
)
from kam.domain.items import ItemValueError
from kam.domain.stakeholder import Person
from kam.services import plans
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.demo.parts import demo_engagement
from kam.services.plans.engagement import (
    add_meeting,
    delete_meeting,
    engagement_of_plan,
    save_stages,
    update_meeting,
)
from kam.store import records
from kam.store.database import transaction
from tests.services.plans.conftest import ANN, BOB, HEAD, NOW, VIEWER

TODAY = date(2026, 3, 20)


@pytest.fixture
def plan_id(book: Book) -> int:
    with transaction(book.database) as session:
        records.upsert(
            session,
            [
                Person("ACME-1", "ACME", "Sven Ottlieb", "Buyer"),
                Person("ACME-2", "ACME", "Maria Anders", "Owner"),
            ],
            NOW,
        )
    return plans.open_plan(book, ANN, "ACME", now=NOW).id


def _meeting(**changes: object) -> Meeting:
    planned = Meeting(
        0,
        MeetingLevel.MANAGEMENT,
        date(2026, 3, 10),
        "Learn their bottlenecks",
        "purchasing; deliveries",
        pairs=(Pairing("ann", "ACME-1"), Pairing("our CEO", None, "their CFO")),
    )
    return replace(planned, **changes)  # type: ignore[arg-type]


def test_a_meeting_is_planned_then_recorded_and_its_person_counts_as_met(
    book: Book, plan_id: int
) -> None:
    added = add_meeting(book, ANN, plan_id, _meeting(), NOW)
    view = engagement_of_plan(book, VIEWER, plan_id, TODAY)
    assert [m.state for m in view.meetings] == [MeetingState.OVERDUE]
    assert [p.name for p in view.not_met] == ["Maria Anders", "Sven Ottlieb"]
    assert view.meetings[0].meeting.pairs == (
        Pairing("ann", "ACME-1", ""),
        Pairing("our CEO", None, "their CFO"),
    )
    update_meeting(
        book,
        ANN,
        plan_id,
        replace(
            added,
            minutes="Late deliveries hurt them",
            achievement=Achievement.PARTLY,
            next_step="Send trial offer",
            next_step_due=date(2026, 3, 15),
        ),
        datetime(2026, 3, 10, 17, 0),  # the evening of the meeting's day
    )
    view = engagement_of_plan(book, ANN, plan_id, TODAY)
    shown = view.meetings[0]
    assert (shown.state, shown.next_step_overdue) == (MeetingState.DONE, True)
    assert [p.name for p in view.not_met] == ["Maria Anders"]
    assert [(o.kind, o.title) for o in view.summary.overdue] == [("next_step", "Send trial offer")]
    assert view.our_names == ["ann", "our CEO"]


def test_a_meeting_still_to_come_cannot_have_its_minutes_recorded(book: Book, plan_id: int) -> None:
    # NOW is 2 March; the meeting is on 10 March: minutes typed before then would make it
    # a contact done in the future, which the cadence would count from its day.
    added = add_meeting(book, ANN, plan_id, _meeting(), NOW)
    with pytest.raises(ItemValueError, match="still to come") as refused:
        update_meeting(book, ANN, plan_id, replace(added, minutes="Went well"), NOW)
    assert refused.value.field == "minutes"
    with pytest.raises(ItemValueError, match="still to come"):
        add_meeting(book, ANN, plan_id, _meeting(minutes="Went well"), NOW)
    view = engagement_of_plan(book, ANN, plan_id, date(2026, 3, 2))
    assert [(m.meeting.minutes, m.state) for m in view.meetings] == [("", MeetingState.PLANNED)]


def test_stages_are_saved_in_order_and_the_late_one_is_overdue(book: Book, plan_id: int) -> None:
    stages = save_stages(
        book,
        ANN,
        plan_id,
        [
            Stage(
                0,
                0,
                "Understand",
                "their problems",
                "a list confirmed",
                StageStatus.DONE,
                date(2026, 1, 5),
                date(2026, 2, 1),
            ),
            Stage(
                0,
                0,
                "Trial",
                "two months on time",
                "no late delivery",
                StageStatus.STALLED,
                date(2026, 2, 1),
                date(2026, 3, 15),
            ),
        ],
        NOW,
    )
    meeting = add_meeting(book, ANN, plan_id, _meeting(stage_id=stages[1].id), NOW)
    view = engagement_of_plan(book, ANN, plan_id, TODAY)
    assert [(s.stage.position, s.stage.name, s.overdue) for s in view.stages] == [
        (1, "Understand", False),
        (2, "Trial", True),
    ]
    assert view.meetings[0].stage_name == "Trial"
    assert (view.summary.stages_planned, view.summary.stages_done) == (1, 1)
    # The trial stage removed: its meeting stays, without a stage.
    save_stages(book, ANN, plan_id, [stages[0]], NOW)
    view = engagement_of_plan(book, ANN, plan_id, TODAY)
    assert [s.stage.name for s in view.stages] == ["Understand"]
    assert [(m.meeting.id, m.meeting.stage_id) for m in view.meetings] == [(meeting.id, None)]


def test_bad_meetings_are_refused(book: Book, plan_id: int) -> None:
    with pytest.raises(ValueError, match="BETA-1 is not one of the client's people"):
        add_meeting(book, ANN, plan_id, _meeting(pairs=(Pairing("ann", "BETA-1"),)), NOW)
    with pytest.raises(ValueError, match="minutes"):
        add_meeting(book, ANN, plan_id, _meeting(achievement=Achievement.ACHIEVED), NOW)
    with pytest.raises(ValueError, match="cannot be empty"):
        add_meeting(book, ANN, plan_id, _meeting(objective="  "), NOW)
    with pytest.raises(ValueError, match="end before it starts"):
        save_stages(
            book,
            ANN,
            plan_id,
            [Stage(0, 0, "x", "", "", StageStatus.PLANNED, date(2026, 3, 2), date(2026, 3, 1))],
            NOW,
        )
    with pytest.raises(LookupError):
        add_meeting(book, ANN, plan_id, _meeting(stage_id=12345), NOW)


def test_a_meeting_of_another_plan_cannot_be_changed_through_this_one(
    book: Book, plan_id: int
) -> None:
    other = plans.open_plan(book, BOB, "BETA", now=NOW)
    theirs = add_meeting(book, BOB, other.id, _meeting(pairs=()), NOW)
    with pytest.raises(LookupError):
        update_meeting(book, HEAD, plan_id, theirs, NOW)
    with pytest.raises(LookupError):
        delete_meeting(book, HEAD, plan_id, theirs.id, NOW)
    with pytest.raises(AccessDeniedError):
        add_meeting(book, VIEWER, plan_id, _meeting(), NOW)
    with pytest.raises(LookupError):
        engagement_of_plan(book, ANN, other.id)
    delete_meeting(book, BOB, other.id, theirs.id, NOW)
    assert engagement_of_plan(book, BOB, other.id).meetings == []


def test_the_demo_fills_stages_and_meetings_with_the_client_s_own_person(
    book: Book, plan_id: int
) -> None:
    demo_engagement(book, ANN, plans.readable_plan(book, ANN, plan_id))
    view = engagement_of_plan(book, ANN, plan_id)
    assert [s.stage.status for s in view.stages] == [
        StageStatus.DONE,
        StageStatus.IN_PROGRESS,
        StageStatus.PLANNED,
    ]
    assert [m.state for m in view.meetings] == [MeetingState.DONE, MeetingState.PLANNED]
    assert view.summary.overdue == ()
    assert [p.key for p in view.not_met] == ["ACME-1"]
