"""What money at risk reports: each client's value at risk with the signals that drive
it, and the totals per class and per manager; worded (:class:`RiskReport`) or by the
signals' codes, the same in every language (:class:`RiskFigures`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ClientRisk:
    """A client's money at risk: value of the last 12 months (cents) times the
    probability of losing it, and the signals that drive the probability."""

    client_key: str
    owner: str | None
    abc_class: str
    value: int
    probability: float
    drivers: tuple[str, ...]

    @property
    def at_risk(self) -> int:
        """The value at risk, in cents."""
        return round(self.value * self.probability)


@dataclass(frozen=True)
class RiskTotal:
    """The value and value at risk of a group of clients (a class, a manager)."""

    name: str
    clients: int
    value: int
    at_risk: int


@dataclass(frozen=True)
class RiskReport:
    """Money at risk as of a month: each client (most at risk first) and the totals."""

    month: str
    horizon: int
    examples: int
    lost: int
    clients: tuple[ClientRisk, ...]
    by_class: tuple[RiskTotal, ...]
    by_owner: tuple[RiskTotal, ...]

    @property
    def value(self) -> int:
        """The value of every client of the last 12 months."""
        return sum(c.value for c in self.clients)

    @property
    def at_risk(self) -> int:
        """The value at risk of every client."""
        return sum(c.at_risk for c in self.clients)


def compute_totals(
    clients: Sequence[ClientRisk], key: Callable[[ClientRisk], str]
) -> tuple[RiskTotal, ...]:
    """The value and value at risk of ``clients`` per ``key`` (a class, an owner), in
    the order of the keys."""
    grouped: dict[str, list[ClientRisk]] = defaultdict(list)
    for client in clients:
        grouped[key(client)].append(client)
    return tuple(
        RiskTotal(name, len(group), sum(c.value for c in group), sum(c.at_risk for c in group))
        for name, group in sorted(grouped.items())
    )


@dataclass(frozen=True)
class ClientFigures(ClientRisk):
    """A client's money at risk in no language: the signals that drive its probability
    by their codes (:data:`kam.services.risk.FEATURES`), and its signals, which
    :func:`kam.services.risk.word_report` words them from."""

    signals: Mapping[str, Any]


@dataclass(frozen=True)
class RiskFigures:
    """The numbers of money at risk as of a month, every client most at risk first: what
    the fit gives, the same in every language
    (:func:`kam.services.risk.word_report` words them)."""

    month: str
    horizon: int
    examples: int
    lost: int
    clients: tuple[ClientFigures, ...]
