"""Locks that let writers who read before they write take turns.

Some writes decide what they write by reading the book first: the next place
in a plan's list (the largest place plus one), a new person's key (the first
``<client>-<n>`` free), a plan or a prospect created unless there is one. Two
people doing that at the same moment read the same and write the same: the
second breaks a unique key (an error) or repeats a place. Such a write first
locks what it writes under, the plan or the client, in its own transaction:
the writers of one plan or one client then take turns, and each reads what
the one before it wrote.

The lock is an ``UPDATE`` of the row that changes nothing. On PostgreSQL it
holds the row until the transaction ends, and under READ COMMITTED each later
statement sees what the writer before committed. On SQLite, which has no row
locks, it takes the database's write lock, and since the driver begins a
transaction only at its first write (reads before it are not part of it), the
lock comes before the reads. A writer waits for the lock as long as the busy
timeout of :func:`kam.store.database.open_database` allows on SQLite, and as
long as the other transaction lasts on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm import Session

from kam.store.plans import AccountPlanRow
from kam.store.schema import ClientRow


def _lock(session: Session, row: Any, where: ColumnElement[bool]) -> None:
    statement = update(row).where(where).values(updated_at=row.updated_at)
    session.execute(statement.execution_options(synchronize_session=False))


def lock_plan(session: Session, plan_id: int) -> None:
    """Hold plan ``plan_id`` until the session's transaction ends: its items are added
    one writer at a time."""
    _lock(session, AccountPlanRow, AccountPlanRow.id == plan_id)


def lock_client(session: Session, client_key: str) -> None:
    """Hold client ``client_key`` until the session's transaction ends: its people, plans
    and place on the prospect list are created one writer at a time (nothing is held
    when there is no such client)."""
    _lock(session, ClientRow, ClientRow.key == client_key)
