"""The offer part of a plan in the database: needs, offerings, fits, strengths, the verdict."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypeVar

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.offer import (
    Fit,
    Need,
    Offering,
    OfferingKind,
    OfferPoint,
    OfferVerdict,
    PointKind,
    Verdict,
)
from kam.store.plans import AccountPlanRow
from kam.store.schema import Base

_PLAN = AccountPlanRow.id


class NeedRow(Base):
    """A need or problem of the client in a plan."""

    __tablename__ = "plan_needs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN, ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    importance: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class OfferingRow(Base):
    """A product or service of ours weighed against the needs of a plan."""

    __tablename__ = "plan_offerings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN, ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    product_key: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class FitRow(Base):
    """How one offering meets one need."""

    __tablename__ = "plan_fits"
    __table_args__ = (UniqueConstraint("need_id", "offering_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("plan_needs.id", ondelete="CASCADE"))
    offering_id: Mapped[int] = mapped_column(ForeignKey("plan_offerings.id", ondelete="CASCADE"))
    fit: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class OfferPointRow(Base):
    """A strength or weakness of our offer for the client of a plan."""

    __tablename__ = "plan_offer_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN, ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class OfferVerdictRow(Base):
    """The verdict of a plan: can the offer win the client."""

    __tablename__ = "plan_offer_verdicts"
    __table_args__ = (UniqueConstraint("plan_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(_PLAN, ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


def _need(row: NeedRow) -> Need:
    return Need(
        id=row.id,
        title=row.title,
        description=row.description,
        importance=row.importance,
        position=row.position,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


_Item = TypeVar("_Item", NeedRow, OfferingRow, OfferPointRow)


def needs_of(session: Session, plan_id: int) -> list[Need]:
    """A plan's needs in their order."""
    query = select(NeedRow).where(NeedRow.plan_id == plan_id)
    return [_need(r) for r in session.scalars(query.order_by(NeedRow.position, NeedRow.id))]


def add_need(
    session: Session,
    plan_id: int,
    *,
    title: str,
    description: str,
    importance: int,
    now: datetime,
    by: str,
) -> Need:
    """Add a need at the end of a plan's list."""
    last = session.scalar(select(func.max(NeedRow.position)).where(NeedRow.plan_id == plan_id))
    row = NeedRow(
        plan_id=plan_id,
        title=title,
        description=description,
        importance=importance,
        position=(last or 0) + 1,
        updated_at=now,
        updated_by=by,
    )
    session.add(row)
    session.flush()
    return _need(row)


#: The ids a database integer holds: any other id names no row.
ID_RANGE = range(1, 2**63)


def _in_plan(session: Session, kind: type[_Item], plan_id: int, item_id: int) -> _Item:
    if item_id not in ID_RANGE:
        raise LookupError(item_id)
    row = session.get(kind, item_id)
    if row is None or row.plan_id != plan_id:
        raise LookupError(item_id)
    return row


def update_need(
    session: Session,
    plan_id: int,
    need_id: int,
    *,
    title: str,
    description: str,
    importance: int,
    now: datetime,
    by: str,
) -> Need:
    """Change a need of a plan; :class:`LookupError` for a need of another plan."""
    row = _in_plan(session, NeedRow, plan_id, need_id)
    row.title, row.description, row.importance = title, description, importance
    row.updated_at, row.updated_by = now, by
    session.flush()
    return _need(row)


ItemKind = Literal["need", "offering", "point"]


def delete_item(session: Session, kind: ItemKind, plan_id: int, item_id: int) -> None:
    """Remove a need, offering or point of a plan (the fits of a need or offering go with it)."""
    if kind == "need":
        _in_plan(session, NeedRow, plan_id, item_id)
        session.execute(delete(FitRow).where(FitRow.need_id == item_id))
        session.execute(delete(NeedRow).where(NeedRow.id == item_id))
    elif kind == "offering":
        _in_plan(session, OfferingRow, plan_id, item_id)
        session.execute(delete(FitRow).where(FitRow.offering_id == item_id))
        session.execute(delete(OfferingRow).where(OfferingRow.id == item_id))
    else:
        _in_plan(session, OfferPointRow, plan_id, item_id)
        session.execute(delete(OfferPointRow).where(OfferPointRow.id == item_id))


def offerings_of(session: Session, plan_id: int) -> list[Offering]:
    """A plan's offerings in the order they were added."""
    query = select(OfferingRow).where(OfferingRow.plan_id == plan_id).order_by(OfferingRow.id)
    return [
        Offering(r.id, OfferingKind(r.kind), r.product_key, r.name) for r in session.scalars(query)
    ]


def add_offering(
    session: Session,
    plan_id: int,
    *,
    kind: OfferingKind,
    product_key: str | None,
    name: str,
    now: datetime,
    by: str,
) -> Offering:
    """Add a product or service to weigh against a plan's needs."""
    row = OfferingRow(
        plan_id=plan_id,
        kind=kind.value,
        product_key=product_key,
        name=name,
        updated_at=now,
        updated_by=by,
    )
    session.add(row)
    session.flush()
    return Offering(row.id, kind, product_key, name)


def fits_of(session: Session, plan_id: int) -> dict[tuple[int, int], Fit]:
    """A plan's fits by (need id, offering id)."""
    query = (
        select(FitRow.need_id, FitRow.offering_id, FitRow.fit)
        .join(NeedRow, FitRow.need_id == NeedRow.id)
        .where(NeedRow.plan_id == plan_id)
    )
    return {(n, o): Fit(f) for n, o, f in session.execute(query)}


def set_fit(
    session: Session,
    plan_id: int,
    need_id: int,
    offering_id: int,
    fit: Fit,
    now: datetime,
    by: str,
) -> bool:
    """Record how an offering meets a need of the same plan; whether anything changed."""
    _in_plan(session, NeedRow, plan_id, need_id)
    _in_plan(session, OfferingRow, plan_id, offering_id)
    row = session.scalar(
        select(FitRow).where(FitRow.need_id == need_id, FitRow.offering_id == offering_id)
    )
    if row is None:
        if fit is Fit.NOT:
            return False
        row = FitRow(need_id=need_id, offering_id=offering_id)
        session.add(row)
    elif row.fit == fit.value:
        return False
    row.fit, row.updated_at, row.updated_by = fit.value, now, by
    session.flush()
    return True


def points_of(session: Session, plan_id: int) -> list[OfferPoint]:
    """A plan's strengths and weaknesses in the order they were added."""
    query = select(OfferPointRow).where(OfferPointRow.plan_id == plan_id).order_by(OfferPointRow.id)
    return [
        OfferPoint(r.id, PointKind(r.kind), r.text, r.updated_at, r.updated_by)
        for r in session.scalars(query)
    ]


def add_point(
    session: Session, plan_id: int, kind: PointKind, text: str, now: datetime, by: str
) -> OfferPoint:
    """Add a strength or weakness."""
    row = OfferPointRow(plan_id=plan_id, kind=kind.value, text=text, updated_at=now, updated_by=by)
    session.add(row)
    session.flush()
    return OfferPoint(row.id, kind, text, now, by)


def verdict_of(session: Session, plan_id: int) -> OfferVerdict | None:
    """A plan's verdict on the offer, ``None`` before one is given."""
    row = session.scalar(select(OfferVerdictRow).where(OfferVerdictRow.plan_id == plan_id))
    if row is None:
        return None
    return OfferVerdict(Verdict(row.verdict), row.note, row.updated_at, row.updated_by)


def set_verdict(
    session: Session, plan_id: int, verdict: Verdict, note: str, now: datetime, by: str
) -> OfferVerdict:
    """Give or change a plan's verdict on the offer."""
    row = session.scalar(select(OfferVerdictRow).where(OfferVerdictRow.plan_id == plan_id))
    if row is None:
        row = OfferVerdictRow(plan_id=plan_id)
        session.add(row)
    row.verdict, row.note, row.updated_at, row.updated_by = verdict.value, note, now, by
    session.flush()
    return OfferVerdict(verdict, note, now, by)
