"""The portfolio's bubble views: size against potential, and the size x potential class matrix.

Size is a client's value in the latest run, its class the class held there.
Potential is what the client could buy from us (the client's ``potential``).
The potential class comes from an ABC (pareto, 80%/95%) on the potentials of
the clients the user may see, ranked by :func:`kam.domain.ranking.classify`,
the reference ``kam potential`` is checked against; as there, a client
without a potential ranks with 0 and is C by potential.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kam.domain.class_history import ClassificationRun
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.domain.policy import ParetoPolicy
from kam.domain.ranking import classify
from kam.services.abc import describe_policy
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.store import class_history, records
from kam.store.database import transaction

#: The most bubbles drawn (the largest clients by value); the counts cover every client.
MAX_BUBBLES = 300
#: The most clients without a potential listed.
MAX_LISTED = 200
_POLICY = ParetoPolicy()


@dataclass(frozen=True)
class Bubble:
    """A client with value and potential (money in currency units)."""

    client_key: str
    name: str
    abc_class: str
    potential_class: str
    value: float
    potential: float
    share: float


@dataclass(frozen=True)
class Unsized:
    """A client of the run without a potential."""

    client_key: str
    name: str
    abc_class: str
    value: float


@dataclass(frozen=True)
class ClassCell:
    """The clients of one size class and potential class, with their value and potential."""

    size_class: str
    potential_class: str
    clients: int
    value: float
    potential: float


@dataclass(frozen=True)
class PortfolioBubbles:
    """What the bubble charts show, for the clients a user may see; ``potential_policy``
    names the potential classes' policy in the language of the moment."""

    run: ClassificationRun | None
    clients: int = 0
    with_potential: int = 0
    bubbles: list[Bubble] = field(default_factory=list)
    without_potential: list[Unsized] = field(default_factory=list)
    without_potential_count: int = 0
    cells: list[ClassCell] = field(default_factory=list)
    potential_policy: str = field(default_factory=lambda: describe_policy(_POLICY))


def portfolio_bubbles(book: Book, scope: ClientScope) -> PortfolioBubbles:
    """The size x potential bubbles and the class matrix of the latest run, within ``scope``."""
    with transaction(book.database) as session:
        run = class_history.latest_run(session)
        if run is None:
            return PortfolioBubbles(run=None)
        snapshots = [
            s for s in class_history.snapshots_of(session, run) if scope.allows(s.client_key)
        ]
        clients = {c.key: c for c in records.list_all(session, Client) if scope.allows(c.key)}
    potentials = {}
    for s in snapshots:
        client = clients.get(s.client_key)
        potentials[s.client_key] = (
            client.potential if client and client.potential and client.potential > 0 else 0
        )
    potential_class = {c.ranked.client_id: c.abc_class.value for c in classify(potentials, _POLICY)}
    total = sum(max(s.value, 0) for s in snapshots) or 1
    bubbles: list[Bubble] = []
    unsized: list[Unsized] = []
    cells = {(a.value, b.value): [0, 0, 0] for a in AbcClass for b in AbcClass}
    for s in sorted(snapshots, key=lambda s: (-s.value, s.client_key)):
        client = clients.get(s.client_key)
        name = client.name if client else s.client_key
        potential = potentials[s.client_key]
        cell = cells[(s.abc_class, potential_class[s.client_key])]
        cell[0] += 1
        cell[1] += max(s.value, 0)
        cell[2] += potential
        if potential > 0:
            bubbles.append(
                Bubble(
                    s.client_key,
                    name,
                    s.abc_class,
                    potential_class[s.client_key],
                    s.value / 100,
                    potential / 100,
                    max(s.value, 0) / total,
                )
            )
        else:
            unsized.append(Unsized(s.client_key, name, s.abc_class, s.value / 100))
    return PortfolioBubbles(
        run=run,
        clients=len(snapshots),
        with_potential=len(bubbles),
        bubbles=bubbles[:MAX_BUBBLES],
        without_potential=unsized[:MAX_LISTED],
        without_potential_count=len(unsized),
        cells=[
            ClassCell(size, pot, count, value / 100, potential / 100)
            for (size, pot), (count, value, potential) in cells.items()
        ],
    )
