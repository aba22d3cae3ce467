"""Acting as a user: the book as seen by one web user, so logs and overrides name that user."""

from __future__ import annotations

import dataclasses

from kam.services.book import Book


def book_as(book: Book, user_name: str) -> Book:
    """The same open book, with ``user`` (who is acting, for logs) set to ``user_name``.

    The database connections and the data directory are shared; only the
    settings mapping differs.
    """
    return dataclasses.replace(book, settings={**book.settings, "user": user_name})
