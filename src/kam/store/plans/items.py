"""Plan items in the database, mapped by their kind's declaration.

A kind of item (:class:`~kam.domain.items.ItemKind`) is kept in one table whose
columns bear the names of the item's dataclass fields, with ``plan_id`` and
``updated_at``/``updated_by``. :class:`ItemTable` ties the kind to its row
class, and to the tables its references point to (a risk's ``deal_id`` to the
plan's deals), and maps rows to items by the dataclass's fields, as
:func:`kam.store.records._to_domain` does for master data.
"""

from __future__ import annotations

import importlib
import pkgutil
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, Generic, TypeVar, get_args, get_type_hints

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kam.domain.items import ItemKind
from kam.domain.versions import check_version

T = TypeVar("T")

#: The largest id a row of a plan item can have (a 32-bit integer, as the databases keep it).
ID_MAX = 2**31 - 1


def find_row(session: Session, row_type: type[Any], plan_id: int, item_id: int) -> Any:
    """The row ``item_id`` of ``row_type`` on plan ``plan_id``.

    Raises :class:`LookupError` for an id out of range, unknown, or of another plan.
    """
    if not 1 <= item_id <= ID_MAX:
        raise LookupError(item_id)
    row = session.get(row_type, item_id)
    if row is None or row.plan_id != plan_id:
        raise LookupError(item_id)
    return row


@cache
def _enums(record: type[Any]) -> dict[str, type[Enum]]:
    """The fields of a dataclass that hold an enumeration (or none), by name."""
    found = {}
    for name, hint in get_type_hints(record).items():
        options = get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        enums = [o for o in options if isinstance(o, type) and issubclass(o, Enum)]
        if enums:
            found[name] = enums[0]
    return found


@dataclass(frozen=True)
class ItemRows:
    """A field of an item kept as rows of a table of their own (a deliverable's buy-back
    schedule): ``row`` is the row class, ``key`` its column naming the item, ``to_row``
    the columns of one element of the field, ``from_row`` the element a row holds;
    the rows are read in ``order``; ``collect`` makes the field's value of the elements
    (a tuple; ``dict`` for a mapping, whose elements are its items). Rows not
    ``written`` are added by code of their own (a point's interventions made): read
    with the item, never replaced when it is saved."""

    row: type[Any]
    key: str
    to_row: Callable[[Any], dict[str, Any]]
    from_row: Callable[[Any], Any]
    order: str = "id"
    collect: Callable[[list[Any]], Any] = tuple
    written: bool = True

    def value(self, given: Any) -> Any:
        """The field's value of what was given (a mapping, or a sequence of elements)."""
        return self.collect(list(_elements(given or ())))

    def of(self, session: Session, ids: list[int]) -> dict[int, Any]:
        """The field's elements of the items ``ids``, by item id."""
        found: dict[int, list[Any]] = {item_id: [] for item_id in ids}
        if ids:
            key = getattr(self.row, self.key)
            query = select(self.row).where(key.in_(ids)).order_by(getattr(self.row, self.order))
            for row in session.scalars(query):
                found[getattr(row, self.key)].append(self.from_row(row))
        return {item_id: self.collect(values) for item_id, values in found.items()}

    def replace(self, session: Session, item_id: int, values: Any) -> None:
        """Keep ``values`` as the item's rows, in place of those it had."""
        session.execute(delete(self.row).where(getattr(self.row, self.key) == item_id))
        session.add_all(
            self.row(**{self.key: item_id}, **self.to_row(v)) for v in _elements(values)
        )


def _elements(values: Any) -> Any:
    """The elements of a field of rows: a mapping's items, or the values themselves."""
    return values.items() if isinstance(values, Mapping) else values


@dataclass(frozen=True)
class ItemTable(Generic[T]):
    """Where the items of a kind are kept: the row class and the references' row classes.

    ``derived`` gives the columns computed from the values (a competitor's
    matching key), ``order`` the columns a plan's items are listed by;
    ``placed`` names the column of an item's place in its list, the next one
    when it is added without one (a need's ``position``; a place of 0 or none is
    no place given, and a change without one keeps the item's); ``parts`` the fields kept as rows
    of their own (:class:`ItemRows`); ``created(now, by)`` the columns an item gets when
    it is added, besides its values (who raised an intervention point, and how).

    Declared beside the row class; the services find it by the kind's name
    (:func:`table_of`).
    """

    kind: ItemKind[T]
    row: type[Any]
    refs: Mapping[str, type[Any]] = field(default_factory=dict)
    derived: Mapping[str, Callable[[Mapping[str, Any]], Any]] = field(default_factory=dict)
    order: tuple[str, ...] = ("id",)
    placed: str | None = None
    parts: Mapping[str, ItemRows] = field(default_factory=dict)
    created: Callable[[datetime, str], Mapping[str, Any]] | None = None

    def __post_init__(self) -> None:
        _TABLES[self.kind.name] = self

    def to_domain(self, row: Any, parts: Mapping[str, Any] | None = None) -> T:
        """The item a row holds: each field of the kind's dataclass from its column, or
        from ``parts`` (the fields kept as rows of their own)."""
        parts = parts or {}
        values = {
            f.name: parts[f.name] if f.name in self.parts else getattr(row, f.name)
            for f in fields(self.kind.record)  # type: ignore[arg-type]
        }
        for name, enum in _enums(self.kind.record).items():  # type: ignore[arg-type]
            if values[name] is not None:
                values[name] = enum(values[name])
        return self.kind.record(**values)

    def items_of(self, session: Session, plan_id: int) -> list[T]:
        """A plan's items of this kind, in :attr:`order` (the order they were added)."""
        order = [getattr(self.row, name) for name in self.order]
        query = select(self.row).where(self.row.plan_id == plan_id).order_by(*order)
        rows = list(session.scalars(query))
        ids = [row.id for row in rows]
        parts = {name: part.of(session, ids) for name, part in self.parts.items()}
        return [self.to_domain(row, {n: p[row.id] for n, p in parts.items()}) for row in rows]

    def item(self, session: Session, plan_id: int, item_id: int) -> T:
        """Item ``item_id`` of the plan (:class:`LookupError` when it is not the plan's)."""
        row = find_row(session, self.row, plan_id, item_id)
        return self.to_domain(
            row, {name: part.of(session, [row.id])[row.id] for name, part in self.parts.items()}
        )

    def check_refs(self, session: Session, plan_id: int, values: Mapping[str, Any]) -> None:
        """:class:`LookupError` when a reference of ``values`` names no item of the plan."""
        for name, row_type in self.refs.items():
            if values.get(name) is not None:
                find_row(session, row_type, plan_id, values[name])

    def save(
        self,
        session: Session,
        plan_id: int,
        item_id: int | None,
        values: Mapping[str, Any],
        now: datetime,
        by: str,
    ) -> T:
        """Add an item (``item_id`` of ``None``, version 1) or change one of the plan's
        (one version more).

        A reference must name an item of the same plan (:class:`LookupError`).
        """
        self.check_refs(session, plan_id, values)
        columns = {
            name: value.value if isinstance(value, Enum) else value
            for name, value in values.items()
            if name not in self.parts
        }
        columns.update({name: derive(values) for name, derive in self.derived.items()})
        columns.update(updated_at=now, updated_by=by)
        if item_id is None and self.created is not None:
            columns.update(self.created(now, by))
        if self.placed is not None and not columns.get(self.placed):
            columns.pop(self.placed, None)
            if item_id is None:
                place = getattr(self.row, self.placed)
                last = session.scalar(select(func.max(place)).where(self.row.plan_id == plan_id))
                columns[self.placed] = (last or 0) + 1
        if item_id is None:
            row = self.row(plan_id=plan_id, **columns)
            session.add(row)
        else:
            row = find_row(session, self.row, plan_id, item_id)
            for name, value in columns.items():
                setattr(row, name, value)
            row.version += 1
        session.flush()
        written = {name: part for name, part in self.parts.items() if part.written}
        parts = {name: part.value(values.get(name)) for name, part in written.items()}
        for name, part in written.items():
            part.replace(session, row.id, parts[name])
        session.flush()
        for name, part in self.parts.items():
            if not part.written:
                parts[name] = part.of(session, [row.id])[row.id]
        return self.to_domain(row, parts)

    def check(self, session: Session, plan_id: int, item_id: int, expected: int | None) -> None:
        """Refuse a change of item ``item_id`` made on its version ``expected`` when it has
        moved on since (:class:`~kam.domain.versions.StaleVersionError`; ``None``: whichever
        it is now is taken); :class:`LookupError` when it is not the plan's."""
        row = find_row(session, self.row, plan_id, item_id)
        check_version(row.version, expected, row.updated_by)

    def remove(
        self, session: Session, plan_id: int, item_id: int, expected: int | None = None
    ) -> None:
        """Remove an item of the plan, seen at version ``expected`` (``None``: whichever)."""
        row = find_row(session, self.row, plan_id, item_id)
        check_version(row.version, expected, row.updated_by)
        session.delete(row)
        session.flush()


_TABLES: dict[str, ItemTable[Any]] = {}


def table_of(kind: ItemKind[T]) -> ItemTable[T]:
    """The table of a kind of item, declared in one of the ``kam.store.plan_*`` modules
    (imported here when none has declared it yet); :class:`KeyError` when there is none."""
    if kind.name not in _TABLES:
        for module in pkgutil.iter_modules(importlib.import_module("kam.store").__path__):
            if module.name.startswith("plan_"):
                importlib.import_module(f"kam.store.{module.name}")
    return _TABLES[kind.name]
