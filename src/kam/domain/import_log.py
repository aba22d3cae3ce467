"""The record of every import: who brought which file in, and what it changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ImportKind(StrEnum):
    """What a file holds."""

    CLIENTS = "clients"
    PRODUCTS = "products"
    PEOPLE = "people"
    SALES = "sales"


@dataclass(frozen=True)
class ImportCounts:
    """Rows inserted, updated, unchanged and rejected (or skipped as already there)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class ImportRecord:
    """One import, as logged."""

    id: int
    kind: ImportKind
    file_name: str
    file_hash: str
    user: str
    started_at: datetime
    finished_at: datetime | None
    counts: ImportCounts
    status: str


class ProblemKind(StrEnum):
    """Why a row of a file was rejected."""

    TYPE = "type"
    MISSING_VALUE = "missing value"
    MISSING_REFERENCE = "missing reference"
    DUPLICATE_KEY = "duplicate key"
    OUT_OF_RANGE = "out of range"


@dataclass(frozen=True)
class ImportProblem:
    """One bad value: where it is, what it is, and what was expected instead.

    ``row`` is the row number in the file as a spreadsheet shows it (the
    header is row 1 in a CSV or Excel file); ``None`` when the problem is the
    file's, not a row's.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    kind: ProblemKind

    def describe(self) -> str:
        """One line for people.

        Examples
        --------
        >>> ImportProblem("a.csv", 7, "amount", "x", "a number", ProblemKind.TYPE).describe()
        "a.csv, row 7, column 'amount': 'x' is not a number (type)"
        """
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is None or not self.value.strip():
            what = f"empty; expected {self.expected}"
        else:
            what = f"{self.value!r} is not {self.expected}"
        return f"{', '.join(where)}: {what} ({self.kind.value})"
