"""Money at risk and what if we lose a client, on the web: the pages and the API, within
the user's scope, in English and Polish, and the book's refusals said on the page.

The demo book's last whole month is April 1998: its clients bought 848,053.76 EUR in the
12 months to it, nancy.davolio's 15 clients 256,497.21 EUR of it, ERNSH 65,205.76 EUR.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kam.i18n import use_language
from kam.i18n.languages import language
from kam.i18n.money import format_money
from kam.services.access import scope_for
from kam.services.book import Book
from kam.services.risk import money_at_risk
from kam.services.risk_cache import book_money_at_risk
from kam.services.users import get_user
from kam.web.routes.week import utc_now
from tests.web import small_book

POLISH = {"Accept-Language": "pl-PL,pl;q=0.9"}
#: nancy.davolio's largest client, and a client of margaret.peacock.
OWN, OTHERS = "ERNSH", "ALFKI"


def _text(answer: object) -> str:
    return html.unescape(answer.text)  # type: ignore[attr-defined]


def _euros(cents: int, code: str = "en") -> str:
    with use_language(language(code)):
        return format_money(cents / 100, "EUR")


def test_the_risk_page_shows_the_services_totals_per_class_and_manager(
    demo: Book, login: Callable[[str], TestClient]
) -> None:
    report = money_at_risk(demo, utc_now().date())
    assert report.value == 84_805_376  # 848,053.76 EUR, the book's 12 months to April 1998
    page = _text(login("head").get("/risk"))
    assert "as of 1998-04" in page
    assert f"learnt from {report.examples:,} examples" in page
    assert f"Value of the last 12 months: €848,053.76; at risk: {_euros(report.at_risk)}." in page
    for total in (*report.by_class, *report.by_owner):
        row = f"{total.name}</th><td>{total.clients}</td><td>{_euros(total.value)}</td>"
        assert row + f"<td>{_euros(total.at_risk)}</td>" in page.replace("&#39;", "'")
    first = report.clients[0]
    assert page.index(f'id="client-{first.client_key}"') < page.index(
        f'id="client-{report.clients[1].client_key}"'
    )
    # each client's signals, or that none stands out (the first 50 are on the page)
    shown = report.clients[:50]
    driven = next(c for c in shown if c.drivers)
    assert driven.drivers[0].replace("'", "&#39;") in page or driven.drivers[0] in page
    rows = re.findall(r'<tr id="client-[^"]+">.*?</tr>', page, re.DOTALL)
    quiet = sum(1 for c in shown if not c.drivers)
    assert sum("none stands out" in row for row in rows) == quiet


def test_the_risk_page_lists_50_clients_and_a_link_to_more(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    first = _text(head.get("/risk"))
    assert first.count('<tr id="client-') == 50
    assert "The first 50 of 88." in first
    assert 'href="/risk?shown=100#clients"' in first
    assert _text(head.get("/risk?shown=100")).count('<tr id="client-') == 88


def test_a_manager_sees_only_its_own_clients_and_their_totals(
    demo: Book, login: Callable[[str], TestClient]
) -> None:
    manager = login("manager")
    found = manager.get("/api/risk").json()
    assert {c["owner"] for c in found["clients"]} == {"nancy.davolio"}
    assert len(found["clients"]) == 15
    assert found["value_cents"] == 25_649_721
    assert [(t["name"], t["clients"], t["value_cents"]) for t in found["by_owner"]] == [
        ("nancy.davolio", 15, 25_649_721)
    ]
    assert found["at_risk_cents"] == sum(c["at_risk_cents"] for c in found["clients"])
    assert sum(t["clients"] for t in found["by_class"]) == 15
    page = _text(manager.get("/risk"))
    assert "€256,497.21" in page
    assert f'href="/clients/{OWN}"' in page
    assert f'href="/clients/{OTHERS}"' not in page


def test_the_api_gives_each_client_its_value_probability_and_value_at_risk(
    demo: Book, login: Callable[[str], TestClient]
) -> None:
    found = login("head").get("/api/risk").json()
    assert found["month"] == "1998-04"
    assert found["horizon_months"] == 12
    assert len(found["clients"]) == 88
    ernsh = next(c for c in found["clients"] if c["client_key"] == OWN)
    assert ernsh["value_cents"] == 6_520_576
    assert ernsh["owner"] == "nancy.davolio"
    assert ernsh["abc_class"] == "A"
    assert ernsh["at_risk_cents"] == round(6_520_576 * ernsh["probability"])
    # the book's largest client, buying steadily: no signal of risk stands out
    assert ernsh["drivers"] == []
    assert all(len(c["drivers"]) <= 3 for c in found["clients"])
    assert any(c["drivers"] for c in found["clients"])
    risks = [c["at_risk_cents"] for c in found["clients"]]
    assert risks == sorted(risks, reverse=True)


def test_losing_a_client_takes_its_value_from_the_book(
    login: Callable[[str], TestClient],
) -> None:
    found = login("head").get(f"/api/risk/lose?client={OWN}").json()
    assert found["lost"] == [OWN]
    assert found["lost_value_cents"] == 6_520_576
    assert found["before"]["value_cents"] == 84_805_376
    assert found["after"]["value_cents"] == 84_805_376 - 6_520_576
    assert (found["before"]["clients"], found["after"]["clients"]) == (88, 87)
    assert sum(found["after"]["classes"].values()) == 87
    for move in found["moves"]:
        assert move["before"] != move["after"]


def test_the_lose_page_shows_before_and_after_and_the_clients_that_change_class(
    login: Callable[[str], TestClient],
) -> None:
    head = login("head")
    found = head.get(f"/api/risk/lose?client={OWN}").json()
    page = _text(head.get(f"/risk/lose?client={OWN}"))
    assert f"Losing {OWN} takes €65,205.76 of the last 12 months to 1998-04." in page
    assert "<td>€848,053.76</td><td>€782,848.00</td>" in page
    assert found["moves"], "losing ERNSH moves some clients up a class"
    for move in found["moves"]:
        assert f'href="/clients/{move["client_key"]}"' in page


def test_the_risk_list_and_the_client_page_link_to_what_if_we_lose_it(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    assert f'href="/risk/lose?client={OWN}"' in manager.get("/risk").text
    client_page = manager.get(f"/clients/{OWN}").text
    assert f'href="/risk/lose?client={OWN}">What if we lose it</a>' in client_page


def test_a_manager_may_not_lose_another_managers_client(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    assert manager.get(f"/risk/lose?client={OTHERS}").status_code == 404
    assert manager.get(f"/risk/lose?client={OWN}&client={OTHERS}").status_code == 404
    assert manager.get(f"/api/risk/lose?client={OTHERS}").status_code == 404
    assert manager.get("/api/risk/lose?client=NOBODY").status_code == 404
    assert login("head").get(f"/api/risk/lose?client={OTHERS}").status_code == 200


def test_a_client_without_sales_is_said_on_the_page(login: Callable[[str], TestClient]) -> None:
    head = login("head")
    answer = head.get("/risk/lose?client=NOBODY")
    assert answer.status_code == 400
    assert "no sales in the 12 months to 1998-04 for: NOBODY" in _text(answer)
    api = head.get("/api/risk/lose?client=NOBODY")
    assert api.status_code == 400
    assert api.json() == {"detail": "no sales in the 12 months to 1998-04 for: NOBODY"}
    none_named = head.get("/risk/lose")
    assert none_named.status_code == 400
    assert "name at least one client to lose" in _text(none_named)


def test_the_pages_speak_polish(demo: Book, login: Callable[[str], TestClient]) -> None:
    head = login("head")
    page = _text(head.get("/risk", headers=POLISH))
    assert "Zagrożone przychody" in page
    assert "Wartość z ostatnich 12 miesięcy: " + _euros(84_805_376, "pl") in page
    lose = _text(head.get(f"/risk/lose?client={OWN}", headers=POLISH))
    assert "Klienci, którzy zmieniają klasę" in lose
    refused = _text(head.get("/risk/lose?client=NOBODY", headers=POLISH))
    assert "NOBODY" in refused
    assert "no sales in the 12 months" not in refused


def test_a_book_without_sales_says_so_instead_of_failing(tmp_path: Path) -> None:
    book = small_book.small_book(tmp_path / "book")
    try:
        app = small_book.app_over(book)
        head = small_book.client_of(app, "head")
        answer = head.get("/risk")
        assert answer.status_code == 200
        assert "has no sales yet: import some with kam import sales" in _text(answer)
        api = head.get("/api/risk")
        assert api.status_code == 409
        assert "has no sales yet" in api.json()["detail"]
        assert head.get("/risk/lose?client=ALFKI").status_code == 400
    finally:
        book.close()


def test_the_report_is_fitted_once_per_state_of_the_book(demo: Book) -> None:

    head = get_user(demo, "andrew.fuller")
    assert head is not None
    today = utc_now().date()
    first = book_money_at_risk(demo, today, scope_for(demo, head))
    assert book_money_at_risk(demo, today, scope_for(demo, head)) is first
    with use_language(language("pl")):
        polish = book_money_at_risk(demo, today, scope_for(demo, head))
    assert polish is not first
    assert polish.at_risk == first.at_risk


@pytest.mark.parametrize("path", ["/risk", f"/risk/lose?client={OWN}"])
def test_the_navigation_links_money_at_risk_for_every_role(
    path: str, login: Callable[[str], TestClient]
) -> None:
    for role in ("viewer", "manager", "head", "admin"):
        assert '<a href="/risk">' in login(role).get("/").text
    assert login("manager").get(path).status_code == 200
