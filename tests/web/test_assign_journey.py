"""Who serves whom in a real headless Chromium, against ``kam serve`` on a copy of the demo
book: the head proposes, applies two moves, and the new owner of the first sees the
account and ticks off an item of its hand-over's checklist. The browser is that of the
other journeys (:mod:`tests.web.test_journeys`); the server serves a copy of the demo book
of this module's own (:func:`tests.web.conftest.server`)."""

from __future__ import annotations

import re
from typing import Any

from tests.web import test_journeys as journeys
from tests.web.conftest import LOGINS

browser = journeys.browser
page = journeys.page


def test_the_head_applies_two_moves_and_the_new_owner_ticks_its_hand_over_off(
    page: Any, browser: Any, server: str
) -> None:
    from playwright.sync_api import expect

    journeys.log_in(page, LOGINS["head"])
    page.goto("/assign")
    expect(page.get_by_role("heading", name="Who serves whom")).to_be_visible()
    rows = page.locator("form[action='/assign/apply'] tr").filter(has=page.locator("input"))
    first, second = rows.nth(0), rows.nth(1)
    key = first.locator("input[name=move]").get_attribute("value")
    new_owner = first.locator("td").nth(4).inner_text()
    first.locator("input[name=move]").check()
    second.locator("input[name=move]").check()
    page.get_by_role("button", name="Apply the moves ticked").click()
    page.wait_for_url(re.compile(r"/handovers$"))
    expect(page.locator("section.hand-over")).to_have_count(2)

    owner = browser.new_context(base_url=server).new_page()
    journeys.log_in(owner, new_owner)
    owner.goto(f"/clients/{key}")
    expect(owner.get_by_role("heading").first).to_be_visible()
    owner.goto("/handovers")
    section = owner.locator("section.hand-over").filter(has_text=key)
    item = section.locator("li").filter(has_text="introduce the new manager to the decision maker")
    item.get_by_role("button").click()
    owner.wait_for_url(re.compile(r"/handovers$"))
    expect(
        owner.locator("section.hand-over")
        .filter(has_text=key)
        .locator("li")
        .filter(has_text="introduce the new manager to the decision maker")
        .get_by_role("button")
    ).to_have_attribute("aria-pressed", "true")
