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
