"""A plan's risk register and what failing a deal or losing the account would cost.

The expected cost of failure of a deal is sum of probability * money impact over its
open risks (its expected delay sum of probability * days); losing the account costs
its yearly value from sales * the years of the relationship at stake (a per-plan
input, 3 unless set) plus the value of its open deals. The yearly value is the
client's net sales over the book's last 12 months, read from the per-client
figures the client's page reads (:mod:`kam.services.client_sales`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kam.analytics.xyz import month_label
from kam.domain.deal import Deal, DealStatus
from kam.domain.plan import AccountPlan
from kam.domain.risks import (
    DEFAULT_YEARS_AT_STAKE,
    RISK,
    AccountLoss,
    Exposure,
    Risk,
    RiskCover,
    RiskStatus,
    compute_account_loss,
    compute_exposure,
    validate_years_at_stake,
)
from kam.domain.user import User
from kam.services import plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.client_sales import client_sales_files, last_month, monthly_values
from kam.services.plans import items as plan_items
from kam.store.database import transaction
from kam.store.plans import deal as store


@dataclass(frozen=True)
class YearlyValue:
    """A client's net sales (cents) over the book's last 12 months, ``first`` to ``last``
    (``YYYY-MM``; ``None`` when the book has no sales)."""

    value: int
    first: str | None
    last: str | None


def account_yearly_value(book: Book, user: User | ClientScope, client_key: str) -> YearlyValue:
    """A client's net value over the last 12 months of the book's sales.

    The 12 months end with the latest month of any sale in the book (not the
    client's own last sale): a client that stopped buying is worth little. Read
    from the per-client figures the client's page reads
    (:mod:`kam.services.client_sales`), not from the sales files.
    Raises :class:`LookupError` for a client outside the user's scope.
    """
    scope = plans.scope_of(book, user)
    scope.require(client_key)
    files = client_sales_files(book)
    last = None if files is None else last_month(files)
    if files is None or last is None:
        return YearlyValue(0, None, None)
    months = monthly_values(files, client_key)
    value = sum(v for month, v in months.items() if month > last - 12)
    return YearlyValue(value, month_label(last - 11), month_label(last))


@dataclass(frozen=True)
class DealExposure:
    """The expected cost and delay of one deal's open risks (``deal`` of ``None``: the
    risks tied to no deal)."""

    deal: Deal | None
    exposure: Exposure


@dataclass(frozen=True)
class RisksView:
    """A plan's risk register and its costs, for pages and exports."""

    plan: AccountPlan
    risks: list[Risk]
    deals: list[Deal]
    by_deal: list[DealExposure]
    total: Exposure
    yearly: YearlyValue
    years_at_stake: int
    years_at_stake_set: bool
    loss: AccountLoss


def risks_of_plan(book: Book, user: User | ClientScope, plan_id: int) -> RisksView:
    """A plan's risks, the expected cost of failure of each deal and of losing the account.

    Raises :class:`LookupError` for a plan unknown or out of the user's scope.
    """
    plan = plans.readable_plan(book, user, plan_id)
    with transaction(book.database) as session:
        risks = store.risks_of(session, plan_id)
        deals = store.deals_of(session, plan_id)
        years = store.years_at_stake(session, plan_id)
    by_deal = [
        DealExposure(deal, compute_exposure(r for r in risks if r.deal_id == deal.id))
        for deal in deals
    ]
    loose = [r for r in risks if r.deal_id is None]
    if loose:
        by_deal.append(DealExposure(None, compute_exposure(loose)))
    yearly = account_yearly_value(book, user, plan.client_key)
    at_stake = DEFAULT_YEARS_AT_STAKE if years is None else years
    loss = compute_account_loss(
        yearly.value, at_stake, [d.value for d in deals if d.status is DealStatus.OPEN]
    )
    return RisksView(
        plan=plan,
        risks=risks,
        deals=deals,
        by_deal=by_deal,
        total=compute_exposure(risks),
        yearly=yearly,
        years_at_stake=at_stake,
        years_at_stake_set=years is not None,
        loss=loss,
    )


def save_risk(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    risk_id: int | None,
    *,
    title: str,
    probability: float,
    impact: int = 0,
    delay_days: int = 0,
    mitigation: str = "",
    cover: RiskCover = RiskCover.NONE,
    owner: str | None = None,
    status: RiskStatus = RiskStatus.OPEN,
    deal_id: int | None = None,
    now: datetime | None = None,
) -> Risk:
    """Add a risk to a plan (``risk_id`` of ``None``) or change one.

    ``probability`` is a share (0 to 1), ``impact`` cents, ``delay_days`` days.
    """
    values = {
        "title": title,
        "probability": probability,
        "impact": impact,
        "delay_days": delay_days,
        "mitigation": mitigation,
        "cover": cover,
        "owner": owner,
        "status": status,
        "deal_id": deal_id,
    }
    return plan_items.save_item(book, user, plan_id, RISK, risk_id, values, now)


def set_years_at_stake(
    book: Book, user: User | ClientScope, plan_id: int, years: int, now: datetime | None = None
) -> None:
    """Set the years of the relationship at stake if the account were lost."""
    try:
        validate_years_at_stake(years)
    except ValueError as error:
        raise plans.PlanError(str(error)) from None
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        store.set_years_at_stake(edit.session, plan_id, years, edit.now, edit.by)
