"""Intervention points: overdue, counted, ordered, and ready for rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from kam.domain.interventions import (
    Actor,
    Effect,
    InterventionPoint,
    InterventionRecord,
    PointStatus,
    Source,
    Trigger,
    needs_raising,
    ordered,
    summarize,
)

TODAY = date(2026, 3, 15)
BASE = InterventionPoint(
    id=1,
    trigger=Trigger.STALLED_STAGE,
    situation="the trial stalled",
    action="call their COO",
    actor=Actor.HEAD,
    actor_name="Andrew",
    due=date(2026, 3, 10),
    status=PointStatus.OPEN,
    source=Source.MANUAL,
    rule_code=None,
    raised_at=datetime(2026, 3, 1, 9),
    raised_by="andrew",
)


def test_an_open_point_past_its_due_date_is_overdue_a_done_one_is_not() -> None:
    assert BASE.overdue(TODAY)
    assert not BASE.overdue(date(2026, 3, 10))
    assert not replace(BASE, status=PointStatus.DONE).overdue(TODAY)
    assert not replace(BASE, due=None).overdue(TODAY)


def test_points_are_counted_by_status_with_the_overdue_open_ones() -> None:
    points = [
        BASE,
        replace(BASE, id=2, due=date(2026, 3, 20)),
        replace(BASE, id=3, status=PointStatus.DONE),
        replace(BASE, id=4, status=PointStatus.DISMISSED),
    ]
    summary = summarize(points, TODAY)
    assert (summary.open, summary.overdue, summary.done, summary.dismissed) == (2, 1, 1, 1)


def test_open_points_come_first_by_due_date_then_the_closed_newest_first() -> None:
    points = [
        replace(BASE, id=1, status=PointStatus.DONE, raised_at=datetime(2026, 1, 1)),
        replace(BASE, id=2, due=None),
        replace(BASE, id=3, due=date(2026, 4, 1)),
        replace(BASE, id=4, status=PointStatus.DISMISSED, raised_at=datetime(2026, 2, 1)),
        replace(BASE, id=5, due=date(2026, 3, 1)),
    ]
    assert [p.id for p in ordered(points)] == [5, 3, 2, 4, 1]


def test_the_last_effect_is_the_latest_intervention_with_a_known_effect() -> None:
    records = (
        InterventionRecord(1, date(2026, 3, 2), "call", Effect.NO_CHANGE, "", "andrew"),
        InterventionRecord(2, date(2026, 3, 9), "meeting", Effect.IMPROVED, "", "andrew"),
        InterventionRecord(3, date(2026, 3, 12), "letter", None, "", "andrew"),
    )
    assert replace(BASE, records=records).last_effect is Effect.IMPROVED
    assert BASE.last_effect is None


def test_a_rule_raises_a_point_again_only_when_its_last_one_is_no_longer_open() -> None:
    by_rule = replace(BASE, source=Source.RULE, rule_code="stage-stalled")
    assert not needs_raising([by_rule], "stage-stalled")
    assert needs_raising([by_rule], "revenue-falling")
    assert needs_raising([replace(by_rule, status=PointStatus.DISMISSED)], "stage-stalled")
    # A point marked by hand does not stop a rule.
    assert needs_raising([replace(BASE, rule_code="stage-stalled")], "stage-stalled")
