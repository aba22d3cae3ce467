"""Movements of clients between classes from one period to the next."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kam.domain.classes import MIGRATION_STATES, NO_CLASS


@dataclass(frozen=True)
class ClassPosition:
    """Where a client stood in one period: class, value (cents), share, rank."""

    abc_class: str
    value: int
    share: float
    rank: int | None


NOWHERE = ClassPosition(NO_CLASS, 0, 0.0, None)


@dataclass(frozen=True)
class Movement:
    """One client's change of class between two periods, with the numbers behind it."""

    client_id: str
    before: ClassPosition
    after: ClassPosition

    @property
    def moved(self) -> bool:
        """Whether the class changed."""
        return self.before.abc_class != self.after.abc_class

    @property
    def value_change(self) -> int:
        """Value after minus value before, in cents."""
        return self.after.value - self.before.value


@dataclass(frozen=True)
class MigrationMatrix:
    """Counts of clients by class before (rows) and after (columns).

    States are A, B, C and ``none`` (no sales in that period).

    Examples
    --------
    >>> m = compute_migration_matrix([("A", "A"), ("A", "B"), ("none", "C")])
    >>> m.count("A", "B"), m.count("none", "C"), m.moved
    (1, 1, 2)
    """

    counts: tuple[tuple[int, ...], ...]

    def count(self, before: str, after: str) -> int:
        """The number of clients that went from ``before`` to ``after``."""
        return self.counts[MIGRATION_STATES.index(before)][MIGRATION_STATES.index(after)]

    @property
    def moved(self) -> int:
        """Clients whose class changed (off the diagonal)."""
        return sum(c for i, row in enumerate(self.counts) for j, c in enumerate(row) if i != j)

    @property
    def total(self) -> int:
        """All clients counted."""
        return sum(sum(row) for row in self.counts)


def compute_migration_matrix(pairs: Iterable[tuple[str, str]]) -> MigrationMatrix:
    """Count (before, after) class pairs into the 4x4 matrix of movements."""
    size = len(MIGRATION_STATES)
    grid = [[0] * size for _ in range(size)]
    for before, after in pairs:
        grid[MIGRATION_STATES.index(before)][MIGRATION_STATES.index(after)] += 1
    return MigrationMatrix(tuple(tuple(row) for row in grid))
