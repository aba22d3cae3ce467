"""``kam portfolio``: McDonald's key account portfolio from two long-format score files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kam.cli.output import Layout, decimals, output_options, render_text_table, write_clients
from kam.domain.portfolio import Cuts, Labels
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.i18n.formats import format_number
from kam.services.portfolio import (
    NOT_PLACED,
    PORTFOLIO_COLUMNS,
    PortfolioRequest,
    PortfolioResult,
    place_portfolio,
)

_NUMBERS = ("attractiveness", "our_score", "competitor_score", "relative_strength")
#: The clients' table as the command writes it.
LAYOUT = Layout(PORTFOLIO_COLUMNS, dict.fromkeys(_NUMBERS, decimals(2)), _NUMBERS)


def _cut_option(default: float, help: str) -> dict[str, Any]:
    """The attributes of a cut line's option: a number, its default shown."""
    return {"type": float, "default": default, "show_default": True, "help": help}


@command(
    help=N_(
        "Place clients in McDonald's key account portfolio: attractiveness against strength.\n\n"
        "Attractiveness is the weighted mean of the factor scores (1-10). Relative strength is "
        "our weighted mean score on the client's criteria divided by the best competitor's. The "
        "cut lines split the clients into four quadrants; a client that cannot be placed says "
        "why."
    )
)
@option(
    "--attractiveness",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Client attractiveness, long format: client_id, factor, weight, score (1-10)."),
)
@option(
    "--strength",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_(
        "Suppliers' scores on each client's decision criteria, long format: "
        "client_id, criterion, weight, supplier, score (1-10)."
    ),
)
@option(
    "--us",
    default="us",
    show_default=True,
    help=N_("Our name in the strength file's supplier column."),
)
@option(
    "--cut-attractiveness",
    **_cut_option(5.5, N_("Attractiveness at or above this (1-10) is high.")),
)
@option(
    "--cut-strength",
    **_cut_option(
        1.0, N_("Relative strength (ours / best competitor's) at or above this is high.")
    ),
)
@option(
    "--labels",
    help=N_(
        "Quadrant labels, e.g. strategic=Key,star=Develop,status=Maintain,"
        "streamline=Serve [default: Strategic (high attractiveness, high strength), Star "
        "(high, low), Status (low, high), Streamline (low, low)]."
    ),
)
@output_options
def portfolio(**params: Any) -> None:
    """``kam portfolio``: see the help."""
    try:
        cuts = Cuts(params["cut_attractiveness"], params["cut_strength"])
        labels = Labels.parse(params["labels"]) if params["labels"] else Labels()
    except ValueError as error:
        raise ValueError(
            _("--cut-attractiveness, --cut-strength or --labels: {error}").format(error=error)
        ) from None
    result = place_portfolio(
        PortfolioRequest(
            attractiveness=params["attractiveness"],
            strength=params["strength"],
            us=params["us"],
            cuts=cuts,
            labels=labels,
        )
    )
    data, text = summary_document(result), render_summary(result)
    write_clients(result.table, LAYOUT, params, summary=data, summary_text=text)


def summary_document(result: PortfolioResult) -> dict[str, Any]:
    """Cut lines and the count per quadrant as plain data for JSON."""
    return {
        "cut_attractiveness": result.cuts.attractiveness,
        "cut_strength": result.cuts.strength,
        "quadrants": [{"quadrant": q, "clients": n} for q, n in result.counts],
    }


def render_summary(result: PortfolioResult) -> str:
    """The count per quadrant as a short text block."""
    rows = [
        {"quadrant": _("not placed") if q == NOT_PLACED else q, "clients": n}
        for q, n in result.counts
    ]
    table = render_text_table(rows, ["quadrant", "clients"], right=("clients",))
    cuts = _("Cut lines: attractiveness {attractiveness}, relative strength {strength}.").format(
        attractiveness=_cut(result.cuts.attractiveness), strength=_cut(result.cuts.strength)
    )
    return f"\n{cuts}\n{table}"


def _cut(value: float) -> str:
    """A cut line as written: no more decimals than it has (up to three)."""
    return format_number(value, min(len(f"{value:.3f}".rstrip("0").partition(".")[2]), 3))
