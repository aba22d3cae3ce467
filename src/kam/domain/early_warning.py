"""Early warning: the rules that tell the head of key accounts when to step in.

Each rule is a small function over what the book knows of one client (its
monthly value, its classes, its people, its plan, its contacts) and returns a
:class:`Signal`, or ``None`` when all is well. A signal names its rule, says how
serious it is, gives its evidence in numbers (a sentence with its values, worded
in the reader's language) and the action it suggests, and who should act: the
account manager who owns the client, or the head. ``measure`` is the one number
that says how bad it is (a drop, a number of days), so that a dismissed warning
stays quiet until it worsens by a set step.

The rules' parameters are in :class:`Limits`; the book's settings change them.
Where a rule's data does not exist (no service policy, no people map), the rule
is simply not run: a warning is never made up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kam.domain.activities import kind_label
from kam.domain.cadence import DueContact
from kam.domain.classes import AbcClass
from kam.domain.interventions import Trigger
from kam.domain.people_map import BuyingRole, Influence
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.money import format_cents


class Severity(StrEnum):
    """How soon a warning wants an answer."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Acts(StrEnum):
    """Who a warning goes to."""

    OWNER = "owner"
    HEAD = "head"


@dataclass(frozen=True)
class Limits:
    """The parameters of the rules (the book's settings)."""

    revenue_drop: float = 0.30  # a fall of the last 3 or 6 months against a year before
    decision_maker_days: int = 90  # days without contact with a decision maker
    cadence_margin_days: int = 14  # days past a contact's due day before it warns
    competitor_days: int = 60  # a competitor recorded at the client within these days
    concentration_share: float = 0.20  # one client's share of the book's value


#: The values of a signal that are amounts in cents: the evidence writes them as money.
MONEY_VALUES = frozenset({"now", "before", "projected", "limit"})


@dataclass(frozen=True)
class Signal:
    """One rule's warning about one client, with its evidence."""

    rule: str
    client_key: str
    severity: Severity
    message: str  # the evidence, an untranslated message with ``values``' placeholders
    values: Mapping[str, str | int | float] = field(default_factory=dict)
    action: str = ""  # the suggested action, an untranslated message
    acts: Acts = Acts.OWNER
    measure: float = 0.0
    trigger: Trigger = Trigger.OTHER  # the intervention point it would become

    def evidence(self) -> str:
        """The evidence, worded in the current language, its amounts in the current currency.

        >>> Signal("r", "C1", Severity.LOW, "{now} against {before}", {"now": 150, "before": 300}
        ...        ).evidence()
        '€1.50 against €3.00'
        """
        values = {
            name: format_cents(value)
            if name in MONEY_VALUES and isinstance(value, int)
            else kind_label(value)
            if name == "kind" and isinstance(value, str)
            else value
            for name, value in self.values.items()
        }
        return _(self.message).format(**values)


def _percent(share: float) -> str:
    return f"{share:.0%}"


def _change(drop: float) -> str:
    """A drop (0.6: 60% less) written as the change it is, signed: ``-60%``; a rise ``+25%``."""
    return f"{-drop:+.0%}" if drop else "0%"


def revenue_falling(
    client_key: str, monthly: Mapping[int, int], last_month: int, limits: Limits
) -> Signal | None:
    """The value of the last 3 or 6 months fell by more than the set drop against the
    same months a year before (``monthly``: month index, such as ``year * 12 + month - 1``,
    to value in cents; ``last_month`` the book's last month).

    Examples
    --------
    >>> months = {m: 1000 for m in range(100, 112)} | {m: 500 for m in range(112, 124)}
    >>> signal = revenue_falling("C1", months, 123, Limits())
    >>> signal.values["now"], signal.values["before"], signal.values["change3"]
    (1500, 3000, '-50%')
    """

    def total(first: int, months: int) -> int:
        return sum(monthly.get(m, 0) for m in range(first, first + months))

    drops: dict[int, tuple[int, int, float]] = {}
    for months in (3, 6):
        now = total(last_month - months + 1, months)
        before = total(last_month - months - 11, months)
        if before > 0:
            drops[months] = (now, before, round(1 - now / before, 6))
    worst = max((d[2] for d in drops.values()), default=0.0)
    if worst <= limits.revenue_drop or 3 not in drops or 6 not in drops:
        return None
    now3, before3, drop3 = drops[3]
    return Signal(
        "revenue_falling",
        client_key,
        Severity.HIGH if worst >= 2 * limits.revenue_drop else Severity.MEDIUM,
        N_(
            "value of the last 3 months {now}, {change3} on the same months a year before "
            "({before}); last 6 months {change6}"
        ),
        {
            "now": now3,
            "before": before3,
            "change3": _change(drop3),
            "change6": _change(drops[6][2]),
        },
        N_("visit the client and ask what changed"),
        Acts.OWNER,
        round(worst, 4),
        Trigger.FALLING_REVENUE,
    )


def downgraded(client_key: str, before: AbcClass | None, now: AbcClass | None) -> Signal | None:
    """The client fell to a lower class (or to none) in the latest classification run."""
    order = {AbcClass.A: 0, AbcClass.B: 1, AbcClass.C: 2, None: 3}
    if before is None or order[now] <= order[before]:
        return None
    return Signal(
        "downgraded",
        client_key,
        Severity.HIGH if before is AbcClass.A else Severity.MEDIUM,
        N_("class {before} in the run before, {now} now"),
        {"before": str(before), "now": str(now) if now else "-"},
        N_("review the account plan with the account manager"),
        Acts.HEAD if before is AbcClass.A else Acts.OWNER,
        float(order[now] - order[before]),
        Trigger.FALLING_REVENUE,
    )


def heading_below(
    client_key: str,
    held: AbcClass,
    value_so_far: int,
    elapsed_days: int,
    period_days: int,
    class_limit: int,
) -> Signal | None:
    """The value so far this period, carried to the period's end at the same pace,
    falls short of the least value of the class held (``class_limit``, cents)."""
    if held is AbcClass.C or not 0 < elapsed_days < period_days:
        return None
    projected = value_so_far * period_days // elapsed_days
    if projected >= class_limit:
        return None
    return Signal(
        "heading_below",
        client_key,
        Severity.MEDIUM,
        N_(
            "at this pace {projected} by the end of the period, below the {limit} "
            "class {klass} takes"
        ),
        {"projected": projected, "limit": class_limit, "klass": str(held)},
        N_("find what would bring the orders back before the period ends"),
        Acts.OWNER,
        round(1 - projected / class_limit, 4) if class_limit else 0.0,
        Trigger.FALLING_REVENUE,
    )


def out_of_cadence(
    client_key: str, held: AbcClass, due: Sequence[DueContact], limits: Limits
) -> Signal | None:
    """An A or B client owed a contact for longer than the margin allows."""
    if held is AbcClass.C:
        return None
    late = [d for d in due if d.overdue_days > limits.cadence_margin_days]
    if not late:
        return None
    worst = max(late, key=lambda d: d.overdue_days)
    return Signal(
        "out_of_cadence",
        client_key,
        Severity.HIGH if held is AbcClass.A else Severity.MEDIUM,
        N_("{kind} due since {due}, {days} days ago"),
        {"kind": worst.rule.kind, "due": worst.due.isoformat(), "days": worst.overdue_days},
        N_("plan the contact this week"),
        Acts.OWNER,
        float(worst.overdue_days),
    )


@dataclass(frozen=True)
class PersonView:
    """One of the client's people as the rules see them."""

    key: str
    name: str
    roles: tuple[BuyingRole, ...]
    influence: Influence | None = None
    owner: str | None = None  # who holds our relationship with the person
    left: bool = False
    last_contact: date | None = None


def decision_maker_silent(
    client_key: str, people: Sequence[PersonView], today: date, limits: Limits
) -> Signal | None:
    """No contact with any decision maker for longer than the set days (or ever)."""
    makers = [p for p in people if BuyingRole.DECISION_MAKER in p.roles and not p.left]
    if not makers:
        return None
    last = max((p.last_contact for p in makers if p.last_contact), default=None)
    days = None if last is None else (today - last).days
    if days is not None and days <= limits.decision_maker_days:
        return None
    names = ", ".join(sorted(p.name for p in makers))
    if days is None:
        message, values = N_("no contact ever with the decision maker ({names})"), {}
    else:
        message, values = (
            N_("no contact with the decision maker ({names}) for {days} days"),
            {"days": days},
        )
    return Signal(
        "decision_maker_silent",
        client_key,
        Severity.HIGH,
        message,
        {"names": names, **values},
        N_("meet the decision maker, with the head if need be"),
        Acts.OWNER,
        float(days if days is not None else 10_000),
        Trigger.NO_DECISION_MAKER,
    )


def key_person_left(client_key: str, people: Sequence[PersonView]) -> Signal | None:
    """A decision maker or a champion left the client."""
    key = {BuyingRole.DECISION_MAKER, BuyingRole.CHAMPION}
    gone = [p for p in people if p.left and key & set(p.roles)]
    return _about_people(
        "key_person_left",
        client_key,
        gone,
        (Severity.HIGH, Acts.HEAD, Trigger.WRONG_WAY),
        N_("left the client: {names}"),
        N_("find who takes their place and meet them"),
    )


def blocker_unowned(client_key: str, people: Sequence[PersonView]) -> Signal | None:
    """An influential blocker whose relationship nobody of ours holds."""
    loose = [
        p
        for p in people
        if BuyingRole.BLOCKER in p.roles
        and p.influence is Influence.HIGH
        and not (p.owner or p.left)
    ]
    return _about_people(
        "blocker_unowned",
        client_key,
        loose,
        (Severity.MEDIUM, Acts.OWNER, Trigger.BLOCKER_GAINING),
        N_("influential blocker with no one of ours to answer them: {names}"),
        N_("name who holds the relationship with the blocker"),
    )


def _about_people(
    rule: str,
    client_key: str,
    named: Sequence[PersonView],
    how: tuple[Severity, Acts, Trigger],
    message: str,
    action: str,
) -> Signal | None:
    """The signal that names ``named`` (``None`` when nobody is)."""
    if not named:
        return None
    severity, acts, trigger = how
    names = ", ".join(sorted(p.name for p in named))
    return Signal(
        rule, client_key, severity, message, {"names": names}, action, acts, len(named), trigger
    )


def competitor_seen(
    client_key: str, seen: Mapping[str, date], today: date, limits: Limits
) -> Signal | None:
    """A competitor recorded at the client within the set days (``seen``: competitor to
    the day it was last recorded)."""
    recent = {
        name: day for name, day in seen.items() if (today - day).days <= limits.competitor_days
    }
    if not recent:
        return None
    return Signal(
        "competitor_seen",
        client_key,
        Severity.MEDIUM,
        N_("competitors at the client in the last {days} days: {names}"),
        {"days": limits.competitor_days, "names": ", ".join(sorted(recent))},
        N_("go over the decision criteria against them"),
        Acts.OWNER,
        float(len(recent)),
        Trigger.COMPETITOR_MOVE,
    )


def concentrated(client_key: str, value: int, book_value: int, limits: Limits) -> Signal | None:
    """One client holds more than the set share of the book's value."""
    if book_value <= 0 or value / book_value <= limits.concentration_share:
        return None
    share = value / book_value
    return Signal(
        "concentration",
        client_key,
        Severity.LOW,
        N_("{share} of the book's value comes from this client"),
        {"share": _percent(share)},
        N_("weigh the cost of losing it and spread the risk"),
        Acts.HEAD,
        round(share, 4),
    )


@dataclass(frozen=True)
class PlanView:
    """A client's plan for the year as the rules see it (``None`` for a client without)."""

    review_on: date | None
    stages_late: Sequence[tuple[str, date]] = ()  # stages past their date, not done
    deliverables_late: Sequence[tuple[str, date]] = ()  # deliverables past due, not done


def plan_slipping(
    client_key: str, held: AbcClass, plan: PlanView | None, today: date
) -> Signal | None:
    """An A client without a plan this year; or a plan whose stages or deliverables are
    past their dates, or whose review day has passed."""
    if plan is None:
        if held is not AbcClass.A:
            return None
        return Signal(
            "no_plan",
            client_key,
            Severity.HIGH,
            N_("an A client with no plan for this year"),
            {},
            N_("open the account plan"),
            Acts.HEAD,
            1.0,
        )
    late = [*plan.stages_late, *plan.deliverables_late]
    review_late = plan.review_on is not None and plan.review_on < today
    if not late and not review_late:
        return None
    oldest = min((day for _name, day in late), default=plan.review_on or today)
    return Signal(
        "plan_slipping",
        client_key,
        Severity.MEDIUM,
        N_("{stages} stages and {deliverables} deliverables past their dates; review {review}"),
        {
            "stages": len(plan.stages_late),
            "deliverables": len(plan.deliverables_late),
            "review": plan.review_on.isoformat() if plan.review_on else "-",
        },
        N_("go over the plan with the account manager"),
        Acts.HEAD if held is AbcClass.A else Acts.OWNER,
        float((today - oldest).days),
        Trigger.STALLED_STAGE,
    )
