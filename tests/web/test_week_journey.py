"""A manager's week in a real headless Chromium, against ``kam serve``: a visit logged from
My week, its next step there and in the manager's calendar feed, and the head's compliance.

The served book is a copy of the demo book whose classification runs are dated ten days
before today, so that its key clients' contacts fell due ten days ago (see
:mod:`tests.web.test_week`). The browser is that of the other journeys
(:mod:`tests.web.test_journeys`); the server, :func:`tests.web.conftest.server`, serves it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import update

from kam.services.book import Book
from kam.store.database import transaction
from kam.store.schema import ClassificationRow
from tests.web import test_journeys as journeys
from tests.web.conftest import LOGINS, copy_of

TODAY = datetime.now(UTC).date()
CLASSIFIED = TODAY - timedelta(days=10)
TIMEOUT_S = journeys.TIMEOUT_MS / 1000

#: The browser, a page on the server, and logging in: those of the other journeys.
browser = journeys.browser
page = journeys.page


@pytest.fixture(scope="module")
def served_book(demo: Book, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """A copy of the demo book, classified ten days ago."""
    book = copy_of(demo, tmp_path_factory.mktemp("week-journey") / "book")
    with transaction(book.database) as session:
        session.execute(
            update(ClassificationRow).values(taken_at=datetime.combine(CLASSIFIED, time(9)))
        )
    yield book
    book.close()


def _today() -> date:
    """Today as the server's clock reads it (the demo's users keep the time of UTC)."""
    return datetime.now(UTC).date()


def _feed_events(page: Any, summary: str) -> list[date]:
    """The days of the events called ``summary`` in the calendar feed of the user logged in
    on ``page``: the address the Reminders page makes, fetched without the session."""
    page.goto("/reminders")
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.locator("code.secret").inner_text()
    answer = httpx.get(address, timeout=TIMEOUT_S)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    return [
        event.decoded("dtstart")
        for event in Calendar.from_ical(answer.content).walk("VEVENT")
        if str(event["summary"]) == summary
    ]


def _year_on_time(page: Any) -> tuple[int, int]:
    """The team's contacts due this year and done on time, as the head's API gives them."""
    year = page.request.get("/api/team").json()["total"]["year"]
    return int(year["due"]), int(year["on_time"])


def test_a_manager_logs_a_visit_its_next_step_reaches_its_calendar_and_the_head_s_compliance_rises(
    page: Any, browser: Any, server: str
) -> None:
    from playwright.sync_api import expect

    head = browser.new_context(base_url=server).new_page()
    journeys.log_in(head, LOGINS["head"])
    due, on_time = _year_on_time(head)

    journeys.log_in(page, LOGINS["manager"])
    page.get_by_role("link", name="My week", exact=True).click()
    page.wait_for_url(re.compile(r"/week$"))
    expect(page.get_by_role("heading", name="My week", exact=True)).to_be_visible()
    row = page.locator('#overdue tr[data-class="A"][data-kind="visit"]').first
    key = row.get_attribute("data-client")
    client = row.locator("td a").first.inner_text()
    # days overdue: ten, or eleven once the run has crossed midnight
    expect(row.locator("td.num")).to_have_text(str((_today() - CLASSIFIED).days))
    row.get_by_text("Log it as done").click()
    form = row.locator("form")
    # the visit took place on the day it was due, with one of the client's people
    form.get_by_label("Day (UTC)").fill(CLASSIFIED.isoformat())
    form.locator('input[name="their_people"]').first.check()
    form.get_by_label("Outcome or minutes").fill("Agreed on the spring order")
    form.get_by_label("Next step", exact=True).fill("Send the prices")
    form.get_by_label("Next step due").fill((TODAY + timedelta(days=3)).isoformat())
    form.get_by_role("button", name="Log").click()
    page.wait_for_url(re.compile(r"/week$"))

    expect(page.locator(f'#overdue tr[data-client="{key}"][data-kind="visit"]')).to_have_count(0)
    expect(page.locator("#next_steps")).to_contain_text("Send the prices")
    expect(page.locator("#next_steps")).to_contain_text(client)
    # the step is in the manager's calendar feed, read by its address alone as a calendar
    # program reads it, on the day it is due
    steps = _feed_events(page, f"Next step for {client}: Send the prices")
    assert steps == [TODAY + timedelta(days=3)]
    # the head's compliance this year: one more contact done on time, as many due
    assert _year_on_time(head) == (due, on_time + 1)
    head.goto("/team")
    expect(head.get_by_role("heading", name="Compliance")).to_be_visible()
    head.context.close()
