"""Use cases: manual class overrides, and a client's class history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import narwhals as nw

from kam.analytics.engine import engine_session
from kam.domain.class_history import ClassOverride, ClassSnapshot
from kam.domain.classes import AbcClass
from kam.domain.client import Client
from kam.i18n import gettext as _
from kam.services.book import Book, BookError, book_sales
from kam.store import class_history, records
from kam.store.database import transaction


@dataclass(frozen=True)
class ClientClassHistory:
    """A client's class in every run, and every override ever set on it.

    ``client`` is ``None`` for a client known only from its sales (or a group
    key).
    """

    client_key: str
    client: Client | None
    snapshots: tuple[ClassSnapshot, ...]
    overrides: tuple[ClassOverride, ...]


def set_override(
    book: Book,
    client_key: str,
    abc_class: str,
    reason: str,
    until: date | None = None,
    now: datetime | None = None,
) -> ClassOverride:
    """Hold a client in a class whatever the policy computes, until a day (included).

    An override set earlier on the same client is replaced.

    Raises
    ------
    BookError
        When the client is not in the book, the class is not A, B or C, the
        reason is empty or the last day has passed.
    """
    now = now or datetime.now()
    try:
        cls = AbcClass(abc_class.strip().upper())
    except ValueError:
        raise BookError(
            _("expected a class A, B or C, got {abc_class!r}").format(abc_class=abc_class)
        ) from None
    if not reason.strip():
        raise BookError(_("an override needs a reason: say why with --reason"))
    if until is not None and until < now.date():
        raise BookError(
            _("the override would end on {until}, which has passed").format(until=until.isoformat())
        )
    _require_client(book, client_key)
    override = ClassOverride(client_key, cls.value, reason.strip(), book.user, now, until)
    with transaction(book.database) as session:
        class_history.add_override(session, override)
    return override


def clear_override(book: Book, client_key: str, now: datetime | None = None) -> int:
    """Revoke a client's override; returns how many were revoked (0 when none was set)."""
    with transaction(book.database) as session:
        return class_history.revoke_overrides(session, client_key, now or datetime.now())


def show_history(book: Book, client_key: str) -> ClientClassHistory:
    """A client's class history and overrides.

    Raises
    ------
    BookError
        When the book knows nothing of the client.
    """
    with transaction(book.database) as session:
        client = records.get(session, Client, client_key)
        snapshots = class_history.history_of(session, client_key)
        overrides = class_history.overrides_of(session, client_key)
    if client is None and not snapshots and not overrides:
        _require_client(book, client_key)
    return ClientClassHistory(client_key, client, tuple(snapshots), tuple(overrides))


def _require_client(book: Book, client_key: str) -> None:
    """Raise unless the client is in the book: in its clients, its classes or its sales."""
    with transaction(book.database) as session:
        if records.get(session, Client, client_key) is not None:
            return
        if class_history.history_of(session, client_key):
            return
        has_sales = bool(book.sales.files(session))
    if has_sales:
        with engine_session("duckdb") as engine:
            found = (
                book_sales(book, engine)
                .filter(nw.col("client_id") == client_key)
                .select(nw.len().alias("n"))
                .collect(backend="pyarrow")["n"]
                .to_list()[0]
            )
        if found:
            return
    raise BookError(
        _(
            "no client {client_key!r} in the book: it is neither among its clients nor in its "
            "sales (import it with kam import clients, or check the key)"
        ).format(client_key=client_key)
    )
