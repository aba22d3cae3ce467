"""The activities with clients in the database: one row each, its participants beside it.

A plan's meetings are its activities (:data:`MEETINGS`, the plan's table of the
declared kind :data:`~kam.domain.engagement.MEETING`): what a meeting adds to an
activity (its level, agenda, pairs, achievement, next step done) is kept in columns
of the activity's row that other activities leave empty; the pairs are a JSON list
of ``[ours, their_key, their_name]``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column
from sqlalchemy.types import TypeDecorator

from kam.domain.activities import (
    Activity,
    ActivityStatus,
    Approval,
    activity_of_meeting,
    meeting_of,
)
from kam.domain.engagement import MEETING, Achievement, Meeting, MeetingLevel, Pairing
from kam.store.bulk import insert_rows
from kam.store.changes import Changed, count_change
from kam.store.plans import AccountPlanRow
from kam.store.plans.engagement import EngagementStageRow
from kam.store.plans.items import ItemTable, find_row
from kam.store.plans.rows import ChangeColumns
from kam.store.rows import from_row
from kam.store.schema import Base, ClientKey
from kam.store.users import users_who_see

OURS, THEIRS = "ours", "theirs"


class _Pairs(TypeDecorator[tuple[Pairing, ...]]):
    """A meeting's pairs, kept as a JSON list of ``[ours, their_key, their_name]``."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: tuple[Pairing, ...] | None, dialect: Dialect) -> Any:
        return [[p.ours, p.their_key, p.their_name] for p in value or ()]

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[Pairing, ...]:
        return tuple(
            Pairing(ours or "", key or None, name or "") for ours, key, name in value or ()
        )


class ActivityRow(ChangeColumns, Base):
    """An activity with a client."""

    __tablename__ = "activities"
    #: The last contact of each kind per client is read from this index alone.
    __table_args__ = (Index("ix_activities_contacts", "client_key", "kind", "status", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[ClientKey]
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(Text)
    next_step_owner: Mapped[str | None] = mapped_column(String(100))
    next_step_due: Mapped[date | None] = mapped_column(Date, index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey(AccountPlanRow.id, ondelete="SET NULL"))
    stage_id: Mapped[int | None] = mapped_column(
        ForeignKey(EngagementStageRow.id, ondelete="SET NULL")
    )
    value: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    approval: Mapped[str | None] = mapped_column(String(12), index=True)
    approval_by: Mapped[str | None] = mapped_column(String(100))
    approval_at: Mapped[datetime | None] = mapped_column(DateTime)
    approval_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    level: Mapped[str | None] = mapped_column(String(20))
    agenda: Mapped[str] = mapped_column(Text, default="", server_default="")
    pairs: Mapped[tuple[Pairing, ...]] = mapped_column(_Pairs, default=())
    achievement: Mapped[str | None] = mapped_column(String(20))
    next_step_done: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class ParticipantRow(Base):
    """One participant of an activity: ours (a user's name) or theirs (a person's key)."""

    __tablename__ = "activity_participants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(100), index=True)


#: The fields of an activity kept in its row (the participants are rows of their own).
_FIELDS = (
    "client_key",
    "kind",
    "at",
    "status",
    "objective",
    "outcome",
    "next_step",
    "next_step_owner",
    "next_step_due",
    "plan_id",
    "stage_id",
    "value",
    "approval",
    "approval_by",
    "approval_at",
    "approval_reason",
    "level",
    "agenda",
    "pairs",
    "achievement",
    "next_step_done",
)


def _values(activity: Activity) -> dict[str, Any]:
    values = {name: getattr(activity, name) for name in _FIELDS}
    values["status"] = str(activity.status)
    values["approval"] = None if activity.approval is None else str(activity.approval)
    values["level"] = None if activity.level is None else str(activity.level)
    values["achievement"] = None if activity.achievement is None else str(activity.achievement)
    return values


def _participants(session: Session, ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
    found: dict[int, dict[str, list[str]]] = {i: {OURS: [], THEIRS: []} for i in ids}
    if ids:
        rows = session.execute(
            select(ParticipantRow.activity_id, ParticipantRow.side, ParticipantRow.name)
            .where(ParticipantRow.activity_id.in_(ids))
            .order_by(ParticipantRow.id)
        )
        for activity_id, side, name in rows:
            found[activity_id][side].append(name)
    return found


def _activities(session: Session, rows: Sequence[ActivityRow]) -> list[Activity]:
    people = _participants(session, [row.id for row in rows])
    return [
        from_row(
            Activity,
            row,
            status=ActivityStatus(row.status),
            approval=None if row.approval is None else Approval(row.approval),
            level=None if row.level is None else MeetingLevel(row.level),
            achievement=None if row.achievement is None else Achievement(row.achievement),
            pairs=tuple(row.pairs or ()),
            our_people=tuple(people[row.id][OURS]),
            their_people=tuple(people[row.id][THEIRS]),
        )
        for row in rows
    ]


def _set_participants(session: Session, activity_id: int, activity: Activity) -> None:
    for row in session.scalars(
        select(ParticipantRow).where(ParticipantRow.activity_id == activity_id)
    ):
        session.delete(row)
    session.flush()
    session.add_all(
        [ParticipantRow(activity_id=activity_id, side=OURS, name=n) for n in activity.our_people]
        + [
            ParticipantRow(activity_id=activity_id, side=THEIRS, name=n)
            for n in activity.their_people
        ]
    )


def add(session: Session, activity: Activity, by: str, now: datetime) -> Activity:
    """Keep a new activity; it comes back with its id."""
    row = ActivityRow(
        **_values(activity), created_at=now, created_by=by, updated_at=now, updated_by=by
    )
    session.add(row)
    session.flush()
    _set_participants(session, row.id, activity)
    session.flush()
    count_change(session, Changed.ACTIVITIES, [activity.client_key])
    return _activities(session, [row])[0]


def add_many(session: Session, activities: Sequence[Activity], by: str, now: datetime) -> list[int]:
    """Keep new activities, a few statements for any number (an import of a calendar);
    their ids, in their order."""
    if not activities:
        return []
    stamp = {"created_at": now, "created_by": by, "updated_at": now, "updated_by": by}
    # counted first: on SQLite the write takes the database's lock before the ids are drawn
    count_change(session, Changed.ACTIVITIES, {a.client_key for a in activities})
    ids = _new_ids(session, len(activities))
    # the rows with their ids, in one executemany: returned ids in the order of the rows
    # would cost SQLite one statement a row
    table: Table = ActivityRow.__table__  # type: ignore[assignment]
    session.connection().execute(
        insert(table),
        [
            {"id": i, **_values(a), **stamp, "version": 1}
            for i, a in zip(ids, activities, strict=True)
        ],
    )
    participants = [
        (i, side, name)
        for i, a in zip(ids, activities, strict=True)
        for side, names in ((OURS, a.our_people), (THEIRS, a.their_people))
        for name in names
    ]
    people: Table = ParticipantRow.__table__  # type: ignore[assignment]
    insert_rows(session, people, ("activity_id", "side", "name"), participants)
    return ids


def _new_ids(session: Session, count: int) -> list[int]:
    """``count`` ids for new activities, theirs alone: drawn from the table's sequence on
    PostgreSQL; on SQLite after the largest, the session's transaction holding the
    database's one write lock (it has written: the change counted, see :func:`add_many`)."""
    if session.get_bind().dialect.name == "postgresql":
        drawn = session.scalars(
            text(
                "SELECT nextval(pg_get_serial_sequence('activities', 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"count": count},
        )
        return sorted(int(i) for i in drawn)
    largest = session.scalar(select(func.max(ActivityRow.id))) or 0
    return list(range(largest + 1, largest + 1 + count))


def get(session: Session, activity_id: int) -> Activity | None:
    """One activity, or ``None``."""
    row = session.get(ActivityRow, activity_id)
    return None if row is None else _activities(session, [row])[0]


def change(session: Session, activity: Activity, by: str, now: datetime) -> Activity:
    """Keep the activity's new values (its id is the row's); one more version."""
    row = session.get(ActivityRow, activity.id)
    if row is None:
        raise LookupError(activity.id)
    clients = {row.client_key, activity.client_key}
    for name, value in _values(activity).items():
        setattr(row, name, value)
    row.updated_at, row.updated_by, row.version = now, by, row.version + 1
    _set_participants(session, row.id, activity)
    session.flush()
    count_change(session, Changed.ACTIVITIES, clients)
    return _activities(session, [row])[0]


def remove(session: Session, activity_id: int) -> bool:
    """Forget an activity (with its participants); whether there was one."""
    row = session.get(ActivityRow, activity_id)
    if row is None:
        return False
    session.delete(row)
    count_change(session, Changed.ACTIVITIES, [row.client_key])
    return True


def of_clients(
    session: Session,
    client_keys: Iterable[str] | None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Activity]:
    """The activities of the clients (``None``: every client), from ``since`` to before
    ``until``, in the order they happen."""
    query = select(ActivityRow).order_by(ActivityRow.at, ActivityRow.id)
    if client_keys is not None:
        query = query.where(ActivityRow.client_key.in_(list(client_keys)))
    if since is not None:
        query = query.where(ActivityRow.at >= since)
    if until is not None:
        query = query.where(ActivityRow.at < until)
    return _activities(session, session.scalars(query).all())


def last_met(session: Session, person_keys: Iterable[str]) -> Mapping[str, datetime]:
    """When each of the client's people last took part in an activity done."""
    keys = list(person_keys)
    if not keys:
        return {}
    rows = session.execute(
        select(ParticipantRow.name, func.max(ActivityRow.at))
        .join(ActivityRow, ActivityRow.id == ParticipantRow.activity_id)
        .where(
            ParticipantRow.side == THEIRS,
            ParticipantRow.name.in_(keys),
            ActivityRow.status == str(ActivityStatus.DONE),
        )
        .group_by(ParticipantRow.name)
    )
    return dict(rows.tuples().all())


# --- the schedule: set-based reads over many clients


def _within(query: Any, column: Any, client_keys: Collection[str] | None) -> Any:
    """``query`` limited to the clients (``None``: every client).

    A long list of keys is not sent to the database (SQLite takes at most 32,766 values
    in a statement): the caller keeps only the rows of its clients.
    """
    if client_keys is None or len(client_keys) > KEYS_IN_QUERY:
        return query
    return query.where(column.in_(sorted(client_keys)))


#: The most client keys a query names; past that it reads every client's rows.
KEYS_IN_QUERY = 5_000


def done_days(
    session: Session, client_keys: Collection[str] | None, until: datetime
) -> list[tuple[str, str, datetime]]:
    """``(client, kind, moment)`` of every activity done before ``until``, for the clients
    (``None``: every client; a long list may bring others along)."""
    query = select(ActivityRow.client_key, ActivityRow.kind, ActivityRow.at).where(
        ActivityRow.status == str(ActivityStatus.DONE), ActivityRow.at < until
    )
    rows = session.connection().execute(_within(query, ActivityRow.client_key, client_keys))
    return [(key, kind, at) for key, kind, at in rows]


def last_done(
    session: Session, client_keys: Collection[str] | None, until: datetime
) -> list[tuple[str, str, datetime]]:
    """``(client, kind, moment)`` of the last activity of each kind done with each client
    before ``until`` (``None``: every client; a long list may bring others along)."""
    query = (
        select(ActivityRow.client_key, ActivityRow.kind, func.max(ActivityRow.at))
        .where(ActivityRow.status == str(ActivityStatus.DONE), ActivityRow.at < until)
        .group_by(ActivityRow.client_key, ActivityRow.kind)
    )
    rows = session.connection().execute(_within(query, ActivityRow.client_key, client_keys))
    return [(key, kind, at) for key, kind, at in rows]


@dataclass(frozen=True)
class Listed:
    """An activity as a list of many shows it: without participants, minutes or value."""

    id: int
    client_key: str
    kind: str
    at: datetime
    objective: str
    next_step: str
    next_step_owner: str | None
    next_step_due: date | None
    version: int
    approval: Approval | None

    @property
    def day(self) -> date:
        """The day it takes place (or took place)."""
        return self.at.date()


_LISTED = tuple(getattr(ActivityRow, f.name) for f in fields(Listed))


def _listed(session: Session, query: Any) -> list[Listed]:
    rows = session.execute(query.with_only_columns(*_LISTED)).tuples()
    return [
        Listed(
            i, key, kind, at, objective, step, owner, due, version, approval and Approval(approval)
        )
        for i, key, kind, at, objective, step, owner, due, version, approval in rows
    ]


def planned_before(
    session: Session, client_keys: Collection[str] | None, until: datetime
) -> list[Listed]:
    """The activities still planned (not done) that take place before ``until``, earliest
    first (``None``: every client; a long list may bring others along)."""
    query = (
        select(ActivityRow)
        .where(ActivityRow.status == str(ActivityStatus.PLANNED), ActivityRow.at < until)
        .order_by(ActivityRow.at, ActivityRow.id)
    )
    return _listed(session, _within(query, ActivityRow.client_key, client_keys))


def open_next_steps(
    session: Session, client_keys: Collection[str] | None, due_by: date
) -> list[Listed]:
    """The activities whose next step is due by ``due_by`` and still stands: no activity of
    the client was done after it (the follow-up). Soonest due first."""
    later = aliased(ActivityRow)
    follow_up = (
        select(later.id)
        .where(
            later.client_key == ActivityRow.client_key,
            later.status == str(ActivityStatus.DONE),
            later.at > ActivityRow.at,
        )
        .exists()
    )
    query = (
        select(ActivityRow)
        .where(
            ActivityRow.next_step_due.is_not(None),
            ActivityRow.next_step_due <= due_by,
            ActivityRow.next_step != "",
            ActivityRow.next_step_done.is_not(True),
            ~follow_up,
        )
        .order_by(ActivityRow.next_step_due, ActivityRow.id)
    )
    return _listed(session, _within(query, ActivityRow.client_key, client_keys))


def awaiting(session: Session) -> list[Activity]:
    """The activities awaiting the head's approval, in the order they happen."""
    query = (
        select(ActivityRow)
        .where(ActivityRow.approval == str(Approval.AWAITING))
        .order_by(ActivityRow.at, ActivityRow.id)
    )
    return _activities(session, session.scalars(query).all())


# --- a plan's meetings: its activities, seen as meetings


def _meetings(session: Session, rows: Sequence[ActivityRow]) -> list[Meeting]:
    """The activities of ``rows`` as a plan sees them, with when each was changed last."""
    return [
        replace(meeting_of(a), updated_at=row.updated_at)
        for row, a in zip(rows, _activities(session, rows), strict=True)
    ]


class _MeetingTable(ItemTable[Meeting]):
    """The meetings of a plan kept as its activities: read as :func:`meeting_of` sees them,
    saved as :func:`activity_of_meeting` makes them, with the client of the plan."""

    def items_of(self, session: Session, plan_id: int) -> list[Meeting]:
        """A plan's meetings: every activity that serves the plan, in the order they happen."""
        query = (
            select(ActivityRow)
            .where(ActivityRow.plan_id == plan_id)
            .order_by(ActivityRow.at, ActivityRow.id)
        )
        return _meetings(session, session.scalars(query).all())

    def item(self, session: Session, plan_id: int, item_id: int) -> Meeting:
        """Meeting ``item_id`` of the plan (:class:`LookupError` when it is not the plan's)."""
        return _meetings(session, [find_row(session, ActivityRow, plan_id, item_id)])[0]

    def save(
        self,
        session: Session,
        plan_id: int,
        item_id: int | None,
        values: Mapping[str, Any],
        now: datetime,
        by: str,
    ) -> Meeting:
        """Add a meeting as a new activity of the plan's client (``item_id`` of ``None``) or
        change the activity ``item_id`` of the plan (one version more)."""
        self.check_refs(session, plan_id, values)
        plan = session.get(AccountPlanRow, plan_id)
        if plan is None:
            raise LookupError(plan_id)
        users = [u.name for u in users_who_see(session, plan.client_key)]
        kept = None
        if item_id is not None:
            kept = _activities(session, [find_row(session, ActivityRow, plan_id, item_id)])[0]
        meeting = Meeting(id=item_id or 0, **values)
        activity = activity_of_meeting(meeting, plan.client_key, plan_id, users, kept)
        if activity.next_step.strip() and not activity.next_step_owner and by in users:
            activity = replace(activity, next_step_owner=by)
        if not activity.next_step.strip():
            activity = replace(activity, next_step_owner=None)
        saved = (
            add(session, activity, by, now) if kept is None else change(session, activity, by, now)
        )
        return meeting_of(saved)

    def remove(
        self, session: Session, plan_id: int, item_id: int, expected: int | None = None
    ) -> None:
        """Remove a meeting of the plan: its activity (one more change of the activities)."""
        client = find_row(session, ActivityRow, plan_id, item_id).client_key
        super().remove(session, plan_id, item_id, expected)
        count_change(session, Changed.ACTIVITIES, [client])


#: The meetings of a plan: the activities that serve it.
MEETINGS = _MeetingTable(MEETING, ActivityRow, {"stage_id": EngagementStageRow})


def meetings_of(session: Session, plan_id: int) -> list[Meeting]:
    """A plan's meetings (its activities) in the order they happen."""
    return MEETINGS.items_of(session, plan_id)
