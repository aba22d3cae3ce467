"""What ``kam serve`` computes as it starts, so that the first visitors do not wait."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

import pytest

from kam.domain.user import Role, User
from kam.i18n import use_language
from kam.i18n.languages import language
from kam.services import page_caches, risk_cache, schedule
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.page_caches import fill_page_caches

HEAD = ClientScope(User("someone", Role.HEAD), None)


def test_the_money_at_risk_is_fitted_as_the_server_starts_in_each_language(
    demo_copy: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the caches are filled, the cockpit's and /risk's report, in English and in
    Polish, is read from the cache: the model is not fitted again; nor are My week and
    the team page of today read again."""
    fill_page_caches(demo_copy)

    def fitted_again(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the model was fitted on a visit")

    monkeypatch.setattr(risk_cache, "compute_risk_figures", fitted_again)
    monkeypatch.setattr(schedule, "_read", fitted_again)
    today = datetime.now(UTC).date()
    for code in ("en", "pl"):
        with use_language(language(code)):
            assert risk_cache.book_money_at_risk(demo_copy, today, HEAD).clients
    # My week and the team page of today, read from the whole book's, computed already
    assert schedule.week_of(demo_copy, HEAD, today).overdue
    assert schedule.team_of(demo_copy, HEAD, today).by_class


def test_what_the_caches_hold_once_filled_is_left_out_of_the_garbage_collections(
    demo: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_caches, "fill_page_caches", lambda _book: None)
    gc.unfreeze()
    try:
        page_caches.fill_page_caches_in_background(demo).join(timeout=60)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
