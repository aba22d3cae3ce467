"""The columns, keys and tables the migrations write again and again, each made by one function.

A migration imports the names it uses and writes a table as
``create_table("people", string("key", 100), ..., unique("key"))``.

A migration is history: what these functions make must never change, or a book
migrated before would differ from one migrated after. A migration that needs
something else writes it out, or adds a function here.

The names follow the naming convention of :mod:`kam.store.schema`: ``pk_<table>``,
``uq_<table>_<first column>``, ``fk_<table>_<column>_<referred table>`` and
``ix_<table>_<column>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import sqlalchemy as sa
from alembic import op

Column = sa.Column[Any]
#: A key of a table, made once the table's name is known (it names the key).
Key = Callable[[str], sa.Constraint]


class ColumnOf(Protocol):
    """Makes a column of one type: NOT NULL unless ``nullable``."""

    def __call__(
        self, name: str, *, nullable: bool = False, server_default: str | None = None
    ) -> Column: ...


def _of(kind: Callable[[], sa.types.TypeEngine[Any]]) -> ColumnOf:
    def column(name: str, *, nullable: bool = False, server_default: str | None = None) -> Column:
        return sa.Column(name, kind(), nullable=nullable, server_default=server_default)

    return column


#: A column of each type: ``text("note")``, ``date("due", nullable=True)``.
integer = _of(sa.Integer)
big_integer = _of(sa.BigInteger)
floating = _of(sa.Float)
boolean = _of(sa.Boolean)
text = _of(sa.Text)
date = _of(sa.Date)
timestamp = _of(sa.DateTime)
json = _of(sa.JSON)


def string(
    name: str, length: int, *, nullable: bool = False, server_default: str | None = None
) -> Column:
    """A ``VARCHAR(length)`` column, NOT NULL unless ``nullable``."""
    return sa.Column(
        name, sa.String(length=length), nullable=nullable, server_default=server_default
    )


def timestamps() -> list[Column]:
    """When a row was made and when it was changed last."""
    return [timestamp("created_at"), timestamp("updated_at")]


def created() -> list[Column]:
    """When a row was made and by whom."""
    return [timestamp("created_at"), string("created_by", 100)]


def changed() -> list[Column]:
    """When a row was changed last and by whom."""
    return [timestamp("updated_at"), string("updated_by", 100)]


def references(column: str, target: str, ondelete: str | None = None) -> Key:
    """A foreign key of ``column`` to ``target`` (``table.column``)."""

    def key(table: str) -> sa.Constraint:
        name = op.f(f"fk_{table}_{column}_{target.split('.')[0]}")
        return sa.ForeignKeyConstraint([column], [target], name=name, ondelete=ondelete)

    return key


def unique(*columns: str) -> Key:
    """A unique key of ``columns``."""
    return lambda table: sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{columns[0]}"))


def create_table(name: str, *parts: Column | Key, key: tuple[str, ...] = ("id",)) -> sa.Table:
    """Create a table of the columns and keys in ``parts``, with its primary ``key``.

    A table keyed by ``id`` gets that integer column first. The keys follow the
    columns in the order given, then the primary key.
    """
    columns = [part for part in parts if isinstance(part, sa.Column)]
    keys = [part(name) for part in parts if not isinstance(part, sa.Column)]
    first = [integer("id")] if key == ("id",) else []
    primary = sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{name}"))
    table: sa.Table = op.create_table(name, *first, *columns, *keys, primary)
    return table


def create_plan_table(name: str, *parts: Column | Key, key: tuple[str, ...] = ("id",)) -> None:
    """Create a table of a part of an account plan: its ``plan_id`` follows the ``id``, and
    the columns of the last change the columns given; the row goes with its plan."""
    columns = [part for part in parts if isinstance(part, sa.Column)]
    keys = [part for part in parts if not isinstance(part, sa.Column)]
    plan = references("plan_id", "account_plans.id", "CASCADE")
    create_table(name, integer("plan_id"), *columns, *changed(), plan, *keys, key=key)


def create_indexes(table: str, *columns: str) -> None:
    """An index of each of ``columns`` of ``table``."""
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def add_columns(table: str, *columns: Column) -> None:
    """Add ``columns`` to ``table``."""
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.add_column(column)


def drop_columns(table: str, *names: str) -> None:
    """Drop the columns ``names`` of ``table``."""
    with op.batch_alter_table(table) as batch:
        for name in names:
            batch.drop_column(name)


def drop_tables(*names: str) -> None:
    """Drop the tables ``names`` (with their indexes), in this order."""
    for name in names:
        op.drop_table(name)
