"""A whole plan downloaded from its page: the PDF and the Excel workbook, and who may have them."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping

import openpyxl
import pypdf
import pytest
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book
from kam.services.demo.parts import demo_deal, demo_risks
from kam.services.demo.people import demo_people
from tests.web.conftest import PlanBook

#: nancy.davolio's client (the manager's); its contact is Sven Ottlieb. ALFKI is another's.
KEY = "DRACD"
OTHERS_KEY = "ALFKI"
PERIOD = plans.current_period()
PLAN = f"/clients/{KEY}/plans/{PERIOD}"


@pytest.fixture(scope="module")
def demo(
    plan_book: Callable[[Mapping[str, str]], PlanBook],
) -> Iterator[Book]:
    """A copy of the demo book with KEY's plan (people, a deal, risks) and ALFKI's plan."""
    made = plan_book({KEY: "Become their first supplier", OTHERS_KEY: "Another manager's account"})
    book, head, plan = made.book, made.head, made.plans[KEY]
    demo_people(book, head, plan)
    demo_deal(book, head, plan)
    demo_risks(book, head, plan)
    yield book


def test_the_plan_page_links_both_downloads(login: Callable[[str], TestClient]) -> None:
    page = login("viewer").get(PLAN)
    assert page.status_code == 200
    assert f'href="{PLAN}/export.pdf"' in page.text
    assert f'href="{PLAN}/export.xlsx"' in page.text


def test_the_manager_downloads_the_plan_as_pdf_and_as_excel(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    pdf = manager.get(f"{PLAN}/export.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == (
        f"attachment; filename*=UTF-8''plan-{KEY}-{PERIOD}.pdf"
    )
    pages = pypdf.PdfReader(io.BytesIO(pdf.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Drachenblut Delikatessen" in text
    assert "Sven Ottlieb" in text  # the client's real contact, on the map and in the tables
    assert "The building authority approves late (demo)" in text
    assert "Prefers calls before 10 am (demo)" not in text  # no personal notes from the web

    workbook = manager.get(f"{PLAN}/export.xlsx")
    assert workbook.status_code == 200
    assert workbook.headers["content-disposition"].endswith(f"plan-{KEY}-{PERIOD}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames[0] == "Plan" and "Risks" in book.sheetnames
    assert book["Plan"]["B6"].value == "Become their first supplier"


def test_a_manager_gets_not_found_for_another_manager_s_plan(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    for suffix in ("pdf", "xlsx"):
        answer = manager.get(f"/clients/{OTHERS_KEY}/plans/{PERIOD}/export.{suffix}")
        assert answer.status_code == 404
        assert b"Another manager" not in answer.content
