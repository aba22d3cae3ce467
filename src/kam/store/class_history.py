"""Class snapshots per classification run, and manual overrides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kam.domain.class_history import (
    ClassificationRun,
    ClassOverride,
    ClassSnapshot,
    StoredReason,
    policy_limits,
)
from kam.domain.policy import Policy
from kam.store.bulk import insert_rows
from kam.store.rows import from_row, revoke
from kam.store.schema import ClassificationRow, OverrideRow, SnapshotRow


class RunFacts(TypedDict):
    """What a run is besides its snapshots, as :func:`save_run` takes it. ``fitted`` is the
    policy as fitted, kept with the reasons' numbers so that they can be worded again in
    any language."""

    period: str
    period_start: date | None
    period_end: date | None
    policy: str
    groups: bool
    taken_by: str
    taken_at: datetime
    fitted: NotRequired[Policy | None]


def _stored(run: ClassificationRun, policy: Policy | None, row: Any) -> StoredReason | None:
    """The numbers behind a snapshot's reason, when the run and the snapshot kept them."""
    if policy is None or run.clients is None or row.reason_key is None:
        return None
    return StoredReason(
        key=row.reason_key,
        above_count=row.above_count or 0,
        above_share=row.above_share or 0.0,
        clients=run.clients,
        policy=policy,
    )


#: The fields of a snapshot that are its run's.
_RUN_FIELDS = ("period", "period_start", "period_end", "policy", "taken_at")


def _snapshot(run: ClassificationRun, policy: Policy | None, row: Any) -> ClassSnapshot:
    """A client's snapshot of a run, from a row of :data:`SNAPSHOT_FIELDS`."""
    of_run = {name: getattr(run, name) for name in _RUN_FIELDS}
    return from_row(ClassSnapshot, row, **of_run, stored=_stored(run, policy, row))


#: The values of a snapshot as :func:`save_run` takes them, in this order.
SNAPSHOT_FIELDS = (
    "client_key",
    "value",
    "share",
    "rank",
    "computed_class",
    "abc_class",
    "reason",
    "override_reason",
    "reason_key",
    "above_count",
    "above_share",
)


def save_classification(
    session: Session, snapshots: Sequence[ClassSnapshot], **run: Unpack[RunFacts]
) -> int:
    """Store a run's snapshots, replacing an earlier run of the same period and policy.

    The same period means the same first and last day, however it was written.
    """
    return save_run(
        session,
        [
            (
                s.client_key,
                s.value,
                s.share,
                s.rank,
                s.computed_class,
                s.abc_class,
                s.reason,
                s.override_reason,
                s.stored.key if s.stored else None,
                s.stored.above_count if s.stored else None,
                s.stored.above_share if s.stored else None,
            )
            for s in snapshots
        ],
        **run,
    )


def save_run(session: Session, rows: Sequence[Sequence[Any]], **run: Unpack[RunFacts]) -> int:
    """:func:`save_classification` of snapshots given as rows of :data:`SNAPSHOT_FIELDS`.

    A run holds a row per client of the book (10^5 and more): the rows go
    straight to the driver (COPY on PostgreSQL), not an object and a statement
    per snapshot.
    """
    fitted = run.pop("fitted", None)
    earlier = session.scalars(
        select(ClassificationRow.id).where(
            ClassificationRow.period_start == run["period_start"],
            ClassificationRow.period_end == run["period_end"],
            ClassificationRow.policy == run["policy"],
            ClassificationRow.groups == run["groups"],
        )
    ).all()
    if earlier:
        session.execute(delete(SnapshotRow).where(SnapshotRow.classification_id.in_(earlier)))
        session.execute(delete(ClassificationRow).where(ClassificationRow.id.in_(earlier)))
    a_limit, b_limit = policy_limits(fitted) if fitted else (None, None)
    row = ClassificationRow(**run, clients=len(rows), a_limit=a_limit, b_limit=b_limit)
    session.add(row)
    session.flush()
    insert_rows(
        session,
        SnapshotRow.__table__,  # type: ignore[arg-type]
        ("classification_id", *SNAPSHOT_FIELDS),
        ((row.id, *values) for values in rows),
    )
    return row.id


def previous_run(
    session: Session, before: date | None, groups: bool, exclude: int | None = None
) -> ClassificationRun | None:
    """The latest run whose period ended before ``before`` (or the latest other run)."""
    query = select(ClassificationRow).where(ClassificationRow.groups == groups)
    if exclude is not None:
        query = query.where(ClassificationRow.id != exclude)
    if before is not None:
        query = query.where(ClassificationRow.period_end < before)
    query = query.order_by(ClassificationRow.period_end.desc(), ClassificationRow.id.desc())
    row = session.scalar(query.limit(1))
    return None if row is None else from_row(ClassificationRun, row)


def latest_run(session: Session) -> ClassificationRun | None:
    """The run taken last."""
    row = session.scalar(select(ClassificationRow).order_by(ClassificationRow.id.desc()).limit(1))
    return None if row is None else from_row(ClassificationRun, row)


def get_run(session: Session, run_id: int) -> ClassificationRun | None:
    """One run by id, or ``None``."""
    row = session.get(ClassificationRow, run_id)
    return None if row is None else from_row(ClassificationRun, row)


def list_runs(session: Session) -> list[ClassificationRun]:
    """Every run, oldest period first."""
    rows = session.scalars(
        select(ClassificationRow).order_by(ClassificationRow.period_end, ClassificationRow.id)
    )
    return [from_row(ClassificationRun, row) for row in rows]


def rows_of_run(session: Session, run_id: int, fields: Sequence[str]) -> list[Any]:
    """Some of :data:`SNAPSHOT_FIELDS` of every snapshot of a run, as plain rows, by rank
    (then key): a run holds a row per client (100,000 and more), and building an entity
    per row costs several times the query."""
    return list(
        session.execute(
            select(*(getattr(SnapshotRow, name) for name in fields))
            .where(SnapshotRow.classification_id == run_id)
            .order_by(SnapshotRow.rank, SnapshotRow.client_key)
        )
    )


def run_columns(
    session: Session, run: ClassificationRun, fields: Sequence[str]
) -> dict[str, list[Any]]:
    """Some of :data:`SNAPSHOT_FIELDS` of every snapshot of a run, as columns, by rank.

    Lists of values rather than a snapshot per client, for what reads a whole
    run to compare or count it.
    """
    rows = rows_of_run(session, run.id, fields)
    return {name: [row[i] for row in rows] for i, name in enumerate(fields)}


def snapshots_of(session: Session, run: ClassificationRun) -> list[ClassSnapshot]:
    """The snapshots of one run, by rank."""
    policy = run.fitted_policy()
    return [_snapshot(run, policy, r) for r in rows_of_run(session, run.id, SNAPSHOT_FIELDS)]


def history_of(session: Session, client_key: str) -> list[ClassSnapshot]:
    """A client's class in every run, oldest period first."""
    rows = session.execute(
        select(SnapshotRow, ClassificationRow)
        .join(ClassificationRow, SnapshotRow.classification_id == ClassificationRow.id)
        .where(SnapshotRow.client_key == client_key)
        .order_by(ClassificationRow.period_end, ClassificationRow.id)
    ).all()
    runs = {row.id: from_row(ClassificationRun, row) for _s, row in rows}
    policies = {run_id: run.fitted_policy() for run_id, run in runs.items()}
    return [_snapshot(runs[row.id], policies[row.id], s) for s, row in rows]


def add_override(session: Session, override: ClassOverride) -> None:
    """Record an override; an earlier active override of the client is revoked."""
    revoke(session, OverrideRow, override.set_at, OverrideRow.client_key == override.client_key)
    session.add(OverrideRow(**asdict(override)))
    session.flush()


def active_overrides(session: Session, on: date) -> dict[str, ClassOverride]:
    """Overrides in force on a day, by client."""
    rows = session.scalars(
        select(OverrideRow)
        .where(OverrideRow.revoked_at.is_(None))
        .where((OverrideRow.until.is_(None)) | (OverrideRow.until >= on))
    )
    return {r.client_key: from_row(ClassOverride, r) for r in rows}


def overrides_of(session: Session, client_key: str) -> list[ClassOverride]:
    """Every override ever set on a client (active, expired or revoked), oldest first."""
    rows = session.scalars(
        select(OverrideRow)
        .where(OverrideRow.client_key == client_key)
        .order_by(OverrideRow.set_at, OverrideRow.id)
    )
    return [from_row(ClassOverride, r) for r in rows]


def revoke_overrides(session: Session, client_key: str, at: datetime) -> int:
    """Revoke a client's overrides not yet revoked; returns how many were revoked."""
    revoked = revoke(session, OverrideRow, at, OverrideRow.client_key == client_key)
    session.flush()
    return revoked
