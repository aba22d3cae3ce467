"""The demo's managers' profiles, drawn from the Northwind sample's sales people.

From the sample: each one's seniority in years (hired until the last order of the
sample), its level from its title (a vice president or sales manager is senior, a
sales representative experienced, an inside sales coordinator junior), its
languages (its country's, and those its notes say it speaks, reads or writes),
and its regions: the sample's regions of its territories, its country, and the
countries of the clients it owns (who took most of their orders). Invented, and
labelled so here: the classes each level may hold (a junior holds no A client)
and the capacity of each level in points, :data:`DEMO_CAPACITY`.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

from kam.domain.assignment import ManagerProfile, language_of
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.domain.user import Role
from kam.services import managers, users
from kam.services.book import Book
from kam.store import records
from kam.store.database import transaction

#: The level each title of the sample stands for (1 junior, 2 experienced, 3 senior).
LEVELS = {
    "Vice President, Sales": 3,
    "Sales Manager": 3,
    "Sales Representative": 2,
    "Inside Sales Coordinator": 1,
}
#: Invented for the demo: the points each level may carry, and the classes it may hold.
DEMO_CAPACITY = {3: 40.0, 2: 30.0, 1: 15.0}
DEMO_CLASSES = {
    3: frozenset(AbcClass),
    2: frozenset(AbcClass),
    1: frozenset({AbcClass.B, AbcClass.C}),
}
#: The languages the sample's notes name, as codes.
NAMED_LANGUAGES = {
    "French": "fr",
    "German": "de",
    "Italian": "it",
    "Japanese": "ja",
    "Portuguese": "pt",
    "Spanish": "es",
}


def _read(file: Path) -> list[dict[str, str]]:
    with file.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def demo_profiles(book: Book, northwind: Path) -> list[ManagerProfile]:
    """A profile for each of the sample's sales people who is a user of the book."""
    employees = _read(northwind / "employees.csv")
    last_order = max(date.fromisoformat(o["order_date"]) for o in _read(northwind / "orders.csv"))
    regions = {
        r["region_id"]: r["region_description"].strip() for r in _read(northwind / "region.csv")
    }
    territory_regions = {
        t["territory_id"]: regions[t["region_id"]] for t in _read(northwind / "territories.csv")
    }
    worked: dict[str, set[str]] = defaultdict(set)
    for row in _read(northwind / "employee_territories.csv"):
        worked[row["employee_id"]].add(territory_regions[row["territory_id"]])
    with transaction(book.database) as session:
        clients = records.list_all(session, Client)
    owned: dict[str, set[str]] = defaultdict(set)
    for client in clients:
        if client.owner and client.country:
            owned[client.owner].add(client.country)
    known = {user.name for user in users.list_users(book)}
    found: list[ManagerProfile] = []
    for person in employees:
        name = f"{person['first_name']}.{person['last_name']}".lower().replace(" ", "")
        level = LEVELS.get(person["title"])
        if name not in known or level is None:
            continue
        hired = date.fromisoformat(person["hire_date"])
        spoken = {code for word, code in NAMED_LANGUAGES.items() if word in person["notes"]}
        home = language_of(person["country"])
        found.append(
            ManagerProfile(
                name=name,
                level=level,
                classes=DEMO_CLASSES[level],
                capacity=DEMO_CAPACITY[level],
                languages=frozenset(spoken | ({home} if home else set())),
                regions=frozenset(
                    worked[person["employee_id"]] | owned[name] | {person["country"]}
                ),
                years=(last_order - hired).days // 365,
            )
        )
    return found


def demo_managers(book: Book, northwind: Path, now: datetime) -> list[ManagerProfile]:
    """Save the demo's profiles, as the book's head of key accounts."""
    head = next(user for user in users.list_users(book) if user.role is Role.HEAD)
    return managers.save_profiles(book, head, demo_profiles(book, northwind), now)
