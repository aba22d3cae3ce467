"""The account plan: the written plan of one key client for one period.

A plan is kept per client and calendar year (its *period*): this year's plan
is worked on, last year's stays readable as it was. Each of the six elements
of the plan (offer, people, decision, engagement, interventions, the deal and
its risks) hangs on a plan; the plan itself carries its owner, its objective
and the date it is next reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kam.i18n import N_
from kam.i18n import gettext as _


class PlanStatus(StrEnum):
    """Where a plan stands."""

    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


#: What each status is called, for people to read.
PLAN_STATUS_LABELS: dict[PlanStatus, str] = {
    PlanStatus.DRAFT: N_("draft"),
    PlanStatus.ACTIVE: N_("active"),
    PlanStatus.CLOSED: N_("closed"),
}


@dataclass(frozen=True)
class AccountPlan:
    """One client's plan for one period (a calendar year such as ``"2026"``)."""

    id: int
    client_key: str
    period: str
    owner: str | None
    review_date: date | None
    status: PlanStatus
    objective: str
    updated_at: datetime
    updated_by: str
    version: int = 1

    def is_past(self, today: date) -> bool:
        """Whether the plan's year is over: it is then kept as it was, read-only."""
        return is_past_period(self.period, today)

    def review_overdue(self, today: date) -> bool:
        """Whether the review date has passed while the plan is still open.

        Examples
        --------
        >>> plan = AccountPlan(1, "c", "2026", "ann", date(2026, 3, 1), PlanStatus.ACTIVE,
        ...                    "", datetime(2026, 1, 1), "ann")
        >>> plan.review_overdue(date(2026, 3, 2)), plan.review_overdue(date(2026, 3, 1))
        (True, False)
        """
        return (
            self.status is not PlanStatus.CLOSED
            and self.review_date is not None
            and self.review_date < today
        )


def plan_period(day: date) -> str:
    """The period of the plan in force on ``day``: its calendar year.

    Examples
    --------
    >>> plan_period(date(2026, 11, 27))
    '2026'
    """
    return str(day.year)


def parse_period(text: str) -> str:
    """A plan period as given by a person: a year from 1900 to 9999.

    Raises :class:`ValueError` otherwise.

    Examples
    --------
    >>> parse_period(" 2026 ")
    '2026'
    """
    text = text.strip()
    if not (len(text) == 4 and text.isdigit() and text >= "1900"):
        raise ValueError(_("a plan period is a year such as 2026, not {text!r}").format(text=text))
    return text


def is_past_period(period: str, today: date) -> bool:
    """Whether a period ended before ``today``.

    Examples
    --------
    >>> is_past_period("2025", date(2026, 1, 1)), is_past_period("2026", date(2026, 12, 31))
    (True, False)
    """
    return int(period) < today.year
