"""The early-warning rules replayed on the book's past, scored as the model is.

Only the rules whose evidence the book's history holds are replayed (:data:`REPLAYED`):
those on the value by month, and the class rules, with the classes the book's
classification settings give the 12 months to each month (the policy and cut-offs of
:func:`kam.services.risk.book_policy`, as a run at the end of every month would). The
rules on plans, people, contacts and competitors read what is recorded today, not what
was known then; replaying them would score today's records against the past.

As of each month ``t`` of the replay a rule *flags* the key clients (A or B as of ``t``)
it fires on; the downgrade rule the clients that were A or B the month before ``t`` and
fell to a lower class (or out of the classes) at ``t``; the projection
(``heading_below``) those whose value since January, carried to the year's end at the
same pace, falls short of the least value of the class they hold at ``t``. Scored
against the key clients lost (see :mod:`kam.services.risk_backtest`), for a rule and for
the model at its alert budget:

- precision: of the flags at months whose outcome the book holds (the six months after
  and the six quiet months after those), the share followed by the client's loss within
  six months;
- recall: of the key clients lost, the share flagged three to six months ahead;
- lead time: the median of the months from the first flag in the six months before a
  loss to the loss, over the losses so flagged.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from kam.domain.classes import AbcClass
from kam.i18n import N_
from kam.services.alert_rules import Facts, figures_by_month, limits_of, signals_of
from kam.services.book import Book
from kam.services.risk import History

#: The rules whose evidence the book's history holds, replayed month by month.
REPLAYED = ("revenue_falling", "concentration", "downgraded", "heading_below")
#: The row of the model, flagging the alert budget's share of the key clients.
MODEL = "model"
#: The rules replayed and the model, as the pages name them.
RULE_LABELS: dict[str, str] = {
    "revenue_falling": N_("revenue falling"),
    "concentration": N_("concentration"),
    "downgraded": N_("downgraded a class"),
    "heading_below": N_("heading below its class"),
    MODEL: N_("the model, at the alert budget"),
}
#: A key client's loss: six months without a purchase; caught three to six months ahead.
QUIET = 6
AHEAD = 3

#: Flags by month (a month's index), each a set of client keys.
Flags = Mapping[int, set[str]]


@dataclass(frozen=True)
class RuleScore:
    """How a rule (or the model, :data:`MODEL`) did on the replay: its flags whose outcome
    is known and how many were followed by a loss, the key clients lost and how many it
    caught three to six months ahead, and its median lead time in months (``None``: it
    flagged no loss in the six months before)."""

    rule: str
    flags: int
    true_flags: int
    losses: int
    caught: int
    lead_months: float | None

    @property
    def precision(self) -> float | None:
        """The share of the flags followed by a loss (``None``: no flag decided)."""
        return self.true_flags / self.flags if self.flags else None

    @property
    def recall(self) -> float | None:
        """The share of the key clients lost caught ahead (``None``: none lost)."""
        return self.caught / self.losses if self.losses else None


def _month_day(month: int) -> date:
    """The first day of the month after ``month``: the day a run at its end would see."""
    year, index = divmod(month + 1, 12)
    return date(year, index + 1, 1)


def _classes(history: History, month: int) -> dict[str, AbcClass | None]:
    """Each client's class as a run at the end of ``month`` would give it (none before
    the book's first month)."""
    if month < history.first:
        return {}
    return {r["client_id"]: AbcClass(r["class"]) for r in history.signals(month)}


def class_floors(
    classes: Mapping[str, AbcClass | None], values: Mapping[str, int]
) -> dict[str, int]:
    """The least value of a client of each class: what the class takes.

    Examples
    --------
    >>> A, B = AbcClass.A, AbcClass.B
    >>> class_floors({"x": A, "y": A, "z": B}, {"x": 900, "y": 400, "z": 100})
    {'A': 400, 'B': 100}
    """
    floors: dict[str, int] = {}
    for client, klass in classes.items():
        if klass is None:
            continue
        value = values[client]
        floors[str(klass)] = min(floors.get(str(klass), value), value)
    return floors


def replay_rules(
    book: Book, history: History, first: int, last: int
) -> dict[str, dict[int, set[str]]]:
    """The key clients each rule of :data:`REPLAYED` flags as of each month from ``first``
    to ``last``, as :func:`kam.services.alert_rules.signals_of` runs them: the classes
    now are those of the 12 months to the month, before those of the 12 months to the
    month before."""
    limits = limits_of(book.settings)
    flagged: dict[str, dict[int, set[str]]] = {rule: {} for rule in REPLAYED}
    key_classes = (AbcClass.A, AbcClass.B)
    with figures_by_month(book, limits) as figures_at:
        for month in range(first, last + 1):
            now, before = _classes(history, month), _classes(history, month - 1)
            key = {c for c, k in now.items() if k in key_classes}
            was_key = {c for c, k in before.items() if k in key_classes}
            figures = figures_at(month)
            values = {r["client_id"]: int(r["value_12"]) for r in history.signals(month)}
            clients = set(figures.year_value) | set(figures.monthly) | set(now) | set(before)
            facts = Facts(
                dict.fromkeys(clients),
                figures,
                now=now,
                before=before,
                classified=True,
                floors=class_floors(now, values),
            )
            for rule in REPLAYED:
                flagged[rule][month] = set()
            for signal in signals_of(facts, _month_day(month), limits):
                watched = was_key if signal.rule == "downgraded" else key
                if signal.rule in flagged and signal.client_key in watched:
                    flagged[signal.rule][month].add(signal.client_key)
    return flagged


def _pairs(lost_at: Mapping[str, list[int]]) -> list[tuple[str, int]]:
    """The (client, month lost) pairs of clients' months lost."""
    return [(c, m) for c, months in lost_at.items() for m in months]


def score(
    rule: str,
    flags: Flags,
    losses: Iterable[tuple[str, int]],
    first: int,
    last: int,
    decided: int,
    key_losses: Iterable[tuple[str, int]] | None = None,
) -> RuleScore:
    """Score one rule's ``flags`` against the ``losses`` (client, month lost): every
    loss known up to ``decided + QUIET``; recall on the key clients lost (``key_losses``,
    else ``losses``) from ``first + 3`` to ``last + 3``, precision on the flags of the
    months up to ``decided``.

    Examples
    --------
    >>> flags = {10: {"A", "B"}, 11: {"A"}, 12: set()}
    >>> found = score("r", flags, [("A", 14), ("C", 15)], 10, 12, 12)
    >>> found.flags, found.true_flags, found.losses, found.caught, found.lead_months
    (3, 2, 2, 1, 4.0)
    """
    lost_at: dict[str, list[int]] = {}
    for client, month in losses:
        lost_at.setdefault(client, []).append(month)
    decided_flags = [
        (month, client)
        for month, clients in flags.items()
        if month <= decided
        for client in clients
    ]
    true_flags = sum(
        1
        for month, client in decided_flags
        if any(month < lost <= month + QUIET for lost in lost_at.get(client, ()))
    )
    counted = [
        (c, m)
        for c, m in (_pairs(lost_at) if key_losses is None else key_losses)
        if first + AHEAD <= m <= last + AHEAD
    ]
    caught = 0
    leads: list[int] = []
    for client, lost in counted:
        ahead = [t for t in range(lost - QUIET, lost) if client in flags.get(t, ())]
        if ahead:
            leads.append(lost - ahead[0])
        if any(t <= lost - AHEAD for t in ahead):
            caught += 1
    lead = float(statistics.median(leads)) if leads else None
    return RuleScore(rule, len(decided_flags), true_flags, len(counted), caught, lead)
