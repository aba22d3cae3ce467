"""Writes at the same moment: every add answers success and is kept, on SQLite and PostgreSQL.

:data:`THREADS` API clients, each with its own token and connection, add
:data:`ADDS` items each of one kind to the same plan at once. Every add must
answer success (never 500, never "database is locked"), and afterwards the plan
holds every item added, with distinct keys and distinct positions in its list.
What is made once (a plan of a period, a client on the prospect list, an answer
to a criterion) is made once however many ask for it at once, and of changes
made at once on the same version exactly one is saved and the others are
refused as stale.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert, null, select
from sqlalchemy.orm import Session

from kam.domain.client import Client
from kam.domain.competitors import COMPETITOR_NOTE
from kam.domain.deal import DEAL, DELIVERABLE
from kam.domain.decision import DECISION_COMPETITOR, DECISION_CRITERION, DECISION_STEP
from kam.domain.engagement import ENGAGEMENT_STAGE
from kam.domain.items import ItemKind
from kam.domain.offer import NEED, OFFER_POINT, OFFERING
from kam.domain.plan import PlanStatus
from kam.domain.prospects import ProspectStatus
from kam.domain.risks import RISK
from kam.domain.user import Role, User
from kam.domain.versions import StaleVersionError
from kam.services import plans, users
from kam.services import prospects as prospect_services
from kam.services.book import Book
from kam.store import activities as plan_activities
from kam.store import plans as plans_store
from kam.store import prospects, records
from kam.store.database import transaction
from kam.store.plans import interventions as plan_interventions
from kam.store.plans import people as plan_people
from kam.store.plans.items import table_of
from kam.store.schema import PersonRow
from tests.books import NOW, make_book
from tests.web.small_book import app_over

THREADS = 10
ADDS = 3
KEY = "ALFKI"
PERIOD = plans.current_period()
PLAN = f"/api/clients/{KEY}/plans/{PERIOD}"
#: The clients that are put on the prospect list at once, one by each add.
CANDIDATES = [f"CAND{n:02}" for n in range(THREADS * ADDS)]
#: The client that every add puts on the prospect list at once.
ONE = "BONAP"


@dataclass(frozen=True)
class Setting:
    """A book with a plan of :data:`KEY` for this year and the ids the adds refer to."""

    book: Book
    app: FastAPI
    tokens: list[str]
    plan_id: int
    deal_id: int
    point_id: int


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Setting]:
    """One book on each database for the whole module, with a plan, a deal and a point."""
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database("kam_concurrent_writes")
    book = make_book(tmp_path_factory.mktemp("concurrent") / "book", url)
    users.add_user(book, User("head", Role.HEAD, "Head"), None, NOW)
    head = users.get_user(book, "head")
    assert head is not None
    with transaction(book.database) as session:
        clients = [Client(k, k) for k in (KEY, ONE, *CANDIDATES)]
        records.upsert(session, clients, NOW)
    tokens = [users.create_token(book, head, f"writer {n}", NOW)[1] for n in range(THREADS)]
    app = app_over(book)
    with _client(app, tokens[0]) as client:
        plan_id = _ok(client.post(f"/api/clients/{KEY}/plans")).json()["id"]
        deal_id = _ok(client.post(f"{PLAN}/deal/deals", json={"name": "Fleet"})).json()["id"]
        point = {"trigger": "other", "action": "Call the chairman"}
        point_id = _ok(client.post(f"{PLAN}/interventions", json=point)).json()["id"]
        _ok(client.post("/api/prospects", json={"client_key": KEY}))
    yield Setting(book, app, tokens, plan_id, deal_id, point_id)
    book.close()


def _client(app: FastAPI, token: str) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {token}"})


def _ok(answer: httpx.Response) -> httpx.Response:
    assert answer.is_success, (answer.status_code, answer.text)
    return answer


def _items(kind: ItemKind[Any]) -> Callable[[Session, Setting], list[tuple[Any, Any]]]:
    """The (id, place) of a plan's items of a declared kind (place ``None``: not placed)."""
    table = table_of(kind)
    place = getattr(table.row, table.placed) if table.placed else null()

    def listed(session: Session, shared: Setting) -> list[tuple[Any, Any]]:
        query = select(table.row.id, place).where(table.row.plan_id == shared.plan_id)
        return [(key, at) for key, at in session.execute(query)]

    return listed


def _people(session: Session, shared: Setting) -> list[tuple[Any, Any]]:
    return [(person.key, None) for person, _since in plan_people.people_since(session, KEY)]


def _meetings(session: Session, shared: Setting) -> list[tuple[Any, Any]]:
    return [(m.id, None) for m in plan_activities.meetings_of(session, shared.plan_id)]


def _points(session: Session, shared: Setting) -> list[tuple[Any, Any]]:
    return [(p.id, None) for p in plan_interventions.points_of(session, shared.plan_id)]


def _records(session: Session, shared: Setting) -> list[tuple[Any, Any]]:
    point = plan_interventions.get_point(session, shared.plan_id, shared.point_id)
    return [(r.id, None) for r in point.records]


def _steps(session: Session, shared: Setting) -> list[tuple[Any, Any]]:
    return [(s.id, None) for s in prospects.steps_of(session, KEY)]


def _prospects(session: Session, shared: Setting) -> list[tuple[Any, Any]]:
    return [(p.client_key, None) for p in prospects.list_prospects(session, CANDIDATES)]


@dataclass(frozen=True)
class Kind:
    """How one kind is added through the API (``path``, ``body(n)`` of the n-th add) and
    what the book holds of it afterwards (``held``: its keys, with positions where placed)."""

    path: str
    body: Callable[[Setting, int], dict[str, Any]]
    held: Callable[[Session, Setting], list[tuple[Any, Any]]]


KINDS = {
    "need": Kind("offer/needs", lambda s, n: {"title": f"Need {n}", "importance": 3}, _items(NEED)),
    "offering": Kind("offer/offerings", lambda s, n: {"service": f"Service {n}"}, _items(OFFERING)),
    "offer point": Kind(
        "offer/points", lambda s, n: {"kind": "strength", "text": f"Point {n}"}, _items(OFFER_POINT)
    ),
    "stakeholder": Kind("people", lambda s, n: {"name": f"Person {n}"}, _people),
    "decision competitor": Kind(
        "decision/competitors", lambda s, n: {"name": f"Rival {n}"}, _items(DECISION_COMPETITOR)
    ),
    "decision criterion": Kind(
        "decision/criteria",
        lambda s, n: {"name": f"Criterion {n}", "weight": 5},
        _items(DECISION_CRITERION),
    ),
    "decision step": Kind(
        "decision/steps", lambda s, n: {"name": f"Step {n}"}, _items(DECISION_STEP)
    ),
    "engagement stage": Kind(
        "engagement/stages", lambda s, n: {"name": f"Stage {n}"}, _items(ENGAGEMENT_STAGE)
    ),
    "meeting": Kind(
        "engagement/meetings",
        lambda s, n: {"level": "management", "day": "2030-01-02", "objective": f"Meeting {n}"},
        _meetings,
    ),
    "intervention point": Kind(
        "interventions", lambda s, n: {"trigger": "other", "action": f"Act {n}"}, _points
    ),
    "intervention record": Kind(
        "interventions/{point}/records",
        lambda s, n: {"day": "2024-01-02", "done": f"Called {n}"},
        _records,
    ),
    "deal": Kind("deal/deals", lambda s, n: {"name": f"Deal {n}"}, _items(DEAL)),
    "deliverable": Kind(
        "deal/deliverables",
        lambda s, n: {"deal_id": s.deal_id, "title": f"Deliverable {n}"},
        _items(DELIVERABLE),
    ),
    "risk": Kind(
        "risks", lambda s, n: {"title": f"Risk {n}", "probability_percent": 10}, _items(RISK)
    ),
    "competitor note": Kind(
        "competitors", lambda s, n: {"competitor": f"Rival {n}"}, _items(COMPETITOR_NOTE)
    ),
    "prospect step": Kind(
        f"/api/prospects/{KEY}/steps",
        lambda s, n: {"action": f"Call {n}", "due": "2030-01-02"},
        _steps,
    ),
    "prospect": Kind("/api/prospects", lambda s, n: {"client_key": CANDIDATES[n]}, _prospects),
}


def _at_once(shared: Setting, send: Callable[[TestClient, int], httpx.Response]) -> list[int]:
    """The statuses of THREADS clients each sending ADDS requests, all starting together."""
    start = threading.Barrier(THREADS)

    def writer(thread: int) -> list[int]:
        with _client(shared.app, shared.tokens[thread]) as client:
            start.wait()
            return [send(client, thread * ADDS + n).status_code for n in range(ADDS)]

    with ThreadPoolExecutor(THREADS) as pool:
        return [status for found in pool.map(writer, range(THREADS)) for status in found]


def _held(shared: Setting, kind: Kind) -> list[tuple[Any, Any]]:
    with transaction(shared.book.database) as session:
        return kind.held(session, shared)


@pytest.mark.parametrize("name", KINDS)
def test_items_added_at_the_same_moment_are_all_kept_with_their_own_key_and_place(
    shared: Setting, name: str
) -> None:
    kind = KINDS[name]
    path = kind.path.format(point=shared.point_id)
    url = path if path.startswith("/") else f"{PLAN}/{path}"
    before = _held(shared, kind)
    statuses = _at_once(shared, lambda client, n: client.post(url, json=kind.body(shared, n)))
    assert [s for s in statuses if s >= 300] == []
    after = _held(shared, kind)
    added = [k for k in after if k not in before]
    assert len(added) == THREADS * ADDS
    assert len({key for key, _place in after}) == len(after)
    places = [place for _key, place in after if place is not None]
    assert len(set(places)) == len(places)


def test_a_plan_opened_by_many_at_once_is_one_plan(shared: Setting) -> None:
    period = str(int(PERIOD) + 1)
    statuses = _at_once(
        shared, lambda client, n: client.post(f"/api/clients/{KEY}/plans?period={period}")
    )
    assert [s for s in statuses if s >= 300] == []
    with transaction(shared.book.database) as session:
        assert plans_store.periods_of(session, KEY).count(period) == 1


def test_a_prospect_added_by_many_at_once_is_on_the_list_once(shared: Setting) -> None:
    statuses = _at_once(
        shared, lambda client, n: client.post("/api/prospects", json={"client_key": ONE})
    )
    assert [s for s in statuses if s >= 300] == []
    with transaction(shared.book.database) as session:
        assert [p.client_key for p in prospects.list_prospects(session, [ONE])] == [ONE]


def test_a_criterion_answered_by_many_at_once_keeps_one_answer(shared: Setting) -> None:
    answer = [{"criterion_id": 1, "value": 1, "note": "asked at once"}]
    statuses = _at_once(
        shared, lambda client, n: client.put(f"/api/prospects/{KEY}/answers", json=answer)
    )
    assert [s for s in statuses if s >= 300] == []
    with transaction(shared.book.database) as session:
        assert list(prospects.answers_of(session, KEY)) == [1]


def _outcomes(change: Callable[[int], object]) -> list[str]:
    """What THREADS changes made at once came to: "saved", or "stale" when refused."""
    start = threading.Barrier(THREADS)

    def one(n: int) -> str:
        start.wait()
        try:
            change(n)
        except StaleVersionError:
            return "stale"
        return "saved"

    with ThreadPoolExecutor(THREADS) as pool:
        return sorted(pool.map(one, range(THREADS)))


def test_a_plan_heading_changed_by_many_on_the_same_version_is_changed_once(
    shared: Setting,
) -> None:
    head = users.get_user(shared.book, "head")
    assert head is not None
    with transaction(shared.book.database) as session:
        found = plans_store.get_plan(session, shared.plan_id)
    assert found is not None

    def change(n: int) -> object:
        return plans.update_plan(
            shared.book,
            head,
            shared.plan_id,
            owner=None,
            review_date=None,
            status=PlanStatus.ACTIVE,
            objective=f"Objective {n}",
            expected=found.version,
        )

    assert _outcomes(change) == ["saved"] + ["stale"] * (THREADS - 1)
    with transaction(shared.book.database) as session:
        now = plans_store.get_plan(session, shared.plan_id)
    assert now is not None and now.version == found.version + 1


def test_a_prospect_changed_by_many_on_the_same_version_is_changed_once(shared: Setting) -> None:
    head = users.get_user(shared.book, "head")
    assert head is not None
    with transaction(shared.book.database) as session:
        found = prospects.get_prospect(session, KEY)
    assert found is not None

    def change(n: int) -> object:
        return prospect_services.update_prospect(
            shared.book,
            head,
            KEY,
            source=f"Source {n}",
            owner=None,
            potential_estimate=None,
            status=ProspectStatus.OPEN,
            expected=found.version,
        )

    assert _outcomes(change) == ["saved"] + ["stale"] * (THREADS - 1)
    with transaction(shared.book.database) as session:
        now = prospects.get_prospect(session, KEY)
    assert now is not None and now.version == found.version + 1


def test_a_person_added_while_an_import_takes_its_key_gets_the_next_one(shared: Setting) -> None:
    with transaction(shared.book.database) as session:
        taken = plan_people.new_person_key(session, KEY)
    number = int(taken.removeprefix(f"{KEY}-"))
    person = {"key": taken, "client_key": KEY, "name": "Imported", "created_at": NOW}
    with shared.book.database.connect() as other, ThreadPoolExecutor(1) as pool:
        # An import (which does not take turns on the client) writes the key first...
        other.execute(insert(PersonRow).values(**person, updated_at=NOW))
        with _client(shared.app, shared.tokens[0]) as client:
            added = pool.submit(client.post, f"{PLAN}/people", json={"name": "Added"})
            time.sleep(1)  # ...the add waits for it: for the key on PostgreSQL, SQLite's lock
            other.commit()
            answer = _ok(added.result())
    assert answer.json()["key"] == f"{KEY}-{number + 1}"
