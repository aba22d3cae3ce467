"""``kam rfm``: a sales file straight to RFM scores (recency, frequency, monetary value)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from kam.cli.files import date_value, file_command, period_options, sales_file
from kam.cli.output import Layout, money, render_text_table, write_summarised
from kam.domain.rfm import RFM_LEVELS
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import option
from kam.services.rfm import RFM_COLUMNS, RFM_NUMBERS, RfmRequest, RfmSummary, score_rfm_file

#: What frequency counts, as the summary says it.
COUNTED = {"orders": N_("orders"), "purchase days": N_("purchase days")}


#: The clients' table as the command writes it.
LAYOUT = Layout(RFM_COLUMNS, {"monetary": money}, RFM_NUMBERS)


@file_command(
    N_(
        "Score the clients of a sales FILE 1 to 5 on recency, frequency and monetary value.\n\n"
        "Recency: days from the last purchase to the as-of date. Frequency: distinct orders (or "
        "purchase days when the file has no order column). Monetary: net value. Each score is "
        "ceil(5 x rank / clients), ranked so that better is higher and ties share the lowest "
        "rank; the code joins them, such as 545. The summary (clients per score) goes to "
        "standard error, or into the JSON."
    ),
    period_options(),
    option(
        "--as-of",
        "as_of",
        callback=date_value,
        metavar="DATE",
        help=N_(
            "The day recency is counted to; later lines are left out [default: --to, "
            "else the last date in the file]."
        ),
    ),
)
def rfm(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam rfm``: see the help."""
    result = score_rfm_file(RfmRequest(**sales_file(ctx, file, params), as_of=params["as_of"]))
    write_summarised(result, LAYOUT, params, summary_document, render_summary)


def summary_document(summary: RfmSummary) -> dict[str, Any]:
    """The summary as plain data for JSON."""
    return {
        "as_of": summary.as_of.isoformat(),
        "period": summary.period,
        "clients": summary.clients,
        "frequency_counts": summary.counted,
        "scores": _per_score(summary, range(1, RFM_LEVELS + 1)),
        "lines_without_client": summary.lines_without_client,
    }


def render_summary(summary: RfmSummary) -> str:
    """Clients per score as a short text block."""
    scores = ("recency", "frequency", "monetary")
    every = {"score": _("all"), **dict.fromkeys(scores, summary.clients)}
    table = render_text_table(
        [*_per_score(summary, range(RFM_LEVELS, 0, -1)), every],
        ["score", *scores],
        right=("score", *scores),
    )
    counted = _(COUNTED.get(summary.counted, summary.counted))
    heading = _(
        "Period: {period}. As of {as_of}. Frequency counts {counted}. Clients per score:"
    ).format(period=summary.period, as_of=summary.as_of.isoformat(), counted=counted)
    return f"\n{heading}\n{table}"


def _per_score(summary: RfmSummary, scores: Iterable[int]) -> list[dict[str, Any]]:
    """How many clients have each of ``scores`` in recency, frequency and monetary value."""
    return [
        {
            "score": s,
            "recency": summary.recency[s - 1],
            "frequency": summary.frequency[s - 1],
            "monetary": summary.monetary[s - 1],
        }
        for s in scores
    ]
