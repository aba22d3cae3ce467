"""A small team for the assignment's services: four clients, two managers with profiles,
a head and a viewer; the book classified.

ACME (Germany, retail, ann's) and BETA (UK, food, bob's) are A, GAMMA (France, retail,
bob's) is B, DELTA (USA, ann's) is C. Ann (senior, speaks English, knows food and the
UK) has room for 20 points, Bob (senior, speaks German, French and English, knows
retail, Germany and France) for 6: he carries 7 (BETA 5, GAMMA 2).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from kam.domain.assignment import ManagerProfile
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.domain.period import parse_period
from kam.domain.user import Role, User
from kam.services import managers, users
from kam.services.book import Book
from kam.services.classify import ClassifyRequest, classify_book
from kam.store import records
from kam.store.database import transaction
from tests.books import add_sales_rows, make_book

NOW = datetime(2024, 6, 10, 9, 0)
HEAD = User("hedda", Role.HEAD)
ANN = User("ann", Role.MANAGER)
BOB = User("bob", Role.MANAGER)
VIEWER = User("vera", Role.VIEWER)
ALL = frozenset(AbcClass)
ANN_PROFILE = ManagerProfile(
    "ann", 3, ALL, 20.0, frozenset({"food"}), frozenset({"en"}), frozenset({"UK"}), years=9
)
BOB_PROFILE = ManagerProfile(
    "bob",
    3,
    ALL,
    6.0,
    frozenset({"retail"}),
    frozenset({"de", "fr", "en"}),
    frozenset({"Germany", "France"}),
    years=15,
)
CLIENTS = (
    Client("ACME", "Acme Corp", industry="retail", country="Germany", owner="ann"),
    Client("BETA", "Beta Ltd", industry="food", country="UK", owner="bob"),
    Client("GAMMA", "Gamma SA", industry="retail", country="France", owner="bob"),
    Client("DELTA", "Delta Inc", country="USA", owner="ann"),
)
VALUES = {"ACME": 600_000, "BETA": 250_000, "GAMMA": 100_000, "DELTA": 50_000}


def team_book(data_dir: Path, database_url: str) -> Book:
    """The team's book, classified on the sales of 2023, the profiles saved."""
    book = make_book(data_dir, database_url)
    with transaction(book.database) as session:
        records.upsert(session, list(CLIENTS), NOW)
    for user in (HEAD, ANN, BOB, VIEWER):
        users.add_user(book, user, None, NOW)
    add_sales_rows(
        book,
        [
            {"client_id": key, "date": date(2023, 3, 1), "amount": amount}
            for key, amount in VALUES.items()
        ],
    )
    classify_book(book, ClassifyRequest(period=parse_period("2023")), datetime(2024, 1, 2, 8))
    managers.save_profiles(book, HEAD, [ANN_PROFILE, BOB_PROFILE], NOW)
    return book
