"""A large deal on a plan: what must be delivered to win it, and the partners' guarantees.

A plan may hold one or more deals (a bid for a production line, a framework
contract). Winning one takes a checklist of *deliverables*: the client's
constraints measured and confirmed by the client, approvals from third parties,
guarantees arranged with partners, letters of intent, a training plan. Each has
an owner, a due date and a status; one past its due date and not done is
overdue.

A partner guarantee may carry a buy-back schedule, as a leasing firm offers
it: rows of (from year, to year, share of the price), for instance 70% in year
one, 50% in years two to four and 25% from year five on (the last row open).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from kam.domain.items import USER_NAME_LIMIT, FieldType, ItemField, ItemKind
from kam.i18n import N_, current
from kam.i18n import gettext as _


class DealStatus(StrEnum):
    """Where a deal stands."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


DEAL_STATUS_LABELS: dict[DealStatus, str] = {
    DealStatus.OPEN: N_("deal open"),
    DealStatus.WON: N_("deal won"),
    DealStatus.LOST: N_("deal lost"),
}


class DeliverableKind(StrEnum):
    """What sort of thing must be delivered to win a deal."""

    MEASUREMENTS = "measurements"
    APPROVAL = "approval"
    GUARANTEE = "guarantee"
    LETTER_OF_INTENT = "letter_of_intent"
    TRAINING_PLAN = "training_plan"
    OTHER = "other"


DELIVERABLE_KIND_LABELS: dict[DeliverableKind, str] = {
    DeliverableKind.MEASUREMENTS: N_("measurements confirmed by the client"),
    DeliverableKind.APPROVAL: N_("third-party approval"),
    DeliverableKind.GUARANTEE: N_("partner guarantee"),
    DeliverableKind.LETTER_OF_INTENT: N_("letter of intent"),
    DeliverableKind.TRAINING_PLAN: N_("training plan"),
    DeliverableKind.OTHER: N_("other"),
}


class DeliverableStatus(StrEnum):
    """How far a deliverable has come."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


DELIVERABLE_STATUS_LABELS: dict[DeliverableStatus, str] = {
    DeliverableStatus.TODO: N_("to do"),
    DeliverableStatus.IN_PROGRESS: N_("in progress"),
    DeliverableStatus.DONE: N_("done"),
    DeliverableStatus.BLOCKED: N_("blocked"),
}


#: The field of an item that ties it to one of the plan's deals, or to none (the account).
DEAL_REF = ItemField(
    "deal_id",
    FieldType.REF,
    N_("Deal"),
    message=N_("choose one of the plan's deals"),
    none_label=N_("the account as a whole"),
)


@dataclass(frozen=True)
class Deal:
    """A large deal on a plan; ``value`` in cents."""

    id: int
    plan_id: int
    name: str
    value: int
    close_date: date | None
    status: DealStatus
    note: str
    updated_at: datetime
    updated_by: str
    version: int = 1


#: A deal: what it holds, how it is checked and worded (its checklist is its own code).
DEAL = ItemKind(
    "deal",
    Deal,
    (
        ItemField("name", FieldType.TEXT, N_("Deal"), 200, required=N_("name the deal")),
        ItemField("value", FieldType.MONEY, N_("Value"), api_name="value_cents"),
        ItemField("close_date", FieldType.DATE, N_("Expected close")),
        ItemField(
            "status",
            FieldType.CHOICE,
            N_("Status"),
            choices=DealStatus,
            choice_labels=DEAL_STATUS_LABELS,
            default=DealStatus.OPEN,
        ),
        ItemField("note", FieldType.NOTE, N_("Note"), 5000),
    ),
    add_label=N_("Add a deal"),
    delete_label=N_("Delete the deal and its checklist"),
)


@dataclass(frozen=True)
class BuybackStep:
    """One row of a buy-back schedule: ``share`` of the price from a year to a year.

    Years count from 1 (the first year after delivery); ``to_year`` of ``None``
    means "and every year after".
    """

    from_year: int
    to_year: int | None
    share: float

    def covers(self, year: int) -> bool:
        """Whether ``year`` falls in this row."""
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)


@dataclass(frozen=True)
class Deliverable:
    """One item of a deal's checklist.

    ``price`` (cents) is what a partner guarantee's buy-back ``schedule``
    applies to; ``None`` takes the deal's value.
    """

    id: int
    deal_id: int
    kind: DeliverableKind
    title: str
    owner: str | None
    due_date: date | None
    status: DeliverableStatus
    note: str
    price: int | None
    schedule: tuple[BuybackStep, ...]
    updated_at: datetime
    updated_by: str
    version: int = 1

    def is_overdue(self, today: date) -> bool:
        """Whether the due date has passed and the deliverable is not done.

        Examples
        --------
        >>> item = Deliverable(1, 1, DeliverableKind.OTHER, "x", None, date(2026, 3, 1),
        ...                    DeliverableStatus.BLOCKED, "", None, (), datetime(2026, 1, 1), "a")
        >>> item.is_overdue(date(2026, 3, 2)), item.is_overdue(date(2026, 3, 1))
        (True, False)
        """
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status is not DeliverableStatus.DONE
        )


@dataclass(frozen=True)
class ChecklistCounts:
    """How a checklist stands: items in all, done, overdue and blocked."""

    total: int
    done: int
    overdue: int
    blocked: int


def compute_checklist_counts(items: Iterable[Deliverable], today: date) -> ChecklistCounts:
    """Count a checklist's items: all, done, overdue (due before ``today``, not done), blocked."""
    listed = list(items)
    return ChecklistCounts(
        total=len(listed),
        done=sum(item.status is DeliverableStatus.DONE for item in listed),
        overdue=sum(item.is_overdue(today) for item in listed),
        blocked=sum(item.status is DeliverableStatus.BLOCKED for item in listed),
    )


def validate_schedule(steps: Sequence[BuybackStep]) -> tuple[BuybackStep, ...]:
    """A buy-back schedule in order of years, checked.

    Years start at 1, a row ends no earlier than it starts, rows do not
    overlap, only the last may be open-ended and shares lie between 0 and 1.
    Raises :class:`ValueError` with the reason otherwise.
    """
    ordered = tuple(sorted(steps, key=lambda step: step.from_year))
    for step in ordered:
        if step.from_year < 1:
            raise ValueError(_("a buy-back year starts at 1"))
        if step.to_year is not None and step.to_year < step.from_year:
            raise ValueError(
                _("a buy-back row ends (year {to}) before it starts (year {start})").format(
                    to=step.to_year, start=step.from_year
                )
            )
        if not 0 <= step.share <= 1:
            raise ValueError(_("a buy-back share lies between 0% and 100%"))
    for before, after in itertools.pairwise(ordered):
        if before.to_year is None or before.to_year >= after.from_year:
            raise ValueError(
                _("buy-back rows overlap from year {year}").format(year=after.from_year)
            )
    return ordered


def buyback_share(schedule: Sequence[BuybackStep], year: int) -> float | None:
    """The share of the price bought back in ``year``; ``None`` outside the schedule.

    Examples
    --------
    >>> leasing = [BuybackStep(1, 1, 0.7), BuybackStep(2, 4, 0.5), BuybackStep(5, None, 0.25)]
    >>> [buyback_share(leasing, year) for year in (1, 2, 4, 5, 12)]
    [0.7, 0.5, 0.5, 0.25, 0.25]
    """
    for step in schedule:
        if step.covers(year):
            return step.share
    return None


def compute_buyback_value(price: int, schedule: Sequence[BuybackStep], year: int) -> int | None:
    """What the partner pays back in ``year`` for equipment bought at ``price`` (cents).

    Rounded to the cent, halves up; ``None`` when the schedule does not cover
    the year.

    Examples
    --------
    DOMAIN.md's leasing buy-back (70% in year one, 50% in years two to four,
    25% from year five) on a price of 1,200,000.00:

    >>> leasing = [BuybackStep(1, 1, 0.7), BuybackStep(2, 4, 0.5), BuybackStep(5, None, 0.25)]
    >>> [compute_buyback_value(120_000_000, leasing, year) for year in (1, 3, 6)]
    [84000000, 60000000, 30000000]
    """
    share = buyback_share(schedule, year)
    if share is None:
        return None
    exact = Decimal(price) * Decimal(str(share))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def schedule_years(schedule: Sequence[BuybackStep]) -> list[int]:
    """The years a schedule's table shows: 1 to the last row's start (or end).

    Examples
    --------
    >>> schedule_years([BuybackStep(1, 1, 0.7), BuybackStep(2, 4, 0.5), BuybackStep(5, None, 0.25)])
    [1, 2, 3, 4, 5]
    """
    if not schedule:
        return []
    last = max(step.to_year or step.from_year for step in schedule)
    return list(range(1, last + 1))


_ROW = re.compile(r"^\s*(\d+)\s*(?:(-)\s*(\d*))?\s*[:=]\s*([\d.,]+)\s*%?\s*$")


def parse_schedule(text: str) -> tuple[BuybackStep, ...]:
    """A buy-back schedule written one row a line: ``year: percent``, ``from-to: percent``,
    ``from-: percent`` (open-ended); rows may also be separated by ``;``.

    Examples
    --------
    >>> parse_schedule("1: 70\\n2-4: 50\\n5-: 25%")  # doctest: +NORMALIZE_WHITESPACE
    (BuybackStep(from_year=1, to_year=1, share=0.7), BuybackStep(from_year=2, to_year=4, share=0.5),
     BuybackStep(from_year=5, to_year=None, share=0.25))
    """
    steps = []
    for line in re.split(r"[\n;]", text):
        if not line.strip():
            continue
        found = _ROW.match(line)
        if found is None:
            raise ValueError(
                _("a buy-back row reads like '2-4: 50' (years 2 to 4, 50%), not {line!r}").format(
                    line=line.strip()
                )
            )
        start, dash, end, percent = found.groups()
        to_year = int(end) if end else (None if dash else int(start))
        try:
            share = float(Decimal(percent.replace(",", ".")) / 100)
        except InvalidOperation:
            raise ValueError(_("{percent!r} is not a percentage").format(percent=percent)) from None
        steps.append(BuybackStep(int(start), to_year, share))
    return validate_schedule(steps)


def format_schedule(schedule: Sequence[BuybackStep]) -> str:
    """A schedule as :func:`parse_schedule` reads it (the form's text).

    Examples
    --------
    >>> format_schedule(parse_schedule("1: 70; 2-4: 50; 5-: 25"))
    '1: 70\\n2-4: 50\\n5-: 25'
    """
    lines = []
    for step in schedule:
        percent = format(Decimal(str(step.share)) * 100, "f").rstrip("0").rstrip(".")
        if step.to_year == step.from_year:
            years = str(step.from_year)
        else:
            years = f"{step.from_year}-{'' if step.to_year is None else step.to_year}"
        lines.append(f"{years}: {percent}")
    return "\n".join(lines)


#: The largest amount typed into a plan, in currency units: that of a sales line.
LARGEST_AMOUNT = 10**13


def parse_money(text: str) -> int:
    """An amount typed by a person, in cents: the language's thousands separators and
    spaces are dropped, its decimal mark (or a point) separates the cents.

    Examples
    --------
    >>> parse_money("1,200,000.50"), parse_money(" 250 000 "), parse_money("")
    (120000050, 25000000, 0)
    >>> parse_money("1e400")
    Traceback (most recent call last):
    ...
    ValueError: '1e400' is more than 10,000,000,000,000, the largest amount kam keeps
    """
    language = current()
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if language.group not in (" ", "\u00a0", "\u202f"):
        cleaned = cleaned.replace(language.group, "")
    cleaned = cleaned.replace(language.decimal, ".")
    if not cleaned:
        return 0
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("{text!r} is not an amount").format(text=text.strip())) from None
    if not value.is_finite() or value < 0:
        raise ValueError(_("{text!r} is not an amount").format(text=text.strip()))
    if value > LARGEST_AMOUNT:
        raise ValueError(
            _("{text!r} is more than {largest}, the largest amount kam keeps").format(
                text=text.strip(), largest=f"{LARGEST_AMOUNT:,}"
            )
        )
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


#: An item of a deal's checklist: what it holds, how it is checked and worded; its
#: buy-back schedule is a list of rows kept beside it.
DELIVERABLE = ItemKind(
    "deliverable",
    Deliverable,
    (
        ItemField(
            "deal_id",
            FieldType.REF,
            N_("Deal"),
            needed=True,
            message=N_("choose one of the plan's deals"),
        ),
        ItemField(
            "kind",
            FieldType.CHOICE,
            N_("Kind"),
            choices=DeliverableKind,
            choice_labels=DELIVERABLE_KIND_LABELS,
            default=DeliverableKind.OTHER,
        ),
        ItemField(
            "title",
            FieldType.TEXT,
            N_("Deliverable"),
            300,
            required=N_("say what is to be delivered"),
        ),
        ItemField("owner", FieldType.USER, N_("Owner"), USER_NAME_LIMIT),
        ItemField("due_date", FieldType.DATE, N_("Due")),
        ItemField(
            "status",
            FieldType.CHOICE,
            N_("Status"),
            choices=DeliverableStatus,
            choice_labels=DELIVERABLE_STATUS_LABELS,
            default=DeliverableStatus.TODO,
        ),
        ItemField("note", FieldType.NOTE, N_("Note"), 5000),
        ItemField(
            "price",
            FieldType.MONEY,
            N_("Price it applies to (empty: the deal's value)"),
            optional=True,
            api_name="price_cents",
        ),
        ItemField(
            "schedule",
            FieldType.ROWS,
            N_("Buy-back schedule (partner guarantee)"),
            2000,
            check=validate_schedule,
            parse=parse_schedule,
        ),
    ),
)
