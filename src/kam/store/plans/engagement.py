"""A plan's engagement stages and meetings in the database.

Both are declared kinds of item (:data:`~kam.domain.engagement.ENGAGEMENT_STAGE`,
:data:`~kam.domain.engagement.MEETING`), kept through :data:`STAGES` and :data:`MEETINGS`.
A meeting's pairs of participants are a JSON list of ``[ours, their_key, their_name]``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Dialect, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from kam.domain.engagement import ENGAGEMENT_STAGE, MEETING, Meeting, Pairing, Stage
from kam.store.plans.items import ItemTable
from kam.store.schema import Base

_PLAN_FK = "account_plans.id"


class _Pairs(TypeDecorator[tuple[Pairing, ...]]):
    """A meeting's pairs, kept as a JSON list of ``[ours, their_key, their_name]``."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: tuple[Pairing, ...] | None, dialect: Dialect) -> Any:
        return [[p.ours, p.their_key, p.their_name] for p in value or ()]

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[Pairing, ...]:
        return tuple(Pairing(ours or "", key or None, name or "") for ours, key, name in value)


class EngagementStageRow(Base):
    """A stage of a plan's engagement."""

    __tablename__ = "engagement_stages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    objective: Mapped[str] = mapped_column(Text, default="")
    exit_criteria: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    start: Mapped[date | None] = mapped_column("start_date", Date)
    end: Mapped[date | None] = mapped_column("end_date", Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class EngagementMeetingRow(Base):
    """A meeting with the client, planned and then recorded."""

    __tablename__ = "engagement_meetings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN_FK, ondelete="CASCADE"), index=True)
    stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagement_stages.id", ondelete="SET NULL")
    )
    level: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
    objective: Mapped[str] = mapped_column(Text)
    agenda: Mapped[str] = mapped_column(Text, default="")
    pairs: Mapped[tuple[Pairing, ...]] = mapped_column(_Pairs)
    minutes: Mapped[str] = mapped_column(Text, default="")
    achievement: Mapped[str | None] = mapped_column(String(20))
    next_step: Mapped[str] = mapped_column(Text, default="")
    next_step_due: Mapped[date | None] = mapped_column(Date)
    next_step_done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


#: The stages of a plan, in order.
STAGES = ItemTable(
    ENGAGEMENT_STAGE, EngagementStageRow, order=("position", "id"), placed="position"
)
#: The meetings of a plan, by day.
MEETINGS = ItemTable(
    MEETING, EngagementMeetingRow, {"stage_id": EngagementStageRow}, order=("day", "id")
)


def stages_of(session: Session, plan_id: int) -> list[Stage]:
    """A plan's stages in order."""
    return STAGES.items_of(session, plan_id)


def meetings_of(session: Session, plan_id: int) -> list[Meeting]:
    """A plan's meetings by day."""
    return MEETINGS.items_of(session, plan_id)
