"""How often each kind of record the pages keep computed has changed, and for which clients.

My week and the team page read every activity and service policy of the book; they are
kept computed (see :mod:`kam.services.schedule`) while nothing they read changes. Each
write of an activity, a participant, a service policy or an owner counts one more change
of its kind, in the transaction that writes it, and notes the clients it concerns (or
that it may concern any client). The pages compare the counters (one primary-key look-up
each) with those their values were computed at, and read which clients changed since to
compute those clients again rather than the whole book.

A change takes its number by updating its kind's one row, which makes two writers wait
for each other: the numbers are given, and become visible, in the order the changes
commit, on PostgreSQL as on SQLite, so that a page that has read the changes up to a
number has seen every change before it.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from sqlalchemy import BigInteger, Integer, String, delete, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.store.schema import Base


class Changed(StrEnum):
    """A kind of record whose changes are counted."""

    ACTIVITIES = "activities"  # activities, their participants and next steps
    SERVICE_POLICIES = "service_policies"  # of the classes and the clients' own
    OWNERS = "owners"  # the clients' owners, outside an import or a hand-over
    CLIENTS = "clients"  # the clients' own fields (name, industry, country, owner...)


#: The most clients a change names one by one; a change of more concerns any client.
CLIENTS_NAMED = 1_000
#: How many of the latest changes of a kind keep the clients they concern; older notes are
#: let go every :data:`PRUNE_EVERY` changes. A page computed before them is computed
#: again whole (its values are kept for a day at most in any case).
KEPT_CHANGES = 100_000
PRUNE_EVERY = 1_000


class ChangeRow(Base):
    """How many changes of one kind of record the book has seen."""

    __tablename__ = "book_changes"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)


class ClientChangeRow(Base):
    """A client one change concerned (no client: it may concern any)."""

    __tablename__ = "client_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    counter: Mapped[int] = mapped_column(BigInteger, index=True)
    client_key: Mapped[str | None] = mapped_column(String(100))


def count_change(session: Session, kind: Changed, clients: Collection[str] | None = None) -> None:
    """Count one more change of ``kind``, in the session's transaction, and note the
    ``clients`` it concerns (``None``: it may concern any)."""
    counter = session.scalar(
        update(ChangeRow)
        .where(ChangeRow.name == str(kind))
        .values(counter=ChangeRow.counter + 1)
        .returning(ChangeRow.counter)
    )
    if counter is None:  # a kind the book has not counted yet
        counter = 1
        session.add(ChangeRow(name=str(kind), counter=counter))
        session.flush()
    named = None if clients is None else sorted(set(clients))
    if named is None or len(named) > CLIENTS_NAMED:
        named = [None]  # type: ignore[list-item]
    session.execute(
        insert(ClientChangeRow),
        [{"name": str(kind), "counter": counter, "client_key": key} for key in named],
    )
    if counter % PRUNE_EVERY == 0:
        session.execute(
            delete(ClientChangeRow).where(
                ClientChangeRow.name == str(kind), ClientChangeRow.counter <= counter - KEPT_CHANGES
            )
        )


def changes(session: Session) -> tuple[tuple[str, int], ...]:
    """Every kind's count of changes, in the order of their names."""
    rows = session.execute(select(ChangeRow.name, ChangeRow.counter).order_by(ChangeRow.name))
    return tuple((name, counter) for name, counter in rows.tuples())


def clients_changed(session: Session, kind: Changed, after: int, upto: int) -> set[str] | None:
    """The clients the changes of ``kind`` numbered after ``after`` up to ``upto`` concern;
    ``None`` when one of them may concern any client, or when the notes of some of them
    were let go (see :data:`KEPT_CHANGES`)."""
    if upto > after:
        # Every change notes at least one row, so the numbers kept run without a gap from
        # the oldest kept: one after ``after`` missing means older notes were let go.
        oldest = session.scalar(
            select(func.min(ClientChangeRow.counter)).where(ClientChangeRow.name == str(kind))
        )
        if oldest is None or oldest > after + 1:
            return None
    rows = session.scalars(
        select(ClientChangeRow.client_key).where(
            ClientChangeRow.name == str(kind),
            ClientChangeRow.counter > after,
            ClientChangeRow.counter <= upto,
        )
    )
    found: set[str] = set()
    for key in rows:
        if key is None:
            return None
        found.add(key)
    return found
