"""The book's currency: set on the settings page or through the API, shown with every amount.

The expected texts are written by hand the way each language writes an amount in
each currency (``1 234,50 zł`` in Polish, ``€1,234.50`` in English), not by kam's
formatter.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

import openpyxl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.services import plans
from kam.services.book import Book
from tests.web.conftest import app_over, copy_of, log_in, page_csrf_token

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}
NBSP = "\u00a0"
#: An amount in a table cell: digits with the language's separators and the currency's sign.
POLISH_ZLOTY = re.compile(rf'<td class="num">-?\d{{1,3}}(?:{NBSP}\d{{3}})*,\d\d{NBSP}zł</td>')
ENGLISH_EURO = re.compile(r'<td class="num">-?€\d{1,3}(?:,\d{3})*\.\d\d</td>')


@pytest.fixture(scope="module")
def book(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """A copy of the demo book: these tests change its currency."""
    copied = copy_of(demo, tmp_path_factory.mktemp("currency") / "book")
    yield copied
    copied.close()


@pytest.fixture(scope="module")
def app(book: Book) -> FastAPI:
    """The app over the copy."""
    return app_over(book)


@pytest.fixture
def as_role(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """``as_role(name)``: a client logged in as that user."""
    opened: list[TestClient] = []

    def open_as(name: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        opened.append(client)
        return log_in(client, name)

    yield open_as
    for client in opened:
        client.close()


def _set_currency(client: TestClient, code: str) -> str:
    settings = client.get("/settings/classification")
    answer = client.post(
        "/settings/currency",
        data={"currency": code, "csrf_token": page_csrf_token(settings.text)},
    )
    assert answer.status_code == 200, answer.text[:300]
    return answer.text


def test_a_book_in_zloty_shows_zloty_in_polish_and_euro_books_show_euro_in_english(
    as_role: Callable[[str], TestClient],
) -> None:
    head = as_role("andrew.fuller")
    saved = _set_currency(head, "pln")
    assert "PLN" in saved
    client = head.get("/clients/SAVEA", headers=POLISH).text
    assert POLISH_ZLOTY.search(client), "the client page's amounts are in złoty"
    assert "€" not in client
    portfolio = head.get("/", headers=POLISH).text
    assert re.search(rf"\d,\d\d{NBSP}zł</span>", portfolio), "the portfolio's values in złoty"
    assert "zł" in head.get("/clients", headers=POLISH).text
    english = head.get("/clients/SAVEA", headers=ENGLISH).text
    assert f"PLN{NBSP}" in english and "€" not in english

    _set_currency(head, "EUR")
    client = head.get("/clients/SAVEA", headers=ENGLISH).text
    assert ENGLISH_EURO.search(client), "the client page's amounts are in euro"
    assert "zł" not in client and "PLN" not in client
    portfolio = head.get("/", headers=ENGLISH).text
    assert re.search(r"<span>€\d{1,3}(,\d{3})*\.\d\d</span>", portfolio)


def test_the_chart_and_the_plan_s_amounts_carry_the_currency(
    as_role: Callable[[str], TestClient],
) -> None:
    head = as_role("andrew.fuller")
    _set_currency(head, "USD")
    try:
        page = head.get("/clients/SAVEA", headers=ENGLISH).text
        chart = page[page.index("<svg") : page.index("</svg>")]
        assert re.search(r"<title>[^<]*: \$\d", chart), "each bar's value in dollars"
        assert 'class="unit">USD</text>' in chart
        period = plans.current_period()
        risks = head.get(f"/clients/SAVEA/plans/{period}/risks", headers=ENGLISH).text
        assert re.search(r'<td class="num">\$\d{1,3}(,\d{3})*\.\d\d</td>', risks)
        deal = head.get(f"/clients/SAVEA/plans/{period}/deal", headers=ENGLISH).text
        assert re.search(r"· \$\d{1,3}(,\d{3})*\.\d\d ·", deal), "the deal's value in dollars"
        exported = head.get(f"/clients/SAVEA/plans/{period}/export.xlsx", headers=ENGLISH)
        workbook = openpyxl.load_workbook(io.BytesIO(exported.content))
        formats = {
            cell.number_format
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, float)
        }
        assert '#,##0.00 "USD"' in formats, "the plan's money columns are in dollars"
    finally:
        _set_currency(head, "EUR")


def test_a_code_that_is_no_currency_is_refused_next_to_its_field_and_kept(
    as_role: Callable[[str], TestClient],
) -> None:
    head = as_role("andrew.fuller")
    settings = head.get("/settings/classification")
    answer = head.post(
        "/settings/currency",
        data={"currency": "EURO", "csrf_token": page_csrf_token(settings.text)},
    )
    assert answer.status_code == 400
    assert 'value="EURO"' in answer.text and 'id="currency-error"' in answer.text
    assert head.get("/api/settings/currency").json() == {"currency": "EUR"}


def test_the_api_reads_and_sets_the_currency_for_the_head_and_the_admin_only(
    as_role: Callable[[str], TestClient],
) -> None:
    admin = as_role("admin")
    assert admin.get("/api/settings/currency").json() == {"currency": "EUR"}
    assert admin.put("/api/settings/currency", json={"currency": "chf"}).json() == {
        "currency": "CHF"
    }
    assert admin.put("/api/settings/currency", json={"currency": "XYZ"}).status_code == 422
    manager = as_role("nancy.davolio")
    assert manager.get("/api/settings/currency").status_code == 403
    assert manager.put("/api/settings/currency", json={"currency": "EUR"}).status_code == 403
    assert admin.put("/api/settings/currency", json={"currency": "EUR"}).status_code == 200


def test_downloads_head_the_amounts_with_the_currency_and_format_them_in_excel(
    as_role: Callable[[str], TestClient],
) -> None:
    head = as_role("andrew.fuller")
    _set_currency(head, "PLN")
    try:
        csv_text = head.get("/clients.csv", headers=ENGLISH).text
        header = csv_text.splitlines()[0].split(",")
        assert "value (PLN)" in header and "key" in header and "rank" in header
        workbook = openpyxl.load_workbook(
            io.BytesIO(head.get("/clients.xlsx", headers=ENGLISH).content)
        )
        sheet = workbook.active
        assert sheet is not None
        names = [c.value for c in sheet[1]]
        value = sheet.cell(row=2, column=names.index("value") + 1)
        assert isinstance(value.value, float)
        assert value.number_format == '#,##0.00 "PLN"'
    finally:
        _set_currency(head, "EUR")


def test_the_reasons_of_the_moves_carry_the_book_s_currency_in_the_reader_s_language(
    as_role: Callable[[str], TestClient],
) -> None:
    head = as_role("andrew.fuller")
    _set_currency(head, "PLN")
    try:
        polish = head.get("/", headers=POLISH).text
        amount = rf"\d{{1,3}}(?:{NBSP}\d{{3}})*,\d\d{NBSP}zł"
        assert re.search(rf"wartość z {amount} na {amount} \([+-]{amount}\)", polish)
        english = head.get("/portfolio/movers.csv", headers=ENGLISH).text
        amount = rf"PLN{NBSP}\d{{1,3}}(?:,\d{{3}})*\.\d\d"
        assert re.search(rf"value {amount} to {amount} \([+-]{amount}\)", english)
        assert "€" not in polish.split("<main", 1)[1] and "€" not in english
    finally:
        _set_currency(head, "EUR")
