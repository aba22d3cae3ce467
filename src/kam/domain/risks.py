"""The risk register of a plan, and what failing the deal or losing the account would cost.

Each risk has a probability (a share, 0 to 1), an impact in money (cents) and
in time (days of delay), a mitigation and the cover that answers for it
(warranty, insurance, service, or none). Only open risks count toward the
expected cost:

* the expected cost of failure of a deal is the sum, over its open risks, of
  probability * money impact; its expected delay the sum of probability * days;
* the cost of losing the account is the account's yearly value from sales *
  the years of the relationship at stake, plus the value of its open deals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from kam.domain.deal import DEAL_REF
from kam.domain.items import USER_NAME_LIMIT, FieldType, ItemField, ItemKind
from kam.i18n import N_
from kam.i18n import gettext as _

#: The years of the relationship at stake when a plan does not say.
DEFAULT_YEARS_AT_STAKE = 3


class RiskCover(StrEnum):
    """What answers for a risk when it happens."""

    WARRANTY = "warranty"
    INSURANCE = "insurance"
    SERVICE = "service"
    NONE = "none"


RISK_COVER_LABELS: dict[RiskCover, str] = {
    RiskCover.WARRANTY: N_("warranty"),
    RiskCover.INSURANCE: N_("insurance"),
    RiskCover.SERVICE: N_("service contract"),
    RiskCover.NONE: N_("no cover"),
}


class RiskStatus(StrEnum):
    """Where a risk stands."""

    OPEN = "open"
    MITIGATED = "mitigated"
    CLOSED = "closed"


RISK_STATUS_LABELS: dict[RiskStatus, str] = {
    RiskStatus.OPEN: N_("open risk"),
    RiskStatus.MITIGATED: N_("mitigated"),
    RiskStatus.CLOSED: N_("closed risk"),
}


@dataclass(frozen=True)
class Risk:
    """One risk of a plan, tied to one of its deals or to none (the account as a whole)."""

    id: int
    plan_id: int
    deal_id: int | None
    title: str
    probability: float
    impact: int
    delay_days: int
    mitigation: str
    cover: RiskCover
    owner: str | None
    status: RiskStatus
    updated_at: datetime
    updated_by: str
    version: int = 1


#: The risk register's items: what a risk holds, how it is checked, worded and exported.
RISK = ItemKind(
    "risk",
    Risk,
    (
        ItemField("title", FieldType.TEXT, N_("Risk"), 300, required=N_("name the risk")),
        ItemField(
            "probability",
            FieldType.SHARE,
            N_("Probability in percent"),
            needed=True,
            message=N_("a probability lies between 0% and 100%"),
            api_name="probability_percent",
            heading=N_("Probability"),
        ),
        ItemField(
            "impact",
            FieldType.MONEY,
            N_("Impact in money"),
            api_name="impact_cents",
            heading=N_("Impact"),
        ),
        ItemField(
            "delay_days",
            FieldType.INT,
            N_("Impact in time (days of delay)"),
            100_000,
            message=N_("the delay is a number of days, 0 or more"),
            heading=N_("Delay (days)"),
        ),
        ItemField("mitigation", FieldType.NOTE, N_("Mitigation"), 5000),
        ItemField(
            "cover",
            FieldType.CHOICE,
            N_("Cover"),
            choices=RiskCover,
            choice_labels=RISK_COVER_LABELS,
            default=RiskCover.NONE,
        ),
        ItemField("owner", FieldType.USER, N_("Owner"), USER_NAME_LIMIT),
        ItemField(
            "status",
            FieldType.CHOICE,
            N_("Status"),
            choices=RiskStatus,
            choice_labels=RISK_STATUS_LABELS,
            default=RiskStatus.OPEN,
        ),
        DEAL_REF,
    ),
    title=N_("The risk register"),
    add_label=N_("Add a risk"),
    delete_label=N_("Delete this risk"),
    empty_label=N_("No risk recorded yet."),
    form=(
        "title",
        "deal_id",
        "probability",
        "impact",
        "delay_days",
        "mitigation",
        "cover",
        "owner",
        "status",
    ),
)


def validate_probability(probability: float) -> float:
    """A probability between 0 and 1; :class:`ValueError` otherwise."""
    if not 0 <= probability <= 1:
        raise ValueError(_("a probability lies between 0% and 100%"))
    return probability


@dataclass(frozen=True)
class Exposure:
    """What a set of risks is expected to cost: money (cents) and days of delay."""

    open_risks: int
    expected_cost: int
    expected_delay: float


def compute_exposure(risks: Iterable[Risk]) -> Exposure:
    """The expected cost and delay of the open risks among ``risks``.

    Expected cost = sum of probability * money impact (rounded to the cent once, at
    the end, halves up); expected delay = sum of probability * days.

    Examples
    --------
    A deal with three risks: 20% of losing 50,000.00 and 30 days; 5% of
    200,000.00 and 90 days; a closed one that no longer counts:

    >>> def risk(p, cents, days, status=RiskStatus.OPEN):
    ...     return Risk(0, 1, 1, "r", p, cents, days, "", RiskCover.NONE, None, status,
    ...                 datetime(2026, 1, 1), "a")
    >>> compute_exposure([risk(0.2, 5_000_000, 30), risk(0.05, 20_000_000, 90),
    ...                   risk(0.9, 1_000_000, 10, RiskStatus.CLOSED)])
    Exposure(open_risks=2, expected_cost=2000000, expected_delay=10.5)
    """
    open_risks = [risk for risk in risks if risk.status is RiskStatus.OPEN]
    cost = sum((Decimal(str(risk.probability)) * risk.impact for risk in open_risks), Decimal(0))
    delay = sum(
        (Decimal(str(risk.probability)) * risk.delay_days for risk in open_risks), Decimal(0)
    )
    return Exposure(
        open_risks=len(open_risks),
        expected_cost=int(cost.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
        expected_delay=float(delay),
    )


@dataclass(frozen=True)
class AccountLoss:
    """What losing the account would cost (cents): its yearly value for the years at
    stake, plus its open deals."""

    yearly_value: int
    years_at_stake: int
    open_deals_value: int

    @property
    def relationship_value(self) -> int:
        """The yearly value * the years at stake."""
        return self.yearly_value * self.years_at_stake

    @property
    def total(self) -> int:
        """The relationship's value plus the open deals."""
        return self.relationship_value + self.open_deals_value


def compute_account_loss(
    yearly_value: int, years_at_stake: int, open_deal_values: Iterable[int]
) -> AccountLoss:
    """The cost of losing an account: ``yearly_value * years_at_stake + sum of open deals``.

    A negative yearly value (more returns than sales) counts as 0.

    Examples
    --------
    An account worth 84,000.00 a year, three years at stake, two open deals of
    250,000.00 and 40,000.00: 252,000.00 + 290,000.00 = 542,000.00.

    >>> loss = compute_account_loss(8_400_000, 3, [25_000_000, 4_000_000])
    >>> loss.relationship_value, loss.open_deals_value, loss.total
    (25200000, 29000000, 54200000)
    """
    if years_at_stake < 0:
        raise ValueError(_("the years at stake cannot be negative"))
    return AccountLoss(max(yearly_value, 0), years_at_stake, sum(open_deal_values))


def validate_years_at_stake(years: int) -> int:
    """Years of relationship at stake: 0 to 50; :class:`ValueError` otherwise."""
    if not 0 <= years <= 50:
        raise ValueError(_("the years at stake lie between 0 and 50"))
    return years
