"""The portfolio, the client list and a client's page, and their /api twins, on the demo book.

Figures are checked against what plain SQL over the database and DuckDB over the
Northwind sample files give, not against the services that made them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from kam.domain.client import Client
from kam.services.book import Book
from kam.store import records
from kam.store.database import transaction
from tests.conftest import SAMPLES
from tests.web.conftest import LOGINS, app_over, copy_of, log_in

NORTHWIND = SAMPLES / "northwind"


def latest_snapshots(book: Book) -> list[dict[str, Any]]:
    """The latest run's snapshots, read with plain SQL."""
    with book.database.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT client_key, abc_class, value, rank FROM class_snapshots "
                "WHERE classification_id = (SELECT max(id) FROM classifications) ORDER BY rank"
            )
        )
        return [dict(r._mapping) for r in rows]


@pytest.fixture
def head(login: Callable[[str], TestClient]) -> TestClient:
    """The head of key accounts, logged in."""
    return login("head")


def test_the_portfolio_counts_the_clients_and_value_of_each_class_of_the_latest_run(
    head: TestClient, demo: Book
) -> None:
    snapshots = latest_snapshots(demo)
    portfolio = head.get("/api/portfolio").json()
    assert portfolio["run"]["period"] == "1997-06..1998-05"
    assert portfolio["previous"]["period"] == "1996-07..1997-05"
    assert portfolio["clients"] == len(snapshots)
    by_class = {c["abc_class"]: c for c in portfolio["classes"]}
    for name in ("A", "B", "C"):
        members = [s for s in snapshots if s["abc_class"] == name]
        assert by_class[name]["clients"] == len(members)
        assert by_class[name]["value"] == pytest.approx(sum(s["value"] for s in members) / 100)
    assert by_class["A"]["clients"] == 33
    assert sum(c["share"] for c in portfolio["classes"]) == pytest.approx(1.0)


def test_the_portfolio_concentration_is_the_top_ten_share_and_the_hhi_of_the_values(
    head: TestClient, demo: Book
) -> None:
    values = [max(s["value"], 0) for s in latest_snapshots(demo)]
    total = sum(values)
    portfolio = head.get("/api/portfolio").json()
    assert portfolio["value"] == pytest.approx(total / 100)
    assert portfolio["top10_share"] == pytest.approx(sum(sorted(values)[-10:]) / total)
    hhi = sum((100 * v / total) ** 2 for v in values)
    assert portfolio["herfindahl_hirschman_index"] == pytest.approx(hhi)


def test_the_migration_matrix_counts_every_client_of_either_run_once(
    head: TestClient, demo: Book
) -> None:
    with demo.database.connect() as connection:
        pairs = connection.execute(
            text(
                "SELECT coalesce(b.abc_class, 'none'), coalesce(a.abc_class, 'none') FROM "
                "(SELECT client_key, abc_class FROM class_snapshots WHERE classification_id = 2) a "
                "FULL OUTER JOIN "
                "(SELECT client_key, abc_class FROM class_snapshots WHERE classification_id = 1) b "
                "ON a.client_key = b.client_key"
            )
        ).all()
    portfolio = head.get("/api/portfolio").json()
    for before, after in {(b, a) for b, a in pairs}:
        assert portfolio["matrix"][before][after] == sum(1 for p in pairs if p == (before, after))
    moved = sum(1 for b, a in pairs if b != a)
    assert len(portfolio["movers"]) == moved
    for mover in portfolio["movers"]:
        assert mover["before"] != mover["after"] and mover["after"] in mover["reason"]


def test_the_portfolio_page_shows_the_class_cards_the_pareto_curve_and_the_movements(
    head: TestClient,
) -> None:
    page = head.get("/")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Portfolio</h1>" in html
    assert re.search(
        r'class="card class-A" href="/clients\?class=A">\s*<span class="big">A</span>'
        r"\s*<span>33 clients</span>",
        html,
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'aria-label="Pareto curve"' in html
    assert "A|B:" in html  # the cut-off between A and B is marked
    assert "Movements since 1996-07..1997-05" in html
    assert 'href="/clients/HANAR"' in html  # a mover (B to A) links to its page
    # everything comes from the app itself
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_the_client_list_is_sorted_by_rank_and_paged(head: TestClient, demo: Book) -> None:
    snapshots = latest_snapshots(demo)
    first = head.get("/api/clients", params={"per_page": 10}).json()
    assert first["total"] == 91  # every client, classified or not
    assert [c["key"] for c in first["clients"]] == [s["client_key"] for s in snapshots[:10]]
    second = head.get("/api/clients", params={"per_page": 10, "page": 2}).json()
    assert [c["key"] for c in second["clients"]] == [s["client_key"] for s in snapshots[10:20]]
    last = head.get("/api/clients", params={"per_page": 10, "page": 10}).json()
    assert len(last["clients"]) == 1
    unclassified = [c for c in last["clients"] if c["class"] is None]
    assert unclassified and unclassified[0]["rank"] is None  # the unclassified come last


def test_the_client_list_searches_key_and_name_without_regard_to_case(head: TestClient) -> None:
    for query in ("alfki", "FUTTERKISTE", "alfreds"):
        found = head.get("/api/clients", params={"q": query}).json()
        assert [c["key"] for c in found["clients"]] == ["ALFKI"]
    assert head.get("/api/clients", params={"q": "no such client"}).json()["total"] == 0
    # the wildcards of SQL's LIKE are plain characters in a search
    assert head.get("/api/clients", params={"q": "%"}).json()["total"] == 0
    assert head.get("/api/clients", params={"q": "alfk_"}).json()["total"] == 0


@pytest.mark.parametrize(
    ("params", "sql"),
    [
        ({"class": "A"}, "s.abc_class = 'A'"),
        ({"class": "none"}, "s.abc_class IS NULL"),
        ({"country": "Germany"}, "c.country = 'Germany'"),
        ({"owner": "nancy.davolio"}, "c.owner = 'nancy.davolio'"),
        ({"class": "B", "country": "USA"}, "s.abc_class = 'B' AND c.country = 'USA'"),
    ],
)
def test_the_client_list_filters_count_what_sql_counts(
    head: TestClient, demo: Book, params: dict[str, str], sql: str
) -> None:
    with demo.database.connect() as connection:
        expected = connection.scalar(
            text(
                "SELECT count(*) FROM clients c LEFT JOIN class_snapshots s "
                "ON s.client_key = c.key AND s.classification_id = "
                f"(SELECT max(id) FROM classifications) WHERE {sql}"
            )
        )
    found = head.get("/api/clients", params={**params, "per_page": 500}).json()
    assert found["total"] == expected == len(found["clients"])
    assert expected > 0


@pytest.mark.parametrize("sort", ["key", "name", "value", "rank", "class", "owner", "country"])
def test_the_client_list_sorts_by_each_column_both_ways(head: TestClient, sort: str) -> None:
    for desc in (False, True):
        rows = head.get(
            "/api/clients", params={"sort": sort, "desc": str(desc).lower(), "per_page": 500}
        ).json()["clients"]
        values = [r[sort] for r in rows if r[sort] is not None]
        assert values == sorted(values, reverse=desc)
        # empty values last either way
        assert [r[sort] for r in rows[len(values) :]] == [None] * (len(rows) - len(values))


def test_the_client_list_refuses_bad_parameters(head: TestClient) -> None:
    for params in (
        {"sort": "password"},
        {"class": "D"},
        {"page": "0"},
        {"per_page": "501"},
        {"page": "x"},
    ):
        assert head.get("/api/clients", params=params).status_code == 422
        assert head.get("/clients", params=params).status_code == 422


def test_the_client_list_page_and_its_htmx_partial(head: TestClient) -> None:
    full = head.get("/clients", params={"q": "alfreds"})
    assert full.status_code == 200
    assert "<html" in full.text and 'hx-get="/clients"' in full.text
    assert 'href="/clients/ALFKI"' in full.text and "1 client ·" in full.text
    partial = head.get("/clients", params={"q": "alfreds"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text and "<table" in partial.text
    assert 'href="/clients/ALFKI"' in partial.text
    # the page links: sorting, and the next page keeps the filters
    paged = head.get("/clients", params={"country": "Germany", "per_page": 5}).text
    assert "page 1 of 3" in paged
    assert 'href="/clients?country=Germany&amp;per_page=5&amp;page=2"' in paged


def _alfki_months() -> dict[str, float]:
    """ALFKI's net value per month, straight from the Northwind files."""
    rows = duckdb.sql(
        f"""
        SELECT strftime(o.order_date::DATE, '%Y-%m') AS month,
               sum(round(d.unit_price * d.quantity * (1 - d.discount), 2)) AS value
        FROM read_csv('{NORTHWIND / "order_details.csv"}') d
        JOIN read_csv('{NORTHWIND / "orders.csv"}') o USING (order_id)
        WHERE o.customer_id = 'ALFKI'
        GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    return {month: float(value) for month, value in rows}


def test_a_client_shows_its_people_and_its_value_per_month(head: TestClient) -> None:
    detail = head.get("/api/clients/ALFKI").json()
    assert detail["client"]["name"] == "Alfreds Futterkiste"
    assert detail["client"]["owner"] == "margaret.peacock"
    assert [(p["name"], p["title"]) for p in detail["people"]] == [
        ("Maria Anders", "Sales Representative")
    ]
    expected = _alfki_months()
    months = {m["month"]: m["value"] for m in detail["months"]}
    assert {k: v for k, v in months.items() if v} == pytest.approx(expected)
    assert min(months) == min(expected) and max(months) == max(expected)
    assert sorted(months) == [m["month"] for m in detail["months"]]


def test_a_client_shows_its_class_history_and_its_products(head: TestClient, demo: Book) -> None:
    detail = head.get("/api/clients/ALFKI").json()
    with demo.database.connect() as connection:
        stored = connection.execute(
            text("SELECT abc_class, value, rank FROM class_snapshots WHERE client_key = 'ALFKI'")
        ).all()
        products = connection.scalar(text("SELECT count(*) FROM products"))
    assert [(h["abc_class"], h["value"], h["rank"]) for h in detail["history"]] == [
        tuple(r) for r in stored
    ]
    (bought,) = duckdb.sql(
        f"""
        SELECT count(DISTINCT d.product_id) FROM read_csv('{NORTHWIND / "order_details.csv"}') d
        JOIN read_csv('{NORTHWIND / "orders.csv"}') o USING (order_id)
        WHERE o.customer_id = 'ALFKI'
        """
    ).fetchall()
    assert len(detail["bought"]) == bought[0]
    assert len(detail["bought"]) + len(detail["not_bought"]) == products
    assert not {p["key"] for p in detail["bought"]} & {p["key"] for p in detail["not_bought"]}


def test_the_client_page_shows_the_figures_of_its_api_twin(head: TestClient) -> None:
    page = head.get("/clients/ALFKI")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Alfreds Futterkiste" in html
    assert "Maria Anders" in html and "margaret.peacock" in html
    assert 'aria-label="value per month"' in html
    for month in _alfki_months():  # months are written as the language names them: Aug 1997
        assert f"<title>{datetime.strptime(month, '%Y-%m').strftime('%b %Y')}:" in html
    detail = head.get("/api/clients/ALFKI").json()
    for snapshot in detail["history"]:
        assert snapshot["reason"] in html
    assert f"Bought: {len(detail['bought'])}" in html


def test_an_unknown_client_is_not_found_on_the_page_and_in_the_api(head: TestClient) -> None:
    assert head.get("/api/clients/NOSUCH").json() == {"detail": "not found"}
    page = head.get("/clients/NOSUCH")
    assert page.status_code == 404 and "Not found." in page.text


def test_pages_carry_the_security_headers(head: TestClient) -> None:
    for path in ("/", "/clients", "/clients/ALFKI", "/api/clients"):
        headers = head.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in headers["content-security-policy"]


def test_the_static_files_are_served_by_the_app(anonymous: TestClient) -> None:
    script = anonymous.get("/static/htmx.min.js")
    assert script.status_code == 200 and len(script.content) > 10_000
    assert anonymous.get("/static/kam.css").status_code == 200


def test_a_group_lists_only_the_members_the_user_may_see(demo: Book, tmp_path: Path) -> None:
    book = copy_of(demo, tmp_path / "book")
    try:
        with transaction(book.database) as session:
            members = [
                Client(key, name, parent_key="DRACD")
                for key, name in (("ALFKI", "Alfreds Futterkiste"), ("FRANK", "Frankenversand"))
            ]
            records.upsert(session, members, datetime(2024, 5, 1), only={"parent_key"})
        app = app_over(book)
        with TestClient(app) as head, TestClient(app) as manager:
            log_in(head, LOGINS["head"])
            log_in(manager, LOGINS["manager"])
            assert head.get("/api/clients/DRACD").json()["members"] == ["ALFKI", "FRANK"]
            assert manager.get("/api/clients/DRACD").json()["members"] == ["FRANK"]
            assert manager.get("/api/clients/FRANK").json()["group"]["key"] == "DRACD"
            assert head.get("/api/clients", params={"group": "DRACD"}).json()["total"] == 2
            assert manager.get("/api/clients", params={"group": "DRACD"}).json()["total"] == 1
    finally:
        book.close()
