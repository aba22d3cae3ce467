"""Intervention points: only the head (and admins) mark and record them; everyone reads."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam.domain.interventions import Actor, Effect, PointStatus, Source, Trigger
from kam.domain.user import Role, User
from kam.services import plans, users
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.demo.parts import demo_interventions
from kam.services.plans.interventions import (
    interventions_of_plan,
    mark_point,
    record_intervention,
    update_point,
)
from tests.services.plans.conftest import ANN, BOB, HEAD, NOW, VIEWER

ADMIN = User("adam", Role.ADMIN)


@pytest.fixture
def plan_id(book: Book) -> int:
    users.add_user(book, ADMIN, None, NOW)
    return plans.open_plan(book, ANN, "ACME", now=NOW).id


def test_the_head_marks_a_point_and_records_an_intervention_and_its_effect(
    book: Book, plan_id: int
) -> None:
    point = mark_point(
        book,
        HEAD,
        plan_id,
        trigger=Trigger.NO_DECISION_MAKER,
        situation="nobody has met the owner",
        action=" Ask our CEO to call theirs ",
        actor=Actor.SENIOR_EXECUTIVE,
        actor_name="Our CEO",
        due=date(2026, 3, 10),
        now=NOW,
    )
    assert (point.status, point.source, point.rule_code, point.raised_by, point.action) == (
        PointStatus.OPEN,
        Source.MANUAL,
        None,
        "hedda",
        "Ask our CEO to call theirs",
    )
    view = interventions_of_plan(book, ANN, plan_id, date(2026, 3, 11))
    assert [(p.point.id, p.overdue) for p in view.points] == [(point.id, True)]
    assert (view.summary.open, view.summary.overdue, view.can_manage) == (1, 1, False)
    later = datetime(2026, 3, 12, 10, 0)
    recorded = record_intervention(
        book,
        ADMIN,
        plan_id,
        point.id,
        day=date(2026, 3, 11),
        done="The CEOs met for lunch",
        effect=Effect.IMPROVED,
        effect_note="a meeting with the owner is set",
        close=True,
        now=later,
    )
    assert recorded.status is PointStatus.DONE
    assert [(r.day, r.done, r.effect, r.recorded_by) for r in recorded.records] == [
        (date(2026, 3, 11), "The CEOs met for lunch", Effect.IMPROVED, "adam")
    ]
    view = interventions_of_plan(book, HEAD, plan_id, date(2026, 3, 20))
    assert (view.summary.open, view.summary.done, view.can_manage) == (0, 1, True)
    assert view.points[0].point.last_effect is Effect.IMPROVED
    assert plans.readable_plan(book, ANN, plan_id).updated_by == "adam"


def test_managers_and_viewers_read_points_but_cannot_mark_change_or_record_them(
    book: Book, plan_id: int
) -> None:
    point = mark_point(
        book,
        HEAD,
        plan_id,
        trigger=Trigger.OTHER,
        situation="",
        action="call",
        actor=Actor.HEAD,
        now=NOW,
    )
    for reader in (ANN, VIEWER):
        assert [p.point.id for p in interventions_of_plan(book, reader, plan_id).points] == [
            point.id
        ]
        with pytest.raises(AccessDeniedError):
            mark_point(
                book,
                reader,
                plan_id,
                trigger=Trigger.OTHER,
                situation="",
                action="x",
                actor=Actor.HEAD,
                now=NOW,
            )
        with pytest.raises(AccessDeniedError):
            update_point(
                book,
                reader,
                plan_id,
                point.id,
                trigger=Trigger.OTHER,
                situation="",
                action="x",
                actor=Actor.HEAD,
                actor_name="",
                due=None,
                status=PointStatus.DISMISSED,
                now=NOW,
            )
        with pytest.raises(AccessDeniedError):
            record_intervention(
                book, reader, plan_id, point.id, day=date(2026, 3, 1), done="x", now=NOW
            )
    with pytest.raises(LookupError):
        interventions_of_plan(book, BOB, plan_id)


def test_a_point_is_changed_but_keeps_who_raised_it_and_how(book: Book, plan_id: int) -> None:
    point = mark_point(
        book,
        HEAD,
        plan_id,
        trigger=Trigger.OTHER,
        situation="",
        action="call",
        actor=Actor.HEAD,
        now=NOW,
    )
    changed = update_point(
        book,
        ADMIN,
        plan_id,
        point.id,
        trigger=Trigger.COMPETITOR_MOVE,
        situation="Rival cut prices",
        action="Meet the buyer",
        actor=Actor.SPECIALIST,
        actor_name="Pricing expert",
        due=date(2026, 4, 1),
        status=PointStatus.DISMISSED,
        now=datetime(2026, 3, 3),
    )
    assert (changed.trigger, changed.actor, changed.status, changed.due) == (
        Trigger.COMPETITOR_MOVE,
        Actor.SPECIALIST,
        PointStatus.DISMISSED,
        date(2026, 4, 1),
    )
    assert (changed.raised_by, changed.raised_at, changed.source) == ("hedda", NOW, Source.MANUAL)


def test_bad_records_and_points_of_other_plans_are_refused(book: Book, plan_id: int) -> None:
    other = plans.open_plan(book, BOB, "BETA", now=NOW)
    theirs = mark_point(
        book,
        HEAD,
        other.id,
        trigger=Trigger.OTHER,
        situation="",
        action="call",
        actor=Actor.HEAD,
        now=NOW,
    )
    with pytest.raises(LookupError):
        record_intervention(book, HEAD, plan_id, theirs.id, day=date(2026, 3, 1), done="x", now=NOW)
    with pytest.raises(ValueError, match="future"):
        record_intervention(
            book, HEAD, other.id, theirs.id, day=date(2026, 3, 3), done="x", now=NOW
        )
    with pytest.raises(ValueError, match="cannot be empty"):
        mark_point(
            book,
            HEAD,
            plan_id,
            trigger=Trigger.OTHER,
            situation="",
            action=" ",
            actor=Actor.HEAD,
            now=NOW,
        )


def test_last_year_s_points_stay_readable_but_cannot_be_changed(book: Book) -> None:
    last_year = plans.open_plan(book, ANN, "ACME", now=datetime(2025, 5, 1))
    mark_point(
        book,
        HEAD,
        last_year.id,
        trigger=Trigger.OTHER,
        situation="",
        action="call",
        actor=Actor.HEAD,
        now=datetime(2025, 5, 2),
    )
    view = interventions_of_plan(book, HEAD, last_year.id, NOW.date())
    assert len(view.points) == 1 and not view.can_manage
    with pytest.raises(plans.PlanError):
        mark_point(
            book,
            HEAD,
            last_year.id,
            trigger=Trigger.OTHER,
            situation="",
            action="call",
            actor=Actor.HEAD,
            now=NOW,
        )


def test_the_demo_marks_two_points_one_acted_on(book: Book, plan_id: int) -> None:
    demo_interventions(book, HEAD, plans.readable_plan(book, HEAD, plan_id))
    view = interventions_of_plan(book, HEAD, plan_id)
    assert (view.summary.open, view.summary.done) == (1, 1)
    done = [p.point for p in view.points if p.point.status is PointStatus.DONE]
    assert done[0].last_effect is Effect.IMPROVED and "(demo)" in done[0].records[0].done
