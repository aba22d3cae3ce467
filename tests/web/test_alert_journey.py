"""The head's answer to an early warning in a real headless Chromium, against ``kam serve``:
an alert seen on the alerts page, acknowledged, made an intervention point on the client's
plan of the year in one click, and that point closed with the effect of what was done.

The served book is a copy of the demo book (its rules run as it was built) in which the
head opened this year's plan of the client of the first alert the head's alerts page
lists, when it had none. The browser is that of the other journeys
(:mod:`tests.web.test_journeys`), failing on a script error as they do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from kam.services import alerts, plans, users
from kam.services.access import scope_for
from kam.services.alerts import AlertView
from kam.services.book import Book
from tests.web import test_journeys as journeys
from tests.web.conftest import LOGINS, copy_of

#: The browser and a page on the server: those of the other journeys.
browser = journeys.browser
page = journeys.page


@pytest.fixture(scope="module")
def first_alert(
    demo: Book, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Book, AlertView]]:
    """A copy of the demo book, and the first alert the head's page lists that the head may
    make an intervention point; the client's plan of the year open."""
    book = copy_of(demo, tmp_path_factory.mktemp("alert-journey") / "book")
    head = users.get_user(book, LOGINS["head"])
    assert head is not None
    board = alerts.alerts_board(book, scope_for(book, head), date.today())
    alert = next(
        a for group in board.groups for a in group.alerts if a.can_intervene and a.state == "open"
    )
    if plans.get_plan(book, head, alert.client_key, plans.current_period()) is None:
        plans.open_plan(book, head, alert.client_key, objective="Keep the account")
    yield book, alert
    book.close()


@pytest.fixture(scope="module")
def served_book(first_alert: tuple[Book, AlertView]) -> Book:
    """The book ``kam serve`` serves: the copy with the alert."""
    return first_alert[0]


def test_the_head_acknowledges_an_alert_makes_it_an_intervention_point_and_closes_it(
    page: Any, first_alert: tuple[Book, AlertView]
) -> None:
    from playwright.sync_api import expect

    _book, alert = first_alert
    journeys.log_in(page, LOGINS["head"])
    page.get_by_role("link", name="Alerts", exact=True).click()
    page.wait_for_url(re.compile(r"/alerts$"))
    row = page.locator(f"#alert-{alert.id}")
    expect(row).to_contain_text(alert.client_name)
    expect(row).to_contain_text(alert.evidence)
    expect(row).to_contain_text("open")

    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(re.compile(rf"/alerts#alert-{alert.id}$"))
    row = page.locator(f"#alert-{alert.id}")
    expect(row).to_contain_text("acknowledged")
    expect(row.get_by_role("button", name="Acknowledge")).to_have_count(0)

    row.get_by_role("button", name="Make it an intervention point").click()
    page.wait_for_url(re.compile(rf"/alerts#alert-{alert.id}$"))
    row = page.locator(f"#alert-{alert.id}")
    expect(row).to_contain_text("an intervention point")
    expect(row.get_by_role("button", name="Make it an intervention point")).to_have_count(0)

    page.goto(f"/clients/{alert.client_key}/plans/{plans.current_period()}/interventions")
    point = page.locator("article[id^=point-]").filter(has_text=f"({alert.rule})")
    expect(point).to_have_count(1)
    expect(point.locator("h3")).to_contain_text("open")
    expect(point).to_contain_text(alert.evidence)  # the alert's evidence is the situation
    expect(point).to_contain_text(alert.action)

    point.get_by_text("Record an intervention made").click()
    point.get_by_label("What was done").fill("Called their managing director")
    point.locator("select[name=effect]").select_option("improved")
    point.get_by_label("Note on the effect").fill("orders are back to last year's pace")
    point.get_by_label("The point is dealt with: mark it done").check()
    point.get_by_role("button", name="Save").click()

    point = page.locator("article[id^=point-]").filter(has_text=f"({alert.rule})")
    expect(point.locator("h3")).to_contain_text("done")
    expect(point).to_contain_text("Called their managing director")
    expect(point).to_contain_text("improved: orders are back to last year's pace")
    expect(page.locator(".cards")).to_contain_text("1done")
