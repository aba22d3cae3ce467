"""The clients a user may see are read again as soon as a team or a grant changes."""

from __future__ import annotations

from kam.services import users
from kam.services.access import scope_for
from kam.services.book import Book
from tests.services.plans.conftest import ANN, VIEWER


def test_a_manager_put_on_a_team_sees_the_client_at_once(book: Book) -> None:
    assert scope_for(book, ANN).keys == frozenset({"ACME"})
    assert scope_for(book, ANN).keys == frozenset({"ACME"})  # kept, and still right
    users.assign(book, "BETA", "ann")
    assert scope_for(book, ANN).keys == frozenset({"ACME", "BETA"})


def test_a_viewer_granted_a_client_sees_it_at_once(book: Book) -> None:
    assert scope_for(book, VIEWER).keys == frozenset({"ACME"})
    users.grant(book, "vera", "BETA")
    assert scope_for(book, VIEWER).keys == frozenset({"ACME", "BETA"})
    users.grant(book, "vera", None)
    assert scope_for(book, VIEWER).everything
