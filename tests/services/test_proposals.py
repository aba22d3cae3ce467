"""Proposing who serves whom in a book: the moves and their reasons, the overloads
removed, the fit before and after, a manager leaving; the optimiser's answer is the
best one a brute force finds. On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from kam.domain.assignment import Weights, class_limits, fit
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.domain.stakeholder import Person
from kam.services import managers, proposals, user_admin
from kam.services.access import AccessDeniedError
from kam.services.book import Book
from kam.services.proposals import (
    book_accounts,
    proposal_document,
    propose_for_book,
    read_proposal,
)
from kam.store import records
from kam.store.changes import Changed, count_change
from kam.store.database import transaction
from tests.services.team import ANN, ANN_PROFILE, BOB_PROFILE, HEAD, NOW, team_book


@pytest.fixture
def book(tmp_path: Path, database_url: str) -> Iterator[Book]:
    opened = team_book(tmp_path / "book", database_url)
    yield opened
    opened.close()


def test_the_accounts_are_the_a_and_b_clients_with_their_country_s_language(book: Book) -> None:
    found = book_accounts(book, Weights())
    assert [(a.key, str(a.klass), a.language, a.region, a.owner) for a in found.accounts] == [
        ("ACME", "A", "de", "Germany", "ann"),
        ("BETA", "A", "en", "UK", "bob"),
        ("GAMMA", "B", "fr", "France", "bob"),
    ]
    # every class weighs on its owner: ann ACME 5 + DELTA (C) 0.2, bob BETA 5 + GAMMA 2
    assert {k: round(v, 6) for k, v in found.held.items()} == {"ann": 5.2, "bob": 7.0}


def test_the_proposal_moves_each_account_to_who_fits_it_within_capacity(book: Book) -> None:
    proposal = propose_for_book(book, HEAD, now=NOW)
    # ann may not hold ACME (A, German; she speaks no German): only bob may, and then
    # he has room for nothing else (6 points): BETA and GAMMA go to ann
    assert [(m.client, m.from_manager, m.to_manager) for m in proposal.moves] == [
        ("ACME", "ann", "bob"),
        ("BETA", "bob", "ann"),
        ("GAMMA", "bob", "ann"),
    ]
    acme, beta, gamma = proposal.moves
    assert acme.fit_before is None and acme.fit_after == pytest.approx(0.90)
    assert acme.reasons == (
        "industry: knows retail (+0.30)",
        "language: speaks de (+0.20)",
        "region: works in Germany (+0.15)",
        "seniority: level 3 of the 3 wanted for class A (+0.25)",
    )
    assert beta.fit_before == pytest.approx(0.45) and beta.fit_after == pytest.approx(0.90)
    assert gamma.fit_after == pytest.approx(0.25)
    assert proposal.kept == () and proposal.refused == () and proposal.unplaced == ()
    # before: ACME 0 (ann may not hold it) + BETA 0.45 + GAMMA 0.90
    assert proposal.total_fit_before == pytest.approx(1.35)
    assert proposal.total_fit_after == pytest.approx(0.90 + 0.90 + 0.25)
    assert [(o.manager, o.load, o.capacity) for o in proposal.overloads_before] == [
        ("bob", 7.0, 6.0)
    ]
    assert proposal.overloads_after == () and proposal.overloads_removed == ("bob",)


def test_the_proposal_is_the_best_assignment_a_brute_force_finds(book: Book) -> None:
    found = book_accounts(book, Weights())
    team = (ANN_PROFILE, BOB_PROFILE)
    c_load = {"ann": 0.2, "bob": 0.0}  # DELTA (C) stays with ann
    best = 0.0
    for owners in itertools.product(team, repeat=len(found.accounts)):
        fits = [fit(m, a, Weights()) for m, a in zip(owners, found.accounts, strict=True)]
        load = {m.name: c_load[m.name] for m in team}
        for manager, account in zip(owners, found.accounts, strict=True):
            load[manager.name] += Weights().points[account.klass]
        if all(f.eligible for f in fits) and all(load[m.name] <= m.capacity for m in team):
            best = max(best, sum(f.score for f in fits))
    proposal = propose_for_book(book, HEAD, continuity=0.0, now=NOW)
    assert proposal.total_fit_after == pytest.approx(best)


def test_with_no_move_allowed_only_an_account_its_owner_may_not_hold_moves(book: Book) -> None:
    proposal = propose_for_book(book, HEAD, max_moves=0, now=NOW)
    # ann may not hold ACME, so it goes (to bob, the only one who may); BETA and GAMMA
    # stay with bob, who has no room for them: reported, and his overload shown
    assert [(m.client, m.to_manager) for m in proposal.moves] == [("ACME", "bob")]
    assert proposal.kept == ("BETA", "GAMMA") and proposal.unplaced == ("BETA", "GAMMA")
    assert [(o.manager, o.load) for o in proposal.overloads_after] == [("bob", 12.0)]
    assert proposal.overloads_created == ()


def test_what_if_a_manager_leaves_proposes_only_its_accounts_to_the_others(book: Book) -> None:
    proposal = propose_for_book(book, HEAD, leaving="bob", now=NOW)
    assert [(m.client, m.from_manager, m.to_manager) for m in proposal.moves] == [
        ("BETA", "bob", "ann"),
        ("GAMMA", "bob", "ann"),
    ]
    assert proposal.leaving == "bob"
    with pytest.raises(ValueError, match="carl is not a manager with a profile"):
        propose_for_book(book, HEAD, leaving="carl")


def test_a_manager_leaving_passes_no_more_clients_of_a_class_than_another_s_most(
    book: Book,
) -> None:
    # ann holds ACME (A) and may hold one A client: bob's BETA (A) finds no room with her,
    # GAMMA (B) does; with 20 points she had room for both
    managers.save_profile(book, HEAD, replace(ANN_PROFILE, limits=class_limits({AbcClass.A: 1})))
    proposal = propose_for_book(book, HEAD, leaving="bob", now=NOW)
    assert [(m.client, m.to_manager) for m in proposal.moves] == [("GAMMA", "ann")]
    assert proposal.unplaced == ("BETA",)


def test_a_proposal_is_read_back_from_its_document(book: Book) -> None:
    proposal = propose_for_book(book, HEAD, now=NOW)
    assert read_proposal(proposal_document(proposal)) == proposal
    with pytest.raises(ValueError, match="not a proposal of kam assign propose"):
        read_proposal({"moves": []})


def test_only_the_head_and_admins_propose(book: Book) -> None:
    with pytest.raises(AccessDeniedError):
        propose_for_book(book, ANN)


def test_a_complex_account_wants_a_more_senior_manager_and_says_so(book: Book) -> None:
    with transaction(book.database) as session:
        records.upsert(
            session, [Person(f"GAMMA-{n}", "GAMMA", f"Person {n}") for n in range(10)], NOW
        )
    found = {a.key: a.complexity for a in book_accounts(book, Weights()).accounts}
    assert found == {"ACME": 0, "BETA": 0, "GAMMA": 10}
    gamma = next(m for m in propose_for_book(book, HEAD, now=NOW).moves if m.client == "GAMMA")
    assert gamma.reasons == (
        "seniority: level 3 of the 3 wanted for a complex class B client (+0.25)",
    )


def test_a_deactivated_manager_is_proposed_nothing(book: Book) -> None:
    user_admin.deactivate_user(book, "ann", by="hedda", now=NOW)
    proposal = propose_for_book(book, HEAD, now=NOW)
    assert all(m.to_manager == "bob" for m in proposal.moves)
    assert [m.client for m in proposal.moves] == ["ACME"]


def test_a_move_shows_the_value_at_risk_it_was_asked_with(book: Book) -> None:
    proposal = propose_for_book(book, HEAD, at_risk={"ACME": 12_345}, now=NOW)
    assert [(m.client, m.at_risk) for m in proposal.moves] == [
        ("ACME", 12_345),
        ("BETA", 0),
        ("GAMMA", 0),
    ]
    assert read_proposal(proposal_document(proposal)) == proposal
    assert all(m.at_risk is None for m in propose_for_book(book, HEAD, now=NOW).moves)


def test_a_c_client_follows_its_territory_not_the_optimiser(book: Book) -> None:
    # DELTA (C, USA, ann's): no manager works in the USA, so it stays and is said so
    proposal = propose_for_book(book, HEAD, now=NOW)
    assert proposal.uncovered == ("DELTA",)
    assert all(m.rule == "fit" for m in proposal.moves)
    # in France, bob's region: it goes to bob, in the room ACME leaves him (6 - 5 = 1)
    with transaction(book.database) as session:
        delta = records.get(session, Client, "DELTA")
        assert delta is not None
        records.upsert(session, [replace(delta, country="France")], NOW)
    proposal = propose_for_book(book, HEAD, now=NOW)
    territory = [m for m in proposal.moves if m.rule == "territory"]
    assert [(m.client, m.from_manager, m.to_manager) for m in territory] == [
        ("DELTA", "ann", "bob")
    ]
    assert territory[0].reasons[0] == "territory: works in France, the client's region"
    assert proposal.uncovered == ()
    assert "DELTA" not in proposal.kept  # kept lists the A and B clients left as they are
    assert read_proposal(proposal_document(proposal)) == proposal
    # bob carries ACME 5 + DELTA 0.2 within his 6; ann BETA 5 + GAMMA 2
    assert proposal.overloads_after == ()


def test_the_classified_clients_are_read_once_until_a_client_or_an_owner_changes(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    read = proposals._read_classified

    def counted(session: Session) -> object:
        reads.append(1)
        return read(session)

    monkeypatch.setattr(proposals, "_read_classified", counted)
    proposals._CLASSIFIED.clear()
    first = book_accounts(book, Weights())
    assert book_accounts(book, Weights()) == first and len(reads) == 1
    with transaction(book.database) as session:
        gamma = records.get(session, Client, "GAMMA")
        assert gamma is not None
        records.upsert(session, [replace(gamma, country="Germany")], NOW)
    moved = book_accounts(book, Weights())
    assert len(reads) == 2
    assert [a.region for a in moved.accounts if a.key == "GAMMA"] == ["Germany"]
    with transaction(book.database) as session:
        count_change(session, Changed.OWNERS, ["GAMMA"])  # as a hand-over counts it
    book_accounts(book, Weights())
    assert len(reads) == 3


def test_an_account_s_complexity_follows_the_people_added_to_its_client(book: Book) -> None:
    before = {a.key: a.complexity for a in book_accounts(book, Weights()).accounts}
    with transaction(book.database) as session:
        records.upsert(session, [Person("ACME-NEW", "ACME", "Nina New")], NOW)
    after = {a.key: a.complexity for a in book_accounts(book, Weights()).accounts}
    assert after == {**before, "ACME": before["ACME"] + 1}
