"""``kam abc``: a sales file straight to classes, no database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from kam.cli.output import money, output_options, percent, render_text_table, write_table
from kam.domain.classes import MIGRATION_STATES, NO_CLASS
from kam.domain.period import Period, parse_comparison, parse_date
from kam.domain.policy import POLICY_NAMES, Cutoffs
from kam.i18n import N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
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
from kam.services.reading import ENGINE_NAMES, EngineName, ReadOptions, SalesColumns, read_options

T = TypeVar("T", bound=str)


def date_value(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A click callback: an option's YYYY-MM-DD text as a date."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def choice(value: str, allowed: tuple[T, ...], option: str) -> T:
    """A setting's value checked against its choices (settings come unchecked from files)."""
    for item in allowed:
        if value == item:
            return item
    raise click.BadParameter(
        _("{value!r} is not one of {choices}").format(
            value=value, choices=", ".join(map(str, allowed))
        ),
        param_hint=option,
    )


def engine_of(params: dict[str, Any], settings: dict[str, str]) -> EngineName:
    """The engine: ``--engine``, else the setting (checked, since settings come unchecked)."""
    return choice(
        params.get("engine") or settings.get("engine", "duckdb"), ENGINE_NAMES, "--engine"
    )


def spark_master_of(params: dict[str, Any], settings: dict[str, str]) -> str | None:
    """The Spark master: ``--spark-master``, else the setting."""
    return params.get("spark_master") or settings.get("spark_master") or None


def period_of(params: dict[str, Any]) -> Period:
    """The period of ``--from`` and ``--to`` (either may be left out)."""
    try:
        return Period(params["start"], params["end"])
    except ValueError as error:
        raise click.UsageError(_("--from is after --to: {error}").format(error=error)) from None


def sales_options(command: Any) -> Any:
    """The options that map a sales file's columns and say how to read it."""
    options = [
        option(
            "--client",
            help=N_(
                "Column with the client id [default: client_id or a "
                "plain synonym such as CustomerID]."
            ),
        ),
        option(
            "--date",
            "date_column",
            help=N_("Column with the line's date [default: date, InvoiceDate, OrderDate...]."),
        ),
        option(
            "--amount",
            help=N_("Column with the net amount [default: amount, revenue, SalesAmount...]."),
        ),
        option("--quantity", help=N_("Column with the quantity (amount = quantity x price).")),
        option("--price", help=N_("Column with the unit price (amount = quantity x price).")),
        option("--margin", help=N_("Column with the margin amount (for --by margin).")),
        option(
            "--order",
            help=N_("Column with the invoice or order number [default: InvoiceNo, order_id...]."),
        ),
        option("--delimiter", help=N_("CSV delimiter [default: detected].")),
        option(
            "--encoding",
            help=N_(
                "Text encoding [default: detected: UTF-8, UTF-16, Windows-1250, ISO-8859-2 or"
                " Windows-1252]."
            ),
        ),
        option(
            "--decimal",
            type=click.Choice([".", ","]),
            help=N_("Decimal separator in text [default: detected]."),
        ),
        option(
            "--date-format",
            help=N_("strptime format of text dates, e.g. %d.%m.%Y [default: detected]."),
        ),
        option("--sheet", help=N_("Excel sheet [default: the first].")),
    ]
    for add in reversed(options):
        command = add(command)
    return command


def read_spec(
    params: dict[str, Any], numbers: tuple[str, ...] = ()
) -> tuple[SalesColumns, ReadOptions]:
    """Column mapping and read options from the command's parameters."""
    columns = SalesColumns(
        client=params["client"],
        date=params["date_column"],
        amount=params["amount"],
        quantity=params["quantity"],
        price=params["price"],
        margin=params["margin"],
        order=params["order"],
        numbers=numbers,
    )
    context = click.get_current_context(silent=True)
    settings = (context.obj if context is not None else None) or {}
    try:
        options = read_options(
            settings,
            delimiter=params["delimiter"],
            encoding=params["encoding"],
            decimal=params["decimal"],
            date_format=params["date_format"],
            sheet=params["sheet"],
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    return columns, options


def engine_options(command: Any) -> Any:
    """``--engine`` and ``--spark-master``."""
    command = option("--spark-master", help=N_("Spark master URL [setting spark_master]."))(command)
    return option(
        "--engine",
        type=click.Choice(ENGINE_NAMES),
        help=N_("Analytics engine [setting engine: duckdb]."),
    )(command)


@command(
    help=N_(
        "Classify the clients of a sales FILE (CSV, Excel or Parquet) into A, B and C.\n\n"
        "One row per client: value, share, cumulative share, rank, class and the reason. The "
        "summary (clients and value per class, top-10 share, Herfindahl-Hirschman index) goes "
        "to standard error, or into the JSON."
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
    "--by",
    type=click.Choice(["revenue", "margin"]),
    help=N_("Rank clients by revenue or margin [setting by: revenue]."),
)
@option(
    "--policy",
    type=click.Choice(POLICY_NAMES),
    help=N_(
        "pareto: cumulative share of value; count: share of clients (A = top x%); "
        "computed: Computed ABC analysis (Ultsch & Lötsch 2015) [setting policy].",
    ),
)
@option(
    "--cutoffs",
    help=N_(
        "Cut-offs A,B such as 0.8,0.95 or 80%,95% [default: "
        "0.8,0.95 for pareto, 0.2,0.5 for count]."
    ),
)
@option(
    "--compare",
    metavar="FROM:TO",
    help=N_(
        "Classify two periods (2010:2011, 2011-Q1:2011-Q2, 2011-01:2011-02 or "
        "ranges START..END) and show the movements between classes."
    ),
)
@output_options
@engine_options
@click.pass_context
def abc(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam abc``: see the help."""
    settings: dict[str, str] = ctx.obj or {}
    columns, options = read_spec(params)
    policy_name = params["policy"] or settings["policy"]
    cutoff_text = params["cutoffs"] or settings["cutoffs"]
    policy_name = choice(policy_name, POLICY_NAMES, "--policy")
    try:
        cutoffs = Cutoffs.parse(cutoff_text) if cutoff_text else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--cutoffs") from None
    request = AbcRequest(
        path=file,
        columns=columns,
        options=options,
        period=period_of(params),
        policy=PolicySpec(policy_name, cutoffs),
        by=choice(params["by"] or settings["by"], ("revenue", "margin"), "--by"),
        engine=engine_of(params, settings),
        spark_master=spark_master_of(params, settings),
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
    fmt = params["fmt"]
    if fmt == "parquet":
        if params["output"] is None:
            raise ValueError(_("--format parquet needs --output FILE"))
        # The engine writes the file itself: the clients never become Python objects.
        result = classify_file(request, parquet=params["output"], limit=params["limit"])
        for note in result.notes:
            click.echo(_("note: {note}").format(note=note), err=True)
        click.echo(render_summary(result.summary), err=True)
        return
    result = classify_file(request)
    for note in result.notes:
        click.echo(_("note: {note}").format(note=note), err=True)
    table = result.table
    if params["limit"]:
        table = table.slice(0, params["limit"])
    write_table(
        table,
        CLASSIFICATION_COLUMNS,
        fmt,
        params["output"],
        text_formats={"value": money, "share": percent, "cumulative_share": percent},
        right=("value", "share", "cumulative_share", "rank", "lines"),
        document=lambda rows: {"summary": summary_document(result.summary), "clients": rows},
    )
    if fmt != "json":
        click.echo(render_summary(result.summary), err=True)


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
    rows = [
        {
            "class": c.abc_class,
            "clients": c.clients,
            "clients %": c.clients / summary.clients if summary.clients else 0.0,
            "value": c.value / 100,
            "value %": c.share,
        }
        for c in summary.classes
    ]
    rows.append(
        {
            "class": _("all"),
            "clients": summary.clients,
            "clients %": 1.0 if summary.clients else 0.0,
            "value": summary.total / 100,
            "value %": 1.0,
        }
    )
    table = render_text_table(
        rows,
        ["class", "clients", "clients %", "value", "value %"],
        {"clients %": percent, "value": money, "value %": percent},
        right=("clients", "clients %", "value", "value %"),
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

    for note in comparison.notes:
        click.echo(_("note: {note}").format(note=note), err=True)
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
