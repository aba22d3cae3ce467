"""Applying a proposal: each move a hand-over; the client's owner changes, its open plan
and planned activities follow the new owner, the hand-over is kept with its checklist,
and a manager reads its own hand-overs only. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from kam.domain.activities import Activity, ActivityStatus
from kam.domain.assignment import HandOver
from kam.domain.client import Client
from kam.domain.user import Role, User
from kam.services import activities, handovers, plans, users
from kam.services.access import AccessDeniedError, scope_for
from kam.services.book import Book
from kam.services.proposals import propose_for_book
from kam.store import managers as store
from kam.store import records
from kam.store.database import transaction
from tests.services.team import ANN, BOB, HEAD, NOW, VIEWER, team_book

DAY = date(2024, 6, 11)
CARL = User("carl", Role.MANAGER)


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = team_book(tmp_path / "book", database_url)
    yield opened
    opened.close()


def _owner(book: Book, key: str) -> str | None:
    with transaction(book.database) as session:
        client = records.get(session, Client, key)
    assert client is not None
    return client.owner


def test_a_chosen_move_hands_the_client_its_plan_and_its_next_visit_over(book: Book) -> None:
    plan = plans.open_plan(book, ANN, "ACME", "2024", owner="ann", now=NOW)
    visit = activities.log_activity(
        book,
        ANN,
        Activity(0, "ACME", "visit", datetime(2024, 7, 1, 10), ActivityStatus.PLANNED),
        NOW,
    )
    proposal = propose_for_book(book, HEAD, now=NOW)
    assert not scope_for(book, BOB).allows("ACME")

    done = handovers.apply_proposal(book, HEAD, proposal, ["ACME"], on=DAY, now=NOW)

    assert [(d.hand_over.client_key, d.plans, d.activities) for d in done] == [("ACME", 1, 1)]
    assert _owner(book, "ACME") == "bob" and _owner(book, "BETA") == "bob"  # BETA not chosen
    kept = plans.get_plan(book, BOB, "ACME", "2024")
    assert kept is not None and kept.id == plan.id and kept.owner == "bob"
    moved = activities.activities_of(book, BOB, "ACME")
    assert [a.our_people for a in moved] == [("bob",)] and moved[0].id == visit.id
    assert scope_for(book, BOB).allows("ACME") and not scope_for(book, ANN).allows("ACME")
    hand_over = done[0].hand_over
    assert (hand_over.from_manager, hand_over.to_manager, hand_over.handed_on) == (
        "ann",
        "bob",
        DAY,
    )
    assert hand_over.reason.startswith("industry: knows retail (+0.30); language: speaks de")
    assert [(i.item, i.done) for i in hand_over.checklist] == [
        ("introduce the new manager to the decision maker", False),
        ("introduce the new manager to the champion", False),
        ("hand over the open deals", False),
        ("hand over the next steps", False),
        ("update the plan's owner", True),
    ]


def test_a_manager_reads_its_own_hand_overs_and_ticks_them_off(book: Book) -> None:
    proposal = propose_for_book(book, HEAD, now=NOW)
    handovers.apply_proposal(book, HEAD, proposal, on=DAY, now=NOW)
    every = handovers.hand_overs_of(book, HEAD)
    assert sorted(h.client_key for h in every) == ["ACME", "BETA", "GAMMA"]
    users.add_user(book, CARL, None, NOW)
    with transaction(book.database) as session:  # an earlier hand-over, not ann's
        store.add_hand_over(session, HandOver(0, "DELTA", "bob", "carl", DAY, "", (), "hedda", NOW))
    # ann gets BETA and GAMMA and gives ACME; she never held DELTA
    assert {h.client_key for h in handovers.hand_overs_of(book, ANN)} == {"ACME", "BETA", "GAMMA"}
    assert [h.client_key for h in handovers.hand_overs_of(book, CARL)] == ["DELTA"]
    assert len(handovers.hand_overs_of(book, HEAD)) == 4
    assert handovers.hand_overs_of(book, VIEWER) == []
    acme = next(h for h in every if h.client_key == "ACME")
    ticked = handovers.tick(book, BOB, acme.id, 0)
    assert ticked.checklist[0].done
    with pytest.raises(LookupError):
        handovers.tick(book, VIEWER, acme.id, 0)
    with pytest.raises(ValueError, match="items 1 to 5"):
        handovers.tick(book, BOB, acme.id, 5)


def test_a_move_whose_client_changed_owner_since_refuses_them_all(book: Book) -> None:
    proposal = propose_for_book(book, HEAD, now=NOW)
    with transaction(book.database) as session:
        records.upsert(session, [Client("GAMMA", "Gamma SA", owner="ann")], NOW, only={"owner"})
    with pytest.raises(ValueError, match="GAMMA is held by ann now, not by bob"):
        handovers.apply_proposal(book, HEAD, proposal, on=DAY, now=NOW)
    assert _owner(book, "ACME") == "ann"  # nothing applied
    assert handovers.hand_overs_of(book, HEAD) == []


def test_only_the_head_and_admins_apply_and_only_moves_of_the_proposal(book: Book) -> None:
    proposal = propose_for_book(book, HEAD, now=NOW)
    with pytest.raises(AccessDeniedError):
        handovers.apply_proposal(book, ANN, proposal)
    with pytest.raises(ValueError, match="the proposal moves no client DELTA"):
        handovers.apply_proposal(book, HEAD, proposal, ["DELTA"])
    empty = replace(proposal, moves=())
    assert handovers.apply_proposal(book, HEAD, empty) == []
