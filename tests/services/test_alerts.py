"""The early-warning rules run over a small book whose answer is worked by hand, and the
alerts they keep: opened once, brought up to date, answered by their owner or the head;
on SQLite and PostgreSQL.

The book, on 15 July 2024 (its last whole month June 2024):

- FALL (ann's) sold 100,000 a month in 2023 and 40,000 a month since January 2024: the
  last 3 months 120,000 against 300,000 a year before, 60% down (6 months too);
- STEADY (ann's) sold 200,000 every month: 2,400,000 of the book's 3,240,000 of the
  last 12 months, 74% (the test's concentration limit is 50%);
- DOWN (bob's) was class A in the run of 2023 and is B in the run of 2024's first half;
- SILENT (ann's) last met its decision maker, Maria Anders, on 1 March 2024: 136 days;
- LATE (bob's), class B (a visit every 60 days), last visited on 1 April 2024: the
  next visit was due on 31 May, 45 days before.

Every other client of class B was visited on 20 June 2024.
"""

from __future__ import annotations

import threading
from calendar import monthrange
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from kam.domain.activities import Activity, ActivityStatus
from kam.domain.alerts import Alert, AlertState
from kam.domain.class_history import ClassSnapshot
from kam.domain.client import Client
from kam.domain.interventions import Source, Trigger
from kam.domain.people_map import BuyingRole, Profile
from kam.domain.stakeholder import Person
from kam.services import activities, alerts, plans, users
from kam.services.access import AccessDeniedError
from kam.services.alerts import AlertsRun
from kam.services.book import Book
from kam.services.plans.interventions import interventions_of_plan
from kam.store import class_history, records
from kam.store.database import transaction
from kam.store.plans.people import add_version
from tests.books import add_sales_rows, make_book
from tests.services.plans.conftest import ANN, BOB, HEAD, VIEWER

TODAY = date(2024, 7, 15)
NOW = datetime(2024, 7, 15, 9, 0)
JANUARY = datetime(2024, 1, 2, 8)
CLASSES_2023 = {"DOWN": "A", "FALL": "B", "SILENT": "B", "STEADY": "B", "LATE": "B"}
CLASSES_2024 = CLASSES_2023 | {"DOWN": "B"}


def _run(
    session: object,
    period: str,
    start: date,
    end: date,
    taken: datetime,
    classes: dict[str, str],
    values: dict[str, int] | None = None,
) -> None:
    snapshots = [
        ClassSnapshot(
            client_key=key,
            period=period,
            period_start=start,
            period_end=end,
            policy="pareto 0.8,0.95 by revenue",
            value=(values or {}).get(key, 0),
            share=0.0,
            rank=rank,
            computed_class=klass,
            abc_class=klass,
            reason=f"{klass}: by hand",
            taken_at=taken,
        )
        for rank, (key, klass) in enumerate(sorted(classes.items()), 1)
    ]
    class_history.save_classification(
        session,  # type: ignore[arg-type]
        snapshots,
        period=period,
        period_start=start,
        period_end=end,
        policy="pareto 0.8,0.95 by revenue",
        groups=False,
        taken_by="hedda",
        taken_at=taken,
    )


def _months(client: str, year: int, months: range, amount: int) -> list[dict[str, object]]:
    """A sale on each month's last day: the book holds its last month whole."""
    return [
        {"client_id": client, "date": date(year, m, monthrange(year, m)[1]), "amount": amount}
        for m in months
    ]


def _visit(client: str, day: date, *people: str) -> Activity:
    return Activity(
        0,
        client,
        "visit",
        datetime(day.year, day.month, day.day, 10),
        ActivityStatus.DONE,
        their_people=people,
        objective="Review the orders",
    )


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = make_book(tmp_path / "book", database_url, alert_concentration_share="0.5")
    owners = {"FALL": "ann", "STEADY": "ann", "SILENT": "ann", "DOWN": "bob", "LATE": "bob"}
    with transaction(opened.database) as session:
        records.upsert(session, [Client(k, k.title(), owner=o) for k, o in owners.items()], NOW)
        records.upsert(
            session,
            [Person("SIL-1", "SILENT", "Maria Anders"), Person("SIL-2", "SILENT", "Ana Lopez")],
            NOW,
        )
        maker = Profile("Maria Anders", roles=(BuyingRole.DECISION_MAKER,))
        user = Profile("Ana Lopez", roles=(BuyingRole.USER,))
        for key, profile in (("SIL-1", maker), ("SIL-2", user)):
            add_version(session, "SILENT", key, profile, valid_from=datetime(2024, 1, 5), by="ann")
        _run(session, "2023", date(2023, 1, 1), date(2023, 12, 31), JANUARY, CLASSES_2023)
        half = (date(2024, 1, 1), date(2024, 6, 30), datetime(2024, 7, 1, 8))
        _run(session, "2024-01..2024-06", *half, CLASSES_2024)
    for person in (HEAD, ANN, BOB, VIEWER):
        users.add_user(opened, person, None, NOW)
    users.grant(opened, "vera", "FALL")
    add_sales_rows(
        opened,
        _months("FALL", 2023, range(1, 13), 100_000)
        + _months("FALL", 2024, range(1, 7), 40_000)
        + _months("STEADY", 2023, range(1, 13), 200_000)
        + _months("STEADY", 2024, range(1, 7), 200_000),
    )
    for key in ("DOWN", "FALL", "STEADY"):
        activities.log_activity(opened, HEAD, _visit(key, date(2024, 6, 20)), NOW)
    activities.log_activity(opened, HEAD, _visit("SILENT", date(2024, 3, 1), "SIL-1"), NOW)
    activities.log_activity(opened, HEAD, _visit("SILENT", date(2024, 6, 20), "SIL-2"), NOW)
    activities.log_activity(opened, HEAD, _visit("LATE", date(2024, 4, 1)), NOW)
    yield opened
    opened.close()


def _open(book: Book) -> dict[tuple[str, str], Alert]:
    live = (AlertState.OPEN, AlertState.ACKNOWLEDGED)
    return {(a.client_key, a.rule): a for a in alerts.alerts_for(book, HEAD, live)}


def test_the_rules_open_the_alerts_the_book_calls_for(book: Book) -> None:
    run = alerts.run_alerts(book, TODAY, NOW)
    found = _open(book)

    assert {key: (a.signal.severity, a.owner, a.due) for key, a in found.items()} == {
        ("FALL", "revenue_falling"): ("high", "ann", date(2024, 7, 22)),
        ("STEADY", "concentration"): ("low", "hedda", date(2024, 8, 14)),
        ("DOWN", "downgraded"): ("high", "hedda", date(2024, 7, 22)),
        ("SILENT", "decision_maker_silent"): ("high", "ann", date(2024, 7, 22)),
        ("LATE", "out_of_cadence"): ("medium", "bob", date(2024, 7, 29)),
    }
    assert found["FALL", "revenue_falling"].evidence() == (
        "value of the last 3 months €1,200.00, -60% on the same months a year before "
        "(€3,000.00); last 6 months -60%"
    )
    assert found["STEADY", "concentration"].evidence() == (
        "74% of the book's value comes from this client"
    )
    assert found["DOWN", "downgraded"].evidence() == "class A in the run before, B now"
    assert found["SILENT", "decision_maker_silent"].evidence() == (
        "no contact with the decision maker (Maria Anders) for 136 days"
    )
    assert found["LATE", "out_of_cadence"].evidence() == "Visit due since 2024-05-31, 45 days ago"
    assert all(a.state is AlertState.OPEN and a.updated_by == "kam" for a in found.values())
    assert run == AlertsRun(opened=5, updated=0, resolved=0, unchanged=0)


def test_a_second_run_changes_nothing(book: Book) -> None:
    alerts.run_alerts(book, TODAY, NOW)
    before = alerts.alerts_for(book, HEAD)

    again = alerts.run_alerts(book, TODAY, datetime(2024, 7, 15, 10, 0))

    assert again == AlertsRun(opened=0, updated=0, resolved=0, unchanged=5)
    assert alerts.alerts_for(book, HEAD) == before


def test_a_rule_firing_again_keeps_one_open_alert_with_its_evidence_brought_up_to_date(
    book: Book,
) -> None:
    alerts.run_alerts(book, TODAY, NOW)
    silent = _open(book)["SILENT", "decision_maker_silent"]

    run = alerts.run_alerts(book, date(2024, 7, 25), datetime(2024, 7, 25, 9))
    now = _open(book)["SILENT", "decision_maker_silent"]

    assert (run.opened, run.resolved) == (0, 0)
    assert now.id == silent.id and now.due == silent.due
    assert now.evidence() == "no contact with the decision maker (Maria Anders) for 146 days"
    assert now.updated_at == datetime(2024, 7, 25, 9)


def test_a_dismissed_alert_stays_quiet_until_its_evidence_worsens_by_the_step(
    book: Book,
) -> None:
    alerts.run_alerts(book, TODAY, NOW)
    fall = _open(book)["FALL", "revenue_falling"]
    alerts.dismiss(book, ANN, fall.id, "the client moved its orders to its sister company")

    quiet = alerts.run_alerts(book, TODAY, NOW)
    # a month later, July's sales are in, and FALL bought nothing: 80,000 in 3 months
    # against 300,000, 73% down, more than 20% worse than the 60% it was dismissed at
    add_sales_rows(book, _months("STEADY", 2024, range(7, 8), 200_000))
    worse = alerts.run_alerts(book, date(2024, 8, 15), datetime(2024, 8, 15, 9))
    kept = [a for a in alerts.alerts_for(book, HEAD) if a.rule == "revenue_falling"]

    assert quiet.opened == 0
    assert worse.opened == 1
    assert [(a.id == fall.id, a.state, a.reason) for a in kept] == [
        (True, AlertState.DISMISSED, "the client moved its orders to its sister company"),
        (False, AlertState.OPEN, None),
    ]
    assert kept[1].evidence().startswith("value of the last 3 months €800.00, -73% on")


def test_a_resolved_alert_whose_rule_fires_again_opens_a_new_one(book: Book) -> None:
    alerts.run_alerts(book, TODAY, NOW)
    down = _open(book)["DOWN", "downgraded"]
    alerts.resolve(book, HEAD, down.id)

    run = alerts.run_alerts(book, TODAY, NOW)
    kept = [a for a in alerts.alerts_for(book, HEAD) if a.client_key == "DOWN"]

    assert run.opened == 1
    assert [(a.id == down.id, a.state, a.updated_by) for a in kept] == [
        (True, AlertState.RESOLVED, "hedda"),
        (False, AlertState.OPEN, "kam"),
    ]


def test_an_alert_whose_rule_no_longer_fires_is_resolved(book: Book) -> None:
    alerts.run_alerts(book, TODAY, NOW)
    late = _open(book)["LATE", "out_of_cadence"]
    activities.log_activity(book, BOB, _visit("LATE", date(2024, 7, 12)), NOW)

    run = alerts.run_alerts(book, TODAY, NOW)
    kept = [a for a in alerts.alerts_for(book, HEAD) if a.id == late.id]

    assert (run.resolved, run.unchanged) == (1, 4)
    assert [(a.state, a.updated_by) for a in kept] == [(AlertState.RESOLVED, "kam")]


def test_each_user_sees_the_alerts_of_the_clients_in_their_sight(book: Book) -> None:
    alerts.run_alerts(book, TODAY, NOW)

    def seen(user: object) -> list[tuple[str, str]]:
        return sorted((a.client_key, a.rule) for a in alerts.alerts_for(book, user))  # type: ignore[arg-type]

    assert seen(ANN) == [
        ("FALL", "revenue_falling"),
        ("SILENT", "decision_maker_silent"),
        ("STEADY", "concentration"),
    ]
    assert seen(BOB) == [("DOWN", "downgraded"), ("LATE", "out_of_cadence")]
    assert seen(VIEWER) == [("FALL", "revenue_falling")]
    assert len(seen(HEAD)) == 5


def test_the_owner_or_the_head_answers_an_alert(book: Book) -> None:
    alerts.run_alerts(book, TODAY, NOW)
    found = _open(book)
    down, late = found["DOWN", "downgraded"], found["LATE", "out_of_cadence"]
    fall = found["FALL", "revenue_falling"]

    acknowledged = alerts.acknowledge(book, BOB, late.id)

    assert (acknowledged.state, acknowledged.updated_by) == (AlertState.ACKNOWLEDGED, "bob")
    with pytest.raises(AccessDeniedError):
        alerts.acknowledge(book, BOB, down.id)  # bob's client, but the head's alert
    with pytest.raises(LookupError):
        alerts.resolve(book, ANN, late.id)  # not a client ann may see
    with pytest.raises(AccessDeniedError):
        alerts.resolve(book, VIEWER, fall.id)
    with pytest.raises(ValueError, match="say why"):
        alerts.dismiss(book, ANN, fall.id, "  ")
    with pytest.raises(ValueError, match="acknowledged already"):
        alerts.acknowledge(book, BOB, late.id)
    assert alerts.resolve(book, HEAD, late.id).state is AlertState.RESOLVED
    with pytest.raises(ValueError, match="resolved already"):
        alerts.dismiss(book, BOB, late.id, "no longer")


def test_the_head_makes_an_alert_an_intervention_point_on_the_client_s_plan(book: Book) -> None:
    alerts.run_alerts(book, TODAY, NOW)
    down = _open(book)["DOWN", "downgraded"]
    with pytest.raises(ValueError, match="DOWN has no plan for 2024: open it first"):
        alerts.make_intervention(book, HEAD, down.id, NOW)
    plan = plans.open_plan(book, BOB, "DOWN", now=NOW)

    with pytest.raises(AccessDeniedError):
        alerts.make_intervention(book, BOB, down.id, NOW)
    point = alerts.make_intervention(book, HEAD, down.id, NOW)
    view = interventions_of_plan(book, BOB, plan.id, TODAY)
    (after,) = [a for a in alerts.alerts_for(book, HEAD) if a.id == down.id]

    assert (point.source, point.rule_code, point.trigger, point.due, point.raised_by) == (
        Source.RULE,
        "downgraded",
        Trigger.FALLING_REVENUE,
        date(2024, 7, 22),
        "hedda",
    )
    assert point.situation == "class A in the run before, B now"
    assert point.action == "review the account plan with the account manager"
    assert [(p.point.id, p.point.source, p.point.rule_code) for p in view.points] == [
        (point.id, Source.RULE, "downgraded")
    ]
    assert (after.state, after.intervention_id) == (AlertState.ACKNOWLEDGED, point.id)
    with pytest.raises(ValueError, match="an intervention point already"):
        alerts.make_intervention(book, HEAD, down.id, NOW)


def test_a_client_heading_below_its_class_this_year_is_warned(
    tmp_path: Path, database_url: str
) -> None:
    """BIG took class A in 2023 with 1,200,000 (the least an A took); by the end of June
    2024 it bought 240,000: 182 of 366 days, 482,637 at that pace by the year's end."""
    book = make_book(tmp_path / "big", database_url, alert_concentration_share="0.99")
    with transaction(book.database) as session:
        records.upsert(session, [Client("BIG", "Big", owner="ann"), Client("SMALL", "Small")], NOW)
        classes, values = {"BIG": "A", "SMALL": "C"}, {"BIG": 1_200_000, "SMALL": 240_000}
        _run(session, "2023", date(2023, 1, 1), date(2023, 12, 31), JANUARY, classes, values)
    add_sales_rows(
        book,
        _months("BIG", 2023, range(1, 13), 100_000)
        + _months("BIG", 2024, range(1, 7), 40_000)
        + _months("SMALL", 2023, range(1, 13), 20_000)
        + _months("SMALL", 2024, range(1, 7), 20_000),
    )

    alerts.run_alerts(book, TODAY, NOW)
    found = {(a.client_key, a.rule): a for a in alerts.alerts_for(book, HEAD)}
    book.close()

    below = found["BIG", "heading_below"]
    assert below.evidence() == (
        "at this pace €4,826.37 by the end of the period, below the €12,000.00 class A takes"
    )
    assert (below.signal.measure, below.owner) == (0.5978, "ann")
    assert ("SMALL", "heading_below") not in found


def test_two_runs_at_once_take_turns_and_open_each_alert_once(book: Book) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            alerts.run_alerts(book, TODAY, NOW)
        except BaseException as error:
            errors.append(error)

    runs = [threading.Thread(target=run) for _ in range(3)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()

    assert errors == []
    assert len(alerts.alerts_for(book, HEAD)) == 5


def test_the_board_puts_the_user_s_own_first_and_the_most_serious_first_in_each_group(
    book: Book,
) -> None:
    alerts.run_alerts(book, TODAY, NOW)

    board = alerts.alerts_board(book, HEAD, TODAY, shown=1)

    assert [(g.owner, g.total, [a.client_key for a in g.alerts]) for g in board.groups] == [
        ("hedda", 2, ["DOWN"]),  # the downgrade is high, the concentration low
        ("ann", 2, ["FALL"]),  # both high: the one due first, then by client
        ("bob", 1, ["LATE"]),
    ]
    assert board.total == 5
    assert board.groups[0].alerts[0].severity_label == "high"
    assert (board.groups[0].alerts[0].can_answer, board.groups[0].alerts[0].can_intervene) == (
        True,
        True,
    )
