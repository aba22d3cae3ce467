"""The record of every import: who brought which file in, and what it changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kam.i18n import N_
from kam.i18n import gettext as _


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


#: Each kind of problem as people read it, translated where shown.
PROBLEM_KINDS: dict[ProblemKind, str] = {
    ProblemKind.TYPE: N_("type"),
    ProblemKind.MISSING_VALUE: N_("missing value"),
    ProblemKind.MISSING_REFERENCE: N_("missing reference"),
    ProblemKind.DUPLICATE_KEY: N_("duplicate key"),
    ProblemKind.OUT_OF_RANGE: N_("out of range"),
}


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
        """One line for people, in the language of the moment.

        ``expected`` was worded when the file was read, in the language of that moment.

        Examples
        --------
        >>> ImportProblem("a.csv", 7, "amount", "x", "a number", ProblemKind.TYPE).describe()
        "a.csv, row 7, column 'amount': 'x' is not a number (type)"
        """
        if self.value is None or not self.value.strip():
            what = _("empty; expected {expected}").format(expected=self.expected)
        else:
            what = _("{value!r} is not {expected}").format(value=self.value, expected=self.expected)
        return _("{where}: {what} ({kind})").format(
            where=place(self.file, self.row, self.column),
            what=what,
            kind=_(PROBLEM_KINDS[self.kind]),
        )


def place(file: str, row: int | None, column: str | None) -> str:
    """Where in a file, for people: the file, and the row and column when known.

    Examples
    --------
    >>> place("a.csv", 7, "amount")
    "a.csv, row 7, column 'amount'"
    """
    if row is not None and column is not None:
        return _("{file}, row {row}, column {column!r}").format(file=file, row=row, column=column)
    if row is not None:
        return _("{file}, row {row}").format(file=file, row=row)
    if column is not None:
        return _("{file}, column {column!r}").format(file=file, column=column)
    return file
