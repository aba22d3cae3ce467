"""What the assignment flags on the team's book: a client held against a hard rule, an
overloaded manager, a key client without an owner; each reader within its scope."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kam.domain.assignment import class_limits
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.services import managers
from kam.services.assignment_flags import assignment_flags
from kam.services.book import Book
from kam.store import records
from kam.store.database import transaction
from tests.services.team import ANN, ANN_PROFILE, HEAD, NOW, VIEWER, team_book


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = team_book(tmp_path / "book", database_url)
    yield opened
    opened.close()


def test_the_head_sees_every_flag_a_manager_those_of_its_clients(book: Book) -> None:
    with transaction(book.database) as session:
        records.upsert(session, [Client("GAMMA", "Gamma SA", owner=None)], NOW, only={"owner"})
    flags = assignment_flags(book, HEAD)
    # ann speaks no German and holds ACME, an A client of Germany
    assert [(f.client, f.klass, f.owner, f.reason) for f in flags.held_against_rule] == [
        ("ACME", "A", "ann", "does not speak de")
    ]
    # bob carries BETA alone now (5 points) within his 6: no one is overloaded
    assert flags.overloaded == ()
    assert flags.without_owner == ("GAMMA",)
    mine = assignment_flags(book, ANN)
    assert [f.client for f in mine.held_against_rule] == ["ACME"]
    assert mine.without_owner == () and mine.any
    assert not assignment_flags(book, VIEWER).any


def test_an_overloaded_manager_is_flagged_to_the_head_not_to_another_manager(
    book: Book,
) -> None:
    assert [(o.manager, o.load, o.capacity) for o in assignment_flags(book, HEAD).overloaded] == [
        ("bob", 7.0, 6.0)
    ]
    assert assignment_flags(book, ANN).overloaded == ()


def test_a_manager_holding_more_of_a_class_than_its_most_is_overloaded_within_its_points(
    book: Book,
) -> None:
    # ann takes BETA: ACME and BETA (A, 5 points each) and DELTA (C, 0.2) weigh 10.2 of her
    # 20 points, but she may hold at most one A client
    managers.save_profile(book, HEAD, replace(ANN_PROFILE, limits=class_limits({AbcClass.A: 1})))
    with transaction(book.database) as session:
        records.upsert(session, [Client("BETA", "Beta Ltd", owner="ann")], NOW, only={"owner"})
    assert [
        (o.manager, o.load, o.capacity, o.classes) for o in assignment_flags(book, HEAD).overloaded
    ] == [("ann", 10.2, 20.0, (("A", 2, 1),))]
    # a most of two A clients holds her two
    managers.save_profile(book, HEAD, replace(ANN_PROFILE, limits=class_limits({AbcClass.A: 2})))
    assert assignment_flags(book, HEAD).overloaded == ()
