"""``kam xyz``: a sales file straight to XYZ classes by the variability of monthly value."""

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
from kam.cli.output import (
    decimals,
    money,
    output_options,
    percent,
    render_text_table,
    write_clients,
)
from kam.domain.variability import XyzThresholds
from kam.i18n import N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.i18n.formats import format_number
from kam.services.variability import (
    XYZ_COLUMNS,
    XyzRequest,
    XyzSummary,
    classify_xyz_file,
)


@command(
    help=N_(
        "Classify the clients of a sales FILE X, Y or Z by how steadily they buy.\n\n"
        "The coefficient of variation (population standard deviation / mean) of each client's "
        "monthly net value, over every month from the first to the last month of the period, "
        "months without sales counted as 0. A client whose mean is not positive is Z. The "
        "summary (clients and value per class) goes to standard error, or into the JSON."
    )
)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@sales_options
@option(
    "--from",
    "start",
    callback=date_value,
    metavar="DATE",
    help=N_("First day included (YYYY-MM-DD); the months start with its month."),
)
@option(
    "--to",
    "end",
    callback=date_value,
    metavar="DATE",
    help=N_("Last day included; the months end with its month."),
)
@option(
    "--thresholds",
    default="0.5,1.0",
    show_default=True,
    metavar="X,Y",
    help=N_("CV limits: X below the first, Y up to the second, Z above."),
)
@output_options
@engine_options
@click.pass_context
def xyz(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam xyz``: see the help."""
    settings: dict[str, str] = ctx.obj or {}
    columns, options = read_spec(params)
    try:
        thresholds = XyzThresholds.parse(params["thresholds"])
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--thresholds") from None
    period = period_of(params)
    request = XyzRequest(
        path=file,
        columns=columns,
        options=options,
        period=period,
        thresholds=thresholds,
        engine=engine_of(params, settings),
        spark_master=spark_master_of(params, settings),
    )
    result = classify_xyz_file(request)
    write_clients(
        result.table,
        XYZ_COLUMNS,
        params,
        summary=summary_document(result.summary),
        summary_text=render_summary(result.summary),
        notes=result.notes,
        text_formats={"cv": decimals(2), "mean": money, "sd": money, "value": money},
        right=("cv", "mean", "sd", "value", "months", "active_months"),
    )


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
    rows: list[dict[str, Any]] = [
        {
            "class": c.xyz_class,
            "clients": c.clients,
            "clients %": c.clients / summary.clients if summary.clients else 0.0,
            "value": c.value / 100,
        }
        for c in summary.classes
    ]
    rows.append(
        {
            "class": _("all"),
            "clients": summary.clients,
            "clients %": 1.0 if summary.clients else 0.0,
            "value": summary.total / 100,
        }
    )
    table = render_text_table(
        rows,
        ["class", "clients", "clients %", "value"],
        {"clients %": percent, "value": money},
        right=("clients", "clients %", "value"),
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
