"""The ranked client list every classification starts from, in pure Python.

This is the reference definition. The analytics layer computes the same
columns as table expressions on an engine; the conformance tests compare both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kam.domain.classes import AbcClass
from kam.domain.policy import Policy


@dataclass(frozen=True)
class RankedClient:
    """One client's place in the ranking of a period.

    ``value`` is the cleaned value (never below 0). ``above_value`` is the value
    held by the clients ranked strictly above the first client with the same
    value, and ``above_count`` the number of those clients: equal values share
    them, and so share a class.
    """

    client_id: str
    value: int
    rank: int
    share: float
    cumulative_share: float
    above_value: int
    above_count: int
    clients: int
    total: int

    @property
    def above_value_share(self) -> float:
        """Share of all value held by the clients ranked above (ties count as one)."""
        return self.above_value / self.total if self.total else 0.0

    @property
    def above_count_share(self) -> float:
        """Share of all clients ranked above (ties count as one)."""
        return self.above_count / self.clients if self.clients else 0.0


@dataclass(frozen=True)
class ClassifiedClient:
    """A ranked client with the class a policy gives it."""

    ranked: RankedClient
    abc_class: AbcClass


def rank_clients(values: Mapping[str, int]) -> list[RankedClient]:
    """Rank clients by value, descending, ties by client id ascending.

    Values are integer amounts (cents); negatives are cleaned to 0.

    Examples
    --------
    >>> [(r.client_id, r.rank, r.above_value) for r in rank_clients({"b": 5, "a": 5, "c": 9})]
    [('c', 1, 0), ('a', 2, 9), ('b', 3, 9)]
    """
    cleaned = sorted(((-max(v, 0), cid) for cid, v in values.items()))
    total = sum(-neg for neg, _ in cleaned)
    n = len(cleaned)
    ranked: list[RankedClient] = []
    running = 0
    above_value = 0
    above_count = 0
    previous: int | None = None
    for index, (neg, client_id) in enumerate(cleaned):
        value = -neg
        if value != previous:
            above_value, above_count, previous = running, index, value
        running += value
        ranked.append(
            RankedClient(
                client_id=client_id,
                value=value,
                rank=index + 1,
                share=value / total if total else 0.0,
                cumulative_share=running / total if total else 0.0,
                above_value=above_value,
                above_count=above_count,
                clients=n,
                total=total,
            )
        )
    return ranked


def classify(values: Mapping[str, int], policy: Policy) -> list[ClassifiedClient]:
    """Classify clients by a policy; the pure reference of every engine.

    Examples
    --------
    The rule's two worked examples (cut-offs 80% and 95%):

    >>> from kam.domain.policy import ParetoPolicy
    >>> def classes(*vs: int) -> str:
    ...     values = {f"c{i}": v for i, v in enumerate(vs)}
    ...     return " ".join(c.abc_class for c in classify(values, ParetoPolicy()))
    >>> classes(50, 20, 10, 8, 5, 4, 2, 1)
    'A A A B B B C C'
    >>> classes(40, 20, 20, 10, 5, 5)
    'A A A B B B'
    """
    return [
        ClassifiedClient(r, policy.class_for(r.value, r.above_value_share, r.above_count_share))
        for r in rank_clients(values)
    ]
