"""Every page of the app, as every role, in English and Polish, in a real headless Chromium.

One ``kam serve`` for the module (:func:`tests.web.conftest.server`) and one
browser context per role and language. A page fails on any console error (a blocked
inline script, a missing favicon), any request that fails or answers 400 or more, a
table cut off at 1,440 px, and, for the client list and a client's page, a sideways
scroll at 390 px.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web import test_journeys as journeys
from tests.web.conftest import LOGINS, PASSWORD

# the journeys' browser: this module gets one of its own (and a server, by the conftest)
browser = journeys.browser
TIMEOUT_MS = journeys.TIMEOUT_MS

WIDE = {"width": 1440, "height": 900}
NARROW = {"width": 390, "height": 844}
LOCALES = {"en": "en-GB", "pl": "pl-PL"}

#: The pages every role opens, then those of the head and the admin, then the admin's.
EVERYONE = [
    "/",
    "/portfolio/bubbles",
    "/clients",
    "/plans",
    "/prospects",
    "/week",
    "/alerts",
    "/risk",
    "/risk/lose?client=DRACD",
    "/handovers",
    "/reminders",
    "/tokens",
]
BOOK_MANAGERS = [
    "/imports",
    "/settings/classification",
    "/settings/service-policies",
    "/settings/qualification",
    "/team",
    "/managers",
    "/assign",
    "/gifts",
    "/risk/backtest?from=1998-03&to=1998-04",
]
ADMINS = ["/users"]
#: The cockpit and its search, and the page to log an activity: every role but the viewer
#: (DRACD is the demo manager's client).
COCKPIT = [
    "/cockpit",
    "/cockpit?manager=nancy.davolio",
    "/cockpit/search?q=demo",
    "/clients/DRACD/activities/new?back=week&kind=visit&form=overdue-1",
]

#: Each table whose right edge lies beyond the window or beyond a box that clips it.
CUT_TABLES = """() => {
  const width = document.documentElement.clientWidth;
  const cut = [];
  for (const table of document.querySelectorAll("table")) {
    if (!table.offsetParent) continue;
    const right = table.getBoundingClientRect().right;
    let clipped = right > width + 1;
    for (let box = table.parentElement; box && !clipped; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible" && box.scrollWidth > box.clientWidth + 1)
        clipped = true;
    }
    if (clipped) cut.push((table.querySelector("th, td")?.textContent || "").trim().slice(0, 40));
  }
  return cut;
}"""
#: Each label of a checkbox whose box and text do not share a line.
TALL_CHECKBOXES = """() => [...document.querySelectorAll("label")]
  .filter(label => label.querySelector("input[type=checkbox]") && label.offsetParent)
  .filter(label => {
    const box = label.querySelector("input[type=checkbox]").getBoundingClientRect();
    const text = [...label.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (!text.length) return false;
    const range = document.createRange();
    range.selectNodeContents(text[text.length - 1]);
    const words = range.getClientRects()[0];
    return words && (words.top > box.bottom || words.bottom < box.top);
  })
  .map(label => label.textContent.trim().slice(0, 40))"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _log_in(page: Any, name: str) -> None:
    page.goto("/login")
    page.locator("input[name=username]").fill(name)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/(week)?$"))  # an account manager lands on My week
    # the portfolio loads its bubbles after the page; leaving before would abort that request
    page.wait_for_load_state("networkidle")


def _first_link(page: Any, selector: str) -> str | None:
    links = page.locator(selector)
    return links.first.get_attribute("href") if links.count() else None


class Walk:
    """A logged-in page that records what went wrong on every page it opens."""

    def __init__(self, page: Any, server: str) -> None:
        self.page = page
        self.problems: list[str] = []
        self.seen: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._problem(f"script error: {error}"))
        page.on("requestfailed", lambda r: self._problem(f"failed: {r.url} ({r.failure})"))
        page.on(
            "response",
            lambda r: None if r.status < 400 else self._problem(f"{r.status} for {r.url}"),
        )
        page.on(
            "request",
            lambda r: None if r.url.startswith(server) else self._problem(f"outside: {r.url}"),
        )

    def _problem(self, text: str) -> None:
        self.problems.append(f"{self.page.url}: {text}")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self._problem(f"console: {message.text}")

    def open(self, path: str, narrow: bool = False) -> None:
        """Open ``path`` at 1,440 px (then at 390 px when ``narrow``) and check its layout."""
        page = self.page
        page.set_viewport_size(WIDE)
        page.goto(path, wait_until="networkidle")
        self.seen.append(path)
        skip = page.locator("a.skip[href='#main']").count() + page.locator("main#main").count()
        if skip != 2:
            self._problem("no link to skip to the main content")
        for label in page.evaluate(TALL_CHECKBOXES):
            self._problem(f"a checkbox on a line of its own above its label: {label!r}")
        for table in page.evaluate(CUT_TABLES):
            self._problem(f"a table cut off at 1440 px: {table!r}")
        if (extra := page.evaluate(SIDEWAYS)) > 0:
            self._problem(f"scrolls sideways by {extra} px at 1440 px")
        if narrow:
            page.set_viewport_size(NARROW)
            page.wait_for_timeout(50)
            if (extra := page.evaluate(SIDEWAYS)) > 0:
                self._problem(f"scrolls sideways by {extra} px at 390 px")


@pytest.fixture
def context(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh context in the language of the test's ``language`` parameter."""
    language = request.node.callspec.params["language"]
    opened = browser.new_context(base_url=server, viewport=WIDE, locale=LOCALES[language])
    opened.set_default_timeout(TIMEOUT_MS)
    yield opened
    opened.close()


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("role", ["viewer", "manager", "head", "admin"])
def test_every_page_opens_without_an_error_and_fits_the_window(
    context: Any,
    server: str,
    role: str,
    language: str,
) -> None:
    walk = Walk(context.new_page(), server)
    page = walk.page
    _log_in(page, LOGINS[role])
    assert page.locator("html").get_attribute("lang") == language

    paths = list(EVERYONE)
    if role in ("head", "admin"):
        paths += BOOK_MANAGERS
    if role == "admin":
        paths += ADMINS
    if role != "viewer":
        paths += COCKPIT
    for path in paths:
        walk.open(path, narrow=path == "/clients")

    # on a laptop the header fits the window, its links wrapping within it (the Polish
    # head's and admin's are wider than 1,440 px on one line), and stays one row beside
    # the language and the log-out
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/", wait_until="networkidle")
        if (extra := page.evaluate(SIDEWAYS)) > 0:
            walk.problems.append(f"scrolls sideways by {extra} px at {width} px")
        forms = page.locator("header.top form").evaluate_all(
            "forms => forms.map(f => Math.round(f.getBoundingClientRect().top))"
        )
        if max(forms) - min(forms) > 12:
            walk.problems.append(f"the language and the log-out on two lines at {width} px")

    walk.open("/clients")
    client = _first_link(page, "#results table.list td a")
    assert client, f"{role} sees no client"
    walk.open(client, narrow=True)

    walk.open("/plans")
    plan = _first_link(page, "main table a[href*='/plans/']")
    if plan is None:
        assert role not in ("head", "admin"), f"{role} sees no plan"
    else:
        walk.open(plan)
        tabs = page.locator("nav.tabs a").evaluate_all("links => links.map(a => a.pathname)")
        assert len(tabs) >= 8, tabs
        for tab in tabs:
            if tab != plan:
                walk.open(tab)

    walk.open("/prospects")
    prospect = _first_link(page, "main table a[href^='/prospects/']")
    if prospect:
        walk.open(prospect)

    if role in ("head", "admin"):
        walk.open("/imports")
        finished = _first_link(page, "main table a[href^='/imports/log/']")
        if finished is None:
            walk.problems.append("no import of the log links to its report")
        else:
            walk.open(finished)

    assert len(walk.seen) >= 10, walk.seen
    assert not walk.problems, "\n".join(walk.problems)


def test_the_language_selector_changes_the_language_under_the_strict_csp(
    browser: Any,
    server: str,
) -> None:
    context = browser.new_context(base_url=server, viewport=WIDE, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    walk = Walk(context.new_page(), server)
    page = walk.page
    try:
        _log_in(page, LOGINS["manager"])
        assert page.locator("html").get_attribute("lang") == "en"
        with page.expect_navigation():
            page.get_by_label("Language").select_option("pl")
        assert page.locator("html").get_attribute("lang") == "pl"
        assert page.get_by_role("link", name="Klienci", exact=True).is_visible()
        with page.expect_navigation():
            page.get_by_label("Język").select_option("")
        assert page.locator("html").get_attribute("lang") == "en"
        assert not walk.problems, "\n".join(walk.problems)
    finally:
        context.close()
