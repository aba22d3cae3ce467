"""The offer part of a plan in the database: needs, offerings, fits, strengths, the verdict."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.offer import (
    NEED,
    OFFER_POINT,
    OFFERING,
    Fit,
    OfferVerdict,
    Verdict,
)
from kam.store.plans.items import ItemTable, find_row
from kam.store.plans.rows import PLAN_ID, ChangeColumns, PlanItemColumns
from kam.store.schema import Base


class NeedRow(PlanItemColumns, Base):
    """A need or problem of the client in a plan."""

    __tablename__ = "plan_needs"
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    importance: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)


class OfferingRow(PlanItemColumns, Base):
    """A product or service of ours weighed against the needs of a plan."""

    __tablename__ = "plan_offerings"
    kind: Mapped[str] = mapped_column(String(20))
    product_key: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))


class FitRow(ChangeColumns, Base):
    """How one offering meets one need."""

    __tablename__ = "plan_fits"
    __table_args__ = (UniqueConstraint("need_id", "offering_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("plan_needs.id", ondelete="CASCADE"))
    offering_id: Mapped[int] = mapped_column(ForeignKey("plan_offerings.id", ondelete="CASCADE"))
    fit: Mapped[str] = mapped_column(String(20))


class OfferPointRow(PlanItemColumns, Base):
    """A strength or weakness of our offer for the client of a plan."""

    __tablename__ = "plan_offer_points"
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)


class OfferVerdictRow(ChangeColumns, Base):
    """The verdict of a plan: can the offer win the client."""

    __tablename__ = "plan_offer_verdicts"
    __table_args__ = (UniqueConstraint("plan_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey(PLAN_ID, ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)


#: A plan's needs, in their order.
NEEDS = ItemTable(NEED, NeedRow, order=("position", "id"), placed="position")
#: A plan's offerings, in the order they were added.
OFFERINGS = ItemTable(OFFERING, OfferingRow)
#: A plan's strengths and weaknesses, in the order they were added.
POINTS = ItemTable(OFFER_POINT, OfferPointRow)


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
    find_row(session, NeedRow, plan_id, need_id)
    find_row(session, OfferingRow, plan_id, offering_id)
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
