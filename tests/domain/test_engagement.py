"""The engagement plan on a given day: planned, done, overdue, and who has not been met."""

from __future__ import annotations

from datetime import date

from kam.domain.engagement import (
    Meeting,
    MeetingLevel,
    MeetingState,
    Pairing,
    Stage,
    StageStatus,
    meeting_state,
    people_not_met,
    summarize,
)

TODAY = date(2026, 3, 15)
STAGES = [
    Stage(1, 1, "understand", "", "", StageStatus.DONE, end=date(2026, 2, 28)),
    Stage(2, 2, "trial", "", "", StageStatus.IN_PROGRESS, end=date(2026, 3, 10)),
    Stage(3, 3, "pilot", "", "", StageStatus.STALLED),
    Stage(4, 4, "framework", "", "", StageStatus.PLANNED, end=TODAY),
]
HELD = Meeting(
    1,
    MeetingLevel.MANAGEMENT,
    date(2026, 3, 1),
    "learn their problems",
    pairs=(Pairing("ann", "P1"),),
    minutes="late deliveries",
    next_step="send offer",
    next_step_due=date(2026, 3, 5),
)
MISSED = Meeting(
    2, MeetingLevel.EXECUTIVE, date(2026, 3, 12), "meet the CEO", pairs=(Pairing("ceo", "P3"),)
)
COMING = Meeting(
    3, MeetingLevel.SPECIALIST, date(2026, 3, 20), "demo", pairs=(Pairing("bob", "P2"),)
)
OLD = Meeting(
    4,
    MeetingLevel.MANAGEMENT,
    date(2026, 2, 1),
    "first contact",
    minutes="ok",
    next_step="call back",
    next_step_due=date(2026, 2, 10),
    next_step_done=True,
)
MEETINGS = [HELD, MISSED, COMING, OLD]


def test_a_meeting_is_done_with_minutes_and_overdue_past_its_day_without_them() -> None:
    assert [meeting_state(m, TODAY) for m in MEETINGS] == [
        MeetingState.DONE,
        MeetingState.OVERDUE,
        MeetingState.PLANNED,
        MeetingState.DONE,
    ]


def test_the_summary_counts_planned_and_done_and_lists_what_is_overdue_oldest_first() -> None:
    summary = summarize(STAGES, MEETINGS, TODAY)
    assert (summary.stages_planned, summary.stages_done) == (3, 1)
    assert (summary.meetings_planned, summary.meetings_done) == (2, 2)
    # The next step of meeting 1 (due 5 March), stage "trial" (ended 10 March), meeting 2
    # (12 March, no minutes). The stage ending today, the stalled stage without an end and
    # the next step done are not overdue.
    assert [(o.kind, o.item_id, o.title, o.due) for o in summary.overdue] == [
        ("next_step", 1, "send offer", date(2026, 3, 5)),
        ("stage", 2, "trial", date(2026, 3, 10)),
        ("meeting", 2, "meet the CEO", date(2026, 3, 12)),
    ]


def test_the_next_day_the_stage_ending_today_is_overdue_too() -> None:
    later = summarize(STAGES, [], date(2026, 3, 16))
    assert [o.title for o in later.overdue] == ["trial", "framework"]


def test_people_not_met_are_those_in_no_meeting_with_minutes() -> None:
    # P1 was in meeting 1 (minutes); P3 only in the missed meeting, P2 only in a planned one.
    people = [("P1", "Sven"), ("P2", "Maria"), ("P3", "Hanna")]
    assert people_not_met(people, MEETINGS) == ["Maria", "Hanna"]
    assert people_not_met(people, []) == ["Sven", "Maria", "Hanna"]
