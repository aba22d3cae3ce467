"""A plan's decision criteria, competitors, scores and decision process in the database.

Competitors, criteria and steps are declared kinds of plan item
(:mod:`kam.domain.decision`), kept through their :class:`~kam.store.plans.items.ItemTable`:
a criterion's scores are rows of their own, a step's people a JSON list of keys.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from kam.domain.decision import (
    DECISION_COMPETITOR,
    DECISION_CRITERION,
    DECISION_STEP,
)
from kam.store.plans.items import ItemRows, ItemTable
from kam.store.plans.rows import PLAN_ID, ChangeColumns, PlanItemColumns
from kam.store.schema import Base


class _Keys(TypeDecorator[tuple[str, ...]]):
    """A tuple of keys, kept as a JSON list."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else list(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[str, ...]:
        return tuple(value or ())


class DecisionCompetitorRow(PlanItemColumns, Base):
    """A competitor named in a plan's decision analysis."""

    __tablename__ = "decision_competitors"
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))


class DecisionCriterionRow(PlanItemColumns, Base):
    """A decision criterion of the client, with its weight and our score."""

    __tablename__ = "decision_criteria"
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    weight: Mapped[int] = mapped_column(Integer)
    our_score: Mapped[int | None] = mapped_column(Integer)
    influence: Mapped[str] = mapped_column(Text, default="")


class DecisionScoreRow(Base):
    """A competitor's score on a criterion."""

    __tablename__ = "decision_scores"
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("decision_criteria.id", ondelete="CASCADE"), primary_key=True
    )
    competitor_id: Mapped[int] = mapped_column(
        ForeignKey("decision_competitors.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[int] = mapped_column(Integer)


class DecisionStepRow(PlanItemColumns, Base):
    """A step of the client's decision process; ``people`` is a JSON list of person keys."""

    __tablename__ = "decision_steps"
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    people: Mapped[tuple[str, ...]] = mapped_column(_Keys)
    others: Mapped[str] = mapped_column(Text, default="")
    standing: Mapped[str] = mapped_column(String(20))
    due: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class DecisionNotesRow(ChangeColumns, Base):
    """A plan's notes on how we can influence the client's criteria or process."""

    __tablename__ = "decision_notes"
    plan_id: Mapped[int] = mapped_column(ForeignKey(PLAN_ID, ondelete="CASCADE"), primary_key=True)
    notes: Mapped[str] = mapped_column(Text, default="")


COMPETITORS = ItemTable(
    DECISION_COMPETITOR,
    DecisionCompetitorRow,
    order=("position", "id"),
    placed="position",
)
CRITERIA = ItemTable(
    DECISION_CRITERION,
    DecisionCriterionRow,
    order=("position", "id"),
    placed="position",
    parts={
        "scores": ItemRows(
            DecisionScoreRow,
            "criterion_id",
            lambda pair: {"competitor_id": pair[0], "score": pair[1]},
            lambda row: (row.competitor_id, row.score),
            order="competitor_id",
            collect=dict,
        )
    },
)
STEPS = ItemTable(DECISION_STEP, DecisionStepRow, order=("position", "id"), placed="position")


def notes_of(session: Session, plan_id: int) -> str:
    """The plan's notes on influencing the criteria and the process ("" when none)."""
    row = session.get(DecisionNotesRow, plan_id)
    return "" if row is None else row.notes


def set_notes(session: Session, plan_id: int, notes: str, now: datetime, by: str) -> None:
    """Save the plan's notes on influencing the criteria and the process."""
    row = session.get(DecisionNotesRow, plan_id) or DecisionNotesRow(plan_id=plan_id)
    row.notes, row.updated_at, row.updated_by = notes, now, by
    session.add(row)
    session.flush()
