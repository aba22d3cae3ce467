"""A book kept before a plan's meetings were activities: its meetings move into the
activities, with their participants and minutes, and move back when undone; on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, insert, inspect, select, table, text
from sqlalchemy import column as col
from sqlalchemy.types import JSON, Boolean, Date, DateTime

from kam.domain.client import Client
from kam.domain.engagement import ENGAGEMENT_STAGE, Achievement, MeetingLevel, Pairing
from kam.domain.items import validate_item
from kam.domain.stakeholder import Person
from kam.domain.user import Role, User
from kam.store import activities, records
from kam.store.database import MIGRATIONS, open_database, transaction, upgrade
from kam.store.plans import add_plan
from kam.store.plans.engagement import STAGES
from kam.store.users import add_user

NOW = datetime(2024, 3, 1, 9, 0)


def _migrate(engine: Engine, to: str, down: bool = False) -> None:
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, to)


def _meeting(plan_id: int, **given: Any) -> dict[str, Any]:
    blank = {"stage_id": None, "agenda": "", "minutes": "", "achievement": None}
    blank |= {"next_step": "", "next_step_due": None, "next_step_done": False}
    stamp = {"updated_at": NOW, "updated_by": "ann", "version": 1}
    return {"plan_id": plan_id, **blank, **stamp, **given}


_MEETINGS = table(
    "engagement_meetings",
    *(col(name) for name in ("plan_id", "stage_id", "level", "objective", "agenda")),
    *(col(name) for name in ("minutes", "achievement", "next_step", "updated_by", "version")),
    col("day", Date),
    col("next_step_due", Date),
    col("next_step_done", Boolean),
    col("updated_at", DateTime),
    col("pairs", JSON),
)


@pytest.fixture
def book(database_url: str) -> Any:
    """A book at the revision before the move, with two clients, their people, a user
    ann, a plan each (the first with a stage) and three meetings."""
    engine = open_database(database_url)
    upgrade(engine)
    with transaction(engine) as session:
        records.upsert(session, [Client("C1", "One"), Client("C2", "Two")], NOW)
        records.upsert(
            session,
            [Person("P1", "C1", "Sven"), Person("P2", "C2", "Maria")],
            NOW,
        )
        add_user(session, User("ann", Role.MANAGER), NOW)
        plans = [
            add_plan(
                session, key, "2024", owner="ann", review_date=None, objective="", now=NOW, by="ann"
            ).id
            for key in ("C1", "C2")
        ]
        stage = STAGES.save(
            session, plans[0], None, validate_item(ENGAGEMENT_STAGE, {"name": "Pilot"}), NOW, "ann"
        ).id
    _migrate(engine, "0022", down=True)
    held = _meeting(
        plans[0],
        stage_id=stage,
        level="executive",
        day=date(2024, 3, 10),
        objective="Meet the CEO",
        agenda="Our offer",
        pairs=[["ann", "P1", ""], ["our CEO", None, "their owner"]],
        minutes="Agreed a pilot",
        achievement="achieved",
        next_step="Send the offer",
        next_step_due=date(2024, 3, 20),
        next_step_done=True,
        version=3,
    )
    # bob is no user, and P2 is a person of the other client: both stay in the pairs only
    coming = _meeting(
        plans[0], level="management", day=date(2024, 6, 1), objective="Review",
        pairs=[["bob", "P2", ""]],
    )  # fmt: skip
    blank = _meeting(
        plans[1], level="specialist", day=date(2024, 4, 2), objective="Demo",
        pairs=[["ann", "P2", ""]], minutes="  ",
    )  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(_MEETINGS), [held, coming, blank])
    yield engine, plans, stage
    engine.dispose()


def test_the_meetings_move_into_the_activities_with_their_participants_and_minutes(
    book: Any,
) -> None:
    engine, plans, stage = book

    _migrate(engine, "0023")

    assert "engagement_meetings" not in inspect(engine).get_table_names()
    with transaction(engine) as session:
        moved = activities.of_clients(session, None)
        meetings = activities.meetings_of(session, plans[0])
    assert [(a.client_key, a.kind, a.at, a.status.value, a.plan_id) for a in moved] == [
        ("C1", "visit", datetime(2024, 3, 10, 10), "done", plans[0]),
        ("C2", "visit", datetime(2024, 4, 2, 10), "planned", plans[1]),
        ("C1", "visit", datetime(2024, 6, 1, 10), "planned", plans[0]),
    ]
    assert [(a.objective, a.outcome) for a in moved] == [
        ("Meet the CEO", "Agreed a pilot"),
        ("Demo", "  "),
        ("Review", ""),
    ]
    assert [(a.our_people, a.their_people) for a in moved] == [
        (("ann",), ("P1",)),
        (("ann",), ("P2",)),
        ((), ()),
    ]
    held = moved[0]
    assert (held.stage_id, held.level, held.agenda, held.achievement) == (
        stage,
        MeetingLevel.EXECUTIVE,
        "Our offer",
        Achievement.ACHIEVED,
    )
    assert (held.next_step, held.next_step_due, held.next_step_owner, held.next_step_done) == (
        "Send the offer",
        date(2024, 3, 20),
        "ann",
        True,
    )
    assert (held.version, held.updated_by) == (3, "ann")
    assert [(m.day, m.recorded, m.pairs) for m in meetings] == [
        (date(2024, 3, 10), True, (Pairing("ann", "P1"), Pairing("our CEO", None, "their owner"))),
        (date(2024, 6, 1), False, (Pairing("bob"),)),
    ]  # fmt: skip


def test_undone_the_meetings_move_back_and_the_activities_keep_only_their_own(
    book: Any,
) -> None:
    engine, plans, _stage = book
    _migrate(engine, "0023")
    # written as the schema of 0023 holds them (the store writes today's)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO clients (key, name, created_at, updated_at)"
                " VALUES ('C3', 'Three', :at, :at)"
            ),
            {"at": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO activities (client_key, kind, at, status, objective, outcome,"
                " next_step, created_at, created_by, updated_at, updated_by)"
                " VALUES ('C3', 'call', :at, 'done', 'prices', '', '', :at, 'ann', :at, 'ann')"
            ),
            {"at": NOW},
        )

    _migrate(engine, "0022", down=True)

    with engine.connect() as connection:
        back = connection.execute(
            select(
                _MEETINGS.c.plan_id,
                _MEETINGS.c.level,
                _MEETINGS.c.day,
                _MEETINGS.c.minutes,
                _MEETINGS.c.pairs,
                _MEETINGS.c.next_step_done,
            ).order_by(_MEETINGS.c.day)
        ).all()
        left = connection.execute(text("SELECT client_key, kind FROM activities")).all()
    assert [tuple(row) for row in back] == [
        (plans[0], "executive", date(2024, 3, 10), "Agreed a pilot",
         [["ann", "P1", ""], ["our CEO", None, "their owner"]], True),
        (plans[1], "specialist", date(2024, 4, 2), "  ", [["ann", "P2", ""]], False),
        (plans[0], "management", date(2024, 6, 1), "", [["bob", "P2", ""]], False),
    ]  # fmt: skip
    assert [tuple(row) for row in left] == [("C3", "call")]
