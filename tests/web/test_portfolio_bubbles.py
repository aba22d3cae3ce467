"""The portfolio's bubble charts: size x potential and the size x potential class matrix."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.domain.import_log import ImportKind
from kam.domain.policy import ParetoPolicy
from kam.domain.ranking import classify
from kam.services.book import Book
from kam.services.demo import build_demo
from kam.services.imports.requests import build_request, import_file, merge_options
from tests.conftest import SAMPLES
from tests.web.conftest import LOGINS, PASSWORD, log_in

#: Potentials (currency units) of some demo clients; DRACD is nancy.davolio's.
POTENTIALS = {"QUICK": 500_000, "ERNSH": 400_000, "SAVEA": 90_000, "DRACD": 30_000, "ALFKI": 800}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    folder = tmp_path_factory.mktemp("bubbles")
    book, _ = build_demo(folder / "book", password=PASSWORD, potentials=False)
    file = folder / "potentials.csv"
    with (SAMPLES / "northwind" / "customers.csv").open(encoding="utf-8") as handle:
        names = {r["customer_id"]: r["company_name"] for r in csv.DictReader(handle)}
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["key", "name", "potential"])
        writer.writerows([k, names[k], v] for k, v in POTENTIALS.items())
    options = merge_options(book, ImportKind.CLIENTS, file, None, {})
    assert not import_file(book, build_request(ImportKind.CLIENTS, file, options)).rejected
    yield book
    book.close()


def _as(app: FastAPI, role: str) -> TestClient:
    return log_in(TestClient(app, follow_redirects=False), LOGINS[role])


def test_the_head_sees_every_client_with_a_potential_and_the_others_apart(app: FastAPI) -> None:
    body = _as(app, "head").get("/api/portfolio/bubbles").json()
    assert {b["client_key"] for b in body["bubbles"]} == set(POTENTIALS)
    assert body["with_potential"] == len(POTENTIALS)
    assert body["without_potential_count"] == body["clients"] - len(POTENTIALS)
    quick = next(b for b in body["bubbles"] if b["client_key"] == "QUICK")
    assert quick["potential"] == 500_000 and quick["potential_class"] == "A"
    assert sum(c["clients"] for c in body["cells"]) == body["clients"]
    assert len(body["cells"]) == 9


def test_the_potential_classes_come_from_the_clients_the_user_sees(app: FastAPI) -> None:
    manager = _as(app, "manager")
    body = manager.get("/api/portfolio/bubbles").json()
    visible = {c["key"] for c in manager.get("/api/clients?per_page=500").json()["clients"]}
    mine = {k: v for k, v in POTENTIALS.items() if k in visible}
    assert {b["client_key"] for b in body["bubbles"]} == set(mine) == {"DRACD", "ERNSH", "SAVEA"}
    expected = {c.ranked.client_id: c.abc_class.value for c in classify(mine, ParetoPolicy())}
    assert {b["client_key"]: b["potential_class"] for b in body["bubbles"]} == expected
    # DRACD is B among the manager's potentials (94% of them above it), C among the book's (97%).
    assert expected["DRACD"] == "B"
    head = _as(app, "head").get("/api/portfolio/bubbles").json()
    assert next(b for b in head["bubbles"] if b["client_key"] == "DRACD")["potential_class"] == "C"
    keys = {c["client_key"] for c in body["without_potential"]}
    assert keys <= visible and "QUICK" not in keys


def test_the_portfolio_page_loads_the_charts_as_inline_svg(app: FastAPI) -> None:
    head = _as(app, "head")
    assert 'hx-get="/portfolio/bubbles"' in head.get("/").text
    part = head.get("/portfolio/bubbles", headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text
    assert part.text.count("<svg") == 2
    assert 'href="/clients/QUICK"' in part.text
    links = re.findall(r'(?:href|src)="([^"]+)"', part.text)
    assert all(link.startswith("/") for link in links)
    assert "clients without a potential" in part.text
    full = head.get("/portfolio/bubbles")
    assert "<html" in full.text and "<svg" in full.text


def test_the_bubbles_need_a_login(app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False) as anonymous:
        assert anonymous.get("/api/portfolio/bubbles").status_code == 401
        assert anonymous.get("/portfolio/bubbles").status_code == 303
