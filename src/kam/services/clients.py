"""The client list and a client's page: figures over time, class history, people, products."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from kam.analytics.xyz import month_label
from kam.domain.class_history import ClassOverride, ClassSnapshot
from kam.domain.client import Client
from kam.domain.product import Product
from kam.domain.stakeholder import Person
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.client_sales import client_sales_files, monthly_values, products_bought
from kam.services.overview import moved_clients
from kam.store import class_history as history
from kam.store import records
from kam.store.cache import BookCache
from kam.store.client_index import book_version, client_index
from kam.store.database import transaction
from kam.store.views import ClientFilter

__all__ = ["ClientDetail", "ClientFilter", "ClientPage", "client_detail", "list_clients"]


@dataclass(frozen=True)
class ClientPage:
    """One page of the client list, with the total and the filter choices."""

    total: int
    page: int
    per_page: int
    clients: list[dict[str, Any]]
    owners: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)


def list_clients(book: Book, scope: ClientScope, query: ClientFilter) -> ClientPage:
    """The clients the user may see, searched, filtered, sorted and paged."""
    keys = scope.keys
    if query.moved:
        before, _, after = query.moved.partition("-")
        keys = moved_clients(book, scope, before, after)
    with transaction(book.database) as session:
        # held in memory per version of the book: see kam.store.client_index
        index = client_index(session, str(book.database.url))
    total, rows = index.rows(keys, query)
    last = max(1, -(-total // query.per_page))
    if query.page > last:  # a page beyond the last shows the last, and says so
        query = replace(query, page=last)
        total, rows = index.rows(keys, query)
    for row in rows:
        row["value"] = None if row["value"] is None else row["value"] / 100
    return ClientPage(
        total=total,
        page=query.page,
        per_page=query.per_page,
        clients=rows,
        owners=index.choices("owner", keys),
        countries=index.choices("country", keys),
        industries=index.choices("industry", keys),
    )


@dataclass(frozen=True)
class MonthValue:
    """Net value of one month."""

    month: str
    value: float


@dataclass(frozen=True)
class ClientDetail:
    """What a client's page shows."""

    client: Client
    group: Client | None
    members: list[str]
    people: list[Person]
    history: list[ClassSnapshot]
    overrides: list[ClassOverride]
    months: list[MonthValue]
    trend: float | None
    share_of_wallet: float | None
    bought: list[Product]
    not_bought: list[Product]


def _months(book: Book, client_key: str) -> tuple[list[MonthValue], set[str]]:
    files = client_sales_files(book)
    if files is None:
        return [], set()
    by_month = monthly_values(files, client_key)
    # Every month from the first sale to the last, months without sales as 0.
    span = range(min(by_month), max(by_month) + 1) if by_month else range(0)
    months = [MonthValue(month_label(m), by_month.get(m, 0) / 100) for m in span]
    return months, products_bought(files, client_key)


#: The products of each database at one version of the book (they change only on import).
_PRODUCTS: BookCache[list[Product]] = BookCache(kept=8)


def _products(session: Session, database: str) -> list[Product]:
    return _PRODUCTS.get(
        database, book_version(session), lambda: records.list_all(session, Product)
    )


def fill_client_caches(book: Book) -> None:
    """Read what every client page needs: the products, the per-client sales figures."""
    with transaction(book.database) as session:
        _products(session, str(book.database.url))
    files = client_sales_files(book)
    if files is not None:
        monthly_values(files, "")
        products_bought(files, "")


def _trend(months: list[MonthValue]) -> float | None:
    """Last 12 months against the 12 before, as a change ratio."""
    if len(months) < 2:
        return None
    values = [m.value for m in months]
    recent, before = sum(values[-12:]), sum(values[-24:-12])
    return None if before <= 0 else (recent - before) / before


def client_detail(book: Book, scope: ClientScope, client_key: str) -> ClientDetail:
    """A client's page. Raises LookupError when the client is unknown or out of scope."""
    scope.require(client_key)
    with transaction(book.database) as session:
        client = records.get(session, Client, client_key)
        if client is None:
            raise LookupError(client_key)
        group = records.get(session, Client, client.parent_key) if client.parent_key else None
        members = [k for k in records.members_of(session, client_key) if scope.allows(k)]
        people = records.people_of(session, client_key)
        snapshots = history.history_of(session, client_key)
        overrides = history.overrides_of(session, client_key)
        products = _products(session, str(book.database.url))
    months, bought_keys = _months(book, client_key)
    revenue_12 = sum(m.value for m in months[-12:]) * 100
    wallet = (revenue_12 / client.potential) if client.potential else None
    return ClientDetail(
        client=client,
        group=group if group is None or scope.allows(group.key) else None,
        members=members,
        people=people,
        history=[replace(s, reason=s.explained(), stored=None) for s in snapshots],
        overrides=overrides,
        months=months,
        trend=_trend(months),
        share_of_wallet=wallet,
        bought=[p for p in products if p.key in bought_keys],
        not_bought=[p for p in products if p.key not in bought_keys],
    )
