"""Managers' profiles and hand-overs in the database.

A profile is one row per user; its lists (industries, languages, regions) are JSON
arrays kept sorted, its classes a string of class letters ("AB"). A hand-over is one
row per account passed on, its checklist a JSON array of ``{"item", "done"}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.activities import ActivityStatus
from kam.domain.alerts import AlertState
from kam.domain.assignment import ChecklistItem, HandOver, ManagerProfile, class_limits
from kam.domain.classes import AbcClass
from kam.domain.deal import DealStatus
from kam.domain.plan import PlanStatus
from kam.store.activities import OURS, ActivityRow, ParticipantRow
from kam.store.alerts import AlertRow
from kam.store.changes import Changed, count_change
from kam.store.plans import AccountPlanRow
from kam.store.plans.deal import DealRow
from kam.store.plans.rows import ChangeColumns
from kam.store.rows import from_row
from kam.store.schema import Base, ClientKey, ClientRow, PersonRow


class ManagerProfileRow(ChangeColumns, Base):
    """What the assignment knows of one manager."""

    __tablename__ = "manager_profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_name: Mapped[str] = mapped_column(
        String(100), ForeignKey("users.name", ondelete="CASCADE"), unique=True
    )
    years: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    classes: Mapped[str] = mapped_column(String(10))
    industries: Mapped[list[str]] = mapped_column(JSON)
    languages: Mapped[list[str]] = mapped_column(JSON)
    regions: Mapped[list[str]] = mapped_column(JSON)
    capacity: Mapped[float] = mapped_column(Float)
    #: The most accounts of each class (``{"A": 1}``), when given; ``None``: points alone.
    limits: Mapped[dict[str, int] | None] = mapped_column(JSON, nullable=True)


class HandOverRow(Base):
    """One account passed from one manager to another."""

    __tablename__ = "hand_overs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[ClientKey]
    from_manager: Mapped[str | None] = mapped_column(String(100), index=True)
    to_manager: Mapped[str] = mapped_column(String(100), index=True)
    handed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    applied_at: Mapped[datetime] = mapped_column(DateTime)
    applied_by: Mapped[str] = mapped_column(String(100))


def _profile(row: ManagerProfileRow) -> ManagerProfile:
    return from_row(
        ManagerProfile,
        row,
        name=row.user_name,
        classes=frozenset(AbcClass(letter) for letter in row.classes),
        industries=frozenset(row.industries),
        languages=frozenset(row.languages),
        regions=frozenset(row.regions),
        limits=class_limits({AbcClass(k): int(v) for k, v in (row.limits or {}).items()}),
    )


def profiles(session: Session) -> list[ManagerProfile]:
    """Every manager's profile, by user name."""
    rows = session.scalars(select(ManagerProfileRow).order_by(ManagerProfileRow.user_name))
    return [_profile(row) for row in rows]


def profile_of(session: Session, user_name: str) -> ManagerProfile | None:
    """One manager's profile, or ``None``."""
    row = session.scalar(select(ManagerProfileRow).where(ManagerProfileRow.user_name == user_name))
    return None if row is None else _profile(row)


def save_profiles(
    session: Session, found: Iterable[ManagerProfile], by: str, now: datetime
) -> tuple[int, int]:
    """Keep the profiles given (a user's earlier profile is replaced); how many were new
    and how many changed."""
    given = {p.name: p for p in found}
    kept = {
        row.user_name: row
        for row in session.scalars(
            select(ManagerProfileRow).where(ManagerProfileRow.user_name.in_(list(given)))
        )
    }
    for name, profile in given.items():
        row = kept.get(name) or ManagerProfileRow(user_name=name)
        row.years, row.level, row.capacity = profile.years, profile.level, profile.capacity
        row.classes = "".join(sorted(str(k) for k in profile.classes))
        row.industries = sorted(profile.industries)
        row.languages = sorted(profile.languages)
        row.regions = sorted(profile.regions)
        row.limits = {str(k): most for k, most in profile.limits} or None
        row.updated_at, row.updated_by = now, by
        session.add(row)
    session.flush()
    return len(given) - len(kept), len(kept)


def clients_held_by(session: Session, user_name: str) -> list[str]:
    """The keys of the clients ``user_name`` owns (read from the owners' index)."""
    return list(session.scalars(select(ClientRow.key).where(ClientRow.owner == user_name)))


def remove_profile(session: Session, user_name: str) -> bool:
    """Forget a manager's profile; whether there was one."""
    row = session.scalar(select(ManagerProfileRow).where(ManagerProfileRow.user_name == user_name))
    if row is None:
        return False
    session.delete(row)
    return True


def _hand_over(row: HandOverRow) -> HandOver:
    checklist = tuple(ChecklistItem(i["item"], bool(i["done"])) for i in row.checklist)
    return from_row(HandOver, row, checklist=checklist)


def add_hand_over(session: Session, hand_over: HandOver) -> HandOver:
    """Keep a hand-over (its ``id`` is ignored); it comes back with its id."""
    row = HandOverRow(
        client_key=hand_over.client_key,
        from_manager=hand_over.from_manager,
        to_manager=hand_over.to_manager,
        handed_on=hand_over.handed_on,
        reason=hand_over.reason,
        checklist=[{"item": i.item, "done": i.done} for i in hand_over.checklist],
        applied_at=hand_over.applied_at,
        applied_by=hand_over.applied_by,
    )
    session.add(row)
    session.flush()
    return _hand_over(row)


def get_hand_over(session: Session, hand_over_id: int) -> HandOver | None:
    """One hand-over, or ``None``."""
    row = session.get(HandOverRow, hand_over_id)
    return None if row is None else _hand_over(row)


def set_checklist(session: Session, hand_over_id: int, items: Iterable[ChecklistItem]) -> None:
    """Keep the hand-over's checklist as ``items`` say."""
    row = session.get(HandOverRow, hand_over_id)
    if row is None:
        raise LookupError(hand_over_id)
    row.checklist = [{"item": i.item, "done": i.done} for i in items]


def hand_overs(
    session: Session, manager: str | None = None, client_key: str | None = None
) -> list[HandOver]:
    """The hand-overs, latest first: every one, or those from or to ``manager``, or of
    one client."""
    query = select(HandOverRow).order_by(HandOverRow.applied_at.desc(), HandOverRow.id.desc())
    if manager is not None:
        query = query.where(
            or_(HandOverRow.from_manager == manager, HandOverRow.to_manager == manager)
        )
    if client_key is not None:
        query = query.where(HandOverRow.client_key == client_key)
    return [_hand_over(row) for row in session.scalars(query)]


def last_hand_over_id(session: Session) -> int | None:
    """The id of the latest hand-over: what the clients each manager sees depend on."""
    found: int | None = session.scalar(select(func.max(HandOverRow.id)))
    return found


@dataclass(frozen=True)
class Followed:
    """What followed a client to its new owner: open plans, planned activities (and next
    steps of any activity), open alerts."""

    plans: int
    activities: int
    alerts: int


def pass_client(
    session: Session,
    client_key: str,
    from_manager: str | None,
    to_manager: str,
    now: datetime,
    by: str,
) -> Followed:
    """Make ``to_manager`` the client's owner; its open plans, the activities still to
    come where ``from_manager`` took part, the next steps it owned and its open alerts
    follow the new owner."""
    client = session.scalar(select(ClientRow).where(ClientRow.key == client_key))
    if client is None:
        raise LookupError(client_key)
    client.owner = to_manager
    plans = session.scalars(
        select(AccountPlanRow).where(
            AccountPlanRow.client_key == client_key,
            AccountPlanRow.status != str(PlanStatus.CLOSED),
        )
    ).all()
    for plan in plans:
        plan.owner, plan.updated_at, plan.updated_by = to_manager, now, by
        plan.version += 1
    activities: set[int] = set()
    if from_manager is not None:
        planned = select(ActivityRow.id).where(
            ActivityRow.client_key == client_key,
            ActivityRow.status == str(ActivityStatus.PLANNED),
        )
        for row in session.scalars(
            select(ParticipantRow).where(
                ParticipantRow.activity_id.in_(planned),
                ParticipantRow.side == OURS,
                ParticipantRow.name == from_manager,
            )
        ):
            row.name = to_manager
            activities.add(row.activity_id)
        for activity in session.scalars(
            select(ActivityRow).where(
                ActivityRow.client_key == client_key,
                ActivityRow.next_step_owner == from_manager,
            )
        ):
            activity.next_step_owner = to_manager
            activities.add(activity.id)
    alerts = session.execute(
        update(AlertRow)
        .where(
            AlertRow.client_key == client_key,
            AlertRow.state.in_([str(AlertState.OPEN), str(AlertState.ACKNOWLEDGED)]),
            or_(AlertRow.owner.is_(None), AlertRow.owner == from_manager)
            if from_manager is not None
            else AlertRow.owner.is_(None),
        )
        .values(owner=to_manager, updated_at=now, updated_by=by)
    )
    session.flush()
    count_change(session, Changed.ACTIVITIES, [client_key])
    count_change(session, Changed.OWNERS, [client_key])
    return Followed(len(plans), len(activities), int(getattr(alerts, "rowcount", 0) or 0))


def complexity_version(session: Session) -> tuple[Any, ...]:
    """What :func:`complexity_of_clients` depends on, read cheaply: the people (how many,
    the last added and the last changed) and the deals (how many, the last added, and
    the sum of their versions, which every change of a deal raises)."""
    row = session.execute(
        select(
            select(func.count()).select_from(PersonRow).scalar_subquery(),
            select(func.max(PersonRow.id)).scalar_subquery(),
            select(func.max(PersonRow.updated_at)).scalar_subquery(),
            select(func.count()).select_from(DealRow).scalar_subquery(),
            select(func.max(DealRow.id)).scalar_subquery(),
            select(func.sum(DealRow.version)).scalar_subquery(),
        )
    ).one()
    return tuple(row)


def complexity_of_clients(session: Session) -> dict[str, int]:
    """How complex each client is: its people known and the open deals of its plans."""
    found: dict[str, int] = {}
    people = select(PersonRow.client_key, func.count()).group_by(PersonRow.client_key)
    deals = (
        select(AccountPlanRow.client_key, func.count())
        .join(DealRow, DealRow.plan_id == AccountPlanRow.id)
        .where(DealRow.status == str(DealStatus.OPEN))
        .group_by(AccountPlanRow.client_key)
    )
    for query in (people, deals):
        for key, count in session.execute(query):
            found[key] = found.get(key, 0) + int(count)
    return found
