"""Journeys through the app in a real headless Chromium, against ``kam serve``.

The test starts ``kam serve`` on the demo book in its own process (uvicorn, a free
local port) and Debian's Chromium through Playwright. A browser that cannot start
fails the tests: it is never a reason to skip them (``scripts/test`` installs
Chromium where it is missing).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kam.domain.user import Role
from tests.web.conftest import LOGINS, PASSWORD

CHROMIUM = Path(os.environ.get("KAM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright; failing to start fails the test."""
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        except Error as error:
            pytest.fail(f"cannot start Chromium at {CHROMIUM} (scripts/test installs it): {error}")
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page on the served app."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    outside: list[str] = []
    opened.on(
        "request",
        lambda request: None if request.url.startswith(server) else outside.append(request.url),
    )
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not outside, f"the pages loaded something from another host: {outside}"
    assert not errors, f"script errors on the page: {errors}"


def log_in(page: Any, name: str) -> None:
    """Log in through the form the app sends to a visitor of its home page."""
    page.goto("/")
    assert re.search(r"/login\?next=/$", page.url)
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # an account manager lands on My week, the others on the portfolio
    page.wait_for_url(re.compile(r"/(week)?$"))


def test_a_head_logs_in_reads_the_portfolio_opens_a_client_searches_and_logs_out(
    page: Any, server: str
) -> None:
    from playwright.sync_api import expect

    log_in(page, LOGINS["head"])
    expect(page.get_by_role("heading", name="Portfolio", exact=True)).to_be_visible()
    expect(page.locator('svg[aria-label="Pareto curve"]')).to_be_visible()
    expect(page.locator("a.card.class-A")).to_contain_text("33 clients")
    expect(page.locator(".who")).to_contain_text("andrew.fuller (head of key accounts)")

    page.get_by_role("link", name="Clients", exact=True).click()
    page.wait_for_url(re.compile(r"/clients$"))
    expect(page.locator("#results")).to_contain_text("91 clients")
    first = page.locator("#results table.list tr td a").first
    key = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(rf"/clients/{key}$"))
    expect(page.locator("h1")).to_contain_text(key)
    expect(page.locator('svg[aria-label="value per month"]')).to_be_visible()
    expect(page.get_by_role("heading", name="People")).to_be_visible()

    page.go_back()
    page.get_by_label("Search").fill("alfreds")
    # HTMX replaces the results in place and pushes the search into the address
    expect(page.locator("#results")).to_contain_text("1 client ·")
    expect(page.locator("#results table.list")).to_contain_text("Alfreds Futterkiste")
    page.wait_for_url(re.compile(r"q=alfreds"))
    page.get_by_role("link", name="ALFKI").click()
    expect(page.locator("h1")).to_contain_text("Alfreds Futterkiste")
    expect(page.locator("body")).to_contain_text("Maria Anders")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.goto("/clients")
    assert "/login" in page.url


def test_a_manager_in_the_browser_lists_only_its_own_clients(page: Any) -> None:
    from playwright.sync_api import expect

    log_in(page, LOGINS["manager"])
    page.goto("/clients?per_page=100")
    expect(page.locator("#results")).to_contain_text("15 clients")
    owners = page.locator("#results table.list tr td:nth-child(6)").all_inner_texts()
    assert owners and set(owners) == {LOGINS["manager"]}
    page.goto("/clients/ALFKI")
    expect(page.get_by_role("alert")).to_contain_text("Not found")


def test_a_wrong_password_shows_an_error_and_keeps_the_visitor_out(
    page: Any, new_user: Callable[[Role], str]
) -> None:
    from playwright.sync_api import expect

    page.goto("/login")
    page.get_by_label("User name").fill(new_user(Role.VIEWER))
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong user name or password")
    page.goto("/")
    assert "/login" in page.url


def test_a_head_imports_a_file_with_an_error_sees_the_bad_row_then_imports_a_good_one(
    page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    bad = tmp_path / "new-clients-bad.csv"
    bad.write_text(
        "client_id,company,country,potential\n"
        "JRNY1,Journey One,Poland,1000\n"
        "JRNY2,Journey Two,Poland,not-a-number\n",
        encoding="utf-8",
    )
    good = tmp_path / "new-clients.csv"
    good.write_text(
        "client_id,company,country,potential\n"
        "JRNY1,Journey One,Poland,1000\n"
        "JRNY2,Journey Two,Poland,2500\n",
        encoding="utf-8",
    )
    log_in(page, LOGINS["head"])
    page.get_by_role("link", name="Imports", exact=True).click()
    expect(page.get_by_role("heading", name="Imports", exact=True)).to_be_visible()

    for file in (bad, good):
        page.goto("/imports")
        page.get_by_label("What the file holds").select_option("clients")
        page.get_by_label("File", exact=True).set_input_files(str(file))
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url(re.compile(r"/imports/\w+$"))
        expect(page.locator("h1")).to_contain_text(file.name)
        page.get_by_role("button", name="Import", exact=True).click()
        report = page.locator("#report")
        if file is bad:
            expect(report).to_contain_text("1 bad row,")
            expect(report).to_contain_text("nothing was imported")
            bad_row = report.locator("table.problems tr", has_text="not-a-number")
            expect(bad_row).to_have_count(1)
            expect(bad_row).to_contain_text("potential")
        else:
            expect(report).to_contain_text("Imported (import")
    page.goto("/clients?q=journey")
    expect(page.locator("#results")).to_contain_text("2 clients")
    expect(page.locator("#results")).to_contain_text("Journey Two")


def test_a_manager_builds_a_small_plan_and_downloads_it_as_pdf(page: Any, tmp_path: Path) -> None:
    """Start this year's plan of a client, write its objective, a stakeholder and a risk, then
    download the whole plan and read it back."""
    from playwright.sync_api import expect
    from pypdf import PdfReader

    log_in(page, LOGINS["manager"])
    page.goto("/clients/DRACD")
    page.get_by_role("link", name="Account plan").click()
    page.get_by_role("button", name=re.compile(r"^Start the plan for \d{4}$")).click()
    page.wait_for_url(re.compile(r"/clients/DRACD/plans/\d{4}$"))
    # the plan's own form (the page also holds the form to log a contact with the client)
    plan = page.locator("form", has=page.locator("textarea[name=objective]"))
    plan.get_by_label("Objective").fill("Win the journey framework deal")
    plan.get_by_label("Status").select_option("active")
    plan.get_by_role("button", name="Save").click()
    expect(plan.get_by_label("Objective")).to_have_value("Win the journey framework deal")

    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_text("Add a person").click()
    page.get_by_label("Name", exact=True).fill("Journey Stakeholder")
    page.get_by_label("Title", exact=True).fill("Chief buyer")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Journey Stakeholder")

    page.get_by_role("link", name="Risks", exact=True).click()
    page.get_by_label("Risk", exact=True).fill("Journey risk: late delivery")
    page.get_by_label("Probability in percent").fill("20")
    page.get_by_label("Impact in money").fill("5000")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("main")).to_contain_text("Journey risk: late delivery")

    page.get_by_role("link", name="Plan", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    saved = tmp_path / "plan.pdf"
    download.value.save_as(saved)
    text = " ".join(p.extract_text() for p in PdfReader(saved).pages)
    text = " ".join(text.split())
    for expected in (
        "Drachenblut Delikatessen",
        "Win the journey framework deal",
        "Journey Stakeholder",
        "Journey risk: late delivery",
    ):
        assert expected in text, expected
