"""The client list's filters and links: the movement matrix's cells, pages, sorting."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from kam.services.book import Book


@pytest.fixture
def head(login: Callable[[str], TestClient]) -> TestClient:
    """The head of key accounts, logged in."""
    return login("head")


def _moves(book: Book) -> dict[str, set[str]]:
    """Each client's class before and after, from plain SQL: ``{"B-A": {keys}}``."""
    with book.database.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT coalesce(a.client_key, b.client_key), coalesce(b.abc_class, 'none'), "
                "coalesce(a.abc_class, 'none') FROM "
                "(SELECT client_key, abc_class FROM class_snapshots WHERE classification_id = 2) a "
                "FULL OUTER JOIN "
                "(SELECT client_key, abc_class FROM class_snapshots WHERE classification_id = 1) b "
                "ON a.client_key = b.client_key"
            )
        ).all()
    moves: dict[str, set[str]] = {}
    for key, before, after in rows:
        moves.setdefault(f"{before}-{after}", set()).add(key)
    return moves


def test_each_cell_of_the_movement_matrix_links_to_exactly_the_clients_that_moved(
    head: TestClient, demo: Book
) -> None:
    moves = _moves(demo)
    assert len(moves["A-B"]) > 0 and len(moves["B-A"]) > 0
    portfolio = head.get("/").text
    links = {
        m.group(1): int(m.group(2))
        for m in re.finditer(
            r'<a href="/clients\?moved=([A-Cnoe]+-[A-Cnoe]+)">(\d+)</a>', portfolio
        )
    }
    assert links == {cell: len(keys) for cell, keys in moves.items()}
    for cell, keys in moves.items():
        listed = head.get("/api/clients", params={"moved": cell, "per_page": 500}).json()
        assert listed["total"] == len(keys), cell
        assert {c["key"] for c in listed["clients"]} == keys, cell
    assert "/clients?class=B" not in portfolio.split("Movements since")[1]


def test_the_movement_filter_is_shown_kept_by_the_other_filters_and_removable(
    head: TestClient, demo: Book
) -> None:
    page = head.get("/clients", params={"moved": "A-B"}).text
    moved = len(_moves(demo)["A-B"])
    assert f"{moved} clients" in page
    assert "Only the clients that moved from" in page
    assert '<input type="hidden" name="moved" value="A-B">' in page
    remove = re.search(r'<a href="([^"]*)">Remove this filter</a>', page)
    assert remove and "moved" not in remove.group(1)
    assert "91 clients" in head.get(html.unescape(remove.group(1))).text
    # CSV downloads and the next page keep it
    assert 'href="/clients.csv?moved=A-B"' in page
    csv = head.get("/clients.csv", params={"moved": "A-B"}).text
    assert len(csv.strip().splitlines()) == moved + 1


def test_the_movement_filter_answers_only_within_the_scope(
    login: Callable[[str], TestClient], demo: Book
) -> None:
    manager = login("manager")
    mine = {
        c["key"] for c in manager.get("/api/clients", params={"per_page": 500}).json()["clients"]
    }
    for cell, keys in _moves(demo).items():
        listed = manager.get("/api/clients", params={"moved": cell, "per_page": 500}).json()
        assert {c["key"] for c in listed["clients"]} == keys & mine


def test_the_movement_filter_refuses_what_is_not_two_classes(head: TestClient) -> None:
    for value in ("A", "A-D", "A-B-C", "a-b", "A_B"):
        assert head.get("/api/clients", params={"moved": value}).status_code == 422


def test_a_page_beyond_the_last_shows_the_last_and_says_so(head: TestClient) -> None:
    page = head.get("/clients", params={"page": 99}).text
    assert "page 2 of 2" in page and "page 99" not in page
    assert 'href="/clients?page=1"' in page
    api = head.get("/api/clients", params={"page": 99}).json()
    assert api["page"] == 2 and len(api["clients"]) == 41


def test_sorting_by_value_starts_with_the_largest_then_turns_round(head: TestClient) -> None:
    page = head.get("/clients", params={"per_page": 5}).text
    link = re.search(r'<a href="([^"]*sort=value[^"]*)">value</a>', page)
    assert link
    first = html.unescape(link.group(1))
    assert "desc=true" in first and "per_page=5" in first
    values = [
        c["value"] for c in head.get("/api/clients", params={"per_page": 500}).json()["clients"]
    ]
    listed = head.get(first.replace("/clients", "/api/clients")).json()["clients"]
    assert [c["value"] for c in listed] == sorted(
        (v for v in values if v is not None), reverse=True
    )[:5]
    again = re.search(r'<a href="([^"]*sort=value[^"]*)">value</a>', head.get(first).text)
    assert again and "desc" not in again.group(1)
