"""Downloads of every list as CSV and Excel: scoped like the pages, safe against formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from kam.domain.import_log import ImportKind
from kam.services.book import Book
from kam.services.imports.requests import build_request, import_file, merge_options
from tests.web.conftest import LOGINS

MANAGER = LOGINS["manager"]
EVIL = (
    "key,name,owner,country\n"
    f'EVIL1,"=HYPERLINK(""http://x"",""y"")",{MANAGER},Poland\n'
    f"EVIL2,-2+3,{MANAGER},Poland\n"
    f"EVIL3,@SUM(A1),{MANAGER},Poland\n"
)


@pytest.fixture(scope="module")
def demo(demo_copy: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    book = demo_copy
    file = tmp_path_factory.mktemp("downloads") / "evil.csv"
    file.write_text(EVIL, encoding="utf-8")
    options = merge_options(book, ImportKind.CLIENTS, file, None, {})
    result = import_file(book, build_request(ImportKind.CLIENTS, file, options))
    assert not result.rejected
    yield book


def _rows(answer: object) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(answer.text)))  # type: ignore[attr-defined]


def test_the_client_list_downloads_with_its_filters_and_neutralised_formulas(
    clients: dict[str, TestClient],
) -> None:
    answer = clients["head"].get("/clients.csv?country=Poland&sort=key")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="clients.csv"'
    names = {r["key"]: r["name"] for r in _rows(answer)}
    assert names["EVIL1"] == '\'=HYPERLINK("http://x","y")'
    assert names["EVIL2"] == "'-2+3"
    assert names["EVIL3"] == "'@SUM(A1)"
    everyone = _rows(clients["head"].get("/clients.csv"))
    assert len(everyone) == clients["head"].get("/api/clients").json()["total"]


def test_the_excel_download_keeps_text_as_text_and_numbers_as_numbers(
    clients: dict[str, TestClient],
) -> None:
    answer = clients["head"].get("/clients.xlsx?sort=rank")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    evil = next(r for r in rows if r["key"].value == "EVIL1")
    assert evil["name"].data_type == "s" and evil["name"].quotePrefix
    assert evil["name"].value.startswith("=HYPERLINK")
    ranked = next(r for r in rows if r["rank"].value == 1)
    assert isinstance(ranked["value"].value, float) and isinstance(ranked["rank"].value, int)


def test_a_managers_downloads_hold_only_its_own_clients(clients: dict[str, TestClient]) -> None:
    manager = clients["manager"]
    listed = {r["key"] for r in _rows(manager.get("/clients.csv"))}
    api = manager.get("/api/clients?per_page=500").json()
    assert listed == {c["key"] for c in api["clients"]}
    assert "ALFKI" not in listed and "DRACD" in listed
    movers = {r["client_id"] for r in _rows(manager.get("/portfolio/movers.csv"))}
    assert movers <= listed
    assert manager.get("/clients/ALFKI/history.csv").status_code == 404
    assert manager.get("/clients/ALFKI/history.xlsx").status_code == 404


def test_a_clients_class_history_downloads(clients: dict[str, TestClient]) -> None:
    answer = clients["viewer"].get("/clients/ALFKI/history.csv")
    assert answer.status_code == 200
    rows = _rows(answer)
    assert [r["period"] for r in rows] and all(r["class"] in "ABC" for r in rows)
    assert clients["viewer"].get("/clients/QUEEN/history.csv").status_code == 404


def test_the_movers_download_matches_the_portfolio(clients: dict[str, TestClient]) -> None:
    head = clients["head"]
    rows = _rows(head.get("/portfolio/movers.csv"))
    overview = head.get("/api/portfolio").json()
    moved = sum(n for b, row in overview["matrix"].items() for a, n in row.items() if a != b)
    assert len(rows) == moved and rows[0]["reason"]


def test_the_import_log_downloads_for_the_head_and_the_admin_only(
    clients: dict[str, TestClient],
) -> None:
    rows = _rows(clients["admin"].get("/imports.csv"))
    assert {r["file"] for r in rows} >= {"customers.csv", "evil.csv"}
    assert clients["head"].get("/imports.xlsx").status_code == 200
    assert clients["manager"].get("/imports.csv").status_code == 403
    assert clients["viewer"].get("/imports.csv").status_code == 403


def test_an_unknown_format_is_refused(clients: dict[str, TestClient]) -> None:
    assert clients["head"].get("/clients.pdf").status_code == 422


def test_downloads_need_a_login(app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False) as anonymous:
        answer = anonymous.get("/clients.csv")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


POLISH = {"Accept-Language": "pl-PL,pl;q=0.9"}
NBSP = "\u00a0"


def test_the_downloads_word_policies_classes_and_codes_as_the_pages_do(
    clients: dict[str, TestClient],
) -> None:
    head, admin = clients["head"], clients["admin"]
    english = _rows(head.get("/clients/SAVEA/history.csv"))
    assert {(r["policy"], r["override"]) for r in english} == {("pareto 0.8/0.95 by revenue", "no")}
    polish = _rows(head.get("/clients/SAVEA/history.csv", headers=POLISH))
    assert {(r["reguła klasyfikacji"], r["ręczna klasa"]) for r in polish} == {
        ("Pareto 0,8/0,95, miara: przychód", "nie")
    }
    # CENTC bought 100.80 in the first period (rank 79) and nothing in the second
    (gone,) = [r for r in _rows(head.get("/portfolio/movers.csv")) if r["client_id"] == "CENTC"]
    assert (gone["before"], gone["after"]) == ("C", "no class")
    assert (
        gone["reason"] == "C to none: no sales in the later period (value before €100.80, rank 79)"
    )
    movers = _rows(head.get("/portfolio/movers.csv", headers=POLISH))
    (gone,) = [r for r in movers if r["klient"] == "CENTC"]
    assert (gone["przed"], gone["po"]) == ("C", "bez klasy")
    assert gone["uzasadnienie"] == (
        f"C → bez klasy: brak sprzedaży w późniejszym okresie (wcześniej wartość 100,80{NBSP}€, "
        "pozycja 79)"
    )
    log = _rows(admin.get("/imports.csv", headers=POLISH))
    # customers.csv gives the demo its clients and their people
    assert {(r["rodzaj"], r["status"]) for r in log if r["plik"] == "customers.csv"} == {
        ("klienci", "zaimportowano"),
        ("osoby", "zaimportowano"),
    }
