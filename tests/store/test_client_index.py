"""The client list held in memory answers exactly what the SQL read model answers."""

from __future__ import annotations

import random
from datetime import date, datetime

from sqlalchemy import Engine

from kam.domain.class_history import ClassSnapshot
from kam.domain.client import Client
from kam.store import records, views
from kam.store.class_history import save_classification
from kam.store.client_index import ClientIndex, book_version, client_index
from kam.store.database import transaction
from kam.store.views import ClientFilter

NOW = datetime(2024, 5, 1, 12, 0)
OWNERS = ["ann", "bob", "cid", None]
COUNTRIES = ["PL", "DE", "FR", None]
INDUSTRIES = ["Retail", "Food", None]


def make_clients(count: int, seed: int = 1) -> list[Client]:
    rng = random.Random(seed)
    clients = []
    for i in range(count):
        clients.append(
            Client(
                key=f"K{rng.randrange(10_000):05d}-{i}",
                name=rng.choice(["Acme", "Globex", "Initech", "Umbrella", "acme_50%"])
                + f" {i % 17}",
                parent_key=f"K{rng.randrange(10_000):05d}-0" if i % 9 == 0 else None,
                industry=rng.choice(INDUSTRIES),
                country=rng.choice(COUNTRIES),
                owner=rng.choice(OWNERS),
            )
        )
    return clients


def classify(database: Engine, clients: list[Client], seed: int, taken_at: datetime) -> int:
    """Store a run with a snapshot for most clients (values with many ties)."""
    rng = random.Random(seed)
    classified = [c for c in clients if rng.random() < 0.8]
    values = sorted(((rng.randrange(6) * 100, c.key) for c in classified), key=lambda v: -v[0])
    snapshots = [
        ClassSnapshot(
            client_key=key,
            period="2024",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 12, 31),
            policy="pareto",
            value=value,
            share=value / 10_000,
            rank=rank,
            computed_class=cls,
            abc_class=cls,
            reason="",
            taken_at=taken_at,
        )
        for rank, (value, key) in enumerate(values, start=1)
        for cls in [rng.choice("ABC")]
    ]
    with transaction(database) as session:
        return save_classification(
            session,
            snapshots,
            period="2024",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 12, 31),
            policy="pareto",
            groups=False,
            taken_by="test",
            taken_at=taken_at,
        )


FILTERS = [
    ClientFilter(),
    ClientFilter(search="acme"),
    ClientFilter(search="ACME"),
    ClientFilter(search="_50%"),
    ClientFilter(search="k0"),
    ClientFilter(search="nobody"),
    ClientFilter(abc_class="A"),
    ClientFilter(abc_class="none", sort="value"),
    ClientFilter(owner="ann", country="PL"),
    ClientFilter(industry="Retail", sort="name", descending=True),
    ClientFilter(country="DE", abc_class="B", search="o"),
    ClientFilter(owner="nobody"),
]
SORTS = ["key", "name", "value", "rank", "class", "owner", "country", "unknown"]


def test_every_search_filter_sort_and_page_gives_the_rows_of_the_sql_read_model(
    database: Engine,
) -> None:
    clients = make_clients(300)
    with transaction(database) as session:
        records.upsert(session, clients, NOW)
    classify(database, clients, seed=2, taken_at=NOW)
    rng = random.Random(3)
    scopes: list[frozenset[str] | None] = [
        None,
        frozenset(),
        frozenset(c.key for c in clients if rng.random() < 0.3) | {"not-a-client"},
    ]
    with transaction(database) as session:
        index = ClientIndex.load(session, book_version(session))
        for keys in scopes:
            for base in FILTERS:
                for sort in SORTS:
                    for descending in (False, True):
                        for page, per_page in ((1, 50), (2, 7), (3, 40), (40, 10)):
                            f = ClientFilter(
                                **{
                                    **base.__dict__,
                                    "sort": sort,
                                    "descending": descending,
                                    "page": page,
                                    "per_page": per_page,
                                }
                            )
                            assert index.rows(keys, f) == views.client_rows(session, keys, f), f
            for column in ("owner", "country", "industry", "group"):
                assert index.choices(column, keys) == views.distinct_values(session, column, keys)


def test_paging_through_the_index_returns_every_row_once_in_order(database: Engine) -> None:
    clients = make_clients(120, seed=5)
    with transaction(database) as session:
        records.upsert(session, clients, NOW)
    classify(database, clients, seed=6, taken_at=NOW)
    with transaction(database) as session:
        index = ClientIndex.load(session, book_version(session))
    whole = index.rows(None, ClientFilter(sort="value", descending=True, per_page=500))[1]
    paged = [
        row
        for page in range(1, 14)
        for row in index.rows(
            None, ClientFilter(sort="value", descending=True, page=page, per_page=10)
        )[1]
    ]
    assert paged == whole and len(whole) == 120


def test_a_new_run_or_new_clients_replace_the_index_held(database: Engine) -> None:
    clients = make_clients(50, seed=7)
    with transaction(database) as session:
        records.upsert(session, clients[:40], NOW)
    classify(database, clients[:40], seed=8, taken_at=NOW)
    url = str(database.url)
    with transaction(database) as session:
        first = client_index(session, url)
        assert client_index(session, url) is first
    classify(database, clients[:40], seed=9, taken_at=datetime(2024, 6, 1))
    with transaction(database) as session:
        second = client_index(session, url)
        assert second is not first
        assert second.rows(None, ClientFilter()) == views.client_rows(session, None, ClientFilter())
    with transaction(database) as session:
        records.upsert(session, clients[40:], NOW)
    with transaction(database) as session:
        third = client_index(session, url)
        assert third is not second
        assert third.rows(None, ClientFilter())[0] == 50
