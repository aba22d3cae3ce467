"""What the store's modules do alike with rows: read a domain object off one, revoke some."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")


def from_row(kind: type[T], row: Any, /, **given: Any) -> T:
    """The dataclass ``kind`` of a row: each field from the column of its name, but those given.

    >>> from types import SimpleNamespace
    >>> from kam.domain.import_log import ImportCounts
    >>> row = SimpleNamespace(inserted=3, updated=1, unchanged=0, rejected=2, skipped=0)
    >>> from_row(ImportCounts, row, skipped=5)
    ImportCounts(inserted=3, updated=1, unchanged=0, rejected=2, skipped=5)
    """
    values = {name: getattr(row, name) for name in _names(kind) if name not in given}
    return kind(**values, **given)


@cache
def _names(kind: type[DataclassInstance]) -> tuple[str, ...]:
    # read once per class: a run maps 10^5 rows and more
    return tuple(f.name for f in fields(kind))


def revoke(session: Session, row_type: type[Any], at: datetime, *where: ColumnElement[bool]) -> int:
    """Mark the rows of ``row_type`` that match ``where`` and are not revoked yet as revoked
    ``at``; how many there were."""
    rows = session.scalars(select(row_type).where(*where, row_type.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = at
    return len(rows)
