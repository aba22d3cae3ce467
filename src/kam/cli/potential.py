"""``kam potential``: size by revenue and potential from a client file, combined by a lookup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kam.cli.files import file_command, period_options, policy_options, policy_spec, sales_file
from kam.cli.output import Layout, money, percent, render_text_table, write_clients
from kam.domain.potential import POTENTIAL_BASES, PROSPECT, LookupTable
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import option
from kam.services.potential import (
    POTENTIAL_COLUMNS,
    ClientFileSpec,
    PotentialRequest,
    PotentialResult,
    classify_potential,
    describe_potential,
)

LOOKUP_HELP = N_(
    "Final class per cell, size class first then potential class, e.g. "
    "AA=A,AB=A,AC=B,BA=A,BB=B,BC=B,CA=B,CB=C,CC=C; cells not given keep the default "
    "[default: AA=A,AB=A,AC=A,BA=A,BB=B,BC=B,CA=B,CB=C,CC=C: a client A by size stays A, "
    "potential A lifts B to A and C to B]. A client with potential and no revenue is a "
    "'prospect' whatever the table says."
)


@file_command(
    N_(
        "Classify clients by size (revenue in sales FILE) and potential (from --clients).\n\n"
        "Both are cut into A, B and C by the same policy; the lookup table combines the two "
        "classes into the final class. Share of wallet is revenue / potential (empty without a "
        "potential). Clients of the client file without sales are included: C by size, and "
        "'prospect' when they have a potential."
    ),
    option(
        "--clients",
        "clients_file",
        required=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help=N_("Client file (CSV, Excel or Parquet), one row per client, e.g. DimReseller.csv."),
    ),
    option(
        "--key",
        required=True,
        help=N_(
            "Column of the client file with the client id, "
            "matching the sales file's client column, e.g. ResellerKey."
        ),
    ),
    option(
        "--potential",
        "potential_column",
        required=True,
        help=N_("Column of the client file with the potential (wallet), e.g. AnnualSales."),
    ),
    option("--name", "name_column", help=N_("Column of the client file with the client's name.")),
    option(
        "--on",
        "basis",
        type=click.Choice(POTENTIAL_BASES),
        default="potential",
        show_default=True,
        help=N_(
            "Second ABC on the potential itself, or on the headroom = max(potential - revenue, 0)."
        ),
    ),
    option("--lookup", help=LOOKUP_HELP),
    period_options(),
    policy_options(),
)
def potential(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam potential``: see the help."""
    source = sales_file(ctx, file, params)
    try:
        lookup = LookupTable.parse(params["lookup"]) if params["lookup"] else LookupTable()
    except ValueError as error:
        raise ValueError(_("--lookup: {error}").format(error=error)) from None
    request = PotentialRequest(
        **source,
        clients=client_file(params),
        basis=params["basis"],
        policy=policy_spec(ctx, params),
        lookup=lookup,
    )
    result = classify_potential(request)
    named = params["name_column"] is not None
    layout = Layout(
        tuple(c for c in POTENTIAL_COLUMNS if named or c != "name"),
        {
            "revenue": money,
            "potential": money,
            "headroom": money,
            "share_of_wallet": percent,
            "class": final_class_text,
        },
        ("revenue", "potential", "headroom", "share_of_wallet"),
    )
    data, text = summary_document(result), render_summary(result)
    write_clients(result.table, layout, params, summary=data, summary_text=text, notes=result.notes)


def client_file(params: dict[str, Any]) -> ClientFileSpec:
    """The client file of ``--clients``, ``--key``, ``--potential`` and ``--name``."""
    return ClientFileSpec(
        params["clients_file"],
        params["key"],
        params["potential_column"],
        params["name_column"],
    )


def final_class_text(value: Any) -> str:
    """A final class as a text table shows it: A, B, C, or a prospect in the language."""
    return _("prospect") if value == PROSPECT else str(value)


def summary_document(result: PotentialResult) -> dict[str, Any]:
    """The totals per final class as plain data for JSON."""
    return {
        "period": result.period,
        "rules": describe_potential(result),
        "classes": [
            {
                "class": c.final_class,
                "clients": c.clients,
                "revenue": c.revenue / 100,
                "potential": c.potential / 100,
            }
            for c in result.classes
        ],
    }


def render_summary(result: PotentialResult) -> str:
    """The totals per final class as a short text block."""
    rows = [
        {
            "class": c.final_class,
            "clients": c.clients,
            "revenue": c.revenue / 100,
            "potential": c.potential / 100,
        }
        for c in result.classes
    ]
    table = render_text_table(
        rows,
        ["class", "clients", "revenue", "potential"],
        {"revenue": money, "potential": money, "class": final_class_text},
        right=("clients", "revenue", "potential"),
    )
    heading = _("Period: {period}. Rules: {rules}.").format(
        period=result.period, rules=describe_potential(result)
    )
    return f"\n{heading}\n{table}"
