"""Each client's figures by month, kept by the book, and the check that they are true.

Every import writes, with its lines, what it adds to each client's figures of each month
(value, margin, lines, last date) and the products each client bought, and
publishes them in the same transaction (see :mod:`kam.store.sales`). The book's figures
are the sums over its imports: clients x months, a fraction of the lines.

:func:`check_figures` (``kam check``) recomputes them from the lines and reports every
difference; :func:`write_missing_figures` writes those of imports made before the book
kept them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import narwhals as nw

from kam.analytics.engine import Engine, engine_session
from kam.domain.period import Period
from kam.services.book import Book
from kam.store.database import transaction
from kam.store.sales import import_lock

#: Each client's figures by month, from the figures' files (``{files}``: their list).
_KEPT = (
    "SELECT client_id, month, CAST(sum(value) AS BIGINT) AS value, "
    "CAST(sum(margin) AS BIGINT) AS margin, CAST(sum(lines) AS BIGINT) AS lines, "
    "max(last_date) AS last_date FROM read_parquet({files}, hive_partitioning = true) "
    "GROUP BY client_id, month"
)
#: The same figures from the lines.
_FROM_LINES = (
    "SELECT client_id, strftime(date, '%Y-%m') AS month, CAST(sum(amount) AS BIGINT) AS value, "
    "CAST(sum(margin) AS BIGINT) AS margin, count(*) AS lines, max(date) AS last_date "
    "FROM read_parquet({files}, hive_partitioning = false) GROUP BY ALL"
)
_PRODUCTS_KEPT = "SELECT DISTINCT client_id, product_id FROM read_parquet({files})"
_PRODUCTS_FROM_LINES = (
    "SELECT DISTINCT client_id, product_id "
    "FROM read_parquet({files}, hive_partitioning = false) WHERE product_id IS NOT NULL"
)
_EMPTY = (
    "SELECT NULL::VARCHAR AS client_id, NULL::VARCHAR AS month, NULL::BIGINT AS value, "
    "NULL::BIGINT AS margin, NULL::BIGINT AS lines, NULL::DATE AS last_date WHERE false"
)
_NO_PRODUCTS = "SELECT NULL::VARCHAR AS client_id, NULL::VARCHAR AS product_id WHERE false"


@dataclass(frozen=True)
class Figures:
    """One client's figures of one month: value and margin in cents."""

    value: int
    margin: int | None
    lines: int
    last_date: date | None


@dataclass(frozen=True)
class FigureDifference:
    """A client and month whose kept figures are not what its lines say (``None``: absent)."""

    client_id: str | None
    month: str
    kept: Figures | None
    recomputed: Figures | None


@dataclass(frozen=True)
class FiguresCheck:
    """What ``kam check`` found: clients x months compared, and what differs."""

    compared: int
    differences: tuple[FigureDifference, ...]
    product_differences: int
    imports_without_figures: tuple[int, ...]

    @property
    def clean(self) -> bool:
        """Whether the kept figures are exactly those of the lines."""
        return not (self.differences or self.product_differences or self.imports_without_figures)


def _listing(files: list[Path]) -> str:
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


def client_month_figures(engine: Engine, figure_files: list[Path]) -> Any:
    """Each client's figures by month (columns client_id, month ``YYYY-MM``, value, margin,
    lines, last_date), summed over the figures' files given, as a DuckDB relation."""
    if not figure_files:
        return engine.duckdb.sql(_EMPTY)
    return engine.duckdb.sql(_KEPT.format(files=_listing(figure_files)))


def _whole_months(period: Period | None) -> bool:
    """Whether a period is made of whole calendar months (either end may be open)."""
    if period is None:
        return True
    starts = period.start is None or period.start.day == 1
    ends = period.end is None or (period.end + timedelta(days=1)).day == 1
    return starts and ends


def month_figures_as_sales(
    book: Book, engine: Engine, period: Period | None
) -> nw.LazyFrame[Any] | None:
    """The book's clients' figures by month as rows of sales, when they can stand for the
    lines: on DuckDB, with the figures of every import, for a period of whole months
    (``None``: the book's default period, which is). ``None`` otherwise.

    Each row is what one import added to a client's month: ``client_id``, ``date`` (the
    month's first day), ``amount`` and ``margin`` (cents), ``lines`` (how many lines it
    stands for) and ``last_date``; a client's month may have a row per import, which sums
    as its lines would. Only the files of the period's months are read.
    """
    if engine.spark is not None or not _whole_months(period):
        return None
    with transaction(book.database) as session:
        if book.sales.imports_without_figures(session):
            return None
        if period is not None and period.start is not None and period.end is not None:
            files = book.sales.files_of_months(session, _months(period), "figures")
        else:
            files = book.sales.files(session, "figures")
    if not files:
        return None
    relation = engine.duckdb.read_parquet([str(f) for f in files], hive_partitioning=True).project(
        "client_id, CAST(month || '-01' AS DATE) AS date, value AS amount, margin, lines, last_date"
    )
    return engine.frame_from_duckdb(relation)


def _months(period: Period) -> list[str]:
    """The months (``YYYY-MM``) a period with both ends touches."""
    assert period.start is not None and period.end is not None
    first = period.start.year * 12 + period.start.month - 1
    last = period.end.year * 12 + period.end.month - 1
    return [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1)]


def check_figures(book: Book, shown: int = 20) -> FiguresCheck:
    """Recompute every client's figures by month and products from the book's lines and
    compare them with the kept ones; the first ``shown`` differences are kept."""
    with transaction(book.database) as session:
        lines = book.sales.files(session)
        figures = book.sales.files(session, "figures")
        products = book.sales.files(session, "products")
        missing = tuple(book.sales.imports_without_figures(session))
    with engine_session("duckdb") as engine:
        con = engine.duckdb
        kept = client_month_figures(engine, figures)
        recomputed = con.sql(_FROM_LINES.format(files=_listing(lines)) if lines else _EMPTY)
        kept.create_view("kam_kept_figures")
        recomputed.create_view("kam_line_figures")
        compared = con.execute(
            "SELECT count(*) FROM (SELECT client_id, month FROM kam_kept_figures "
            "UNION SELECT client_id, month FROM kam_line_figures)"
        ).fetchall()[0][0]
        rows = con.execute(
            "SELECT coalesce(k.client_id, l.client_id), coalesce(k.month, l.month), "
            "k.month IS NOT NULL, k.value, k.margin, k.lines, k.last_date, "
            "l.month IS NOT NULL, l.value, l.margin, l.lines, l.last_date "
            "FROM kam_kept_figures k FULL OUTER JOIN kam_line_figures l "
            "ON k.client_id IS NOT DISTINCT FROM l.client_id AND k.month = l.month "
            "WHERE (k.value, k.margin, k.lines, k.last_date) IS DISTINCT FROM "
            "(l.value, l.margin, l.lines, l.last_date) "
            f"ORDER BY 2, 1 NULLS FIRST LIMIT {int(shown)}"
        ).fetchall()
        kept_products = con.sql(
            _PRODUCTS_KEPT.format(files=_listing(products)) if products else _NO_PRODUCTS
        )
        line_products = con.sql(
            _PRODUCTS_FROM_LINES.format(files=_listing(lines)) if lines else _NO_PRODUCTS
        )
        kept_products.create_view("kam_kept_products")
        line_products.create_view("kam_line_products")
        product_differences = con.execute(
            "SELECT count(*) FROM ((SELECT * FROM kam_kept_products EXCEPT "
            "SELECT * FROM kam_line_products) UNION ALL (SELECT * FROM kam_line_products "
            "EXCEPT SELECT * FROM kam_kept_products))"
        ).fetchall()[0][0]
    differences = tuple(
        FigureDifference(
            row[0],
            row[1],
            Figures(row[3], row[4], row[5], row[6]) if row[2] else None,
            Figures(row[8], row[9], row[10], row[11]) if row[7] else None,
        )
        for row in rows
    )
    return FiguresCheck(int(compared), differences, int(product_differences), missing)


def write_missing_figures(book: Book) -> int:
    """Write the figures and products of the imports made before the book kept them, each
    published with its import's files; returns how many imports got them."""
    with import_lock(book.data_dir):
        return write_missing_figures_locked(book)


def write_missing_figures_locked(book: Book) -> int:
    """:func:`write_missing_figures` for a caller that holds the import lock."""
    with transaction(book.database) as session:
        missing = book.sales.imports_without_figures(session)
        files = {i: book.sales.files_of_import(session, i) for i in missing}
    with engine_session("duckdb") as engine:
        for import_id, paths in files.items():
            relation = engine.duckdb.read_parquet([str(p) for p in paths])
            staged = book.sales.stage_figures(relation, uuid.uuid4().hex[:12])
            try:
                with transaction(book.database) as session:
                    book.sales.publish(session, import_id, staged)
            except BaseException:
                book.sales.discard(staged)
                raise
    return len(files)
