"""The demo's contacts with its clients: the sample's orders as the calls that took them,
and a few weeks of visits, offers, reviews and gifts.

From the Northwind sample (:func:`demo_calls`): each of its orders is a call with the
client, on the day of the order, by the sales person who took it. Invented, every
text labelled "(demo)", and dated back from the day the demo is built:
each A client of the latest run was visited by its account manager some days before,
with the client's contact from the book; some visits left a next step, some now overdue;
some clients got an offer, a gift, or a business review the head planned; and one A
client in six has not been visited at all, so that My week and the team page have
something true to show from the first day.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from kam.domain.activities import Activity, ActivityStatus
from kam.domain.client import Client
from kam.domain.user import Role
from kam.i18n import gettext as _
from kam.services import activities, users
from kam.services.book import Book
from kam.store import records
from kam.store.class_history import latest_run, snapshots_of
from kam.store.database import transaction
from kam.store.schema import PersonRow

#: The value of the demo's gifts, in cents.
GIFT_VALUE = 4_500


def demo_calls(book: Book, northwind: Path, users_of: dict[str, str], now: datetime) -> int:
    """Log each order of the Northwind sample as the call that took it; how many were logged.

    ``users_of`` names the user of each of the sample's employee ids. Logged by the
    head, in one transaction; each call's participant of ours is who took the order.
    Only the orders taken by someone who may see the client now (its owner, or the
    head) are logged: a participant must be, and the others' orders stay in the sales.
    """
    with (northwind / "orders.csv").open(encoding="utf-8") as handle:
        orders = list(csv.DictReader(handle))
    with transaction(book.database) as session:
        owners = {c.key: c.owner for c in records.list_all(session, Client)}
    head = next(user for user in users.list_users(book) if user.role is Role.HEAD)
    calls = [
        Activity(
            0,
            order["customer_id"],
            "call",
            datetime.combine(date.fromisoformat(order["order_date"]), time(9)),
            ActivityStatus.DONE,
            our_people=(users_of[order["employee_id"]],),
            objective=_("Order {number} (Northwind sample)").format(number=order["order_id"]),
            outcome=_("Ordered; wanted by {day} (Northwind sample)").format(
                day=order["required_date"]
            ),
        )
        for order in orders
        if order["customer_id"] in owners
        and users_of.get(order["employee_id"]) in (owners[order["customer_id"]], head.name)
    ]
    return len(activities.log_activities(book, head, calls, now))


def demo_activities(book: Book, now: datetime) -> int:
    """Log the demo's contacts with the A clients of the latest run; how many were logged."""
    with transaction(book.database) as session:
        run = latest_run(session)
        ranked = [] if run is None else snapshots_of(session, run)
        owners = {c.key: c.owner for c in records.list_all(session, Client)}
        contacts: dict[str, str] = {}
        for client_key, person_key in session.execute(
            select(PersonRow.client_key, PersonRow.key).order_by(PersonRow.key.desc())
        ):
            contacts[client_key] = person_key  # the first of the client's people
    everyone = {user.name: user for user in users.list_users(book)}
    head = next(user for user in everyone.values() if user.role is Role.HEAD)
    keys = [s.client_key for s in ranked if s.abc_class == "A" and owners.get(s.client_key)]
    logged = 0
    for index, key in enumerate(keys):
        if index % 6 == 5:
            continue  # never visited: out of cadence once a visit falls due
        manager = everyone[owners[key] or head.name]
        theirs = (contacts[key],) if key in contacts else ()
        day = (now - timedelta(days=3 + (index * 7) % 25)).date()
        visit = Activity(
            0,
            key,
            "visit",
            datetime.combine(day, time(10)),
            ActivityStatus.DONE,
            their_people=theirs,
            objective=_("Review of the orders and the next season (demo)"),
            outcome=_("Satisfied with deliveries; asked for better prices on volume (demo)"),
        )
        if index % 4 == 1:
            visit = _with_step(visit, manager.name, day + timedelta(days=7))
        activities.log_activity(book, manager, visit, now)
        logged += 1
        if index % 3 == 0:
            offer = Activity(
                0,
                key,
                "offer",
                datetime.combine(day + timedelta(days=1), time(9)),
                ActivityStatus.DONE,
                their_people=theirs,
                objective=_("Volume prices for the next season (demo)"),
            )
            activities.log_activity(book, manager, offer, now)
            logged += 1
        if index % 5 == 2 and theirs:
            gift = Activity(
                0,
                key,
                "gift",
                datetime.combine(day, time(11)),
                ActivityStatus.DONE,
                their_people=theirs,
                objective=_("A hamper of the season's products (demo)"),
                value=GIFT_VALUE,
            )
            activities.log_activity(book, manager, gift, now)
            logged += 1
        if index % 4 == 0:
            review = Activity(
                0,
                key,
                "business_review",
                datetime.combine((now + timedelta(days=4 + index % 9)).date(), time(14)),
                ActivityStatus.PLANNED,
                objective=_("The year's business review (demo)"),
            )
            activities.log_activity(book, head, review, now)
            logged += 1
    return logged


def _with_step(visit: Activity, owner: str, due: date) -> Activity:
    return replace(
        visit,
        next_step=_("Send the volume price list (demo)"),
        next_step_owner=owner,
        next_step_due=due,
    )
