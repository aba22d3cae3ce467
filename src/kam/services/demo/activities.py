"""The demo's contacts with its key clients: a few weeks of visits, offers, reviews and gifts.

Invented, every text labelled "(demo)", and dated back from the day the demo is built:
each A client of the latest run was visited by its account manager some days before,
with the client's contact from the book; some visits left a next step, some now overdue;
some clients got an offer, a gift, or a business review the head planned; and one A
client in six has not been visited at all, so that My week and the team page have
something true to show from the first day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

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
