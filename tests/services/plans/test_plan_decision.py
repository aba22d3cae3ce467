"""The decision element of a plan: criteria, scores, totals, where we lose, the process."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kam.domain.decision import Competitor, Criterion, DecisionStep, StepStanding
from kam.domain.stakeholder import Person
from kam.services import plans
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.demo.parts import demo_decision
from kam.services.plans.decision import (
    decision_of_plan,
    save_competitors,
    save_criteria,
    save_notes,
    save_steps,
)
from kam.store import records
from kam.store.database import transaction
from tests.services.plans.conftest import ANN, BOB, HEAD, NOW, VIEWER


@pytest.fixture
def plan_id(book: Book) -> int:
    with transaction(book.database) as session:
        records.upsert(
            session,
            [
                Person("ACME-1", "ACME", "Sven Ottlieb", "Buyer"),
                Person("ACME-2", "ACME", "Maria Anders", "Owner"),
                Person("BETA-1", "BETA", "Ben Beta"),
            ],
            NOW,
        )
    return plans.open_plan(book, ANN, "ACME", now=NOW).id


def _scored(book: Book, plan_id: int) -> tuple[int, int]:
    rivals = save_competitors(
        book, ANN, plan_id, [Competitor(0, "Rival"), Competitor(0, "Other")], NOW
    )
    rival, other = rivals[0].id, rivals[1].id
    save_criteria(
        book,
        ANN,
        plan_id,
        [
            Criterion(0, "price", 60, 2, {rival: 4, other: 3}),
            Criterion(0, "service", 40, 5, {rival: 3}, "show the service desk"),
        ],
        NOW,
    )
    return rival, other


def test_totals_and_losses_are_computed_from_the_saved_scores(book: Book, plan_id: int) -> None:
    rival, other = _scored(book, plan_id)
    view = decision_of_plan(book, VIEWER, plan_id)
    assert [c.name for c in view.competitors] == ["Rival", "Other"]
    assert [(c.name, c.weight, c.our_score, dict(c.scores)) for c in view.criteria] == [
        ("price", 60, 2, {rival: 4, other: 3}),
        ("service", 40, 5, {rival: 3}),
    ]
    # us: 0.6*2 + 0.4*5 = 3.2; Rival: 0.6*4 + 0.4*3 = 3.6; Other: 3 on 60% of the weight.
    assert view.our_total.score == pytest.approx(3.2)
    totals = [
        (t.competitor.name, t.total.score, t.total.weight_share) for t in view.competitor_totals
    ]
    assert totals == [("Rival", pytest.approx(3.6), 1.0), ("Other", 3.0, pytest.approx(0.6))]
    # price: Rival 0.6*2 = 1.2, Other 0.6*1 = 0.6.
    assert [(x.criterion.name, x.competitor.name) for x in view.losses] == [
        ("price", "Rival"),
        ("price", "Other"),
    ]
    assert [x.weighted_gap for x in view.losses] == pytest.approx([1.2, 0.6])


def test_a_list_saved_again_keeps_ids_changes_rows_and_removes_those_left_out(
    book: Book, plan_id: int
) -> None:
    rival, other = _scored(book, plan_id)
    _price, service = decision_of_plan(book, ANN, plan_id).criteria
    save_criteria(book, HEAD, plan_id, [Criterion(service.id, "service", 50, 4, {other: 5})], NOW)
    save_competitors(book, ANN, plan_id, [Competitor(rival, "Rival AG")], NOW)
    view = decision_of_plan(book, ANN, plan_id)
    assert [(c.id, c.name, c.weight, dict(c.scores)) for c in view.criteria] == [
        (service.id, "service", 50, {})
    ]
    assert [(c.id, c.name) for c in view.competitors] == [(rival, "Rival AG")]


def test_bad_scores_weights_and_strangers_are_refused(book: Book, plan_id: int) -> None:
    rival, _other = _scored(book, plan_id)
    with pytest.raises(ValueError, match="from 1 to 5"):
        save_criteria(book, ANN, plan_id, [Criterion(0, "price", 10, 6)], NOW)
    with pytest.raises(ValueError, match="from 1 to 100"):
        save_criteria(book, ANN, plan_id, [Criterion(0, "price", 0, 3)], NOW)
    with pytest.raises(LookupError):
        save_criteria(book, ANN, plan_id, [Criterion(0, "price", 10, 3, {rival + 100: 3})], NOW)
    with pytest.raises(ValueError, match="named once"):
        save_competitors(book, ANN, plan_id, [Competitor(0, "A"), Competitor(0, "a")], NOW)
    with pytest.raises(ValueError, match="BETA-1 is not one of the client's people"):
        save_steps(
            book, ANN, plan_id, [DecisionStep(0, 1, "x", ("BETA-1",), "", StepStanding.PASSED)], NOW
        )
    assert len(decision_of_plan(book, ANN, plan_id).criteria) == 2


def test_the_process_is_kept_in_order_with_the_client_s_people_and_where_we_stand(
    book: Book, plan_id: int
) -> None:
    save_steps(
        book,
        ANN,
        plan_id,
        [
            DecisionStep(0, 0, "Tender", ("ACME-1",), "", StepStanding.PASSED, date(2026, 2, 1)),
            DecisionStep(
                0, 0, "Board", ("ACME-2", "ACME-1"), "the board", StepStanding.IN_PROGRESS
            ),
        ],
        NOW,
    )
    save_notes(book, ANN, plan_id, " Ask to present to the board ", NOW)
    view = decision_of_plan(book, ANN, plan_id)
    assert [(s.position, s.name, s.people, s.standing) for s in view.steps] == [
        (1, "Tender", ("ACME-1",), StepStanding.PASSED),
        (2, "Board", ("ACME-2", "ACME-1"), StepStanding.IN_PROGRESS),
    ]
    assert view.current_step is not None and view.current_step.name == "Board"
    assert view.person_name("ACME-2") == "Maria Anders"
    assert [p.key for p in view.people] == ["ACME-2", "ACME-1"]
    assert view.notes == "Ask to present to the board"


def test_writes_record_who_changed_the_plan_and_readers_cannot_write(
    book: Book, plan_id: int
) -> None:
    later = datetime(2026, 3, 4, 8, 0)
    save_notes(book, HEAD, plan_id, "x", later)
    plan = plans.readable_plan(book, ANN, plan_id)
    assert (plan.updated_at, plan.updated_by) == (later, "hedda")
    with pytest.raises(AccessDeniedError):
        save_notes(book, VIEWER, plan_id, "y", NOW)
    with pytest.raises(LookupError):
        decision_of_plan(book, BOB, plan_id)
    with pytest.raises(LookupError):
        save_notes(book, BOB, plan_id, "y", NOW)


def test_the_demo_fills_the_decision_with_labelled_content(book: Book, plan_id: int) -> None:
    demo_decision(book, ANN, plans.readable_plan(book, ANN, plan_id))
    view = decision_of_plan(book, ANN, plan_id)
    assert len(view.competitors) == 2 and len(view.criteria) == 4 and len(view.steps) == 3
    assert all("(demo)" in c.name for c in view.criteria)
    assert view.losses and view.our_total.score is not None
    assert view.steps[0].people == ("ACME-2",)
