"""The stages of winning and growing a key client, and the meetings at each level.

The fifth element of a key client's plan. The plan runs through *stages*
(for example "first contact", "proof of value", "framework agreement"), each
with an objective, exit criteria, a planned start and end, and a status kept
as data: planned, in progress, done or stalled.

*Meetings* are held at several levels (executive with executive, management,
specialists). Each has an objective, an agenda, a date and the participants
of both sides as pairs: our person (a kam user or a named specialist) matched
to their person (one of the client's people by key, or a name in free text);
either side of a pair may be empty. Afterwards the meeting gets its minutes,
what was achieved against the objective (achieved, partly, not) and the next
step with a date.

What is overdue, on a given day:

- a meeting whose date has passed and that has no minutes;
- a stage whose planned end has passed and that is not done;
- a next step whose date has passed and that is not marked done.

The client's *key people* are, for now, all of its people in the book; a
person counts as *met* when they took part in a meeting whose minutes are
recorded. Once the stakeholder map is in place, key people can be narrowed
to the stakeholders of high influence by passing only those to
:func:`people_not_met`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from kam.domain.items import POSITION, FieldType, ItemField, ItemKind, ItemValueError, clean_text
from kam.i18n import N_

T = TypeVar("T")


class StageStatus(StrEnum):
    """Where a stage of the engagement plan stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    STALLED = "stalled"


STAGE_STATUS_LABELS: dict[StageStatus, str] = {
    StageStatus.PLANNED: N_("planned"),
    StageStatus.IN_PROGRESS: N_("in progress"),
    StageStatus.DONE: N_("done"),
    StageStatus.STALLED: N_("stalled"),
}


class MeetingLevel(StrEnum):
    """At which level a meeting is held."""

    EXECUTIVE = "executive"
    MANAGEMENT = "management"
    SPECIALIST = "specialist"


MEETING_LEVEL_LABELS: dict[MeetingLevel, str] = {
    MeetingLevel.EXECUTIVE: N_("executive with executive"),
    MeetingLevel.MANAGEMENT: N_("management"),
    MeetingLevel.SPECIALIST: N_("specialists"),
}


class Achievement(StrEnum):
    """What a meeting achieved against its objective."""

    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"


ACHIEVEMENT_LABELS: dict[Achievement, str] = {
    Achievement.ACHIEVED: N_("achieved"),
    Achievement.PARTLY: N_("partly achieved"),
    Achievement.NOT_ACHIEVED: N_("not achieved"),
}


class MeetingState(StrEnum):
    """Where a meeting stands on a given day."""

    PLANNED = "planned"
    DONE = "done"
    OVERDUE = "overdue"


MEETING_STATE_LABELS: dict[MeetingState, str] = {
    MeetingState.PLANNED: N_("planned"),
    MeetingState.DONE: N_("done"),
    MeetingState.OVERDUE: N_("overdue"),
}


@dataclass(frozen=True)
class Stage:
    """One stage of the engagement plan, in order (``position``)."""

    id: int
    position: int
    name: str
    objective: str
    exit_criteria: str
    status: StageStatus
    start: date | None = None
    end: date | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    version: int = 1


@dataclass(frozen=True)
class Pairing:
    """Two participants matched across the table: ours and theirs (either may be empty).

    ``their_key`` is the key of one of the client's people; ``their_name`` is
    a name in free text for someone not in the book.
    """

    ours: str
    their_key: str | None = None
    their_name: str = ""


@dataclass(frozen=True)
class Meeting:
    """A meeting with the client: planned, then recorded with minutes.

    A meeting is how a plan sees one of the client's activities
    (:func:`kam.domain.activities.meeting_of`): ``kind`` is the activity's kind, ``done``
    whether it took place; an activity logged without a level has none.
    """

    id: int
    level: MeetingLevel | None
    day: date
    objective: str
    agenda: str = ""
    stage_id: int | None = None
    pairs: tuple[Pairing, ...] = ()
    minutes: str = ""
    achievement: Achievement | None = None
    next_step: str = ""
    next_step_due: date | None = None
    next_step_done: bool = False
    updated_at: datetime | None = None
    updated_by: str = ""
    version: int = 1
    kind: str = "visit"
    done: bool = False

    @property
    def recorded(self) -> bool:
        """Whether the meeting took place: its minutes are recorded, or it is marked done."""
        return self.done or bool(self.minutes.strip())


@dataclass(frozen=True)
class Overdue:
    """Something of the plan that is late: a stage, a meeting or a next step."""

    kind: str
    item_id: int
    title: str
    due: date


#: The kinds of overdue items, for people to read.
OVERDUE_KINDS: dict[str, str] = {
    "stage": N_("stage"),
    "meeting": N_("meeting without minutes"),
    "next_step": N_("next step"),
}


@dataclass(frozen=True)
class EngagementSummary:
    """What is planned, done and overdue in an engagement plan on one day."""

    stages_planned: int
    stages_done: int
    meetings_planned: int
    meetings_done: int
    overdue: tuple[Overdue, ...]


def meeting_state(meeting: Meeting, today: date) -> MeetingState:
    """Done once its minutes are recorded; overdue when its day has passed without them.

    Examples
    --------
    >>> m = Meeting(1, MeetingLevel.EXECUTIVE, date(2026, 3, 10), "meet the CEO")
    >>> meeting_state(m, date(2026, 3, 10)), meeting_state(m, date(2026, 3, 11))
    (<MeetingState.PLANNED: 'planned'>, <MeetingState.OVERDUE: 'overdue'>)
    """
    if meeting.recorded:
        return MeetingState.DONE
    return MeetingState.OVERDUE if meeting.day < today else MeetingState.PLANNED


def stage_overdue(stage: Stage, today: date) -> bool:
    """Whether a stage's planned end has passed and it is not done.

    Examples
    --------
    >>> s = Stage(1, 1, "trial", "", "", StageStatus.IN_PROGRESS, end=date(2026, 4, 30))
    >>> stage_overdue(s, date(2026, 4, 30)), stage_overdue(s, date(2026, 5, 1))
    (False, True)
    """
    return stage.status is not StageStatus.DONE and stage.end is not None and stage.end < today


def next_step_overdue(meeting: Meeting, today: date) -> bool:
    """Whether a meeting's next step is past its date and not done.

    Examples
    --------
    >>> m = Meeting(1, MeetingLevel.SPECIALIST, date(2026, 3, 1), "demo", minutes="ok",
    ...             next_step="send offer", next_step_due=date(2026, 3, 5))
    >>> next_step_overdue(m, date(2026, 3, 6))
    True
    """
    return (
        not meeting.next_step_done
        and meeting.next_step_due is not None
        and meeting.next_step_due < today
    )


def summarize(
    stages: Sequence[Stage], meetings: Sequence[Meeting], today: date
) -> EngagementSummary:
    """What is planned, done and overdue on ``today``; overdue items by date, oldest first.

    A stage counts as planned unless it is done; a meeting as planned unless
    its minutes are recorded.

    Examples
    --------
    >>> stages = [Stage(1, 1, "trial", "", "", StageStatus.DONE, end=date(2026, 1, 31)),
    ...           Stage(2, 2, "pilot", "", "", StageStatus.STALLED, end=date(2026, 2, 28))]
    >>> summary = summarize(stages, [], date(2026, 3, 1))
    >>> (summary.stages_planned, summary.stages_done, [o.title for o in summary.overdue])
    (1, 1, ['pilot'])
    """
    overdue: list[Overdue] = []
    for stage in stages:
        if stage_overdue(stage, today) and stage.end is not None:
            overdue.append(Overdue("stage", stage.id, stage.name, stage.end))
    for meeting in meetings:
        if meeting_state(meeting, today) is MeetingState.OVERDUE:
            overdue.append(Overdue("meeting", meeting.id, meeting.objective, meeting.day))
        if next_step_overdue(meeting, today) and meeting.next_step_due is not None:
            overdue.append(
                Overdue("next_step", meeting.id, meeting.next_step, meeting.next_step_due)
            )
    overdue.sort(key=lambda o: (o.due, o.kind, o.item_id))
    done_stages = sum(1 for s in stages if s.status is StageStatus.DONE)
    done_meetings = sum(1 for m in meetings if m.recorded)
    return EngagementSummary(
        stages_planned=len(stages) - done_stages,
        stages_done=done_stages,
        meetings_planned=len(meetings) - done_meetings,
        meetings_done=done_meetings,
        overdue=tuple(overdue),
    )


def met_people(meetings: Iterable[Meeting]) -> set[str]:
    """The keys of the client's people who took part in a meeting with minutes recorded.

    Examples
    --------
    >>> held = Meeting(1, MeetingLevel.MANAGEMENT, date(2026, 3, 1), "x", minutes="done",
    ...                pairs=(Pairing("ann", "P1"), Pairing("bob", None, "a guest")))
    >>> planned = Meeting(2, MeetingLevel.MANAGEMENT, date(2026, 4, 1), "y",
    ...                   pairs=(Pairing("ann", "P2"),))
    >>> sorted(met_people([held, planned]))
    ['P1']
    """
    return {
        pair.their_key
        for meeting in meetings
        if meeting.recorded
        for pair in meeting.pairs
        if pair.their_key
    }


def people_not_met(key_people: Sequence[tuple[str, T]], meetings: Iterable[Meeting]) -> list[T]:
    """The key people (``(key, person)`` pairs, in the order given) no one has met yet.

    Examples
    --------
    >>> held = Meeting(1, MeetingLevel.MANAGEMENT, date(2026, 3, 1), "x", minutes="done",
    ...                pairs=(Pairing("ann", "P1"),))
    >>> people_not_met([("P1", "Sven"), ("P2", "Maria")], [held])
    ['Maria']
    """
    met = met_people(meetings)
    return [person for key, person in key_people if key not in met]


#: A stage of the engagement plan; ``position`` 0 puts a new stage last.
ENGAGEMENT_STAGE = ItemKind(
    "engagement_stage",
    Stage,
    (
        ItemField("name", FieldType.TEXT, N_("Stage"), 300, required=N_("name the stage")),
        POSITION,
        ItemField(
            "status",
            FieldType.CHOICE,
            N_("Status"),
            choices=StageStatus,
            choice_labels=STAGE_STATUS_LABELS,
            default=StageStatus.PLANNED,
        ),
        ItemField("start", FieldType.DATE, N_("Start")),
        ItemField("end", FieldType.DATE, N_("End")),
        ItemField("objective", FieldType.NOTE, N_("Objective"), 5000),
        ItemField("exit_criteria", FieldType.NOTE, N_("Exit criteria"), 5000),
    ),
    title=N_("Stages"),
    add_label=N_("Add a stage"),
    delete_label=N_("Remove the stage"),
    empty_label=N_("No stage planned yet."),
)


#: The most characters of a name in a meeting's pair of participants.
PAIR_NAME_LIMIT = 200


def clean_pairs(pairs: Iterable[Pairing]) -> tuple[Pairing, ...]:
    """A meeting's pairs trimmed, those naming no one left out; a pair naming one of the
    client's people by key keeps no name of its own.

    Examples
    --------
    >>> clean_pairs([Pairing(" ann ", "P1", "Sven"), Pairing(" ", None, " ")])
    (Pairing(ours='ann', their_key='P1', their_name=''),)
    """
    kept = []
    for pair in pairs:
        ours, key, name = pair.ours.strip(), pair.their_key or None, pair.their_name.strip()
        if ours or key or name:
            kept.append(Pairing(ours, key, "" if key else name))
    return tuple(kept)


def _pair_name(field: str, text: str) -> str:
    try:
        return clean_text(text, PAIR_NAME_LIMIT)
    except ValueError as error:
        raise ItemValueError(field, str(error)) from None


def pairs_of_form(rows: Iterable[Sequence[str]]) -> tuple[Pairing, ...]:
    """The pairs typed in a meeting's form, one row of ``(ours, their_key, their_name)``
    each; a name too long is refused, naming its column.

    Examples
    --------
    >>> pairs_of_form([("ann", "P1", ""), ("our CEO", "", "their owner")])[1]
    Pairing(ours='our CEO', their_key=None, their_name='their owner')
    """
    return tuple(
        Pairing(_pair_name("ours", ours), key or None, _pair_name("their_name", name))
        for ours, key, name in rows
    )


#: A meeting with the client: planned, then recorded with its minutes and next step.
MEETING = ItemKind(
    "meeting",
    Meeting,
    (
        ItemField(
            "level",
            FieldType.CHOICE,
            N_("Level"),
            choices=MeetingLevel,
            choice_labels=MEETING_LEVEL_LABELS,
            default=MeetingLevel.MANAGEMENT,
            needed=True,
        ),
        ItemField(
            "day", FieldType.DATE, N_("Date"), needed=True, message=N_("a meeting needs a date")
        ),
        ItemField(
            "objective",
            FieldType.NOTE,
            N_("Objective"),
            5000,
            required=N_("a meeting's objective cannot be empty"),
            minimum=1,
        ),
        ItemField("agenda", FieldType.NOTE, N_("Agenda"), 5000),
        ItemField("stage_id", FieldType.REF, N_("Stage"), 2**31 - 1, minimum=1),
        ItemField(
            "pairs",
            FieldType.ROWS,
            N_("Participants: ours matched to theirs"),
            check=clean_pairs,
            parse=pairs_of_form,
            columns=("ours", "their_key", "their_name"),
        ),
        ItemField("minutes", FieldType.NOTE, N_("Minutes"), 20000),
        ItemField(
            "achievement",
            FieldType.CHOICE,
            N_("Achieved against the objective"),
            choices=Achievement,
            choice_labels=ACHIEVEMENT_LABELS,
            optional=True,
        ),
        ItemField("next_step", FieldType.TEXT, N_("Next step"), 2000),
        ItemField("next_step_due", FieldType.DATE, N_("Next step by")),
        ItemField("next_step_done", FieldType.BOOL, N_("Next step done")),
    ),
    title=N_("Meetings"),
    add_label=N_("Plan a meeting"),
    delete_label=N_("Remove this meeting"),
    empty_label=N_("No meeting planned yet."),
)
