"""A plan's intervention points and the interventions made on them, in the database.

A point is kept as its kind's table (:data:`POINTS`) maps it; the interventions made
are rows of their own, read with their point and added by :func:`add_record`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.interventions import (
    INTERVENTION_POINT,
    Effect,
    InterventionPoint,
    InterventionRecord,
    Source,
)
from kam.store.plans.items import ItemRows, ItemTable, find_row
from kam.store.plans.rows import PlanItemColumns
from kam.store.rows import from_row
from kam.store.schema import Base


class InterventionPointRow(PlanItemColumns, Base):
    """An intervention point of a plan; ``source``/``rule_code`` say who or what raised it."""

    __tablename__ = "intervention_points"
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
    effect = None if row.effect is None else Effect(row.effect)
    return from_row(InterventionRecord, row, effect=effect)


def _record_row(record: InterventionRecord) -> dict[str, object]:
    return {
        "day": record.day,
        "done": record.done,
        "effect": None if record.effect is None else record.effect.value,
        "effect_note": record.effect_note,
        "recorded_by": record.recorded_by,
    }


#: A point's interventions made, by day.
RECORDS = ItemRows(
    InterventionRecordRow,
    "point_id",
    _record_row,
    _record,
    collect=lambda records: tuple(sorted(records, key=lambda r: (r.day, r.id))),
    written=False,
)

#: A plan's intervention points, in the order raised; one added is marked by hand.
POINTS = ItemTable(
    INTERVENTION_POINT,
    InterventionPointRow,
    order=("raised_at", "id"),
    parts={"records": RECORDS},
    created=lambda now, by: {
        "source": Source.MANUAL.value,
        "rule_code": None,
        "raised_at": now,
        "raised_by": by,
    },
)


def points_of(session: Session, plan_id: int) -> list[InterventionPoint]:
    """A plan's intervention points with their interventions (by day), in the order raised."""
    return POINTS.items_of(session, plan_id)


def get_point(session: Session, plan_id: int, point_id: int) -> InterventionPoint:
    """A point of a plan with its interventions (:class:`LookupError` when not the plan's)."""
    return POINTS.item(session, plan_id, point_id)


def add_record(
    session: Session,
    plan_id: int,
    point_id: int,
    record: InterventionRecord,
    now: datetime,
    by: str,
) -> InterventionPoint:
    """Record an intervention made on a point of a plan (one version more of the point)."""
    point = find_row(session, InterventionPointRow, plan_id, point_id)
    session.add(InterventionRecordRow(point_id=point_id, **_record_row(record), recorded_at=now))
    point.updated_at, point.updated_by = now, by
    point.version += 1
    session.flush()
    return get_point(session, plan_id, point_id)
