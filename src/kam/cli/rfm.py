"""``kam rfm``: a sales file straight to RFM scores (recency, frequency, monetary value)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kam.cli.abc import (
    date_value,
    engine_of,
    engine_options,
    period_of,
    read_spec,
    sales_options,
    spark_master_of,
)
from kam.cli.output import money, output_options, render_text_table, write_clients
from kam.domain.rfm import RFM_LEVELS
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.services.rfm import RFM_COLUMNS, RfmRequest, RfmSummary, score_rfm_file

#: What frequency counts, as the summary says it.
COUNTED = {"orders": N_("orders"), "purchase days": N_("purchase days")}


@command(
    help=N_(
        "Score the clients of a sales FILE 1 to 5 on recency, frequency and monetary value.\n\n"
        "Recency: days from the last purchase to the as-of date. Frequency: distinct orders (or "
        "purchase days when the file has no order column). Monetary: net value. Each score is "
        "ceil(5 x rank / clients), ranked so that better is higher and ties share the lowest "
        "rank; the code joins them, such as 545. The summary (clients per score) goes to "
        "standard error, or into the JSON."
    )
)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@sales_options
@option(
    "--from",
    "start",
    callback=date_value,
    metavar="DATE",
    help=N_("First day included (YYYY-MM-DD)."),
)
@option("--to", "end", callback=date_value, metavar="DATE", help=N_("Last day included."))
@option(
    "--as-of",
    "as_of",
    callback=date_value,
    metavar="DATE",
    help=N_(
        "The day recency is counted to; later lines are left out [default: --to, "
        "else the last date in the file]."
    ),
)
@output_options
@engine_options
@click.pass_context
def rfm(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam rfm``: see the help."""
    settings: dict[str, str] = ctx.obj or {}
    columns, options = read_spec(params)
    period = period_of(params)
    request = RfmRequest(
        path=file,
        columns=columns,
        options=options,
        period=period,
        as_of=params["as_of"],
        engine=engine_of(params, settings),
        spark_master=spark_master_of(params, settings),
    )
    result = score_rfm_file(request)
    write_clients(
        result.table,
        RFM_COLUMNS,
        params,
        summary=summary_document(result.summary),
        summary_text=render_summary(result.summary),
        notes=result.notes,
        text_formats={"monetary": money},
        right=(
            "recency_score",
            "frequency_score",
            "monetary_score",
            "recency_days",
            "frequency",
            "monetary",
        ),
    )


def summary_document(summary: RfmSummary) -> dict[str, Any]:
    """The summary as plain data for JSON."""
    return {
        "as_of": summary.as_of.isoformat(),
        "period": summary.period,
        "clients": summary.clients,
        "frequency_counts": summary.counted,
        "scores": [
            {
                "score": s,
                "recency": summary.recency[s - 1],
                "frequency": summary.frequency[s - 1],
                "monetary": summary.monetary[s - 1],
            }
            for s in range(1, RFM_LEVELS + 1)
        ],
        "lines_without_client": summary.lines_without_client,
    }


def render_summary(summary: RfmSummary) -> str:
    """Clients per score as a short text block."""
    rows: list[dict[str, Any]] = [
        {
            "score": s,
            "recency": summary.recency[s - 1],
            "frequency": summary.frequency[s - 1],
            "monetary": summary.monetary[s - 1],
        }
        for s in range(RFM_LEVELS, 0, -1)
    ]
    rows.append(
        {
            "score": _("all"),
            "recency": summary.clients,
            "frequency": summary.clients,
            "monetary": summary.clients,
        }
    )
    table = render_text_table(
        rows,
        ["score", "recency", "frequency", "monetary"],
        right=("score", "recency", "frequency", "monetary"),
    )
    counted = _(COUNTED.get(summary.counted, summary.counted))
    heading = _(
        "Period: {period}. As of {as_of}. Frequency counts {counted}. Clients per score:"
    ).format(period=summary.period, as_of=summary.as_of.isoformat(), counted=counted)
    return f"\n{heading}\n{table}"
