"""Master data by external key: clients, products and people, inserted or updated, never doubled."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kam.domain.client import Client
from kam.domain.import_log import ImportCounts
from kam.domain.product import Product
from kam.domain.stakeholder import Person
from kam.store.changes import Changed, count_change
from kam.store.schema import ClientRow, PersonRow, ProductRow

T = TypeVar("T", Client, Product, Person)

#: Domain field -> column, where the names differ.
_COLUMN_OF = {Product: {"group": "group_name"}}
_ROW_OF: dict[type[Any], Any] = {Client: ClientRow, Product: ProductRow, Person: PersonRow}


def _column(kind: type[Any], field: str) -> str:
    return _COLUMN_OF.get(kind, {}).get(field, field)


def _to_domain(kind: type[T], row: Any) -> T:
    return kind(**{f.name: getattr(row, _column(kind, f.name)) for f in fields(kind)})


def upsert(
    session: Session,
    records: Sequence[T],
    now: datetime,
    *,
    dry_run: bool = False,
    only: Collection[str] | None = None,
) -> ImportCounts:
    """Insert new records and update changed ones, matched by ``key``.

    ``only`` names the fields a file holds: an existing record's other fields
    are left as they are (a file without potentials does not erase them).
    Returns the counts; with ``dry_run`` nothing is written.
    """
    if not records:
        return ImportCounts()
    kind = type(records[0])
    row_type = _ROW_OF[kind]
    keys = [r.key for r in records]
    existing: dict[str, Any] = {}
    for chunk in _chunks(keys, 500):
        for row in session.scalars(select(row_type).where(row_type.key.in_(chunk))):
            existing[row.key] = row
    inserted = updated = unchanged = 0
    new: list[dict[str, Any]] = []
    names = [(f.name, _column(kind, f.name)) for f in fields(kind)]
    kept = names if only is None else [(n, c) for n, c in names if n in only or n == "key"]
    for record in records:
        # the fields hold plain values: read them as they are (asdict copies each one deeply)
        every = {column: getattr(record, name) for name, column in names}
        values = every if only is None else {column: every[column] for _name, column in kept}
        row = existing.get(record.key)
        if row is None:
            inserted += 1
            new.append({**every, "created_at": now, "updated_at": now})
        elif any(getattr(row, k) != v for k, v in values.items()):
            updated += 1
            if not dry_run:
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_at = now
        else:
            unchanged += 1
    if not dry_run:
        session.flush()
        if new:
            # one statement for many rows (100,000 new clients cost a second, not a minute)
            session.execute(insert(row_type), new)
        if kind is Client and (inserted or updated):
            count_change(session, Changed.CLIENTS)
    return ImportCounts(inserted=inserted, updated=updated, unchanged=unchanged)


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_keys(session: Session, kind: type[T], keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` are in the book."""
    row_type = _ROW_OF[kind]
    found: set[str] = set()
    for chunk in _chunks(sorted(set(keys)), 500):
        found.update(session.scalars(select(row_type.key).where(row_type.key.in_(chunk))))
    return found


def get(session: Session, kind: type[T], key: str) -> T | None:
    """One record by key, or ``None``."""
    row_type = _ROW_OF[kind]
    row = session.scalar(select(row_type).where(row_type.key == key))
    return None if row is None else _to_domain(kind, row)


def list_all(session: Session, kind: type[T]) -> list[T]:
    """Every record of a kind, by key."""
    row_type = _ROW_OF[kind]
    rows = session.scalars(select(row_type).order_by(row_type.key))
    return [_to_domain(kind, row) for row in rows]


def people_of(session: Session, client_key: str) -> list[Person]:
    """The people of one client, by name."""
    rows = session.scalars(
        select(PersonRow).where(PersonRow.client_key == client_key).order_by(PersonRow.name)
    )
    return [_to_domain(Person, row) for row in rows]


def client_parents(session: Session) -> dict[str, str | None]:
    """Every client's parent key (its group), for rolling clients up into groups."""
    rows = session.execute(select(ClientRow.key, ClientRow.parent_key))
    return {key: parent for key, parent in rows}  # noqa: C416 (rows are Row objects)


def members_of(session: Session, group_key: str) -> list[str]:
    """The keys of the clients whose group (parent) is ``group_key``, sorted."""
    return list(
        session.scalars(
            select(ClientRow.key).where(ClientRow.parent_key == group_key).order_by(ClientRow.key)
        )
    )


def all_keys(session: Session, kind: type[T]) -> set[str]:
    """Every key of a kind in the book."""
    row_type = _ROW_OF[kind]
    return set(session.scalars(select(row_type.key)))


def client_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """The names of the clients of ``keys`` that exist, by key."""
    names: dict[str, str] = {}
    for chunk in _chunks(sorted(set(keys)), 500):
        query = select(ClientRow.key, ClientRow.name).where(ClientRow.key.in_(chunk))
        names.update(session.execute(query).tuples().all())
    return names


def people_by_email(session: Session, emails: Iterable[str]) -> dict[str, list[Person]]:
    """The clients' people of each of ``emails`` (lower case), by address."""
    wanted = sorted({e.lower() for e in emails})
    found: dict[str, list[Person]] = {}
    for chunk in _chunks(wanted, 500):
        rows = session.scalars(
            select(PersonRow).where(func.lower(PersonRow.email).in_(chunk)).order_by(PersonRow.key)
        )
        for row in rows:
            person = _to_domain(Person, row)
            found.setdefault((person.email or "").lower(), []).append(person)
    return found
