"""``kam xyz``: a sales file straight to XYZ classes by the variability of monthly value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kam.cli.files import file_command, period_options, render_class_totals, sales_file
from kam.cli.output import Layout, decimals, money, write_summarised
from kam.domain.variability import XyzThresholds
from kam.i18n import N_, ngettext
from kam.i18n.commands import option
from kam.i18n.formats import format_number
from kam.services.variability import (
    XYZ_COLUMNS,
    XyzRequest,
    XyzSummary,
    classify_xyz_file,
)

#: The clients' table as the command writes it.
LAYOUT = Layout(
    XYZ_COLUMNS,
    {"cv": decimals(2), "mean": money, "sd": money, "value": money},
    ("cv", "mean", "sd", "value", "months", "active_months"),
)


@file_command(
    N_(
        "Classify the clients of a sales FILE X, Y or Z by how steadily they buy.\n\n"
        "The coefficient of variation (population standard deviation / mean) of each client's "
        "monthly net value, over every month from the first to the last month of the period, "
        "months without sales counted as 0. A client whose mean is not positive is Z. The "
        "summary (clients and value per class) goes to standard error, or into the JSON."
    ),
    period_options(
        N_("First day included (YYYY-MM-DD); the months start with its month."),
        N_("Last day included; the months end with its month."),
    ),
    option(
        "--thresholds",
        default="0.5,1.0",
        show_default=True,
        metavar="X,Y",
        help=N_("CV limits: X below the first, Y up to the second, Z above."),
    ),
)
def xyz(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam xyz``: see the help."""
    source = sales_file(ctx, file, params)
    try:
        thresholds = XyzThresholds.parse(params["thresholds"])
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--thresholds") from None
    result = classify_xyz_file(XyzRequest(**source, thresholds=thresholds))
    write_summarised(result, LAYOUT, params, summary_document, render_summary)


def summary_document(summary: XyzSummary) -> dict[str, Any]:
    """The summary as plain data for JSON."""
    return {
        "first_month": summary.first_month,
        "last_month": summary.last_month,
        "months": summary.months,
        "thresholds": {"x": summary.thresholds.x, "y": summary.thresholds.y},
        "clients": summary.clients,
        "value": summary.total / 100,
        "classes": [
            {"class": c.xyz_class, "clients": c.clients, "value": c.value / 100}
            for c in summary.classes
        ],
        "lines_without_client": summary.lines_without_client,
    }


def render_summary(summary: XyzSummary) -> str:
    """The summary as a short text block."""
    table = render_class_totals(
        [(c.xyz_class, c.clients, c.value, None) for c in summary.classes],
        summary.clients,
        summary.total,
        shares=False,
    )
    heading = ngettext(
        "Months: {first} to {last} ({count} month). CV limits: X below {x}, Y up to {y}, Z above.",
        "Months: {first} to {last} ({count} months). CV limits: X below {x}, Y up to {y}, Z above.",
        summary.months,
    ).format(
        first=summary.first_month,
        last=summary.last_month,
        count=summary.months,
        x=format_number(summary.thresholds.x, 2),
        y=format_number(summary.thresholds.y, 2),
    )
    return f"\n{heading}\n{table}"
