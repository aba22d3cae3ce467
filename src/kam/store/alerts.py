"""The alerts in the database: one row per early warning about a client.

A row keeps the signal's untranslated sentence and its numbers (``evidence``), so
that each reader gets it in their own language. The latest row of each client and
rule is the one a new run of the rules is set against (:func:`latest_alerts`); the
writes take many alerts at once (:func:`add_alerts`, :func:`update_alerts`,
:func:`set_states`), so a run is a few statements whatever the size of the book.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Select,
    String,
    Text,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.alerts import Alert, AlertState
from kam.domain.early_warning import Acts, Severity, Signal
from kam.domain.interventions import Source, Trigger
from kam.store.plans.interventions import InterventionPointRow
from kam.store.plans.rows import ChangeColumns
from kam.store.schema import Base, ClientKey


class AlertRow(ChangeColumns, Base):
    """An alert about a client."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[ClientKey]
    rule: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    measure: Mapped[float] = mapped_column(Float)
    action: Mapped[str] = mapped_column(String(300))
    acts: Mapped[str] = mapped_column(String(8))
    trigger: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str | None] = mapped_column(String(100), index=True)
    due: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    intervention_id: Mapped[int | None] = mapped_column(
        ForeignKey(InterventionPointRow.id, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))


#: How many alerts one statement names at most.
_SLICE = 10_000
#: The key of the advisory lock of a run of the rules on PostgreSQL.
_LOCK_KEY = 0x6B616D16


def _alert(row: Any) -> Alert:
    signal = Signal(
        row.rule,
        row.client_key,
        Severity(row.severity),
        row.message,
        dict(row.evidence),
        row.action,
        Acts(row.acts),
        row.measure,
        Trigger(row.trigger),
    )
    return Alert(
        row.id,
        signal,
        row.owner,
        row.due,
        AlertState(row.state),
        row.reason,
        row.intervention_id,
        row.created_at,
        row.updated_at,
        row.updated_by,
    )


def _signal_values(alert: Alert) -> dict[str, Any]:
    signal = alert.signal
    return {
        "client_key": signal.client_key,
        "rule": signal.rule,
        "severity": str(signal.severity),
        "message": signal.message,
        "evidence": dict(signal.values),
        "measure": float(signal.measure),
        "action": signal.action,
        "acts": str(signal.acts),
        "trigger": str(signal.trigger),
        "owner": alert.owner,
    }


def lock_alerts(session: Session) -> None:
    """Take the alerts for this transaction: two runs of the rules at once (a timer and
    an import) take turns, each reading what the one before wrote. A transaction-scoped
    advisory lock on PostgreSQL; on SQLite, a write that changes nothing takes the
    database's write lock before the reads."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    else:
        session.execute(update(AlertRow).where(AlertRow.id == -1).values(state=AlertRow.state))


def latest_alerts(session: Session) -> list[Alert]:
    """The alert made last of each client and rule (one query)."""
    last = (
        select(func.max(AlertRow.id).label("id"))
        .group_by(AlertRow.client_key, AlertRow.rule)
        .subquery()
    )
    # plain rows, not entities: a run reads an alert per client and rule (10^5 and more)
    columns = AlertRow.__table__.columns
    rows = session.execute(select(*columns).join(last, AlertRow.id == last.c.id))
    return [_alert(row) for row in rows]


def add_alerts(session: Session, alerts: Sequence[Alert], at: datetime, by: str) -> None:
    """Add new alerts, open, as made ``at`` by ``by``."""
    if not alerts:
        return
    session.execute(
        insert(AlertRow),
        [
            {
                **_signal_values(alert),
                "due": alert.due,
                "state": str(alert.state),
                "reason": alert.reason,
                "created_at": at,
                "created_by": by,
                "updated_at": at,
                "updated_by": by,
            }
            for alert in alerts
        ],
    )


def update_alerts(session: Session, alerts: Sequence[Alert], at: datetime, by: str) -> None:
    """Bring the signal (evidence, severity, measure) and owner of kept alerts up to date."""
    if not alerts:
        return
    session.execute(
        update(AlertRow),
        [
            {"id": alert.id, **_signal_values(alert), "updated_at": at, "updated_by": by}
            for alert in alerts
        ],
    )


def set_states(
    session: Session,
    ids: Collection[int],
    state: AlertState,
    at: datetime,
    by: str,
    reason: str | None = None,
) -> None:
    """Move alerts to ``state`` (with the reason of a dismissal)."""
    ordered = sorted(ids)
    # in slices: a database takes a bounded number of values in one statement
    for first in range(0, len(ordered), _SLICE):
        session.execute(
            update(AlertRow)
            .where(AlertRow.id.in_(ordered[first : first + _SLICE]))
            .values(state=str(state), reason=reason, updated_at=at, updated_by=by)
        )


def set_intervention(
    session: Session, alert_id: int, intervention_id: int, at: datetime, by: str
) -> None:
    """Note the intervention point an alert became."""
    session.execute(
        update(AlertRow)
        .where(AlertRow.id == alert_id)
        .values(intervention_id=intervention_id, updated_at=at, updated_by=by)
    )


def mark_raised_by_rule(session: Session, point_id: int, rule_code: str) -> None:
    """Say an intervention point was raised by a rule (``rule_code``) rather than by hand."""
    session.execute(
        update(InterventionPointRow)
        .where(InterventionPointRow.id == point_id)
        .values(source=str(Source.RULE), rule_code=rule_code)
    )


def get_alert(session: Session, alert_id: int) -> Alert | None:
    """One alert by id, or ``None``."""
    row = session.get(AlertRow, alert_id)
    return None if row is None else _alert(row)


def list_alerts(
    session: Session, states: Collection[AlertState] = (), client_key: str | None = None
) -> list[Alert]:
    """The alerts in some states (none given: all), of one client or all, oldest first."""
    query: Select[tuple[AlertRow]] = select(AlertRow)
    if states:
        query = query.where(AlertRow.state.in_(sorted(str(s) for s in states)))
    if client_key is not None:
        query = query.where(AlertRow.client_key == client_key)
    return [_alert(row) for row in session.scalars(query.order_by(AlertRow.id))]
