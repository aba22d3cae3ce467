"""A plan's engagement stages and meetings in the database.

The stages are a declared kind of item (:data:`~kam.domain.engagement.ENGAGEMENT_STAGE`),
kept through :data:`STAGES`; meetings are saved one by one here. A meeting's pairs of
participants are a JSON list of ``[ours, their_key, their_name]``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.engagement import (
    ENGAGEMENT_STAGE,
    Achievement,
    Meeting,
    MeetingLevel,
    Pairing,
    Stage,
)
from kam.domain.versions import check_version
from kam.store.plan_items import ItemTable
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
    pairs: Mapped[list[list[str | None]]] = mapped_column(JSON)
    minutes: Mapped[str] = mapped_column(Text, default="")
    achievement: Mapped[str | None] = mapped_column(String(20))
    next_step: Mapped[str] = mapped_column(Text, default="")
    next_step_due: Mapped[date | None] = mapped_column(Date)
    next_step_done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


def _meeting(row: EngagementMeetingRow) -> Meeting:
    return Meeting(
        id=row.id,
        level=MeetingLevel(row.level),
        day=row.day,
        objective=row.objective,
        agenda=row.agenda,
        stage_id=row.stage_id,
        pairs=tuple(Pairing(ours or "", key or None, name or "") for ours, key, name in row.pairs),
        minutes=row.minutes,
        achievement=None if row.achievement is None else Achievement(row.achievement),
        next_step=row.next_step,
        next_step_due=row.next_step_due,
        next_step_done=row.next_step_done,
        version=row.version,
    )


#: The stages of a plan, in order.
STAGES = ItemTable(
    ENGAGEMENT_STAGE, EngagementStageRow, order=("position", "id"), placed="position"
)


def stages_of(session: Session, plan_id: int) -> list[Stage]:
    """A plan's stages in order."""
    return STAGES.items_of(session, plan_id)


def meetings_of(session: Session, plan_id: int) -> list[Meeting]:
    """A plan's meetings by day."""
    query = (
        select(EngagementMeetingRow)
        .where(EngagementMeetingRow.plan_id == plan_id)
        .order_by(EngagementMeetingRow.day, EngagementMeetingRow.id)
    )
    return [_meeting(row) for row in session.scalars(query)]


def _check_stage(session: Session, plan_id: int, stage_id: int | None) -> None:
    if stage_id is None:
        return
    row = session.get(EngagementStageRow, stage_id)
    if row is None or row.plan_id != plan_id:
        raise LookupError(stage_id)


def _fill(row: EngagementMeetingRow, meeting: Meeting, now: datetime, by: str) -> None:
    values: dict[str, Any] = {
        "stage_id": meeting.stage_id,
        "level": meeting.level.value,
        "day": meeting.day,
        "objective": meeting.objective,
        "agenda": meeting.agenda,
        "pairs": [[p.ours, p.their_key, p.their_name] for p in meeting.pairs],
        "minutes": meeting.minutes,
        "achievement": None if meeting.achievement is None else meeting.achievement.value,
        "next_step": meeting.next_step,
        "next_step_due": meeting.next_step_due,
        "next_step_done": meeting.next_step_done,
        "updated_at": now,
        "updated_by": by,
    }
    for name, value in values.items():
        setattr(row, name, value)


def add_meeting(
    session: Session, plan_id: int, meeting: Meeting, now: datetime, by: str
) -> Meeting:
    """Add a meeting to a plan (its ``id`` is ignored)."""
    _check_stage(session, plan_id, meeting.stage_id)
    row = EngagementMeetingRow(plan_id=plan_id)
    _fill(row, meeting, now, by)
    session.add(row)
    session.flush()
    return _meeting(row)


def _own_meeting(session: Session, plan_id: int, meeting_id: int) -> EngagementMeetingRow:
    row = session.get(EngagementMeetingRow, meeting_id)
    if row is None or row.plan_id != plan_id:
        raise LookupError(meeting_id)
    return row


def update_meeting(
    session: Session,
    plan_id: int,
    meeting: Meeting,
    now: datetime,
    by: str,
    expected: int | None = None,
) -> Meeting:
    """Change a meeting of a plan (:class:`LookupError` when it is not the plan's), as seen
    at its version ``expected`` (``None``: whichever it is now; one older raises
    :class:`~kam.domain.versions.StaleVersionError`)."""
    row = _own_meeting(session, plan_id, meeting.id)
    check_version(row.version, expected, row.updated_by)
    _check_stage(session, plan_id, meeting.stage_id)
    _fill(row, meeting, now, by)
    row.version += 1
    session.flush()
    return _meeting(row)


def get_meeting(session: Session, plan_id: int, meeting_id: int) -> Meeting:
    """A meeting of a plan (:class:`LookupError` when it is not the plan's)."""
    return _meeting(_own_meeting(session, plan_id, meeting_id))


def delete_meeting(
    session: Session, plan_id: int, meeting_id: int, expected: int | None = None
) -> None:
    """Remove a meeting of a plan, seen at version ``expected`` (``None``: whichever)."""
    row = _own_meeting(session, plan_id, meeting_id)
    check_version(row.version, expected, row.updated_by)
    session.delete(row)
    session.flush()
