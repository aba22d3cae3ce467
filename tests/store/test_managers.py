"""Managers' profiles and hand-overs kept in the book, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import Engine

from kam.domain.assignment import (
    ChecklistItem,
    HandOver,
    ManagerProfile,
    class_limits,
    new_checklist,
)
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.domain.stakeholder import Person
from kam.domain.user import Role, User
from kam.store import managers, records
from kam.store import users as user_store
from kam.store.client_index import book_version
from kam.store.database import transaction
from kam.store.plans import AccountPlanRow
from kam.store.plans.deal import DealRow

NOW = datetime(2024, 5, 1, 12, 0)
ANN = ManagerProfile(
    "ann",
    3,
    frozenset({AbcClass.A, AbcClass.B}),
    30.0,
    frozenset({"retail"}),
    frozenset({"de", "en"}),
    frozenset({"Germany"}),
    years=12,
)


def _people(database: Engine) -> None:
    with transaction(database) as session:
        for name in ("ann", "bob"):
            user_store.add_user(session, User(name, Role.MANAGER), NOW)
        records.upsert(session, [Client("ACME", "Acme", owner="ann")], NOW)


def test_a_profile_is_kept_and_replaced_whole(database: Engine) -> None:
    _people(database)
    with transaction(database) as session:
        assert managers.save_profiles(session, [ANN], "head", NOW) == (1, 0)
    with transaction(database) as session:
        assert managers.profiles(session) == [ANN]
    junior = ManagerProfile("ann", 1, frozenset({AbcClass.C}), 4.0)
    with transaction(database) as session:
        assert managers.save_profiles(session, [junior], "head", NOW) == (0, 1)
        assert managers.profile_of(session, "ann") == junior
        assert managers.profile_of(session, "bob") is None


def test_a_profile_keeps_its_most_accounts_of_each_class(database: Engine) -> None:
    _people(database)
    limited = replace(ANN, limits=class_limits({AbcClass.B: 4, AbcClass.A: 1}))
    with transaction(database) as session:
        managers.save_profiles(session, [limited], "head", NOW)
    with transaction(database) as session:
        kept = managers.profile_of(session, "ann")
    assert kept == limited and kept is not None and kept.limit(AbcClass.A) == 1
    assert kept.limit(AbcClass.C) is None


def test_hand_overs_are_read_by_the_managers_they_concern_latest_first(database: Engine) -> None:
    _people(database)
    first = HandOver(
        0, "ACME", "ann", "bob", date(2024, 5, 1), "fits better", new_checklist(True), "head", NOW
    )
    with transaction(database) as session:
        before = book_version(session)
        kept = managers.add_hand_over(session, first)
        back = managers.add_hand_over(
            session,
            HandOver(
                0, "ACME", "bob", "ann", date(2024, 6, 1), "back", (), "head", NOW.replace(month=6)
            ),
        )
        assert book_version(session) != before
    with transaction(database) as session:
        assert [h.id for h in managers.hand_overs(session)] == [back.id, kept.id]
        assert managers.hand_overs(session, manager="ann") == managers.hand_overs(session)
        assert managers.get_hand_over(session, kept.id) == kept
        assert kept.checklist[-1] == ChecklistItem("update the plan's owner", True)
        managers.set_checklist(
            session, kept.id, [ChecklistItem(i.item, True) for i in kept.checklist]
        )
    with transaction(database) as session:
        done = managers.get_hand_over(session, kept.id)
        assert done is not None and done.done
        assert managers.hand_overs(session, manager="carl") == []


def test_a_client_s_complexity_counts_its_people_and_its_open_deals(database: Engine) -> None:
    _people(database)
    with transaction(database) as session:
        records.upsert(
            session, [Person("ACME-1", "ACME", "Ana"), Person("ACME-2", "ACME", "Jose")], NOW
        )
        plan = AccountPlanRow(
            client_key="ACME",
            period="2024",
            status="active",
            objective="",
            created_at=NOW,
            created_by="ann",
            updated_at=NOW,
            updated_by="ann",
        )
        session.add(plan)
        session.flush()
        for status in ("open", "won", "open"):
            session.add(
                DealRow(
                    plan_id=plan.id,
                    name="Deal",
                    value=1,
                    status=status,
                    note="",
                    updated_at=NOW,
                    updated_by="ann",
                )
            )
    with transaction(database) as session:
        assert managers.complexity_of_clients(session) == {"ACME": 4}  # 2 people, 2 open
