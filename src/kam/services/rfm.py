"""Use case: RFM scores (recency, frequency, monetary value) of the clients of a sales file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import narwhals as nw

from kam.analytics.figures import filter_period
from kam.analytics.rfm import compute_rfm_figures, score_rfm
from kam.analytics.sources import SourceError
from kam.domain.period import Period
from kam.domain.rfm import RFM_LEVELS, RfmScores, explain_rfm
from kam.i18n import gettext as _
from kam.services.client_table import ClientTable
from kam.services.sales_request import SalesFileRequest
from kam.services.wording import period_text, without_client

#: The columns of an RFM scoring, in order.
RFM_COLUMNS = (
    "client_id",
    "rfm",
    "recency_score",
    "frequency_score",
    "monetary_score",
    "recency_days",
    "last_date",
    "frequency",
    "monetary",
    "reason",
)

#: The columns of an RFM scoring that are numbers.
RFM_NUMBERS = (
    "recency_score",
    "frequency_score",
    "monetary_score",
    "recency_days",
    "frequency",
    "monetary",
)


@dataclass(frozen=True)
class RfmRequest(SalesFileRequest):
    """What to score and how; ``as_of`` of ``None`` takes the period's end or the last date."""

    as_of: date | None = None


@dataclass(frozen=True)
class RfmSummary:
    """How the clients spread over the scores."""

    as_of: date
    period: str
    clients: int
    counted: str
    #: Clients per score 1..5 for recency, frequency and monetary value.
    recency: tuple[int, ...]
    frequency: tuple[int, ...]
    monetary: tuple[int, ...]
    lines_without_client: int


@dataclass(frozen=True)
class RfmScoring(ClientTable[RfmSummary]):
    """Clients with scores and reason (a pyarrow table), and the summary."""


def score_rfm_file(request: RfmRequest) -> RfmScoring:
    """Score every client of a sales file on recency, frequency and monetary value.

    Frequency counts distinct orders when the file has an order column, else
    distinct purchase days. Lines after the as-of date are left out.
    """
    period = request.period
    as_of = request.as_of or period.end
    if as_of is not None and period.start is not None and as_of < period.start:
        raise ValueError(
            _("--as-of {as_of} is before the period starts ({start})").format(
                as_of=as_of, start=period.start
            )
        )
    end = (
        min(as_of, period.end)
        if as_of is not None and period.end is not None
        else (as_of or period.end)
    )
    with request.session() as engine:
        source = request.load(engine, need_date=True)
        lines = filter_period(source.frame, period.start, end)
        lines = lines.filter(~nw.col("date").is_null())
        found = (
            lines.select(
                nw.col("date").max().alias("last"),
                nw.col("client_id").is_null().cast(nw.Int64()).sum().alias("without"),
            )
            .collect(backend="pyarrow")
            .to_native()
            .to_pylist()[0]
        )
        as_of = as_of or found["last"]
        if as_of is None:
            where = (
                _("the file")
                if period == Period(None, None)
                else _("period {period}").format(period=period)
            )
            raise SourceError(source.path, _("no dated sales lines in {where}").format(where=where))
        without = int(found["without"] or 0)
        clients = lines.filter(~nw.col("client_id").is_null())
        figures = compute_rfm_figures(clients, as_of=as_of, by_order=source.has_order)
        table = score_rfm(figures).collect(backend="pyarrow").to_native()
    counted = "orders" if source.has_order else "purchase days"
    result = _with_reasons(table, counted)
    summary = RfmSummary(
        as_of=as_of,
        period=period_text(period),
        clients=result.num_rows,
        counted=counted,
        recency=_spread(result["recency_score"].to_pylist()),
        frequency=_spread(result["frequency_score"].to_pylist()),
        monetary=_spread(result["monetary_score"].to_pylist()),
        lines_without_client=without,
    )
    notes: tuple[str, ...] = ()
    if without:
        notes = (without_client(without),)
    return RfmScoring(table=result, summary=summary, notes=notes)


def _spread(scores: list[int]) -> tuple[int, ...]:
    return tuple(scores.count(s) for s in range(1, RFM_LEVELS + 1))


def _with_reasons(table: Any, counted: str) -> Any:
    """The output table: money in currency units, a reason per client."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {name: table[name].to_pylist() for name in (*RFM_NUMBERS, "clients")}
    reasons = [
        explain_rfm(
            RfmScores(r, f, m),
            recency_days=days,
            frequency=freq,
            monetary=money,
            clients=n,
            counted=counted,
        )
        for r, f, m, days, freq, money, n in zip(
            columns["recency_score"],
            columns["frequency_score"],
            columns["monetary_score"],
            columns["recency_days"],
            columns["frequency"],
            columns["monetary"],
            columns["clients"],
            strict=True,
        )
    ]
    return pa.table(
        {
            "client_id": table["client_id"],
            "rfm": table["rfm"],
            "recency_score": table["recency_score"],
            "frequency_score": table["frequency_score"],
            "monetary_score": table["monetary_score"],
            "recency_days": table["recency_days"],
            "last_date": table["last_date"],
            "frequency": table["frequency"],
            "monetary": pc.divide(pc.cast(table["monetary"], pa.float64()), 100.0),
            "reason": pa.array(reasons, pa.string()),
            "monetary_cents": table["monetary"],
        }
    )
