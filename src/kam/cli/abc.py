"""``kam abc``: a sales file straight to classes, no database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kam.cli.files import (
    by_option,
    choice,
    cutoffs_of,
    file_command,
    period_options,
    policy_options,
    render_class_totals,
    sales_file,
    settings_of,
)
from kam.cli.output import (
    Layout,
    money,
    percent,
    print_notes,
    render_text_table,
    write_summarised,
    write_table,
)
from kam.domain.classes import MIGRATION_STATES, NO_CLASS
from kam.domain.period import parse_comparison
from kam.domain.policy import POLICY_NAMES
from kam.i18n import N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import option
from kam.i18n.formats import format_count, format_number
from kam.services.abc import (
    CLASSIFICATION_COLUMNS,
    AbcRequest,
    AbcSummary,
    Comparison,
    PolicySpec,
    classify_file,
    compare_file,
)

#: The clients' table as the command writes it.
LAYOUT = Layout(
    CLASSIFICATION_COLUMNS,
    {"value": money, "share": percent, "cumulative_share": percent},
    ("value", "share", "cumulative_share", "rank", "lines"),
)


@file_command(
    N_(
        "Classify the clients of a sales FILE (CSV, Excel or Parquet) into A, B and C.\n\n"
        "One row per client: value, share, cumulative share, rank, class and the reason. The "
        "summary (clients and value per class, top-10 share, Herfindahl-Hirschman index) goes "
        "to standard error, or into the JSON."
    ),
    period_options(),
    by_option,
    policy_options(
        N_(
            "pareto: cumulative share of value; count: share of clients (A = top x%); "
            "computed: Computed ABC analysis (Ultsch & Lötsch 2015) [setting policy].",
        )
    ),
    option(
        "--compare",
        metavar="FROM:TO",
        help=N_(
            "Classify two periods (2010:2011, 2011-Q1:2011-Q2, 2011-01:2011-02 or "
            "ranges START..END) and show the movements between classes."
        ),
    ),
)
def abc(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam abc``: see the help."""
    settings = settings_of(ctx)
    source = sales_file(ctx, file, params)
    policy_name = choice(params["policy"] or settings["policy"], POLICY_NAMES, "--policy")
    cutoffs = cutoffs_of(params["cutoffs"] or settings["cutoffs"])
    request = AbcRequest(
        **source,
        policy=PolicySpec(policy_name, cutoffs),
        by=choice(params["by"] or settings["by"], ("revenue", "margin"), "--by"),
    )
    if params["compare"]:
        try:
            before, after = parse_comparison(params["compare"])
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--compare") from None
        if params["start"] or params["end"]:
            raise click.UsageError(_("--compare takes its own periods; leave out --from and --to"))
        _print_comparison(compare_file(request, before, after), params)
        return
    if params["fmt"] == "parquet":
        if params["output"] is None:
            raise ValueError(_("--format parquet needs --output FILE"))
        # The engine writes the file itself: the clients never become Python objects.
        result = classify_file(request, parquet=params["output"], limit=params["limit"])
        print_notes(result.notes)
        click.echo(render_summary(result.summary), err=True)
        return
    result = classify_file(request)
    write_summarised(result, LAYOUT, params, summary_document, render_summary)


def summary_document(summary: AbcSummary) -> dict[str, Any]:
    """The summary as plain data for JSON."""
    return {
        "period": summary.period,
        "policy": summary.policy,
        "clients": summary.clients,
        "value": summary.total / 100,
        "classes": [
            {"class": c.abc_class, "clients": c.clients, "value": c.value / 100, "share": c.share}
            for c in summary.classes
        ],
        "top10_share": summary.top10_share,
        "herfindahl_hirschman_index": summary.herfindahl_hirschman_index,
        "lines_without_client": summary.lines_without_client,
    }


def render_summary(summary: AbcSummary) -> str:
    """The summary as a short text block."""
    table = render_class_totals(
        [(c.abc_class, c.clients, c.value, c.share) for c in summary.classes],
        summary.clients,
        summary.total,
        shares=True,
    )
    heading = _("Period: {period}. Policy: {policy}.").format(
        period=summary.period, policy=summary.policy
    )
    concentration = _(
        "Top-10 clients hold {share} of the value; Herfindahl-Hirschman index {index} (of {most})."
    ).format(
        share=percent(summary.top10_share),
        index=format_number(summary.herfindahl_hirschman_index, 0),
        most=format_count(10_000),
    )
    return f"\n{heading}\n{table}\n{concentration}"


MOVEMENT_COLUMNS = (
    "client_id",
    "before_class",
    "after_class",
    "before_value",
    "after_value",
    "value_change",
    "before_share",
    "after_share",
    "before_rank",
    "after_rank",
    "reason",
)


def render_matrix(comparison: Comparison) -> str:
    """The 4x4 migration matrix as text."""
    states = list(MIGRATION_STATES)
    rows = []
    for before in states:
        row: dict[str, Any] = {"before \\ after": _state(before)}
        for after in states:
            row[after] = comparison.matrix.count(before, after)
        row["total"] = sum(row[a] for a in states)
        rows.append(row)
    return render_text_table(
        rows,
        ["before \\ after", *states, "total"],
        right=(*states, "total"),
        headings={state: _state(state) for state in states},
    )


def _state(state: str) -> str:
    """A class of the migration matrix as shown: A, B, C, or no class in the language."""
    return _("none") if state == NO_CLASS else state


def movement_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per moved client: classes, values, shares, ranks and the reason in numbers."""
    return [
        {
            "client_id": m.client_id,
            "before_class": m.before.abc_class,
            "after_class": m.after.abc_class,
            "before_value": m.before.value / 100,
            "after_value": m.after.value / 100,
            "value_change": m.value_change / 100,
            "before_share": m.before.share,
            "after_share": m.after.share,
            "before_rank": m.before.rank,
            "after_rank": m.after.rank,
            "reason": reason,
        }
        for m, reason in zip(comparison.movements, comparison.reasons, strict=True)
    ]


def render_comparison_heading(comparison: Comparison) -> str:
    """How many clients changed class, and the 4x4 migration matrix."""
    heading = ngettext(
        "Movements from {before} to {after}: {moved} of {total} client changed class.",
        "Movements from {before} to {after}: {moved} of {total} clients changed class.",
        comparison.matrix.total,
    ).format(
        before=comparison.before.period,
        after=comparison.after.period,
        moved=format_count(comparison.matrix.moved),
        total=format_count(comparison.matrix.total),
    )
    return heading + "\n" + render_matrix(comparison)


def render_movements(rows: list[dict[str, Any]]) -> str:
    """The moved clients as text: classes before and after (no class in the language), and the
    reason."""
    return render_text_table(
        rows,
        ["client_id", "before_class", "after_class", "reason"],
        {"before_class": _state, "after_class": _state},
    )


def comparison_document(comparison: Comparison, movements: list[dict[str, Any]]) -> dict[str, Any]:
    """The comparison as plain data for JSON."""
    return {
        "before": summary_document(comparison.before),
        "after": summary_document(comparison.after),
        "matrix": {
            b: {a: comparison.matrix.count(b, a) for a in MIGRATION_STATES}
            for b in MIGRATION_STATES
        },
        "movements": movements,
    }


def _print_comparison(comparison: Comparison, params: dict[str, Any]) -> None:
    import pyarrow as pa

    print_notes(comparison.notes)
    rows = movement_rows(comparison)
    table = (
        pa.Table.from_pylist(rows)
        if rows
        else pa.table({c: pa.array([], pa.string()) for c in MOVEMENT_COLUMNS})
    )
    fmt = params["fmt"]
    heading = render_comparison_heading(comparison)
    if fmt == "table":
        click.echo(heading + "\n")
        if rows:
            click.echo(render_movements(rows))
        return
    write_table(
        table,
        MOVEMENT_COLUMNS,
        fmt,
        params["output"],
        document=lambda movements: comparison_document(comparison, movements),
    )
    if fmt != "json":
        click.echo(heading, err=True)
