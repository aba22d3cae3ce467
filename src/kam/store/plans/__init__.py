"""Account plans in the database: one row per client and period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.plan import AccountPlan, PlanStatus
from kam.domain.versions import check_version
from kam.store.rows import from_row
from kam.store.schema import Base, ClientKey, ClientRow


class AccountPlanRow(Base):
    """A client's plan for one period; every element of the plan refers to it."""

    __tablename__ = "account_plans"
    __table_args__ = (UniqueConstraint("client_key", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[ClientKey]
    period: Mapped[str] = mapped_column(String(20), index=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    review_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    objective: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


def _plan(row: AccountPlanRow) -> AccountPlan:
    return from_row(AccountPlan, row, status=PlanStatus(row.status))


def get_plan(session: Session, plan_id: int) -> AccountPlan | None:
    """A plan by id."""
    row = session.get(AccountPlanRow, plan_id)
    return None if row is None else _plan(row)


def find_plan(session: Session, client_key: str, period: str) -> AccountPlan | None:
    """A client's plan for a period."""
    row = session.scalar(
        select(AccountPlanRow).where(
            AccountPlanRow.client_key == client_key, AccountPlanRow.period == period
        )
    )
    return None if row is None else _plan(row)


def add_plan(
    session: Session,
    client_key: str,
    period: str,
    *,
    owner: str | None,
    review_date: date | None,
    objective: str,
    now: datetime,
    by: str,
) -> AccountPlan:
    """Create a client's plan for a period (there must be none yet)."""
    row = AccountPlanRow(
        client_key=client_key,
        period=period,
        owner=owner,
        review_date=review_date,
        status=PlanStatus.DRAFT.value,
        objective=objective,
        created_at=now,
        created_by=by,
        updated_at=now,
        updated_by=by,
    )
    session.add(row)
    session.flush()
    return _plan(row)


def update_plan(
    session: Session,
    plan_id: int,
    *,
    owner: str | None,
    review_date: date | None,
    status: PlanStatus,
    objective: str,
    now: datetime,
    by: str,
    expected: int | None = None,
) -> AccountPlan:
    """Change a plan's heading: owner, review date, status and objective, as seen at its
    version ``expected`` (``None``: whichever it is now); the heading counts one version more.

    Raises :class:`~kam.domain.versions.StaleVersionError` when the heading has been
    changed since that version. The plan's content (its items) counts versions of its own.
    """
    row = session.get(AccountPlanRow, plan_id)
    if row is None:
        raise LookupError(plan_id)
    check_version(row.version, expected, row.updated_by)
    row.owner, row.review_date, row.status, row.objective = (
        owner,
        review_date,
        status.value,
        objective,
    )
    row.updated_at, row.updated_by = now, by
    row.version += 1
    session.flush()
    return _plan(row)


def touch_plan(session: Session, plan_id: int, now: datetime, by: str) -> None:
    """Record that a plan's content changed, and who changed it."""
    row = session.get(AccountPlanRow, plan_id)
    if row is not None:
        row.updated_at, row.updated_by = now, by


def list_plans(
    session: Session, keys: Sequence[str] | None, period: str | None
) -> list[AccountPlan]:
    """Plans of the given clients (``None``: every client), of one period or all."""
    query = select(AccountPlanRow).order_by(AccountPlanRow.period.desc(), AccountPlanRow.client_key)
    if keys is not None:
        query = query.where(AccountPlanRow.client_key.in_(list(keys)))
    if period is not None:
        query = query.where(AccountPlanRow.period == period)
    return [_plan(row) for row in session.scalars(query)]


def periods_of(session: Session, client_key: str) -> list[str]:
    """The periods a client has plans for, the latest first."""
    query = (
        select(AccountPlanRow.period)
        .where(AccountPlanRow.client_key == client_key)
        .order_by(AccountPlanRow.period.desc())
    )
    return list(session.scalars(query))


def client_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """The names of clients by key."""
    wanted = sorted(set(keys))
    names: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(ClientRow.key, ClientRow.name).where(ClientRow.key.in_(chunk))
        names.update((key, name) for key, name in session.execute(query))
    return names
