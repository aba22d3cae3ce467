"""``kam demo``: a fresh book from the real Northwind sample, classified, with a login per role.

Everything in it is the sample's own data — clients, their contact people,
products, order lines, and the sales people who took the orders (each client's
owner is the one who took most of its orders) — except the admin and viewer
logins, which are labelled as demo logins, the logins' e-mail addresses, invented
on the domain reserved for examples (``name@example.com``, RFC 2606, so that a
digest the demo sends reaches nobody; the sales people chose the daily digest),
and the content of the demo
account plans of the three largest clients, of the prospect list and the
clients' potentials (estimated from their value), whose invented text is
labelled "(demo)". The invented content lives in this package:
:mod:`~kam.services.demo.content` (one story per plan),
:mod:`~kam.services.demo.stories` (writing a story through the plans' services),
:mod:`~kam.services.demo.parts` (the offer, and a whole large deal for the tests),
:mod:`~kam.services.demo.people` (a plan's people, for the tests),
:mod:`~kam.services.demo.prospects` and :mod:`~kam.services.demo.managers` (the
managers' profiles: from the sample but for each level's classes and capacity).
"""

from __future__ import annotations

import csv
import secrets
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import kam
from kam.domain.client import Client
from kam.domain.import_log import ImportKind
from kam.domain.period import parse_period
from kam.domain.plan import PlanStatus
from kam.domain.reminders import Digest
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import plans, reminders, users
from kam.services.alerts import run_alerts
from kam.services.book import Book, init_book
from kam.services.classify import ClassifyRequest, classify_book
from kam.services.demo.activities import demo_activities, demo_calls
from kam.services.demo.content import STORIES
from kam.services.demo.managers import demo_managers
from kam.services.demo.parts import demo_interventions, demo_offer
from kam.services.demo.prospects import demo_prospects, estimate_potentials
from kam.services.demo.stories import write_story
from kam.services.imports.requests import build_request, import_file, merge_options
from kam.store import records
from kam.store.class_history import latest_run, snapshots_of
from kam.store.database import transaction

#: The periods classified, oldest first, so the portfolio shows the movements between them.
PERIODS = ("1996-07..1997-05", "1997-06..1998-05")
#: The domain of the logins' invented e-mail addresses, reserved for examples (RFC 2606).
EMAIL_DOMAIN = "example.com"
#: How many days before the demo is built its latest classification was taken.
CLASSIFIED_DAYS_AGO = 45
IMPORTS = (
    (ImportKind.CLIENTS, "customers.csv", "northwind-customers"),
    (ImportKind.PEOPLE, "customers.csv", "northwind-contacts"),
    (ImportKind.PRODUCTS, "products.csv", "northwind-products"),
    (ImportKind.SALES, "order_details.csv", "northwind-sales"),
)


@dataclass(frozen=True)
class DemoLogin:
    """A login of the demo book."""

    name: str
    role: Role
    password: str
    who: str


def default_samples() -> Path:
    """The samples folder of a source checkout."""
    return Path(kam.__file__).resolve().parents[2] / "samples"


def _user_name(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace(" ", "")


def _prepare(data_dir: Path) -> None:
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / "kam.db").exists():
            raise ValueError(
                _("{data_dir} is not empty and holds no book: choose another folder").format(
                    data_dir=data_dir
                )
            )
        shutil.rmtree(data_dir)


def build_demo(
    data_dir: Path,
    samples: Path | None = None,
    password: str | None = None,
    now: datetime | None = None,
    potentials: bool = True,
) -> tuple[Book, list[DemoLogin]]:
    """Build the demo book in ``data_dir`` (replacing an earlier book there).

    ``potentials=False`` leaves the clients without the demo's estimated
    potentials, for a book whose potentials are imported instead.
    """
    now = now or datetime.now()
    northwind = (samples or default_samples()) / "northwind"
    if not (northwind / "customers.csv").exists():
        raise ValueError(
            _(
                "no Northwind sample in {northwind}: run kam demo from a source checkout or name "
                "the samples folder with --samples"
            ).format(northwind=northwind)
        )
    _prepare(data_dir)
    book = init_book({"data_dir": str(data_dir), "database_url": "", "user": "demo"})
    for kind, name, profile in IMPORTS:
        file = northwind / name
        options = merge_options(book, kind, file, profile, {})
        result = import_file(book, build_request(kind, file, options))
        if result.rejected:
            raise ValueError(
                _("the demo import of {name} was rejected: {problems}").format(
                    name=name, problems=result.problems[0]
                )
            )
    logins = _people(book, northwind, password, now)
    demo_managers(book, northwind, now)
    # The book was classified some weeks ago, each period a minute after the one before,
    # so that the contacts each class is owed have fallen due and some are overdue, as in
    # a book in use.
    taken = now - timedelta(days=CLASSIFIED_DAYS_AGO)
    for number, period in enumerate(PERIODS):
        classify_book(
            book, ClassifyRequest(period=parse_period(period)), taken + timedelta(minutes=number)
        )
    if potentials:
        estimate_potentials(book, now)
    _plans(book, now)
    employees = _employees(northwind)
    demo_calls(
        book,
        northwind,
        {k: _user_name(e["first_name"], e["last_name"]) for k, e in employees.items()},
        now,
    )
    demo_activities(book, now)
    run_alerts(book, now.date(), now)  # as after an import and a classification in use
    return book, logins


#: How many of the largest clients get a complete demo plan (each of another manager).
DEMO_PLANS = 3


def demo_plan_clients(book: Book, count: int = DEMO_PLANS) -> list[Client]:
    """The largest clients of the latest classification, one per account manager."""
    with transaction(book.database) as session:
        run = latest_run(session)
        ranked = [] if run is None else snapshots_of(session, run)
        clients = {c.key: c for c in records.list_all(session, Client)}
    chosen: list[Client] = []
    owners: set[str] = set()
    for snapshot in ranked:
        client = clients.get(snapshot.client_key)
        if client is None or client.owner is None or client.owner in owners:
            continue
        chosen.append(client)
        owners.add(client.owner)
        if len(chosen) == count:
            break
    return chosen


def _plans(book: Book, now: datetime) -> None:
    """Complete plans for this year on the largest clients, and a list of prospects.

    Each plan tells its own story (:data:`kam.services.demo.content.STORIES`),
    written through the plans' own services by the client's account manager (the
    interventions by the head of key accounts).
    """
    everyone = {user.name: user for user in users.list_users(book)}
    head = next(user for user in everyone.values() if user.role is Role.HEAD)
    for client, story in zip(demo_plan_clients(book), STORIES, strict=False):
        manager = everyone[client.owner or head.name]
        plan = plans.open_plan(book, manager, client.key, now=now)
        plan = plans.update_plan(
            book,
            manager,
            plan.id,
            owner=manager.name,
            review_date=date(now.year, 12, 1) if now.month < 12 else date(now.year, 12, 31),
            status=PlanStatus.ACTIVE,
            objective=_(story.objective).format(client=client.name),
            now=now,
        )
        demo_offer(book, manager, plan)
        write_story(book, manager, plan, story)
        demo_interventions(book, head, plan)
    demo_prospects(book, head, now.date())


def _employees(northwind: Path) -> dict[str, dict[str, str]]:
    """The sample's employees by their id."""
    with (northwind / "employees.csv").open(encoding="utf-8") as handle:
        return {row["employee_id"]: row for row in csv.DictReader(handle)}


def _people(book: Book, northwind: Path, password: str | None, now: datetime) -> list[DemoLogin]:
    """Users from the sample's sales people, each with an invented e-mail address and the
    daily digest; each client owned by who took most of its orders."""
    employees = _employees(northwind)
    with (northwind / "orders.csv").open(encoding="utf-8") as handle:
        taken = Counter((row["customer_id"], row["employee_id"]) for row in csv.DictReader(handle))
    logins: list[DemoLogin] = []

    def add(name: str, role: Role, who: str, full_name: str | None = None) -> None:
        secret = password or secrets.token_urlsafe(9)
        user = User(name, role, full_name, email=f"{name}@{EMAIL_DOMAIN}")
        users.add_user(book, user, secret, now)
        if role in (Role.HEAD, Role.MANAGER):
            reminders.choose_digest(book, user, Digest.DAILY)
        logins.append(DemoLogin(name, role, secret, who))

    add("admin", Role.ADMIN, _("demo login: users and settings"))
    for person in employees.values():
        name = _user_name(person["first_name"], person["last_name"])
        full = f"{person['first_name']} {person['last_name']}"
        role = Role.HEAD if person["title"].startswith("Vice President") else Role.MANAGER
        who = _("{name}, {title} (Northwind sample)").format(name=full, title=person["title"])
        add(name, role, who, full)
    add("viewer", Role.VIEWER, _("demo login: reads the clients of Germany"))
    best: dict[str, tuple[int, str]] = {}
    for (customer, employee_id), count in taken.items():
        if count > best.get(customer, (0, ""))[0]:
            best[customer] = (count, employee_id)
    with transaction(book.database) as session:
        clients = records.list_all(session, Client)
        owned = [
            Client(
                c.key,
                c.name,
                owner=_user_name(
                    employees[best[c.key][1]]["first_name"], employees[best[c.key][1]]["last_name"]
                ),
            )
            for c in clients
            if c.key in best
        ]
        records.upsert(session, owned, now, only={"owner"})
        german = [c.key for c in clients if c.country == "Germany"]
    for key in german:
        users.grant(book, "viewer", key)
    return logins
