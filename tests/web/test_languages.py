"""The pages speak the reader's language: the user's setting, else the browser's, else English.

The expected numbers are read from the demo book with plain SQL and written
by hand the way each language writes them (English ``656,109.83``, Polish
``656 109,83`` with a no-break space), not by kam's formatter.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from kam.domain.user import Role
from kam.services.book import Book
from tests.web.conftest import login_token, page_csrf_token

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}
NBSP = "\u00a0"


def polish(cents: int) -> str:
    """An amount in cents as Polish writes it: ``1 234,50`` (no-break space, decimal comma)."""
    return f"{cents // 100:,}".replace(",", NBSP) + f",{cents % 100:02d}"


def english(cents: int) -> str:
    """An amount in cents as English writes it: ``1,234.50``."""
    return f"{cents // 100:,}.{cents % 100:02d}"


def scalar(book: Book, sql: str, **parameters: object) -> int:
    """One number from the demo book, by plain SQL."""
    with book.database.connect() as connection:
        value = connection.execute(text(sql), parameters).scalar_one()
    assert isinstance(value, int)
    return value


LATEST = "(SELECT max(id) FROM classifications)"


def class_value(book: Book, abc_class: str) -> int:
    """The value (cents) of a class in the latest run."""
    return scalar(
        book,
        f"SELECT sum(value) FROM class_snapshots WHERE classification_id = {LATEST} "
        "AND abc_class = :c",
        c=abc_class,
    )


@pytest.fixture
def head(login: Callable[[str], TestClient]) -> TestClient:
    """The head of key accounts, logged in (its own language: none, as the browser asks)."""
    return login("head")


def test_the_portfolio_is_in_polish_when_the_browser_asks_for_it(
    head: TestClient, demo: Book
) -> None:
    answer = head.get("/", headers=POLISH)
    assert answer.status_code == 200
    assert answer.headers["content-language"] == "pl"
    html = answer.text
    assert '<html lang="pl">' in html
    assert "<h1>Portfel</h1>" in html and "Krzywa Pareto" in html and "Zmiany klas od" in html
    # class A's value, its share of the whole and its clients, as Polish writes them
    a_value, total = class_value(demo, "A"), class_value(demo, "A") + class_value(demo, "B")
    total += class_value(demo, "C")
    assert f"<span>{polish(a_value)}\u00a0€</span>" in html  # in the book's currency, EUR
    share = round(1000 * a_value / total)  # per mille: 80.7% is written 80,7%
    assert f"<span>{share // 10},{share % 10}% wartości</span>" in html
    clients_a = scalar(
        demo,
        f"SELECT count(*) FROM class_snapshots WHERE classification_id = {LATEST} "
        "AND abc_class = 'A'",
    )
    assert clients_a >= 5  # so that Polish says "klientów"
    assert f"<span>{clients_a} klientów</span>" in html
    # the Pareto curve's axes are Polish too
    assert "udział klientów, według pozycji" in html and "klientów, " in html
    assert english(a_value) not in html and "Portfolio" not in html


def test_the_client_list_is_in_polish(head: TestClient, demo: Book) -> None:
    answer = head.get("/clients", params={"country": "Germany"}, headers=POLISH)
    assert answer.status_code == 200
    html = answer.text
    germans = scalar(demo, "SELECT count(*) FROM clients WHERE country = 'Germany'")
    assert f"{germans} klientów · strona 1 z 1 · pobierz" in html
    for word in ("Szukaj po kluczu lub nazwie", "wszystkie klasy", "Filtruj", "pozycja", "opiekun"):
        assert word in html
    top = scalar(
        demo,
        "SELECT s.value FROM class_snapshots s JOIN clients c ON c.key = s.client_key "
        f"WHERE s.classification_id = {LATEST} AND c.country = 'Germany' "
        "ORDER BY s.rank LIMIT 1",
    )
    assert top >= 100_000  # at least 1 000,00: written with a thousands separator
    assert f'<td class="num">{polish(top)}\u00a0€</td>' in html
    # the htmx partial too
    partial = head.get(
        "/clients", params={"country": "Germany"}, headers={**POLISH, "HX-Request": "true"}
    )
    assert f"{germans} klientów" in partial.text and "<html" not in partial.text


def test_a_client_page_is_in_polish_with_polish_months_and_amounts(
    head: TestClient, demo: Book
) -> None:
    html = head.get("/clients/ALFKI", headers=POLISH).text
    for words in ("Opiekun", "Historia klas", "Wartość w miesiącach", "Osoby", "Pobierz CSV"):
        assert words in html
    value = scalar(
        demo,
        f"SELECT value FROM class_snapshots WHERE classification_id = {LATEST} "
        "AND client_key = 'ALFKI'",
    )
    assert f'<td class="num">{polish(value)}\u00a0€</td>' in html
    # ALFKI's first order is of August 1997 (814.50): "sie 1997" in Polish
    assert "<title>sie 1997: 814,50\u00a0€</title>" in html
    assert "Kupione: " in html and "niewykorzystany potencjał" in html


def test_the_login_page_and_its_messages_are_in_polish(
    anonymous: TestClient, new_user: Callable[[Role], str]
) -> None:
    anonymous.headers.update(POLISH)
    page = anonymous.get("/login")
    assert page.status_code == 200 and '<html lang="pl">' in page.text
    assert "<h1>Zaloguj się</h1>" in page.text
    assert "Nazwa użytkownika" in page.text and "Hasło" in page.text
    token = login_token(anonymous)
    wrong = anonymous.post(
        "/login",
        data={"username": new_user(Role.VIEWER), "password": "not it", "csrf_token": token},
    )
    assert wrong.status_code == 401
    assert "Błędna nazwa użytkownika lub hasło." in wrong.text


def test_the_api_answers_its_messages_in_the_language_asked(head: TestClient) -> None:
    assert head.get("/api/clients/NOSUCH", headers=POLISH).json() == {"detail": "nie znaleziono"}
    assert head.get("/api/clients/NOSUCH").json() == {"detail": "not found"}
    page = head.get("/clients/NOSUCH", headers=POLISH)
    assert page.status_code == 404 and "Nie znaleziono." in page.text


def test_english_is_the_default(head: TestClient, demo: Book) -> None:
    for headers in ({}, ENGLISH, {"Accept-Language": "de-DE,fr;q=0.8"}):
        answer = head.get("/", headers=headers)
        assert answer.headers["content-language"] == "en"
        assert '<html lang="en">' in answer.text and "<h1>Portfolio</h1>" in answer.text
        assert f"<span>€{english(class_value(demo, 'A'))}</span>" in answer.text


def test_the_users_own_language_wins_over_the_browser_and_is_cleared_with_an_empty_value(
    login: Callable[[str], TestClient], new_user: Callable[[Role], str]
) -> None:
    reader = login(new_user(Role.HEAD))
    csrf = reader.headers.pop("X-CSRF-Token")  # the form carries it, as the page's selector does
    refused = reader.post("/account/language", data={"language": "pl"})
    assert refused.status_code == 403
    assert "<h1>Portfolio</h1>" in reader.get("/", headers=ENGLISH).text

    chosen = reader.post(
        "/account/language",
        data={"language": "pl", "csrf_token": csrf},
        headers={"Referer": "http://testserver/clients?class=A"},
    )
    assert chosen.status_code == 303 and chosen.headers["location"] == "/clients?class=A"
    page = reader.get("/", headers=ENGLISH)
    assert page.headers["content-language"] == "pl" and "<h1>Portfel</h1>" in page.text
    assert '<option value="pl" selected>' in page.text

    cleared = reader.post("/account/language", data={"language": "", "csrf_token": csrf})
    assert cleared.status_code == 303
    assert "<h1>Portfolio</h1>" in reader.get("/", headers=ENGLISH).text
    assert "<h1>Portfel</h1>" in reader.get("/", headers=POLISH).text


def test_a_language_kam_does_not_speak_is_refused(
    login: Callable[[str], TestClient], new_user: Callable[[Role], str]
) -> None:
    reader = login(new_user(Role.VIEWER))
    csrf = page_csrf_token(reader.get("/tokens").text)
    answer = reader.post("/account/language", data={"language": "xx", "csrf_token": csrf})
    assert answer.status_code == 400 and "xx" in answer.text
    # nothing changed: the reader still follows the browser
    assert "<h1>Portfel</h1>" in reader.get("/", headers=POLISH).text
    assert "<h1>Portfolio</h1>" in reader.get("/", headers=ENGLISH).text


def test_a_page_asked_for_with_a_bad_value_says_so_in_the_reader_s_language(
    head: TestClient,
) -> None:
    client = head
    answer = client.get("/clients?class=X", headers={"Accept-Language": "pl"})
    assert answer.status_code == 422
    assert "Żądanie zawiera wartość, której kam nie może użyć: class." in answer.text
    api = client.get("/api/clients?class=X", headers={"Accept-Language": "pl"})
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["query", "class"]


def test_a_client_s_class_history_and_the_movers_read_in_the_reader_s_language(
    head: TestClient,
) -> None:
    english = head.get("/api/clients/ALFKI").json()["history"]
    polish = head.get("/api/clients/ALFKI", headers={"Accept-Language": "pl"}).json()["history"]
    assert [h["period"] for h in english] == [h["period"] for h in polish]
    assert all("of the value" in h["reason"] or "no net sales" in h["reason"] for h in english)
    assert all("wartości" in h["reason"] or "brak sprzedaży" in h["reason"] for h in polish)
    movers_en = head.get("/api/portfolio").json()["movers"]
    movers_pl = head.get("/api/portfolio", headers={"Accept-Language": "pl"}).json()["movers"]
    assert movers_en and " to " in movers_en[0]["reason"]
    assert "→" in movers_pl[0]["reason"] and "pozycja" in movers_pl[0]["reason"]
