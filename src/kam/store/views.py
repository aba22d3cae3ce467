"""Read models for the pages: the client list with each client's latest class."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from kam.store.schema import ClassificationRow, ClientRow, SnapshotRow

SORTS = {
    "key": ClientRow.key,
    "name": ClientRow.name,
    "value": SnapshotRow.value,
    "rank": SnapshotRow.rank,
    "class": SnapshotRow.abc_class,
    "owner": ClientRow.owner,
    "country": ClientRow.country,
}


@dataclass(frozen=True)
class ClientFilter:
    """What the client list shows: search text, filters, sorting and the page."""

    search: str = ""
    abc_class: str | None = None
    owner: str | None = None
    group: str | None = None
    industry: str | None = None
    country: str | None = None
    sort: str = "rank"
    descending: bool = False
    page: int = 1
    per_page: int = 50
    #: ``before-after``: only the clients whose class went from ``before`` in the previous
    #: run to ``after`` in the latest (``none``: without a class); read by the service.
    moved: str | None = None


def latest_run_id(session: Session) -> int | None:
    """The id of the run taken last, if any."""
    return session.scalar(
        select(ClassificationRow.id).order_by(ClassificationRow.id.desc()).limit(1)
    )


def _filtered(query: Select[Any], keys: Collection[str] | None, f: ClientFilter) -> Select[Any]:
    if keys is not None:
        query = query.where(ClientRow.key.in_(list(keys)) if keys else ClientRow.id.is_(None))
    if f.search:
        # the search is plain text: LIKE's wildcards (and its escape) in it match themselves
        escaped = f.search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        query = query.where(
            or_(
                func.lower(ClientRow.key).like(like, escape="\\"),
                func.lower(ClientRow.name).like(like, escape="\\"),
            )
        )
    if f.abc_class == "none":
        query = query.where(SnapshotRow.abc_class.is_(None))
    elif f.abc_class:
        query = query.where(SnapshotRow.abc_class == f.abc_class)
    for column, value in (
        (ClientRow.owner, f.owner),
        (ClientRow.parent_key, f.group),
        (ClientRow.industry, f.industry),
        (ClientRow.country, f.country),
    ):
        if value:
            query = query.where(column == value)
    return query


def client_rows(
    session: Session, keys: Collection[str] | None, f: ClientFilter
) -> tuple[int, list[dict[str, Any]]]:
    """The total count and one page of clients with their latest class, within ``keys``."""
    run = latest_run_id(session)
    join = (SnapshotRow.client_key == ClientRow.key) & (SnapshotRow.classification_id == run)
    base = select(ClientRow).outerjoin(SnapshotRow, join)
    total = (
        session.scalar(
            _filtered(
                select(func.count()).select_from(ClientRow).outerjoin(SnapshotRow, join), keys, f
            )
        )
        or 0
    )
    column = SORTS.get(f.sort, SnapshotRow.rank)
    order = column.desc() if f.descending else column.asc()
    query = _filtered(
        base.add_columns(
            SnapshotRow.abc_class, SnapshotRow.value, SnapshotRow.rank, SnapshotRow.share
        ),
        keys,
        f,
    )
    query = (
        query.order_by(order.nulls_last(), ClientRow.key)
        .limit(f.per_page)
        .offset((max(f.page, 1) - 1) * f.per_page)
    )
    rows = [
        {
            "key": c.key,
            "name": c.name,
            "group": c.parent_key,
            "industry": c.industry,
            "country": c.country,
            "owner": c.owner,
            "class": cls,
            "value": value,
            "rank": rank,
            "share": share,
        }
        for c, cls, value, rank, share in session.execute(query)
    ]
    return total, rows


def distinct_values(session: Session, column: str, keys: Collection[str] | None) -> list[str]:
    """The values a filter can take (owners, countries...) among visible clients."""
    attribute = {
        "owner": ClientRow.owner,
        "country": ClientRow.country,
        "industry": ClientRow.industry,
        "group": ClientRow.parent_key,
    }[column]
    query = select(attribute).where(attribute.is_not(None)).distinct().order_by(attribute)
    if keys is not None:
        query = query.where(ClientRow.key.in_(list(keys)))
    return [v for v in session.scalars(query.limit(500)) if v is not None]
