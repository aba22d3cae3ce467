"""Filling the caches of the busiest pages before their first request.

The client list (:mod:`kam.store.client_index`), the products and the per-client
sales figures (:mod:`kam.services.client_sales`) and the portfolio of every client
(:mod:`kam.services.overview`) are each computed on first use after the book
changed: up to a few seconds at 100,000 clients; and each account manager's and
viewer's clients, list and portfolio a fraction of a second more. Then the whole
book's week and the team page of today (:mod:`kam.services.schedule`), seconds at
100,000 clients and 1,000,000 activities. Last, the money at
risk of the cockpit and of the accounts at risk (:mod:`kam.services.risk_cache`), in
each language: its model is fitted on the book's history, seconds on a small book and
minutes on a large one. ``kam serve`` fills them while it starts to listen, so that the
first users do not wait.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from datetime import UTC, datetime

from kam.domain.user import Role, User
from kam.i18n import LANGUAGES, use_language
from kam.i18n.languages import language
from kam.services import users
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book, BookError
from kam.services.clients import ClientFilter, fill_client_caches, list_clients
from kam.services.overview import book_overview
from kam.services.risk_cache import book_money_at_risk
from kam.services.schedule import team_of, week_of

#: Who the caches are filled for: every client (what the head of key accounts sees).
_EVERYTHING = ClientScope(User("kam", Role.HEAD, "kam serve"), None)
_log = logging.getLogger(__name__)


#: The most account managers and viewers whose pages are prepared as ``kam serve`` starts.
USERS_PREPARED = 200


def fill_page_caches(book: Book) -> None:
    """Compute the client list, the client figures and the whole book's portfolio, then the
    clients, list and portfolio of each account manager and viewer, the week and the team
    of today (in UTC), then the money at risk in each language (none for a book without
    the history its model needs)."""
    list_clients(book, _EVERYTHING, ClientFilter())
    fill_client_caches(book)
    book_overview(book, _EVERYTHING)
    scoped = [u for u in users.list_users(book) if u.role in (Role.MANAGER, Role.VIEWER)]
    for user in scoped[:USERS_PREPARED]:
        scope = scope_for(book, user)
        list_clients(book, scope, ClientFilter())
        book_overview(book, scope)
    today = datetime.now(UTC).date()
    week_of(book, _EVERYTHING, today)
    team_of(book, _EVERYTHING, today)
    for code in LANGUAGES:
        with use_language(language(code)), contextlib.suppress(BookError):
            book_money_at_risk(book, today, _EVERYTHING)


def fill_page_caches_in_background(book: Book) -> threading.Thread:
    """:func:`fill_page_caches` in a daemon thread; a failure is logged, never raised."""

    def fill() -> None:
        try:
            fill_page_caches(book)
        except Exception:  # a cache that cannot be filled now is computed on first use
            _log.exception("filling the page caches failed")
        # what the caches hold now lives as long as the process: the garbage collector
        # need not walk its millions of objects again at every full collection (which
        # paused a worker for a second or two on a book of 100,000 clients)
        gc.freeze()

    thread = threading.Thread(target=fill, name="kam-page-caches", daemon=True)
    thread.start()
    return thread
