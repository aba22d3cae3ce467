"""Class snapshots and overrides in the database, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from kam.domain.class_history import ClassOverride, ClassSnapshot
from kam.store import class_history
from kam.store.database import transaction

NOW = datetime(2024, 5, 1, 12, 0)


def make_snapshot(**overrides: object) -> ClassSnapshot:
    values: dict[str, object] = {
        "client_key": "C1",
        "period": "2023",
        "period_start": date(2023, 1, 1),
        "period_end": date(2023, 12, 31),
        "policy": "pareto 0.8,0.95 by revenue",
        "value": 10_000,
        "share": 0.5,
        "rank": 1,
        "computed_class": "A",
        "abc_class": "A",
        "reason": "A: the largest client, rank 1 of 2",
        "taken_at": NOW,
    }
    values.update(overrides)
    return ClassSnapshot(**values)  # type: ignore[arg-type]


def save(session: object, period: str, start: date, end: date, *snapshots: ClassSnapshot) -> int:
    return class_history.save_classification(
        session,  # type: ignore[arg-type]
        list(snapshots),
        period=period,
        period_start=start,
        period_end=end,
        policy="pareto 0.8,0.95 by revenue",
        groups=False,
        taken_by="ann",
        taken_at=NOW,
    )


def test_a_run_of_the_same_days_and_policy_replaces_the_earlier_one(database: Engine) -> None:
    with transaction(database) as session:
        save(session, "2023", date(2023, 1, 1), date(2023, 12, 31), make_snapshot())
    with transaction(database) as session:
        run_id = save(
            session,
            "2023-01..2023-12",
            date(2023, 1, 1),
            date(2023, 12, 31),
            make_snapshot(value=20_000),
        )
    with transaction(database) as session:
        runs = class_history.list_runs(session)
        assert [r.id for r in runs] == [run_id]
        assert [s.value for s in class_history.snapshots_of(session, runs[0])] == [20_000]


def test_the_previous_run_is_the_latest_that_ended_before_a_day(database: Engine) -> None:
    with transaction(database) as session:
        first = save(session, "2022", date(2022, 1, 1), date(2022, 12, 31), make_snapshot())
        second = save(session, "2023", date(2023, 1, 1), date(2023, 12, 31), make_snapshot())
    with transaction(database) as session:
        found = class_history.previous_run(session, date(2024, 1, 1), False)
        assert found is not None and found.id == second
        found = class_history.previous_run(session, date(2023, 6, 1), False)
        assert found is not None and found.id == first
        assert class_history.previous_run(session, date(2022, 6, 1), False) is None
        assert class_history.previous_run(session, date(2024, 1, 1), True) is None
        latest = class_history.latest_run(session)
        assert latest is not None and latest.id == second
        assert class_history.get_run(session, first) == class_history.list_runs(session)[0]
        assert class_history.get_run(session, 999) is None


def test_a_clients_history_lists_every_run_oldest_period_first(database: Engine) -> None:
    with transaction(database) as session:
        save(session, "2023", date(2023, 1, 1), date(2023, 12, 31), make_snapshot())
        save(
            session,
            "2022",
            date(2022, 1, 1),
            date(2022, 12, 31),
            make_snapshot(period="2022", abc_class="B", computed_class="B"),
        )
    with transaction(database) as session:
        history = class_history.history_of(session, "C1")
    assert [(s.period, s.abc_class) for s in history] == [("2022", "B"), ("2023", "A")]


def test_a_new_override_revokes_the_earlier_one_and_clearing_revokes_the_last(
    database: Engine,
) -> None:
    first = ClassOverride("C1", "A", "deal", "ann", NOW, date(2024, 12, 31))
    second = ClassOverride("C1", "B", "deal lost", "bob", datetime(2024, 6, 1), None)
    with transaction(database) as session:
        class_history.add_override(session, first)
        class_history.add_override(session, second)
    with transaction(database) as session:
        assert class_history.active_overrides(session, date(2024, 7, 1)) == {"C1": second}
        overrides = class_history.overrides_of(session, "C1")
        assert [o.revoked_at for o in overrides] == [datetime(2024, 6, 1), None]
        assert class_history.revoke_overrides(session, "C1", datetime(2024, 7, 1)) == 1
    with transaction(database) as session:
        assert class_history.active_overrides(session, date(2024, 7, 1)) == {}
        assert class_history.revoke_overrides(session, "C1", datetime(2024, 7, 2)) == 0


def test_an_override_past_its_last_day_is_not_in_force(database: Engine) -> None:
    with transaction(database) as session:
        class_history.add_override(
            session, ClassOverride("C1", "A", "trial", "ann", NOW, date(2024, 6, 30))
        )
    with transaction(database) as session:
        assert set(class_history.active_overrides(session, date(2024, 6, 30))) == {"C1"}
        assert class_history.active_overrides(session, date(2024, 7, 1)) == {}


def test_a_large_run_is_stored_whole_and_rolls_back_whole(database: Engine) -> None:
    # Rows go straight to the driver (COPY on PostgreSQL), in the session's transaction.
    snapshots = [
        make_snapshot(
            client_key=f"K{i:05d}",
            rank=i + 1,
            value=50_000 - i,
            reason='it\'s "quoted"\tand\ttabbed\nover lines \\ too' if i == 7 else "r",
        )
        for i in range(20_000)
    ]
    start, end = date(2023, 1, 1), date(2023, 12, 31)
    with pytest.raises(RuntimeError), transaction(database) as session:
        save(session, "2023", start, end, *snapshots)
        raise RuntimeError("the import failed after the snapshots were written")
    with transaction(database) as session:
        assert class_history.latest_run(session) is None
        run_id = save(session, "2023", start, end, *snapshots)
    with transaction(database) as session:
        run = class_history.get_run(session, run_id)
        assert run is not None
        stored = class_history.snapshots_of(session, run)
    assert len(stored) == 20_000
    by_key = {s.client_key: s for s in stored}
    assert by_key["K00007"].reason == 'it\'s "quoted"\tand\ttabbed\nover lines \\ too'
    assert (by_key["K19999"].rank, by_key["K19999"].value) == (20_000, 30_001)
