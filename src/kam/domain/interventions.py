"""Intervention points: where the head of key accounts steps in to change the course of talks.

The sixth element of a key client's plan. An *intervention point* names its
trigger (a stalled stage, talks going the wrong way, a blocker gaining
ground, no contact with the decision maker, a competitor's move, falling
revenue, or another reason in words), the action to take, who acts (the
head, a senior executive, a specialist, with a name) and by when. Each
*intervention made* is recorded with its day, what was done, and its effect
(improved, no change, worse) with a note.

Only the head of key accounts (and admins) mark points and record
interventions; account managers and viewers read them.

Points are raised by people today, and by rules in a later version: a point
carries its ``source`` (manual or rule), the ``rule_code`` of the rule that
raised it, when it was raised and by whom, and a status (open, done,
dismissed). A rule asks :func:`needs_raising` before it raises a point, so
that a condition that holds day after day raises one open point, not one a
day; a dismissed point lets the rule raise it again only when the rule
decides the condition is new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kam.domain.items import EditedBy, FieldType, ItemField, ItemKind, clean_text
from kam.i18n import N_
from kam.i18n import gettext as _


class Trigger(StrEnum):
    """What calls for an intervention."""

    STALLED_STAGE = "stalled_stage"
    WRONG_WAY = "wrong_way"
    BLOCKER_GAINING = "blocker_gaining"
    NO_DECISION_MAKER = "no_decision_maker"
    COMPETITOR_MOVE = "competitor_move"
    FALLING_REVENUE = "falling_revenue"
    OTHER = "other"


TRIGGER_LABELS: dict[Trigger, str] = {
    Trigger.STALLED_STAGE: N_("a stage has stalled"),
    Trigger.WRONG_WAY: N_("the talks are going the wrong way"),
    Trigger.BLOCKER_GAINING: N_("a blocker is gaining ground"),
    Trigger.NO_DECISION_MAKER: N_("no contact with the decision maker"),
    Trigger.COMPETITOR_MOVE: N_("a competitor's move"),
    Trigger.FALLING_REVENUE: N_("falling revenue"),
    Trigger.OTHER: N_("other"),
}


class Actor(StrEnum):
    """Who acts on an intervention point."""

    HEAD = "head"
    SENIOR_EXECUTIVE = "senior_executive"
    SPECIALIST = "specialist"


ACTOR_LABELS: dict[Actor, str] = {
    Actor.HEAD: N_("the head of key accounts"),
    Actor.SENIOR_EXECUTIVE: N_("a senior executive"),
    Actor.SPECIALIST: N_("a specialist"),
}


class PointStatus(StrEnum):
    """Where an intervention point stands."""

    OPEN = "open"
    DONE = "done"
    DISMISSED = "dismissed"


POINT_STATUS_LABELS: dict[PointStatus, str] = {
    PointStatus.OPEN: N_("open"),
    PointStatus.DONE: N_("done"),
    PointStatus.DISMISSED: N_("dismissed"),
}


class Source(StrEnum):
    """Who raised an intervention point: a person, or a rule."""

    MANUAL = "manual"
    RULE = "rule"


SOURCE_LABELS: dict[Source, str] = {
    Source.MANUAL: N_("marked by hand"),
    Source.RULE: N_("raised by a rule"),
}


class Effect(StrEnum):
    """What an intervention changed."""

    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    WORSE = "worse"


EFFECT_LABELS: dict[Effect, str] = {
    Effect.IMPROVED: N_("improved"),
    Effect.NO_CHANGE: N_("no change"),
    Effect.WORSE: N_("worse"),
}


@dataclass(frozen=True)
class InterventionRecord:
    """An intervention made on a point: when, what was done, and its effect."""

    id: int
    day: date
    done: str
    effect: Effect | None
    effect_note: str
    recorded_by: str


@dataclass(frozen=True)
class InterventionPoint:
    """A point where the head steps in, and the interventions made on it."""

    id: int
    trigger: Trigger
    situation: str
    action: str
    actor: Actor
    actor_name: str
    due: date | None
    status: PointStatus
    source: Source
    rule_code: str | None
    raised_at: datetime
    raised_by: str
    records: tuple[InterventionRecord, ...] = ()
    version: int = 1
    updated_at: datetime | None = None
    updated_by: str = ""

    def overdue(self, today: date) -> bool:
        """Whether the point is still open after its due date.

        Examples
        --------
        >>> p = InterventionPoint(1, Trigger.OTHER, "", "call", Actor.HEAD, "", date(2026, 3, 1),
        ...                       PointStatus.OPEN, Source.MANUAL, None, datetime(2026, 2, 1), "h")
        >>> p.overdue(date(2026, 3, 1)), p.overdue(date(2026, 3, 2))
        (False, True)
        """
        return self.status is PointStatus.OPEN and self.due is not None and self.due < today

    @property
    def last_effect(self) -> Effect | None:
        """The effect of the latest intervention made with a known effect."""
        known = [r for r in sorted(self.records, key=lambda r: (r.day, r.id)) if r.effect]
        return known[-1].effect if known else None


def _action(text: str) -> str:
    """The action of a point, trimmed: it cannot be empty."""
    return clean_text(text, 5000, _("{what} cannot be empty").format(what=_("the action")))


#: An intervention point as the head marks and changes it: who raised it and how, and the
#: interventions made, are kept beside it; a point is marked open, its status changed later.
INTERVENTION_POINT = ItemKind(
    "intervention_point",
    InterventionPoint,
    (
        ItemField(
            "trigger",
            FieldType.CHOICE,
            N_("Trigger"),
            choices=Trigger,
            choice_labels=TRIGGER_LABELS,
            needed=True,
        ),
        ItemField("situation", FieldType.NOTE, N_("What is happening"), 5000),
        ItemField(
            "action", FieldType.NOTE, N_("Action"), 5000, needed=True, minimum=1, check=_action
        ),
        ItemField(
            "actor", FieldType.CHOICE, N_("Who acts"), choices=Actor, choice_labels=ACTOR_LABELS
        ),
        ItemField("actor_name", FieldType.TEXT, N_("Name of who acts"), 200),
        ItemField("due", FieldType.DATE, N_("Due date")),
        ItemField(
            "status",
            FieldType.CHOICE,
            N_("Status"),
            choices=PointStatus,
            choice_labels=POINT_STATUS_LABELS,
        ),
    ),
    edited_by=EditedBy.HEAD,
    refusal=N_("only the head of key accounts marks intervention points and records interventions"),
    form=("trigger", "situation", "action", "actor", "actor_name", "due"),
    changed=("status",),
)


@dataclass(frozen=True)
class InterventionSummary:
    """How many points are open, overdue, done and dismissed."""

    open: int
    overdue: int
    done: int
    dismissed: int


def summarize(points: Sequence[InterventionPoint], today: date) -> InterventionSummary:
    """The points counted by status, and the open ones that are overdue.

    Examples
    --------
    >>> raised = datetime(2026, 2, 1)
    >>> def point(i, status, due):
    ...     return InterventionPoint(i, Trigger.OTHER, "", "", Actor.HEAD, "", due, status,
    ...                              Source.MANUAL, None, raised, "h")
    >>> summarize([point(1, PointStatus.OPEN, date(2026, 2, 10)),
    ...            point(2, PointStatus.OPEN, None), point(3, PointStatus.DONE, None)],
    ...           date(2026, 3, 1))
    InterventionSummary(open=2, overdue=1, done=1, dismissed=0)
    """
    return InterventionSummary(
        open=sum(1 for p in points if p.status is PointStatus.OPEN),
        overdue=sum(1 for p in points if p.overdue(today)),
        done=sum(1 for p in points if p.status is PointStatus.DONE),
        dismissed=sum(1 for p in points if p.status is PointStatus.DISMISSED),
    )


def needs_raising(points: Sequence[InterventionPoint], rule_code: str) -> bool:
    """Whether a rule should raise a point: not while one it raised is still open.

    Examples
    --------
    >>> raised = datetime(2026, 2, 1)
    >>> open_one = InterventionPoint(1, Trigger.FALLING_REVENUE, "", "", Actor.HEAD, "", None,
    ...     PointStatus.OPEN, Source.RULE, "revenue-down", raised, "rule")
    >>> needs_raising([open_one], "revenue-down"), needs_raising([open_one], "no-dm")
    (False, True)
    """
    return not any(
        p.source is Source.RULE and p.rule_code == rule_code and p.status is PointStatus.OPEN
        for p in points
    )


def ordered(points: Sequence[InterventionPoint]) -> list[InterventionPoint]:
    """Open points first (the earliest due first, undated last), then the rest, newest first.

    Examples
    --------
    >>> raised = datetime(2026, 2, 1)
    >>> def point(i, status, due):
    ...     return InterventionPoint(i, Trigger.OTHER, "", "", Actor.HEAD, "", due, status,
    ...                              Source.MANUAL, None, raised, "h")
    >>> [p.id for p in ordered([point(1, PointStatus.DONE, None),
    ...     point(2, PointStatus.OPEN, None), point(3, PointStatus.OPEN, date(2026, 3, 1))])]
    [3, 2, 1]
    """
    open_points = sorted(
        (p for p in points if p.status is PointStatus.OPEN),
        key=lambda p: (p.due is None, p.due or date.max, p.id),
    )
    closed = sorted(
        (p for p in points if p.status is not PointStatus.OPEN),
        key=lambda p: (p.raised_at, p.id),
        reverse=True,
    )
    return open_points + closed
