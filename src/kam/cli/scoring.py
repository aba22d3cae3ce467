"""``kam score``: a weighted multi-criteria score per client, cut into A, B and C."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kam.cli.files import file_command, period_options, policy_options, policy_spec, sales_file
from kam.cli.output import Layout, decimals, money, percent, render_text_table, write_clients
from kam.cli.potential import client_file
from kam.domain.scoring import Weights
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import option
from kam.services.potential import ClientFileSpec
from kam.services.scoring import ScoreRequest, ScoreResult, describe_score, score_file

WEIGHT_HELP = N_(
    "A criterion and its weight, repeatable: revenue, margin (needs --margin or --cost), growth "
    "(needs --from and --to; against the previous period of the same length), potential (needs "
    "--clients, --key, --potential), or any numeric column of the --clients file, e.g. "
    "--weight revenue=0.5 --weight growth=0.2 --weight NumberEmployees=0.3. Weights are "
    "positive and normalised to sum 1."
)


@file_command(
    N_(
        "Score the clients of a sales FILE on weighted criteria and cut the score into A, B, "
        "C.\n\n"
        "Each criterion becomes a rank percentile, (r - 1) / (n - 1) with r the rank from the "
        "lowest value (ties share the lowest rank), so 0 is the lowest and 1 the highest; a "
        "client without a value gets 0. The score is the weighted sum, in [0, 1]; the policy "
        "(pareto by default) cuts it into A, B and C. Growth is (after - before) / before; a "
        "client with no revenue before gets 0."
    ),
    option("--weight", "weights", multiple=True, required=True, metavar="NAME=W", help=WEIGHT_HELP),
    option(
        "--cost",
        help=N_("Column with the cost per line: margin = amount - cost (e.g. TotalProductCost)."),
    ),
    option(
        "--clients",
        "clients_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help=N_("Client file, one row per client (for potential and other criteria)."),
    ),
    option("--key", help=N_("Column of the client file with the client id.")),
    option(
        "--potential",
        "potential_column",
        help=N_("Column of the client file with the potential (wallet)."),
    ),
    option("--name", "name_column", help=N_("Column of the client file with the client's name.")),
    period_options(),
    policy_options(),
)
def score(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam score``: see the help."""
    source = sales_file(ctx, file, params)
    try:
        weights = Weights.parse(params["weights"])
    except ValueError as error:
        raise ValueError(_("--weight: {error}").format(error=error)) from None
    request = ScoreRequest(
        **source,
        weights=weights,
        cost=params["cost"],
        clients=_clients(params),
        policy=policy_spec(ctx, params),
    )
    result = score_file(request)
    money_columns = [c for c in ("revenue", "margin", "potential") if c in result.columns]
    pct_columns = [c for c in result.columns if c.startswith("pct_") or c == "growth"]
    layout = Layout(
        result.columns,
        {
            "score": decimals(3),
            **dict.fromkeys(money_columns, money),
            **dict.fromkeys(pct_columns, percent),
        },
        ("score", "rank", *money_columns, *pct_columns),
    )
    data, text = summary_document(result), render_summary(result)
    write_clients(result.table, layout, params, summary=data, summary_text=text)


def _clients(params: dict[str, Any]) -> ClientFileSpec | None:
    """The client file, if ``--clients`` names one: it needs ``--key``, and the others need it."""
    if params["clients_file"] is not None:
        if not params["key"]:
            raise click.UsageError(_("--clients needs --key COL, the client id column"))
        return client_file(params)
    if params["key"] or params["potential_column"] or params["name_column"]:
        raise click.UsageError(_("--key, --potential and --name need --clients FILE"))
    return None


def summary_document(result: ScoreResult) -> dict[str, Any]:
    """The rules and the count per class as plain data for JSON."""
    return {
        "period": result.period,
        "previous_period": result.previous,
        "weights": dict(result.weights.items),
        "rules": describe_score(result),
        "classes": [{"class": c, "clients": n} for c, n in result.counts],
    }


def render_summary(result: ScoreResult) -> str:
    """The rules and the count per class as a short text block."""
    rows = [{"class": c, "clients": n} for c, n in result.counts]
    table = render_text_table(rows, ["class", "clients"], right=("clients",))
    heading = _("Score: {rules}.").format(rules=describe_score(result))
    return f"\n{heading}\n{table}"
