"""The demo's potentials and prospects: what each client could buy, and three prospects.

The Northwind sample holds no potential (what a client could buy from us), so
the size x potential views of the portfolio would be empty. The demo gives
every client that bought in the latest classification an estimated potential:
its value there times a factor between 1.2 and 4.1 drawn from its key (the same
on every build), labelled as a demo estimate. The prospects are three small
clients, qualified, each with an estimate of its potential of its own, so that
their qualified potential (potential x score) is never 0. The texts are marked
with :func:`~kam.i18n.N_` and written in the language of the moment.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta

from kam.domain.client import Client
from kam.domain.prospects import CriterionKind, ProspectStatus
from kam.domain.user import User
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.services import prospects
from kam.services.book import Book
from kam.store import records
from kam.store.class_history import latest_run, snapshots_of
from kam.store.database import transaction

#: Where the demo's potentials come from, as the client page shows it.
POTENTIAL_SOURCE = N_("demo estimate")

SOURCES = (
    N_("Trade fair (demo)"),
    N_("Referral by a key client (demo)"),
    N_("Inbound enquiry (demo)"),
)
#: Each prospect's estimate of its potential, in cents.
ESTIMATES = (2_400_000, 1_650_000, 900_000)
DROPPED = N_("Buys centrally through a group we do not supply (demo)")


def potential_factor(key: str) -> float:
    """How many times its value a client could buy from us: 1.2 to 4.1, fixed by its key.

    Examples
    --------
    >>> potential_factor("SAVEA") == potential_factor("SAVEA")
    True
    >>> 1.2 <= potential_factor("QUICK") <= 4.1
    True
    """
    return 1.2 + (zlib.crc32(key.encode("utf-8")) % 30) / 10


def estimate_potentials(book: Book, now: datetime) -> int:
    """Give each client of the latest run with a value an estimated potential; how many."""
    with transaction(book.database) as session:
        run = latest_run(session)
        values = {
            s.client_key: s.value
            for s in (snapshots_of(session, run) if run else [])
            if s.value > 0
        }
        clients = [c for c in records.list_all(session, Client) if c.key in values]
        estimated = [
            Client(
                c.key,
                c.name,
                potential=round(values[c.key] * potential_factor(c.key)),
                potential_source=_(POTENTIAL_SOURCE),
                potential_as_of=now.date(),
            )
            for c in clients
        ]
        records.upsert(
            session, estimated, now, only={"potential", "potential_source", "potential_as_of"}
        )
    return len(estimated)


def demo_prospects(book: Book, user: User, today: date) -> list[str]:
    """Put three candidates on the prospect list, qualified and planned; drop the third.

    Returns the keys of the prospects made.
    """
    candidates = prospects.list_candidates(book, user, limit=3).candidates
    criteria = [c for c in prospects.qualification_settings(book).criteria if c.active]
    made = []
    for number, client in enumerate(candidates):
        source = _(SOURCES[number % len(SOURCES)])
        prospects.add_prospect(book, user, client.key, source)
        answers: dict[int, tuple[int | None, str]] = {}
        for position, criterion in enumerate(criteria):
            top = 5 if criterion.kind is CriterionKind.SCALE else 1
            answers[criterion.id] = (max(top - (number + position) % top, 1), "")
        prospects.set_answers(book, user, client.key, answers)
        prospects.update_prospect(
            book,
            user,
            client.key,
            source=source,
            owner=user.name,
            potential_estimate=ESTIMATES[number % len(ESTIMATES)],
            status=ProspectStatus.QUALIFIED,
        )
        steps = (
            (_("Call the buyer to learn the yearly volume (demo)"), today),
            (_("Send samples and a price list (demo)"), today + timedelta(days=3 + number)),
        )
        for action, due in steps:
            prospects.add_step(book, user, client.key, action=action, due=due, who=user.name)
        made.append(client.key)
    if len(made) == 3:
        prospects.drop_prospect(book, user, made[2], _(DROPPED))
    return made
