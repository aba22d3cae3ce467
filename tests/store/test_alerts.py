"""Alerts in the database, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import Engine

from kam.domain.alerts import Alert, AlertState
from kam.domain.client import Client
from kam.domain.early_warning import Acts, Severity, Signal
from kam.domain.interventions import Trigger
from kam.store import alerts, records
from kam.store.database import transaction

NOW = datetime(2024, 5, 1, 12, 0)


def make_alert(client_key: str = "C1", rule: str = "revenue_falling", **values: object) -> Alert:
    signal = Signal(
        rule,
        client_key,
        Severity.HIGH,
        "value of the last 3 months {now}, {drop3} below",
        {"now": 1500, "drop3": "50%"},
        "visit the client and ask what changed",
        Acts.OWNER,
        0.5,
        Trigger.FALLING_REVENUE,
    )
    return replace(Alert(0, signal, "ann", date(2024, 5, 8)), **values)  # type: ignore[arg-type]


def _clients(database: Engine) -> None:
    with transaction(database) as session:
        records.upsert(session, [Client("C1", "One", owner="ann"), Client("C2", "Two")], NOW)


def test_an_alert_is_kept_with_its_evidence_and_read_back_whole(database: Engine) -> None:
    _clients(database)
    with transaction(database) as session:
        alerts.add_alerts(session, [make_alert()], NOW, "kam")
    with transaction(database) as session:
        (kept,) = alerts.list_alerts(session)

    assert kept.id > 0
    assert kept.signal == make_alert().signal
    assert (kept.owner, kept.due, kept.state) == ("ann", date(2024, 5, 8), AlertState.OPEN)
    assert (kept.created_at, kept.updated_by, kept.intervention_id) == (NOW, "kam", None)
    assert kept.evidence() == "value of the last 3 months €15.00, 50% below"


def test_the_latest_alert_of_each_client_and_rule_is_the_one_made_last(database: Engine) -> None:
    _clients(database)
    with transaction(database) as session:
        alerts.add_alerts(session, [make_alert(), make_alert("C2")], NOW, "kam")
        first = alerts.list_alerts(session)[0]
        alerts.set_states(session, [first.id], AlertState.RESOLVED, NOW, "ann")
        alerts.add_alerts(session, [make_alert(due=date(2024, 6, 1))], NOW, "kam")
    with transaction(database) as session:
        latest = sorted(alerts.latest_alerts(session), key=lambda a: a.id)

    assert [(a.client_key, a.state, a.due) for a in latest] == [
        ("C2", AlertState.OPEN, date(2024, 5, 8)),
        ("C1", AlertState.OPEN, date(2024, 6, 1)),
    ]


def test_an_alert_takes_new_evidence_a_state_with_its_reason_and_its_intervention(
    database: Engine,
) -> None:
    _clients(database)
    later = datetime(2024, 5, 2, 8, 0)
    with transaction(database) as session:
        alerts.add_alerts(session, [make_alert()], NOW, "kam")
        (kept,) = alerts.list_alerts(session)
        worse = replace(kept.signal, values={"now": 900, "drop3": "70%"}, measure=0.7)
        alerts.update_alerts(session, [replace(kept, signal=worse, owner="bob")], later, "kam")
    with transaction(database) as session:
        updated = alerts.get_alert(session, kept.id)
        alerts.set_states(session, [kept.id], AlertState.DISMISSED, later, "hedda", "known")
    with transaction(database) as session:
        dismissed = alerts.list_alerts(session, [AlertState.DISMISSED], "C1")
        nothing_open = alerts.list_alerts(session, [AlertState.OPEN])
        missing = alerts.get_alert(session, kept.id + 100)

    assert updated is not None
    assert (updated.signal.values, updated.signal.measure) == ({"now": 900, "drop3": "70%"}, 0.7)
    assert (updated.owner, updated.updated_at, updated.created_at) == ("bob", later, NOW)
    assert [(a.state, a.reason, a.updated_by) for a in dismissed] == [
        (AlertState.DISMISSED, "known", "hedda")
    ]
    assert nothing_open == [] and missing is None
