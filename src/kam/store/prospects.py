"""Prospects in the database: the list, qualification criteria and answers, next steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Select,
    String,
    Text,
    UniqueConstraint,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kam.domain.prospects import (
    Answer,
    Criterion,
    CriterionKind,
    NextStep,
    Prospect,
    ProspectStatus,
)
from kam.domain.versions import check_version
from kam.store.rows import from_row
from kam.store.schema import Base, ClassificationRow, ClientRow, SnapshotRow


class ProspectRow(Base):
    """A client on the prospect list."""

    __tablename__ = "prospects"
    __table_args__ = (UniqueConstraint("client_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[str] = mapped_column(
        String(100), ForeignKey("clients.key", ondelete="CASCADE")
    )
    source: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)
    owner: Mapped[str | None] = mapped_column(String(100))
    potential_estimate: Mapped[int | None] = mapped_column(BigInteger)
    drop_reason: Mapped[str | None] = mapped_column(Text)
    dropped_by: Mapped[str | None] = mapped_column(String(100))
    dropped_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class CriterionRow(Base):
    """A qualification criterion of the book."""

    __tablename__ = "qualification_criteria"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(50), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    weight: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool]
    position: Mapped[int]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class AnswerRow(Base):
    """A prospect's answer to one criterion."""

    __tablename__ = "prospect_answers"
    __table_args__ = (UniqueConstraint("prospect_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("qualification_criteria.id", ondelete="CASCADE")
    )
    value: Mapped[int]
    note: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class StepRow(Base):
    """A next step of a prospect."""

    __tablename__ = "prospect_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    prospect_id: Mapped[int] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(Text)
    due: Mapped[date]
    who: Mapped[str | None] = mapped_column(String(100))
    done_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


class ProspectSettingsRow(Base):
    """The book's prospect settings (one row): the value at or below which a client is one."""

    __tablename__ = "prospect_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    threshold: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))


#: The ids a database integer holds: any other id names no row.
ID_RANGE = range(1, 2**63)

#: The largest amount kept, in cents (a database big integer holds about 9.2e18).
MAX_AMOUNT = 10**17


def _prospect(row: ProspectRow) -> Prospect:
    return from_row(Prospect, row, status=ProspectStatus(row.status))


def _row(session: Session, client_key: str) -> ProspectRow | None:
    return session.scalar(select(ProspectRow).where(ProspectRow.client_key == client_key))


def _existing(session: Session, client_key: str) -> ProspectRow:
    row = _row(session, client_key)
    if row is None:
        raise LookupError(client_key)
    return row


def get_prospect(session: Session, client_key: str) -> Prospect | None:
    """A client's prospect record, ``None`` when it is not on the list."""
    row = _row(session, client_key)
    return None if row is None else _prospect(row)


def list_prospects(session: Session, keys: Sequence[str] | None) -> list[Prospect]:
    """Every prospect of the given clients (``None``: of every client), by client key."""
    query = select(ProspectRow).order_by(ProspectRow.client_key)
    found = [_prospect(row) for row in session.scalars(query)]
    if keys is None:
        return found
    wanted = set(keys)
    return [p for p in found if p.client_key in wanted]


def add_prospect(
    session: Session, client_key: str, *, source: str, owner: str | None, now: datetime, by: str
) -> Prospect:
    """Put a client on the prospect list (it must not be on it yet)."""
    status = ProspectStatus.OPEN.value
    row = ProspectRow(client_key=client_key, source=source, status=status, owner=owner)
    row.created_at, row.created_by, row.updated_at, row.updated_by = now, by, now, by
    session.add(row)
    session.flush()
    return _prospect(row)


def _next_version(session: Session, row: ProspectRow, now: datetime, by: str) -> Prospect:
    """A prospect changed ``now`` by ``by``: it counts one version more."""
    row.updated_at, row.updated_by = now, by
    row.version += 1
    session.flush()
    return _prospect(row)


def update_prospect(
    session: Session,
    client_key: str,
    *,
    source: str,
    owner: str | None,
    potential_estimate: int | None,
    status: ProspectStatus,
    now: datetime,
    by: str,
    expected: int | None = None,
) -> Prospect:
    """Change a prospect's source, owner, potential estimate and status, as seen at its
    version ``expected`` (``None``: whichever it is now); it counts one version more.

    A prospect leaving the dropped status keeps its last drop reason on record. A change
    made on an older version raises :class:`~kam.domain.versions.StaleVersionError`.
    """
    row = _existing(session, client_key)
    check_version(row.version, expected, row.updated_by)
    row.source, row.owner, row.potential_estimate = source, owner, potential_estimate
    row.status = status.value
    return _next_version(session, row, now, by)


def drop_prospect(
    session: Session, client_key: str, reason: str, now: datetime, by: str
) -> Prospect:
    """Drop a prospect with a reason."""
    row = _existing(session, client_key)
    row.status = ProspectStatus.DROPPED.value
    row.drop_reason, row.dropped_by, row.dropped_at = reason, by, now
    return _next_version(session, row, now, by)


def touch_prospect(session: Session, client_key: str, now: datetime, by: str) -> None:
    """Record that a prospect's qualification or steps changed, and who changed them."""
    row = _existing(session, client_key)
    row.updated_at, row.updated_by = now, by


# --- criteria


def _criterion(row: CriterionRow) -> Criterion:
    return from_row(Criterion, row, kind=CriterionKind(row.kind))


def list_criteria(session: Session) -> list[Criterion]:
    """Every criterion of the book (active or not), in their order."""
    query = select(CriterionRow).order_by(CriterionRow.position, CriterionRow.id)
    return [_criterion(row) for row in session.scalars(query)]


def save_criterion(
    session: Session,
    criterion_id: int | None,
    *,
    label: str,
    weight: int,
    kind: CriterionKind,
    active: bool,
    position: int,
    now: datetime,
    by: str,
) -> Criterion:
    """Add a criterion (``criterion_id`` ``None``) or change one; its kind is kept once set."""
    if criterion_id is None:
        row = CriterionRow(code=None, kind=kind.value)
        session.add(row)
    else:
        found = session.get(CriterionRow, criterion_id) if criterion_id in ID_RANGE else None
        if found is None:
            raise LookupError(criterion_id)
        row = found
    row.label, row.weight, row.active, row.position = label, weight, active, position
    row.updated_at, row.updated_by = now, by
    session.flush()
    return _criterion(row)


# --- answers and steps: rows of a prospect


def _of_prospects(row_type: type[Any], *where: Any) -> Select[tuple[str, Any]]:
    """The rows of ``row_type`` (answers or steps) with their prospect's client key."""
    joined = ProspectRow.id == row_type.prospect_id
    return select(ProspectRow.client_key, row_type).join(ProspectRow, joined).where(*where)


def answers_of(session: Session, client_key: str) -> dict[int, Answer]:
    """A prospect's answers by criterion id."""
    return all_answers(session, ProspectRow.client_key == client_key).get(client_key, {})


def all_answers(session: Session, *where: Any) -> dict[str, dict[int, Answer]]:
    """Every prospect's answers (of those ``where`` picks): client key -> criterion id ->
    answer."""
    found: dict[str, dict[int, Answer]] = {}
    for key, row in session.execute(_of_prospects(AnswerRow, *where)):
        found.setdefault(key, {})[row.criterion_id] = from_row(Answer, row)
    return found


def set_answer(
    session: Session,
    client_key: str,
    criterion_id: int,
    value: int | None,
    note: str,
    now: datetime,
    by: str,
) -> None:
    """Record a prospect's answer to a criterion; ``None`` removes the answer."""
    prospect = _existing(session, client_key)
    row = session.scalar(
        select(AnswerRow).where(
            AnswerRow.prospect_id == prospect.id, AnswerRow.criterion_id == criterion_id
        )
    )
    if value is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = AnswerRow(prospect_id=prospect.id, criterion_id=criterion_id)
        session.add(row)
    elif (row.value, row.note) == (value, note):
        return
    row.value, row.note, row.updated_at, row.updated_by = value, note, now, by
    session.flush()


def _steps(session: Session, *where: Any) -> dict[str, list[NextStep]]:
    """The steps ``where`` picks, by client key: open ones by due date, then done ones."""
    query = _of_prospects(StepRow, *where).order_by(
        StepRow.done_at.is_not(None), StepRow.due, StepRow.id
    )
    found: dict[str, list[NextStep]] = {}
    for key, row in session.execute(query):
        found.setdefault(key, []).append(from_row(NextStep, row))
    return found


def steps_of(session: Session, client_key: str) -> list[NextStep]:
    """A prospect's next steps: open ones by due date, then done ones."""
    return _steps(session, ProspectRow.client_key == client_key).get(client_key, [])


def open_steps(session: Session) -> dict[str, list[NextStep]]:
    """The steps not done yet of every prospect, by client key, by due date."""
    return _steps(session, StepRow.done_at.is_(None))


def add_step(
    session: Session,
    client_key: str,
    *,
    action: str,
    due: date,
    who: str | None,
    now: datetime,
    by: str,
) -> NextStep:
    """Add a next step to a prospect."""
    prospect = _existing(session, client_key)
    row = StepRow(prospect_id=prospect.id, action=action, due=due, who=who)
    row.updated_at, row.updated_by = now, by
    session.add(row)
    session.flush()
    return from_row(NextStep, row)


def _step_row(session: Session, client_key: str, step_id: int) -> StepRow:
    """Step ``step_id`` of a prospect; :class:`LookupError` when it has none of that id."""
    found = None
    if step_id in ID_RANGE:
        query = _of_prospects(StepRow, StepRow.id == step_id, ProspectRow.client_key == client_key)
        found = session.execute(query).first()
    if found is None:
        raise LookupError(step_id)
    row: StepRow = found[1]
    return row


def mark_step(
    session: Session, client_key: str, step_id: int, done: bool, now: datetime, by: str
) -> NextStep:
    """Mark a step done (or not done again); :class:`LookupError` for another prospect's."""
    row = _step_row(session, client_key, step_id)
    row.done_at = (row.done_at or now) if done else None
    row.updated_at, row.updated_by = now, by
    session.flush()
    return from_row(NextStep, row)


def delete_step(session: Session, client_key: str, step_id: int) -> None:
    """Remove a step of a prospect; :class:`LookupError` when it has none of that id."""
    row = _step_row(session, client_key, step_id)
    session.execute(delete(StepRow).where(StepRow.id == row.id))


# --- settings and candidates


def threshold(session: Session) -> int:
    """The value (cents) at or below which a client counts as a candidate; 0 by default."""
    value = session.scalar(select(ProspectSettingsRow.threshold).limit(1))
    return 0 if value is None else int(value)


def set_threshold(session: Session, value: int, now: datetime, by: str) -> None:
    """Change the candidate threshold."""
    row = session.scalar(select(ProspectSettingsRow).limit(1))
    if row is None:
        row = ProspectSettingsRow()
        session.add(row)
    row.threshold, row.updated_at, row.updated_by = value, now, by
    session.flush()


@dataclass(frozen=True)
class ClientFacts:
    """What the prospect pages show of a client: its size, potential and latest value."""

    key: str
    name: str
    owner: str | None
    industry: str | None
    country: str | None
    employees: int | None
    annual_turnover: int | None
    potential: int | None
    value: int | None
    abc_class: str | None


def latest_single_run(session: Session) -> int | None:
    """The id of the latest classification of single clients (not of groups)."""
    query = (
        select(ClassificationRow.id)
        .where(ClassificationRow.groups.is_(False))
        .order_by(ClassificationRow.period_end.desc(), ClassificationRow.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def client_facts(
    session: Session, run_id: int | None, keys: Sequence[str] | None = None
) -> list[ClientFacts]:
    """Clients with their value and class in run ``run_id`` (``None`` when not listed).

    ``keys`` limits the clients (``None``: every client).
    """
    query = select(
        ClientRow.key,
        ClientRow.name,
        ClientRow.owner,
        ClientRow.industry,
        ClientRow.country,
        ClientRow.employees,
        ClientRow.annual_turnover,
        ClientRow.potential,
        SnapshotRow.value,
        SnapshotRow.abc_class,
    ).outerjoin(
        SnapshotRow,
        (SnapshotRow.client_key == ClientRow.key)
        & (SnapshotRow.classification_id == (run_id if run_id is not None else -1)),
    )
    if keys is not None:
        found: list[ClientFacts] = []
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found.extend(
                from_row(ClientFacts, r)
                for r in session.execute(query.where(ClientRow.key.in_(chunk)))
            )
        return found
    return [from_row(ClientFacts, r) for r in session.execute(query)]
