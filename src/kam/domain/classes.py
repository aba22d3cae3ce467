"""The classes a client can hold: A (strategic), B (important), C (the rest)."""

from __future__ import annotations

from enum import StrEnum


class AbcClass(StrEnum):
    """A client's class by size.

    Examples
    --------
    >>> AbcClass("A").is_key
    True
    >>> [str(c) for c in AbcClass]
    ['A', 'B', 'C']
    """

    A = "A"
    B = "B"
    C = "C"

    @property
    def is_key(self) -> bool:
        """Whether the class marks a key (strategic) account."""
        return self is AbcClass.A


#: The label of "no class" in a migration: the client had no sales in that period.
NO_CLASS = "none"

#: Rows and columns of a migration matrix, in order.
MIGRATION_STATES: tuple[str, ...] = ("A", "B", "C", NO_CLASS)
