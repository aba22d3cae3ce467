"""A plan's intervention points and the interventions made on them, in the database."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.interventions import (
    Actor,
    Effect,
    InterventionPoint,
    InterventionRecord,
    PointStatus,
    Source,
    Trigger,
)
from kam.domain.versions import check_version
from kam.store.schema import Base


class InterventionPointRow(Base):
    """An intervention point of a plan; ``source``/``rule_code`` say who or what raised it."""

    __tablename__ = "intervention_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("account_plans.id", ondelete="CASCADE"), index=True
    )
    trigger: Mapped[str] = mapped_column(String(30))
    situation: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(30))
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    rule_code: Mapped[str | None] = mapped_column(String(100), index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime)
    raised_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class InterventionRecordRow(Base):
    """An intervention made on a point, and its effect."""

    __tablename__ = "intervention_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    point_id: Mapped[int] = mapped_column(
        ForeignKey("intervention_points.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    done: Mapped[str] = mapped_column(Text)
    effect: Mapped[str | None] = mapped_column(String(20))
    effect_note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    recorded_by: Mapped[str] = mapped_column(String(100))


def _record(row: InterventionRecordRow) -> InterventionRecord:
    return InterventionRecord(
        id=row.id,
        day=row.day,
        done=row.done,
        effect=None if row.effect is None else Effect(row.effect),
        effect_note=row.effect_note,
        recorded_by=row.recorded_by,
    )


def _point(row: InterventionPointRow, records: list[InterventionRecord]) -> InterventionPoint:
    return InterventionPoint(
        id=row.id,
        trigger=Trigger(row.trigger),
        situation=row.situation,
        action=row.action,
        actor=Actor(row.actor),
        actor_name=row.actor_name,
        due=row.due,
        status=PointStatus(row.status),
        source=Source(row.source),
        rule_code=row.rule_code,
        raised_at=row.raised_at,
        raised_by=row.raised_by,
        records=tuple(records),
        version=row.version,
    )


def points_of(session: Session, plan_id: int) -> list[InterventionPoint]:
    """A plan's intervention points with their interventions (by day), in the order raised."""
    rows = list(
        session.scalars(
            select(InterventionPointRow)
            .where(InterventionPointRow.plan_id == plan_id)
            .order_by(InterventionPointRow.raised_at, InterventionPointRow.id)
        )
    )
    records: dict[int, list[InterventionRecord]] = {row.id: [] for row in rows}
    if rows:
        query = (
            select(InterventionRecordRow)
            .where(InterventionRecordRow.point_id.in_(list(records)))
            .order_by(InterventionRecordRow.day, InterventionRecordRow.id)
        )
        for record in session.scalars(query):
            records[record.point_id].append(_record(record))
    return [_point(row, records[row.id]) for row in rows]


def _own(session: Session, plan_id: int, point_id: int) -> InterventionPointRow:
    row = session.get(InterventionPointRow, point_id)
    if row is None or row.plan_id != plan_id:
        raise LookupError(point_id)
    return row


def get_point(session: Session, plan_id: int, point_id: int) -> InterventionPoint:
    """A point of a plan with its interventions (:class:`LookupError` when not the plan's)."""
    row = _own(session, plan_id, point_id)
    query = (
        select(InterventionRecordRow)
        .where(InterventionRecordRow.point_id == point_id)
        .order_by(InterventionRecordRow.day, InterventionRecordRow.id)
    )
    return _point(row, [_record(r) for r in session.scalars(query)])


def add_point(
    session: Session, plan_id: int, point: InterventionPoint, now: datetime, by: str
) -> InterventionPoint:
    """Add a point to a plan (its ``id`` and records are ignored)."""
    row = InterventionPointRow(
        plan_id=plan_id,
        trigger=point.trigger.value,
        situation=point.situation,
        action=point.action,
        actor=point.actor.value,
        actor_name=point.actor_name,
        due=point.due,
        status=point.status.value,
        source=point.source.value,
        rule_code=point.rule_code,
        raised_at=point.raised_at,
        raised_by=point.raised_by,
        updated_at=now,
        updated_by=by,
    )
    session.add(row)
    session.flush()
    return _point(row, [])


def update_point(
    session: Session,
    plan_id: int,
    point: InterventionPoint,
    now: datetime,
    by: str,
    expected: int | None = None,
) -> InterventionPoint:
    """Change what a point says (trigger, situation, action, who acts, due date, status),
    as seen at its version ``expected`` (``None``: whichever it is now).

    Its source, rule and when and by whom it was raised stay as they were. A change made
    on an older version raises :class:`~kam.domain.versions.StaleVersionError`.
    """
    row = _own(session, plan_id, point.id)
    check_version(row.version, expected, row.updated_by)
    row.trigger, row.situation, row.action = point.trigger.value, point.situation, point.action
    row.actor, row.actor_name, row.due = point.actor.value, point.actor_name, point.due
    row.status, row.updated_at, row.updated_by = point.status.value, now, by
    row.version += 1
    session.flush()
    return get_point(session, plan_id, point.id)


def add_record(
    session: Session,
    plan_id: int,
    point_id: int,
    record: InterventionRecord,
    now: datetime,
    by: str,
) -> InterventionPoint:
    """Record an intervention made on a point of a plan."""
    point = _own(session, plan_id, point_id)
    session.add(
        InterventionRecordRow(
            point_id=point_id,
            day=record.day,
            done=record.done,
            effect=None if record.effect is None else record.effect.value,
            effect_note=record.effect_note,
            recorded_at=now,
            recorded_by=by,
        )
    )
    point.updated_at, point.updated_by = now, by
    point.version += 1
    session.flush()
    return get_point(session, plan_id, point_id)
