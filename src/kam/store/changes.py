"""How often each kind of record the pages keep computed has changed: a counter per kind.

My week and the team page read every activity and service policy of the book; they are
kept computed (see :mod:`kam.services.schedule_cache`) while nothing they read changes.
Each write of an activity, a participant, a service policy or an owner counts one more
change of its kind, in the transaction that writes it, and the pages compare the counters
(one primary-key look-up each) with those their values were computed at. An update of
one row per kind makes two writers wait for each other rather than count the same
number, on PostgreSQL as on SQLite.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.store.schema import Base


class Changed(StrEnum):
    """A kind of record whose changes are counted."""

    ACTIVITIES = "activities"  # activities, their participants and next steps
    SERVICE_POLICIES = "service_policies"  # of the classes and the clients' own
    OWNERS = "owners"  # the clients' owners, outside an import or a hand-over


class ChangeRow(Base):
    """How many changes of one kind of record the book has seen."""

    __tablename__ = "book_changes"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)


def count_change(session: Session, kind: Changed) -> None:
    """Count one more change of ``kind``, in the session's transaction."""
    done = session.execute(
        update(ChangeRow).where(ChangeRow.name == str(kind)).values(counter=ChangeRow.counter + 1)
    )
    if not getattr(done, "rowcount", 0):
        session.add(ChangeRow(name=str(kind), counter=1))
        session.flush()


def changes(session: Session) -> tuple[tuple[str, int], ...]:
    """Every kind's count of changes, in the order of their names."""
    rows = session.execute(select(ChangeRow.name, ChangeRow.counter).order_by(ChangeRow.name))
    return tuple((name, counter) for name, counter in rows.tuples())
