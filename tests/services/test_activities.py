"""Activities with clients, logged, changed and read by who may, on SQLite and PostgreSQL;
and what a client is owed under the service policy of the class it holds."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from threading import Barrier

import pytest

from kam.domain.activities import Activity, ActivityStatus, Approval
from kam.domain.cadence import DueStatus
from kam.domain.client import Client
from kam.domain.engagement import Stage, StageStatus
from kam.domain.items import ItemValueError
from kam.domain.period import parse_period
from kam.domain.stakeholder import Person
from kam.domain.versions import StaleVersionError
from kam.services import activities, plans, schedule, users
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.classify import ClassifyRequest, classify_book
from kam.services.plans.engagement import save_stages
from kam.store import records
from kam.store.database import transaction
from tests.books import add_sales_rows, make_book
from tests.services.plans.conftest import ANN, BOB, HEAD, VIEWER

NOW = datetime(2024, 6, 10, 9, 0)


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    """ACME (ann's, 90% of the sales of 2023: class A) and BETA (bob's), with their
    people; vera may see ACME; the book classified on 2 January 2024."""
    opened = make_book(tmp_path / "book", database_url)
    with transaction(opened.database) as session:
        records.upsert(
            session,
            [Client("ACME", "Acme Corp", owner="ann"), Client("BETA", "Beta Ltd", owner="bob")],
            NOW,
        )
        records.upsert(
            session,
            [
                Person("ACME-1", "ACME", "Jose Pavarotti"),
                Person("ACME-2", "ACME", "Ana Trujillo"),
                Person("BETA-1", "BETA", "Roland Mendel"),
            ],
            NOW,
        )
    for user in (HEAD, ANN, BOB, VIEWER):
        users.add_user(opened, user, None, NOW)
    users.grant(opened, "vera", "ACME")
    add_sales_rows(
        opened,
        [
            {"client_id": "ACME", "date": date(2023, 3, 1), "amount": 900_000},
            {"client_id": "BETA", "date": date(2023, 3, 1), "amount": 100_000},
        ],
    )
    classify_book(opened, ClassifyRequest(period=parse_period("2023")), datetime(2024, 1, 2, 8))
    yield opened
    opened.close()


def _visit(**values: object) -> Activity:
    base = Activity(
        0,
        "ACME",
        "visit",
        datetime(2024, 6, 3, 14, 0),
        ActivityStatus.DONE,
        their_people=("ACME-1",),
        objective="Review the year's orders",
    )
    return replace(base, **values)  # type: ignore[arg-type]


def test_a_manager_logs_a_visit_with_the_client_s_people_and_reads_it_back(book: Book) -> None:
    logged = activities.log_activity(book, ANN, _visit(), NOW)
    assert (logged.id > 0, logged.our_people, logged.their_people, logged.version) == (
        True,
        ("ann",),
        ("ACME-1",),
        1,
    )
    assert activities.activities_of(book, ANN, "ACME") == [logged]
    assert activities.activities_of(book, VIEWER, "ACME") == [logged]  # granted: reads it
    assert activities.activities_of(book, HEAD) == [logged]
    assert activities.activities_of(book, BOB) == []  # not bob's client


def test_who_may_not_change_the_client_cannot_log_for_it(book: Book) -> None:
    with pytest.raises(LookupError):
        activities.log_activity(book, BOB, _visit(), NOW)
    with pytest.raises(AccessDeniedError):
        activities.log_activity(book, VIEWER, _visit(), NOW)
    assert activities.activities_of(book, HEAD) == []


def test_another_client_s_people_and_users_who_cannot_see_the_client_are_refused(
    book: Book,
) -> None:
    with pytest.raises(ItemValueError) as theirs:
        activities.log_activity(book, ANN, _visit(their_people=("ACME-1", "BETA-1")), NOW)
    assert theirs.value.field == "their_people"
    with pytest.raises(ItemValueError) as ours:
        activities.log_activity(book, ANN, _visit(our_people=("ann", "bob")), NOW)
    assert ours.value.field == "our_people"
    with pytest.raises(ItemValueError) as owner:
        activities.log_activity(
            book, ANN, _visit(next_step="Send the offer", next_step_owner="bob"), NOW
        )
    assert owner.value.field == "next_step_owner"
    with pytest.raises(ItemValueError) as kind:
        activities.log_activity(book, ANN, _visit(kind="fax"), NOW)
    assert kind.value.field == "kind"
    assert activities.activities_of(book, HEAD) == []


def test_a_change_on_an_old_version_is_refused_and_the_participants_follow_the_change(
    book: Book,
) -> None:
    logged = activities.log_activity(book, ANN, _visit(), NOW)
    changed = activities.change_activity(
        book, HEAD, replace(logged, their_people=("ACME-2",), outcome="Orders up"), NOW
    )
    assert (changed.their_people, changed.outcome, changed.version, changed.updated_by) == (
        ("ACME-2",),
        "Orders up",
        2,
        "hedda",
    )
    with pytest.raises(StaleVersionError):
        activities.change_activity(book, ANN, replace(logged, outcome="mine"), NOW)
    activities.remove_activity(book, ANN, logged.id)
    assert activities.activities_of(book, HEAD) == []
    with pytest.raises(LookupError):
        activities.remove_activity(book, ANN, logged.id)


def test_what_an_a_client_is_owed_follows_its_class_and_the_visits_done(book: Book) -> None:
    assert [(s.klass, s.since) for s in activities.class_spells(book, "ACME")] == [
        ("A", date(2024, 1, 2))
    ]
    activities.log_activity(book, ANN, _visit(), NOW)
    review = _visit(
        kind="business_review", at=datetime(2024, 6, 20, 10), status=ActivityStatus.PLANNED
    )
    activities.log_activity(book, HEAD, review, NOW)
    owed = {d.rule.kind: d for d in activities.owed(book, ANN, "ACME", date(2024, 6, 10))}
    # the visit of 3 June: the next is due 3 July (30 days)
    assert (owed["visit"].due, owed["visit"].status) == (date(2024, 7, 3), DueStatus.DUE)
    # never reviewed: owed since the class was taken on 2 January, 160 days ago, though planned
    due_review = owed["business_review"]
    assert (due_review.due, due_review.overdue_days, due_review.planned) == (
        date(2024, 1, 2),
        160,
        date(2024, 6, 20),
    )
    # BETA starts where 90% of the value is reached, within the 95% of B: a visit every 60 days
    [beta] = activities.owed(book, BOB, "BETA", date(2024, 6, 10))
    assert (beta.rule.kind, str(beta.rule.every)) == ("visit", "60 days")


def test_the_gifts_register_is_the_head_s_and_sums_each_person_s_year(book: Book) -> None:
    shared = _visit(kind="gift", value=12_000, their_people=("ACME-1", "ACME-2"))
    activities.log_activity(book, ANN, shared, NOW)
    activities.log_activity(book, ANN, _visit(kind="gift", value=9_000), NOW)
    planned = _visit(
        kind="gift", value=50_000, at=datetime(2024, 7, 1), status=ActivityStatus.PLANNED
    )
    activities.log_activity(book, ANN, planned, NOW)
    with pytest.raises(AccessDeniedError):
        activities.gifts_of_year(book, ANN, 2024)
    register = activities.gifts_of_year(book, HEAD, 2024)
    # Jose: 120.00 shared + 90.00 = 210.00, past the 200 a year; Ana: 120.00; the planned
    # gift is not given yet
    assert [(g.person_name, g.total, g.activities, g.over_limit) for g in register] == [
        ("Jose Pavarotti", 21_000, 2, True),
        ("Ana Trujillo", 12_000, 1, False),
    ]
    assert activities.gifts_of_year(book, HEAD, 2023) == []


def test_a_refused_gift_stays_in_the_register_but_counts_neither_in_the_total_nor_the_limit(
    book: Book,
) -> None:
    shared = _visit(kind="gift", value=12_000, their_people=("ACME-1", "ACME-2"))
    activities.log_activity(book, ANN, shared, NOW)
    dear = _visit(kind="event_attendance", value=15_000, their_people=("ACME-2",))
    refused = activities.log_activity(book, ANN, dear, NOW)
    activities.decide(book, HEAD, refused.id, False, "Above our policy", NOW)
    only_refused = _visit(kind="gift", value=40_000, their_people=("ACME-1",))
    alone = activities.log_activity(book, ANN, replace(only_refused, at=datetime(2023, 5, 2)), NOW)
    activities.decide(book, HEAD, alone.id, False, "Far too dear", NOW)
    register = activities.gifts_of_year(book, HEAD, 2024)
    # Ana: 120.00 given; the 150.00 refused would have made 270.00, past the 200 a year
    assert [
        (g.person_name, g.total, g.activities, g.over_limit, g.refused, g.refused_total)
        for g in register
    ] == [
        ("Jose Pavarotti", 12_000, 1, False, 0, 0),
        ("Ana Trujillo", 12_000, 1, False, 1, 15_000),
    ]
    # Jose in 2023 was given nothing in the end, and is still listed with the refusal
    [jose] = activities.gifts_of_year(book, HEAD, 2023)
    assert (jose.person_name, jose.total, jose.over_limit, jose.refused_total) == (
        "Jose Pavarotti",
        0,
        False,
        40_000,
    )


def test_a_gift_above_the_threshold_awaits_the_head_s_approval_and_one_below_does_not(
    book: Book,
) -> None:
    # the threshold is 100.00 by default: a gift of 150.00 passes it, one of 80.00 does not
    dear = activities.log_activity(book, ANN, _visit(kind="gift", value=15_000), NOW)
    cheap = activities.log_activity(book, ANN, _visit(kind="gift", value=8_000), NOW)
    visit = activities.log_activity(book, ANN, _visit(), NOW)
    assert (dear.approval, cheap.approval, visit.approval) == (Approval.AWAITING, None, None)
    assert [a.id for a in activities.awaiting_approval(book, HEAD)] == [dear.id]
    with pytest.raises(AccessDeniedError):
        activities.awaiting_approval(book, ANN)


def test_the_head_approves_or_refuses_with_a_reason_and_who_and_when_are_kept(book: Book) -> None:
    first = activities.log_activity(book, ANN, _visit(kind="gift", value=15_000), NOW)
    second = activities.log_activity(book, ANN, _visit(kind="gift", value=30_000), NOW)
    later = datetime(2024, 6, 11, 8, 0)
    with pytest.raises(AccessDeniedError):
        activities.decide(book, ANN, first.id, approve=True, now=later)
    with pytest.raises(ItemValueError, match="why"):
        activities.decide(book, HEAD, second.id, approve=False, reason="  ", now=later)
    approved = activities.decide(book, HEAD, first.id, approve=True, now=later)
    refused = activities.decide(book, HEAD, second.id, False, "Over our policy", later)
    assert (approved.approval, approved.approval_by, approved.approval_at) == (
        Approval.APPROVED,
        "hedda",
        later,
    )
    assert (refused.approval, refused.approval_reason) == (Approval.REFUSED, "Over our policy")
    assert activities.awaiting_approval(book, HEAD) == []
    with pytest.raises(ValueError, match="not awaiting"):
        activities.decide(book, HEAD, first.id, approve=False, reason="changed my mind")


def test_a_new_value_of_an_approved_gift_awaits_approval_again_and_a_new_note_does_not(
    book: Book,
) -> None:
    gift = activities.log_activity(book, ANN, _visit(kind="gift", value=15_000), NOW)
    approved = activities.decide(book, HEAD, gift.id, approve=True, now=NOW)
    noted = activities.change_activity(book, ANN, replace(approved, outcome="Thanked us"), NOW)
    assert (noted.approval, noted.approval_by) == (Approval.APPROVED, "hedda")
    dearer = activities.change_activity(book, ANN, replace(noted, value=20_000), NOW)
    assert (dearer.approval, dearer.approval_by, dearer.approval_at) == (
        Approval.AWAITING,
        None,
        None,
    )
    cheaper = activities.change_activity(book, ANN, replace(dearer, value=5_000), NOW)
    assert cheaper.approval is None


def test_several_activities_kept_at_once_read_back_as_each_kept_alone(book: Book) -> None:
    """log_activities (a calendar's import) keeps in a few statements what log_activity
    keeps one by one: the same ids in order, fields, participants and approvals."""
    made = [
        _visit(),
        _visit(client_key="BETA", their_people=("BETA-1",), our_people=("bob",)),
        _visit(kind="gift", their_people=(), value=25_000),  # above the threshold: awaits
        _visit(their_people=("ACME-1", "ACME-2"), next_step="Send the offer"),
    ]
    ids = activities.log_activities(book, HEAD, made, NOW)
    assert ids == sorted(ids) and len(set(ids)) == 4
    kept = [activities.get_activity(book, HEAD, i) for i in ids]
    assert [(a.client_key, a.kind, a.value) for a in kept] == [
        (m.client_key, m.kind, m.value) for m in made
    ]
    assert [a.our_people for a in kept] == [("hedda",), ("bob",), ("hedda",), ("hedda",)]
    assert kept[2].approval is Approval.AWAITING
    assert kept[3].their_people == ("ACME-1", "ACME-2")


def test_several_activities_are_kept_all_or_none(book: Book) -> None:
    made = [
        _visit(),
        _visit(client_key="BETA", their_people=("BETA-1",), our_people=("ann",)),  # not hers
    ]
    with pytest.raises(ItemValueError, match="ann"):
        activities.log_activities(book, HEAD, made, NOW)
    assert activities.activities_of(book, HEAD) == []


def test_the_form_to_log_offers_the_client_s_plans_and_a_stage_alone_brings_its_plan(
    book: Book,
) -> None:
    acme = plans.open_plan(book, ANN, "ACME", period="2024", now=NOW)
    later = plans.open_plan(book, ANN, "ACME", period="2025", now=NOW)
    beta = plans.open_plan(book, BOB, "BETA", period="2024", now=NOW)
    stage = Stage(0, 0, "Win the trial", "", "", StageStatus.IN_PROGRESS)
    first, second = save_stages(book, ANN, acme.id, [stage, replace(stage, name="Roll out")], NOW)
    (elsewhere,) = save_stages(book, BOB, beta.id, [stage], NOW)
    choices = schedule.log_choices(book, ANN, "ACME", date(2024, 6, 10))
    assert [(p.id, p.period, [s.name for s in p.stages]) for p in choices.plans] == [
        (later.id, "2025", []),
        (acme.id, "2024", ["Win the trial", "Roll out"]),
    ]
    assert [p.name for p in choices.people] == ["Ana Trujillo", "Jose Pavarotti"]
    with pytest.raises(AccessDeniedError):
        schedule.log_choices(book, VIEWER, "ACME", date(2024, 6, 10))
    with pytest.raises(LookupError):
        schedule.log_choices(book, ANN, "BETA", date(2024, 6, 10))
    # a stage named alone: the activity serves the stage's plan
    logged = activities.log_activity(book, ANN, _visit(stage_id=second.id), NOW)
    assert (logged.plan_id, logged.stage_id) == (acme.id, second.id)
    # a stage of another client's plan, alone or with this client's plan, is refused
    for refused in (_visit(stage_id=elsewhere.id), _visit(plan_id=acme.id, stage_id=elsewhere.id)):
        with pytest.raises(ItemValueError, match="no stage") as error:
            activities.log_activity(book, ANN, refused, NOW)
        assert error.value.field == "stage_id"
    with pytest.raises(ItemValueError, match="no plan") as error:
        activities.log_activity(book, ANN, _visit(plan_id=beta.id, stage_id=first.id), NOW)
    assert error.value.field == "plan_id"


def test_two_imports_at_once_keep_every_activity_with_its_own_participants(book: Book) -> None:
    start = Barrier(2)

    def imported(name: str, client: str, person: str) -> list[int]:
        made = [
            _visit(
                client_key=client,
                their_people=(person,),
                objective=f"{name} {n}",
                at=datetime(2024, 5, 1, 9) + timedelta(minutes=n),
            )
            for n in range(200)
        ]
        start.wait()
        return activities.log_activities(book, HEAD, made, NOW)

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(imported, "first", "ACME", "ACME-1")
        second = pool.submit(imported, "second", "BETA", "BETA-1")
        ids = {"first": first.result(), "second": second.result()}
    assert len(set(ids["first"]) | set(ids["second"])) == 400
    every = {a.id: a for a in activities.activities_of(book, HEAD)}
    for name, client, person in (("first", "ACME", "ACME-1"), ("second", "BETA", "BETA-1")):
        read = [every[i] for i in ids[name]]
        assert [(a.client_key, a.objective, a.their_people) for a in read] == [
            (client, f"{name} {n}", (person,)) for n in range(200)
        ]
