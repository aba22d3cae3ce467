"""The deal plan in the database: deals and their deliverables, risks, competitor notes.

Every table hangs on a plan (``plan_id``, deleted with it); deliverables and
their buy-back rows also on their deal. A risk or a note tied to a deal that
is deleted stays on the plan, tied to none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.competitors import COMPETITOR_NOTE, PastNote, competitor_key
from kam.domain.deal import DEAL, DELIVERABLE, BuybackStep, Deal, Deliverable
from kam.domain.risks import RISK, Risk
from kam.store.plans import AccountPlanRow
from kam.store.plans.items import ItemRows, ItemTable
from kam.store.plans.rows import PLAN_ID, ChangeColumns, PlanItemColumns
from kam.store.schema import Base, ClientRow


class DealRow(PlanItemColumns, Base):
    """A large deal on a plan."""

    __tablename__ = "plan_deals"
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[int] = mapped_column(BigInteger)
    close_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class DeliverableRow(PlanItemColumns, Base):
    """An item of a deal's checklist."""

    __tablename__ = "plan_deliverables"
    deal_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("plan_deals.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str | None] = mapped_column(String(100))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[int | None] = mapped_column(BigInteger)


class BuybackStepRow(Base):
    """A row of a partner guarantee's buy-back schedule."""

    __tablename__ = "plan_buyback_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("plan_deliverables.id", ondelete="CASCADE"), index=True
    )
    from_year: Mapped[int] = mapped_column(Integer)
    to_year: Mapped[int | None] = mapped_column(Integer)
    share: Mapped[float] = mapped_column(Float)


class DealTieColumns:
    """The deal a row is tied to, or none; a row whose deal is deleted stays, tied to none."""

    deal_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("plan_deals.id", ondelete="SET NULL"), index=True, sort_order=-1
    )


class RiskRow(PlanItemColumns, DealTieColumns, Base):
    """A risk of a plan, tied to one of its deals or to none."""

    __tablename__ = "plan_risks"
    title: Mapped[str] = mapped_column(String(300))
    probability: Mapped[float] = mapped_column(Float)
    impact: Mapped[int] = mapped_column(BigInteger)
    delay_days: Mapped[int] = mapped_column(Integer)
    mitigation: Mapped[str] = mapped_column(Text, default="")
    cover: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))


class RiskSettingsRow(ChangeColumns, Base):
    """A plan's inputs to the cost of losing the account."""

    __tablename__ = "plan_risk_settings"
    plan_id: Mapped[int] = mapped_column(
        Integer, ForeignKey(PLAN_ID, ondelete="CASCADE"), primary_key=True
    )
    years_at_stake: Mapped[int] = mapped_column(Integer)


class CompetitorNoteRow(PlanItemColumns, DealTieColumns, Base):
    """What was learned of one competitor on a plan (and deal)."""

    __tablename__ = "plan_competitors"
    competitor: Mapped[str] = mapped_column(String(200))
    competitor_key: Mapped[str] = mapped_column(String(200), index=True)
    team: Mapped[str] = mapped_column(Text, default="")
    tactics: Mapped[str] = mapped_column(Text, default="")
    meetings: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    weaknesses: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20))
    lessons: Mapped[str] = mapped_column(Text, default="")


# --- deals


#: The deals of a plan.
DEALS = ItemTable(DEAL, DealRow)


def deals_of(session: Session, plan_id: int) -> list[Deal]:
    """A plan's deals, in the order they were added."""
    return DEALS.items_of(session, plan_id)


# --- deliverables


#: The checklists of a plan's deals: a deliverable's ``deal_id`` names one of the plan's
#: deals, its buy-back schedule is kept as rows of its own.
DELIVERABLES = ItemTable(
    DELIVERABLE,
    DeliverableRow,
    {"deal_id": DealRow},
    parts={
        "schedule": ItemRows(
            BuybackStepRow,
            "deliverable_id",
            lambda s: {"from_year": s.from_year, "to_year": s.to_year, "share": s.share},
            lambda row: BuybackStep(row.from_year, row.to_year, row.share),
            order="from_year",
        )
    },
)


def deliverables_of(session: Session, plan_id: int) -> list[Deliverable]:
    """Every deliverable of a plan's deals, by deal, due date (none last) and id."""
    return sorted(
        DELIVERABLES.items_of(session, plan_id),
        key=lambda d: (d.deal_id, d.due_date is None, d.due_date or date.min, d.id),
    )


# --- risks


#: The risks of a plan: a risk's ``deal_id`` names one of the plan's deals.
RISKS = ItemTable(RISK, RiskRow, {"deal_id": DealRow})


def risks_of(session: Session, plan_id: int) -> list[Risk]:
    """A plan's risks, in the order they were added."""
    return RISKS.items_of(session, plan_id)


def years_at_stake(session: Session, plan_id: int) -> int | None:
    """The years of relationship at stake set on a plan, ``None`` when not set."""
    row = session.get(RiskSettingsRow, plan_id)
    return None if row is None else row.years_at_stake


def set_years_at_stake(session: Session, plan_id: int, years: int, now: datetime, by: str) -> None:
    """Set the years of relationship at stake on a plan."""
    row = session.get(RiskSettingsRow, plan_id)
    if row is None:
        session.add(
            RiskSettingsRow(plan_id=plan_id, years_at_stake=years, updated_at=now, updated_by=by)
        )
    else:
        row.years_at_stake, row.updated_at, row.updated_by = years, now, by
    session.flush()


# --- competitor notes


#: The competitor notes of a plan, listed by competitor (matched regardless of case and
#: spacing) and id.
NOTES = ItemTable(
    COMPETITOR_NOTE,
    CompetitorNoteRow,
    {"deal_id": DealRow},
    derived={"competitor_key": lambda values: competitor_key(values["competitor"])},
    order=("competitor_key", "id"),
)


def notes_elsewhere(session: Session, keys: Sequence[str], plan_id: int) -> list[PastNote]:
    """Notes on the competitors ``keys`` (see :func:`~kam.domain.competitors.competitor_key`)
    in plans other than ``plan_id``, with each plan's client and period.

    Every client's: the caller keeps those the user may see.
    """
    if not keys:
        return []
    query = (
        select(CompetitorNoteRow, AccountPlanRow.client_key, AccountPlanRow.period, ClientRow.name)
        .join(AccountPlanRow, AccountPlanRow.id == CompetitorNoteRow.plan_id)
        .join(ClientRow, ClientRow.key == AccountPlanRow.client_key)
        .where(CompetitorNoteRow.competitor_key.in_(list(keys)))
        .where(CompetitorNoteRow.plan_id != plan_id)
    )
    return [
        PastNote(NOTES.to_domain(row), client_key, name, period)
        for row, client_key, period, name in session.execute(query)
    ]
