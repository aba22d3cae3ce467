"""Class snapshots per classification run, and manual overrides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

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
from kam.store.schema import ClassificationRow, OverrideRow, SnapshotRow


def _run(row: ClassificationRow) -> ClassificationRun:
    return ClassificationRun(
        id=row.id,
        period=row.period,
        period_start=row.period_start,
        period_end=row.period_end,
        policy=row.policy,
        groups=row.groups,
        taken_at=row.taken_at,
        taken_by=row.taken_by,
        clients=row.clients,
        a_limit=row.a_limit,
        b_limit=row.b_limit,
    )


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


def _override(row: OverrideRow) -> ClassOverride:
    return ClassOverride(
        client_key=row.client_key,
        abc_class=row.abc_class,
        reason=row.reason,
        set_by=row.set_by,
        set_at=row.set_at,
        until=row.until,
        revoked_at=row.revoked_at,
    )


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
    session: Session,
    snapshots: Sequence[ClassSnapshot],
    *,
    period: str,
    period_start: date | None,
    period_end: date | None,
    policy: str,
    groups: bool,
    taken_by: str,
    taken_at: datetime,
    fitted: Policy | None = None,
) -> int:
    """Store a run's snapshots, replacing an earlier run of the same period and policy.

    The same period means the same first and last day, however it was written.
    ``fitted`` is the policy as fitted, kept with the reasons' numbers so that
    they can be worded again in any language.
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
        period=period,
        period_start=period_start,
        period_end=period_end,
        policy=policy,
        groups=groups,
        taken_by=taken_by,
        taken_at=taken_at,
        fitted=fitted,
    )


def save_run(
    session: Session,
    rows: Sequence[Sequence[Any]],
    *,
    period: str,
    period_start: date | None,
    period_end: date | None,
    policy: str,
    groups: bool,
    taken_by: str,
    taken_at: datetime,
    fitted: Policy | None = None,
) -> int:
    """:func:`save_classification` of snapshots given as rows of :data:`SNAPSHOT_FIELDS`.

    A run holds a row per client of the book (10^5 and more): the rows go
    straight to the driver (COPY on PostgreSQL), not an object and a statement
    per snapshot.
    """
    earlier = session.scalars(
        select(ClassificationRow.id).where(
            ClassificationRow.period_start == period_start,
            ClassificationRow.period_end == period_end,
            ClassificationRow.policy == policy,
            ClassificationRow.groups == groups,
        )
    ).all()
    if earlier:
        session.execute(delete(SnapshotRow).where(SnapshotRow.classification_id.in_(earlier)))
        session.execute(delete(ClassificationRow).where(ClassificationRow.id.in_(earlier)))
    run = ClassificationRow(
        period=period,
        period_start=period_start,
        period_end=period_end,
        policy=policy,
        groups=groups,
        taken_at=taken_at,
        taken_by=taken_by,
        clients=len(rows),
        a_limit=policy_limits(fitted)[0] if fitted else None,
        b_limit=policy_limits(fitted)[1] if fitted else None,
    )
    session.add(run)
    session.flush()
    insert_rows(
        session,
        SnapshotRow.__table__,  # type: ignore[arg-type]
        ("classification_id", *SNAPSHOT_FIELDS),
        ((run.id, *row) for row in rows),
    )
    return run.id


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
    return None if row is None else _run(row)


def latest_run(session: Session) -> ClassificationRun | None:
    """The run taken last."""
    row = session.scalar(select(ClassificationRow).order_by(ClassificationRow.id.desc()).limit(1))
    return None if row is None else _run(row)


def get_run(session: Session, run_id: int) -> ClassificationRun | None:
    """One run by id, or ``None``."""
    row = session.get(ClassificationRow, run_id)
    return None if row is None else _run(row)


def list_runs(session: Session) -> list[ClassificationRun]:
    """Every run, oldest period first."""
    rows = session.scalars(
        select(ClassificationRow).order_by(ClassificationRow.period_end, ClassificationRow.id)
    )
    return [_run(row) for row in rows]


def run_columns(
    session: Session, run: ClassificationRun, fields: Sequence[str]
) -> dict[str, list[Any]]:
    """Some of :data:`SNAPSHOT_FIELDS` of every snapshot of a run, as columns, by rank.

    Lists of values rather than a snapshot per client, for what reads a whole
    run to compare or count it.
    """
    columns = [getattr(SnapshotRow, name) for name in fields]
    rows = session.execute(
        select(*columns)
        .where(SnapshotRow.classification_id == run.id)
        .order_by(SnapshotRow.rank, SnapshotRow.client_key)
    ).all()
    return {name: [row[i] for row in rows] for i, name in enumerate(fields)}


def snapshots_of(session: Session, run: ClassificationRun) -> list[ClassSnapshot]:
    """The snapshots of one run, by rank."""
    # Plain column rows, not ORM entities: a run holds a row per client (100,000 and more),
    # and building an entity per row costs several times the query.
    rows = session.execute(
        select(
            SnapshotRow.client_key,
            SnapshotRow.value,
            SnapshotRow.share,
            SnapshotRow.rank,
            SnapshotRow.computed_class,
            SnapshotRow.abc_class,
            SnapshotRow.reason,
            SnapshotRow.override_reason,
            SnapshotRow.reason_key,
            SnapshotRow.above_count,
            SnapshotRow.above_share,
        )
        .where(SnapshotRow.classification_id == run.id)
        .order_by(SnapshotRow.rank, SnapshotRow.client_key)
    )
    policy = run.fitted_policy()
    return [
        ClassSnapshot(
            client_key=r.client_key,
            period=run.period,
            period_start=run.period_start,
            period_end=run.period_end,
            policy=run.policy,
            value=r.value,
            share=r.share,
            rank=r.rank,
            computed_class=r.computed_class,
            abc_class=r.abc_class,
            reason=r.reason,
            taken_at=run.taken_at,
            override_reason=r.override_reason,
            stored=_stored(run, policy, r),
        )
        for r in rows
    ]


def history_of(session: Session, client_key: str) -> list[ClassSnapshot]:
    """A client's class in every run, oldest period first."""
    rows = session.execute(
        select(SnapshotRow, ClassificationRow)
        .join(ClassificationRow, SnapshotRow.classification_id == ClassificationRow.id)
        .where(SnapshotRow.client_key == client_key)
        .order_by(ClassificationRow.period_end, ClassificationRow.id)
    ).all()
    runs = {row.id: _run(row) for _s, row in rows}
    return [
        ClassSnapshot(
            client_key=s.client_key,
            period=run.period,
            period_start=run.period_start,
            period_end=run.period_end,
            policy=run.policy,
            value=s.value,
            share=s.share,
            rank=s.rank,
            computed_class=s.computed_class,
            abc_class=s.abc_class,
            reason=s.reason,
            taken_at=run.taken_at,
            override_reason=s.override_reason,
            stored=_stored(runs[run.id], runs[run.id].fitted_policy(), s),
        )
        for s, run in rows
    ]


def add_override(session: Session, override: ClassOverride) -> None:
    """Record an override; an earlier active override of the client is revoked."""
    for row in session.scalars(
        select(OverrideRow).where(
            OverrideRow.client_key == override.client_key, OverrideRow.revoked_at.is_(None)
        )
    ):
        row.revoked_at = override.set_at
    session.add(
        OverrideRow(
            client_key=override.client_key,
            abc_class=override.abc_class,
            reason=override.reason,
            set_by=override.set_by,
            set_at=override.set_at,
            until=override.until,
        )
    )
    session.flush()


def active_overrides(session: Session, on: date) -> dict[str, ClassOverride]:
    """Overrides in force on a day, by client."""
    rows = session.scalars(
        select(OverrideRow)
        .where(OverrideRow.revoked_at.is_(None))
        .where((OverrideRow.until.is_(None)) | (OverrideRow.until >= on))
    )
    return {r.client_key: _override(r) for r in rows}


def overrides_of(session: Session, client_key: str) -> list[ClassOverride]:
    """Every override ever set on a client (active, expired or revoked), oldest first."""
    rows = session.scalars(
        select(OverrideRow)
        .where(OverrideRow.client_key == client_key)
        .order_by(OverrideRow.set_at, OverrideRow.id)
    )
    return [_override(r) for r in rows]


def revoke_overrides(session: Session, client_key: str, at: datetime) -> int:
    """Revoke a client's overrides not yet revoked; returns how many were revoked."""
    rows = session.scalars(
        select(OverrideRow).where(
            OverrideRow.client_key == client_key, OverrideRow.revoked_at.is_(None)
        )
    ).all()
    for row in rows:
        row.revoked_at = at
    session.flush()
    return len(rows)
