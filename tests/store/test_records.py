"""Master data by external key, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from kam.domain.client import Client
from kam.domain.product import Product
from kam.domain.stakeholder import Person
from kam.store import records
from kam.store.database import transaction

NOW = datetime(2024, 5, 1, 12, 0)


def make_client(**overrides: object) -> Client:
    values: dict[str, object] = {
        "key": "C1",
        "name": "Acme",
        "country": "PL",
        "potential": 1_000_000,
        "potential_as_of": date(2024, 1, 1),
    }
    values.update(overrides)
    return Client(**values)  # type: ignore[arg-type]


def test_new_clients_are_inserted_and_read_back_as_domain_objects(database: Engine) -> None:
    with transaction(database) as session:
        counts = records.upsert(session, [make_client(), make_client(key="C2", name="Globex")], NOW)
    assert (counts.inserted, counts.updated, counts.unchanged) == (2, 0, 0)
    with transaction(database) as session:
        assert records.get(session, Client, "C1") == make_client()
        assert [c.key for c in records.list_all(session, Client)] == ["C1", "C2"]


def test_a_second_import_updates_changed_clients_and_never_doubles_them(database: Engine) -> None:
    with transaction(database) as session:
        records.upsert(session, [make_client(), make_client(key="C2", name="Globex")], NOW)
    with transaction(database) as session:
        counts = records.upsert(
            session, [make_client(name="Acme Ltd"), make_client(key="C2", name="Globex")], NOW
        )
    assert (counts.inserted, counts.updated, counts.unchanged) == (0, 1, 1)
    with transaction(database) as session:
        assert len(records.list_all(session, Client)) == 2
        assert records.get(session, Client, "C1") == make_client(name="Acme Ltd")


def test_a_dry_run_counts_without_writing(database: Engine) -> None:
    with transaction(database) as session:
        counts = records.upsert(session, [make_client()], NOW, dry_run=True)
        assert counts.inserted == 1
    with transaction(database) as session:
        assert records.list_all(session, Client) == []


def test_products_keep_their_group(database: Engine) -> None:
    product = Product("P1", "Widget", group="Hardware", list_price=1999)
    with transaction(database) as session:
        records.upsert(session, [product], NOW)
    with transaction(database) as session:
        assert records.get(session, Product, "P1") == product


def test_people_belong_to_their_client(database: Engine) -> None:
    with transaction(database) as session:
        records.upsert(session, [make_client()], NOW)
        records.upsert(
            session, [Person("P1", "C1", "Maria Anders", title="Sales Representative")], NOW
        )
    with transaction(database) as session:
        assert [p.name for p in records.people_of(session, "C1")] == ["Maria Anders"]


def test_a_failed_transaction_leaves_nothing_behind(database: Engine) -> None:
    with pytest.raises(RuntimeError), transaction(database) as session:
        records.upsert(session, [make_client()], NOW)
        raise RuntimeError("the import failed half way")
    with transaction(database) as session:
        assert records.list_all(session, Client) == []


def test_groups_are_read_as_parent_keys(database: Engine) -> None:
    with transaction(database) as session:
        records.upsert(
            session,
            [
                make_client(key="H", name="Holding"),
                make_client(key="S", name="Shop", parent_key="H"),
            ],
            NOW,
        )
    with transaction(database) as session:
        assert records.client_parents(session) == {"H": None, "S": "H"}
