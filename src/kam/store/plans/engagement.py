"""A plan's engagement stages in the database.

A stage is a declared kind of item (:data:`~kam.domain.engagement.ENGAGEMENT_STAGE`),
kept through :data:`STAGES`. The plan's meetings are its activities
(:data:`kam.store.activities.MEETINGS`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.engagement import ENGAGEMENT_STAGE, Stage
from kam.store.plans.items import ItemTable
from kam.store.schema import Base

_PLAN_FK = "account_plans.id"


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


#: The stages of a plan, in order.
STAGES = ItemTable(
    ENGAGEMENT_STAGE, EngagementStageRow, order=("position", "id"), placed="position"
)


def stages_of(session: Session, plan_id: int) -> list[Stage]:
    """A plan's stages in order."""
    return STAGES.items_of(session, plan_id)
