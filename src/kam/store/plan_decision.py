"""A plan's decision criteria, competitors, scores and decision process in the database.

Each list (competitors, criteria, steps) is saved whole: the rows given keep
their ids (an id of 0 is a new row), the rows left out are deleted, and the
order given is the order kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.decision import Competitor, Criterion, DecisionStep, StepStanding
from kam.store.schema import Base

_PLAN_FK = "account_plans.id"


class DecisionCompetitorRow(Base):
    """A competitor named in a plan's decision analysis."""

    __tablename__ = "decision_competitors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class DecisionCriterionRow(Base):
    """A decision criterion of the client, with its weight and our score."""

    __tablename__ = "decision_criteria"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    weight: Mapped[int] = mapped_column(Integer)
    our_score: Mapped[int | None] = mapped_column(Integer)
    influence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


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


class DecisionStepRow(Base):
    """A step of the client's decision process; ``people`` is a JSON list of person keys."""

    __tablename__ = "decision_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN_FK, ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    people: Mapped[list[str]] = mapped_column(JSON)
    others: Mapped[str] = mapped_column(Text, default="")
    standing: Mapped[str] = mapped_column(String(20))
    due: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class DecisionNotesRow(Base):
    """A plan's notes on how we can influence the client's criteria or process."""

    __tablename__ = "decision_notes"
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN_FK, ondelete="CASCADE"), primary_key=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


@dataclass(frozen=True)
class StoredDecision:
    """Everything of a plan's decision element as stored."""

    competitors: list[Competitor]
    criteria: list[Criterion]
    steps: list[DecisionStep]
    notes: str


def load(session: Session, plan_id: int) -> StoredDecision:
    """A plan's competitors, criteria (with every score), steps and notes, in order."""
    competitors = [
        Competitor(row.id, row.name)
        for row in session.scalars(
            select(DecisionCompetitorRow)
            .where(DecisionCompetitorRow.plan_id == plan_id)
            .order_by(DecisionCompetitorRow.position, DecisionCompetitorRow.id)
        )
    ]
    rows = list(
        session.scalars(
            select(DecisionCriterionRow)
            .where(DecisionCriterionRow.plan_id == plan_id)
            .order_by(DecisionCriterionRow.position, DecisionCriterionRow.id)
        )
    )
    scores: dict[int, dict[int, int]] = {row.id: {} for row in rows}
    if rows:
        query = select(DecisionScoreRow).where(DecisionScoreRow.criterion_id.in_(list(scores)))
        for score in session.scalars(query):
            scores[score.criterion_id][score.competitor_id] = score.score
    criteria = [
        Criterion(row.id, row.name, row.weight, row.our_score, scores[row.id], row.influence)
        for row in rows
    ]
    steps = [
        DecisionStep(
            id=row.id,
            position=row.position,
            name=row.name,
            people=tuple(row.people or ()),
            others=row.others,
            standing=StepStanding(row.standing),
            due=row.due,
            note=row.note,
        )
        for row in session.scalars(
            select(DecisionStepRow)
            .where(DecisionStepRow.plan_id == plan_id)
            .order_by(DecisionStepRow.position, DecisionStepRow.id)
        )
    ]
    notes = session.get(DecisionNotesRow, plan_id)
    return StoredDecision(competitors, criteria, steps, "" if notes is None else notes.notes)


def _replace(
    session: Session,
    row_type: Any,
    plan_id: int,
    items: Sequence[tuple[int, dict[str, Any]]],
    now: datetime,
    by: str,
) -> list[int]:
    """Save a plan's list of rows whole; the ids of the rows kept, in order."""
    existing = {
        row.id: row for row in session.scalars(select(row_type).where(row_type.plan_id == plan_id))
    }
    unknown = [item_id for item_id, _values in items if item_id and item_id not in existing]
    if unknown:
        raise LookupError(unknown[0])
    kept = {item_id for item_id, _values in items if item_id}
    for item_id, row in existing.items():
        if item_id not in kept:
            session.delete(row)
    session.flush()
    ids = []
    for position, (item_id, values) in enumerate(items, start=1):
        row = existing[item_id] if item_id else row_type(plan_id=plan_id)
        for name, value in values.items():
            setattr(row, name, value)
        row.position, row.updated_at, row.updated_by = position, now, by
        session.add(row)
        session.flush()
        ids.append(row.id)
    return ids


def replace_competitors(
    session: Session, plan_id: int, competitors: Sequence[Competitor], now: datetime, by: str
) -> None:
    """Save the plan's competitors whole (a competitor left out loses its scores)."""
    items = [(c.id, {"name": c.name}) for c in competitors]
    _replace(session, DecisionCompetitorRow, plan_id, items, now, by)


def replace_criteria(
    session: Session, plan_id: int, criteria: Sequence[Criterion], now: datetime, by: str
) -> None:
    """Save the plan's criteria whole with every score; scores name the plan's competitors."""
    competitors = set(
        session.scalars(
            select(DecisionCompetitorRow.id).where(DecisionCompetitorRow.plan_id == plan_id)
        )
    )
    strangers = [k for c in criteria for k in c.scores if k not in competitors]
    if strangers:
        raise LookupError(strangers[0])
    items = [
        (
            c.id,
            {
                "name": c.name,
                "weight": c.weight,
                "our_score": c.our_score,
                "influence": c.influence,
            },
        )
        for c in criteria
    ]
    ids = _replace(session, DecisionCriterionRow, plan_id, items, now, by)
    if ids:
        session.execute(delete(DecisionScoreRow).where(DecisionScoreRow.criterion_id.in_(ids)))
    for criterion_id, criterion in zip(ids, criteria, strict=True):
        for competitor_id, score in criterion.scores.items():
            session.add(
                DecisionScoreRow(
                    criterion_id=criterion_id, competitor_id=competitor_id, score=score
                )
            )
    session.flush()


def replace_steps(
    session: Session, plan_id: int, steps: Sequence[DecisionStep], now: datetime, by: str
) -> None:
    """Save the steps of the client's decision process whole, in the order given."""
    items = [
        (
            s.id,
            {
                "name": s.name,
                "people": list(s.people),
                "others": s.others,
                "standing": s.standing.value,
                "due": s.due,
                "note": s.note,
            },
        )
        for s in steps
    ]
    _replace(session, DecisionStepRow, plan_id, items, now, by)


def set_notes(session: Session, plan_id: int, notes: str, now: datetime, by: str) -> None:
    """Save the plan's notes on influencing the criteria and the process."""
    row = session.get(DecisionNotesRow, plan_id) or DecisionNotesRow(plan_id=plan_id)
    row.notes, row.updated_at, row.updated_by = notes, now, by
    session.add(row)
    session.flush()
