"""Use case: XYZ classes of the clients of a sales file, by the variability of monthly value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import narwhals as nw

from kam.analytics.figures import filter_period
from kam.analytics.xyz import (
    classify_variability,
    compute_variability,
    month_label,
    month_number_of,
)
from kam.domain.period import Period
from kam.domain.variability import XYZ_CLASSES, XyzThresholds, classify_xyz
from kam.i18n import gettext as _
from kam.services.client_table import ClientTable
from kam.services.sales_request import SalesFileRequest
from kam.services.wording import without_client

#: The columns of an XYZ classification, in order.
XYZ_COLUMNS = (
    "client_id",
    "class",
    "cv",
    "mean",
    "sd",
    "value",
    "months",
    "active_months",
    "reason",
)


@dataclass(frozen=True)
class XyzRequest(SalesFileRequest):
    """What to classify and how."""

    thresholds: XyzThresholds = field(default_factory=XyzThresholds)


@dataclass(frozen=True)
class XyzClassTotal:
    """Clients and net value (cents) of one XYZ class."""

    xyz_class: str
    clients: int
    value: int


@dataclass(frozen=True)
class XyzSummary:
    """The shape of a book by variability."""

    first_month: str
    last_month: str
    months: int
    thresholds: XyzThresholds
    clients: int
    total: int
    classes: tuple[XyzClassTotal, ...]
    lines_without_client: int


@dataclass(frozen=True)
class XyzClassification(ClientTable[XyzSummary]):
    """Clients with class and reason (a pyarrow table), and the summary."""


def classify_xyz_file(request: XyzRequest) -> XyzClassification:
    """Classify every client of a sales file X, Y or Z for the request's period.

    The months run from the month of the period's start to the month of its
    end; an open end takes the first (last) month with a dated line.
    """
    with request.session() as engine:
        source = request.load(engine, need_date=True)
        lines = filter_period(source.frame, request.period.start, request.period.end)
        lines = lines.filter(~nw.col("date").is_null())
        first, last, without = _bounds(lines, request.period)
        if first is None or last is None:
            from kam.analytics.sources import SourceError

            raise SourceError(
                source.path,
                _("no dated sales lines in {where}").format(where=_period_text(request)),
            )
        clients = lines.filter(~nw.col("client_id").is_null())
        variability = compute_variability(clients, first_month=first, last_month=last)
        classified = classify_variability(variability, request.thresholds)
        table = classified.collect(backend="pyarrow").to_native()
        result = _with_reasons(table, request.thresholds)
        summary = _summary(result, first, last, request.thresholds, without)
        notes: tuple[str, ...] = ()
        if without:
            notes = (without_client(without),)
        return XyzClassification(table=result, summary=summary, notes=notes)


def _period_text(request: XyzRequest) -> str:
    if request.period == Period(None, None):
        return _("the file")
    return _("period {period}").format(period=request.period)


def _bounds(lines: nw.LazyFrame[Any], period: Period) -> tuple[int | None, int | None, int]:
    """First and last month number of the period, and the lines without a client."""
    found = (
        lines.select(
            nw.col("date").min().alias("first"),
            nw.col("date").max().alias("last"),
            nw.col("client_id").is_null().cast(nw.Int64()).sum().alias("without"),
        )
        .collect(backend="pyarrow")
        .to_native()
        .to_pylist()[0]
    )
    start = period.start or found["first"]
    end = period.end or found["last"]
    return (
        month_number_of(start) if start is not None else None,
        month_number_of(end) if end is not None else None,
        int(found["without"] or 0),
    )


def _with_reasons(table: Any, thresholds: XyzThresholds) -> Any:
    """The output table: money in currency units a month, a reason per client."""
    import pyarrow as pa
    import pyarrow.compute as pc

    reasons = [
        classify_xyz(cv, mean, months=months, thresholds=thresholds)[1]
        for cv, mean, months in zip(
            table["cv"].to_pylist(),
            table["mean"].to_pylist(),
            table["months"].to_pylist(),
            strict=True,
        )
    ]
    return pa.table(
        {
            "client_id": table["client_id"],
            "class": table["class"],
            "cv": table["cv"],
            "mean": pc.divide(table["mean"], 100.0),
            "sd": pc.divide(table["sd"], 100.0),
            "value": pc.divide(pc.cast(table["total"], pa.float64()), 100.0),
            "months": table["months"],
            "active_months": table["active_months"],
            "reason": pa.array(reasons, pa.string()),
            "value_cents": table["total"],
        }
    )


def _summary(
    table: Any, first: int, last: int, thresholds: XyzThresholds, without: int
) -> XyzSummary:
    cents = table["value_cents"].to_pylist()
    classes = table["class"].to_pylist()
    per_class = tuple(
        XyzClassTotal(
            name,
            sum(1 for c in classes if c == name),
            sum(v for v, c in zip(cents, classes, strict=True) if c == name),
        )
        for name in XYZ_CLASSES
    )
    return XyzSummary(
        first_month=month_label(first),
        last_month=month_label(last),
        months=last - first + 1,
        thresholds=thresholds,
        clients=len(cents),
        total=sum(cents),
        classes=per_class,
        lines_without_client=without,
    )
