"""What an analysis of a sales file gives back: a table of its clients, a summary, notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

S = TypeVar("S")


@dataclass(frozen=True)
class ClientTable(Generic[S]):
    """Clients with what the analysis gave each (a pyarrow table), the summary ``S`` of the
    book, and notes on what was left out or read in a way to know of."""

    table: Any
    summary: S
    notes: tuple[str, ...] = ()
