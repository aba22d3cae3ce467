"""Class snapshots per classification run, and manual overrides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kam.domain.class_history import ClassOverride, ClassSnapshot
from kam.store.schema import ClassificationRow, OverrideRow, SnapshotRow


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
) -> int:
    """Store a run's snapshots, replacing an earlier run of the same period and policy."""
    earlier = session.scalars(
        select(ClassificationRow.id).where(
            ClassificationRow.period == period,
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
    )
    session.add(run)
    session.flush()
    session.add_all(
        SnapshotRow(
            classification_id=run.id,
            client_key=s.client_key,
            value=s.value,
            share=s.share,
            rank=s.rank,
            computed_class=s.computed_class,
            abc_class=s.abc_class,
            reason=s.reason,
            override_reason=s.override_reason,
        )
        for s in snapshots
    )
    session.flush()
    return run.id


def previous_run(
    session: Session, before: date | None, groups: bool, exclude: int | None = None
) -> ClassificationRow | None:
    """The latest run whose period ended before ``before`` (or the latest other run)."""
    query = select(ClassificationRow).where(ClassificationRow.groups == groups)
    if exclude is not None:
        query = query.where(ClassificationRow.id != exclude)
    if before is not None:
        query = query.where(ClassificationRow.period_end < before)
    query = query.order_by(ClassificationRow.period_end.desc(), ClassificationRow.id.desc())
    return session.scalar(query.limit(1))


def latest_run(session: Session) -> ClassificationRow | None:
    """The run taken last."""
    return session.scalar(select(ClassificationRow).order_by(ClassificationRow.id.desc()).limit(1))


def snapshots_of(session: Session, run: ClassificationRow) -> list[ClassSnapshot]:
    """The snapshots of one run, by rank."""
    rows = session.scalars(
        select(SnapshotRow)
        .where(SnapshotRow.classification_id == run.id)
        .order_by(SnapshotRow.rank, SnapshotRow.client_key)
    )
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
    return {
        r.client_key: ClassOverride(
            r.client_key, r.abc_class, r.reason, r.set_by, r.set_at, r.until
        )
        for r in rows
    }
