"""What the commands over a sales file share: their options, the file's request and the output.

``kam abc``, ``kam xyz``, ``kam rfm``, ``kam potential`` and ``kam score``
each read a sales FILE with the same column, period and engine options and
write their clients in the same formats: each is a :func:`file_command` with
its own options between those, and builds its request from :func:`sales_file`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypedDict, TypeVar

import click

from kam.cli.output import money, output_options, percent, render_text_table
from kam.domain.period import Period, parse_date
from kam.domain.policy import POLICY_NAMES, Cutoffs
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import TranslatedCommand, command, option
from kam.services.abc import PolicySpec
from kam.services.reading import ENGINE_NAMES, EngineName, ReadOptions, SalesColumns, read_options

T = TypeVar("T", bound=str)

#: A click decorator adding options (or an argument) to a command.
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class SalesFile(TypedDict):
    """The fields every request over a sales file has, as the command's options give them."""

    path: Path
    columns: SalesColumns
    options: ReadOptions
    period: Period
    engine: EngineName
    spark_master: str | None


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


def settings_of(ctx: click.Context | None) -> dict[str, str]:
    """The settings the command line read (none outside a command)."""
    settings: dict[str, str] = (ctx.obj if ctx is not None else None) or {}
    return settings


def sales_file(ctx: click.Context, file: Path, params: dict[str, Any]) -> SalesFile:
    """The file, its columns and read options, period and engine from the command's options."""
    settings = settings_of(ctx)
    columns, options = read_spec(params)
    return SalesFile(
        path=file,
        columns=columns,
        options=options,
        period=period_of(params),
        engine=choice(
            params.get("engine") or settings.get("engine", "duckdb"), ENGINE_NAMES, "--engine"
        ),
        spark_master=params.get("spark_master") or settings.get("spark_master") or None,
    )


def period_of(params: dict[str, Any]) -> Period:
    """The period of ``--from`` and ``--to`` (either may be left out)."""
    try:
        return Period(params["start"], params["end"])
    except ValueError as error:
        raise click.UsageError(_("--from is after --to: {error}").format(error=error)) from None


def read_spec(params: dict[str, Any]) -> tuple[SalesColumns, ReadOptions]:
    """Column mapping and read options from the command's parameters."""
    columns = SalesColumns(
        client=params["client"],
        date=params["date_column"],
        amount=params["amount"],
        quantity=params["quantity"],
        price=params["price"],
        margin=params["margin"],
        order=params["order"],
    )
    try:
        options = read_options(
            settings_of(click.get_current_context(silent=True)),
            delimiter=params["delimiter"],
            encoding=params["encoding"],
            decimal=params["decimal"],
            date_format=params["date_format"],
            sheet=params["sheet"],
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    return columns, options


def cutoffs_of(text: str) -> Cutoffs | None:
    """The cut-offs of ``--cutoffs`` or its setting; ``None`` for the policy's own."""
    try:
        return Cutoffs.parse(text) if text else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--cutoffs") from None


def policy_spec(ctx: click.Context, params: dict[str, Any]) -> PolicySpec:
    """The policy from ``--policy`` and ``--cutoffs``, or the settings."""
    settings = settings_of(ctx)
    name = params["policy"] or settings.get("policy", "pareto")
    if name not in POLICY_NAMES:
        raise click.BadParameter(
            _("unknown policy {name!r}").format(name=name), param_hint="--policy"
        )
    return PolicySpec(name, cutoffs_of(params["cutoffs"] or settings.get("cutoffs", "")))


def _apply(command: Callable[..., Any], decorators: Sequence[Decorator]) -> Callable[..., Any]:
    """``command`` with ``decorators`` applied as if written above it in this order."""
    for add in reversed(decorators):
        command = add(command)
    return command


def sales_options(command: Any) -> Any:
    """The options that map a sales file's columns and say how to read it."""
    return _apply(
        command,
        [
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
                help=N_(
                    "Column with the invoice or order number [default: InvoiceNo, order_id...]."
                ),
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
        ],
    )


def engine_options(command: Any) -> Any:
    """``--engine`` and ``--spark-master``."""
    return _apply(
        command,
        [
            option(
                "--engine",
                type=click.Choice(ENGINE_NAMES),
                help=N_("Analytics engine [setting engine: duckdb]."),
            ),
            option("--spark-master", help=N_("Spark master URL [setting spark_master].")),
        ],
    )


def period_options(
    first: str = N_("First day included (YYYY-MM-DD)."), last: str = N_("Last day included.")
) -> Decorator:
    """``--from`` and ``--to``, with their help."""
    return lambda command: _apply(
        command,
        [
            option("--from", "start", callback=date_value, metavar="DATE", help=first),
            option("--to", "end", callback=date_value, metavar="DATE", help=last),
        ],
    )


#: ``--by``: the measure clients are ranked by.
by_option = option(
    "--by",
    type=click.Choice(["revenue", "margin"]),
    help=N_("Rank clients by revenue or margin [setting by: revenue]."),
)


def policy_options(
    policy: str = N_("pareto, count or computed, as for kam abc [setting policy]."),
    cutoffs: str = N_(
        "Cut-offs A,B such as 0.8,0.95 or 80%,95% "
        "[default: 0.8,0.95 for pareto, 0.2,0.5 for count]."
    ),
) -> Decorator:
    """``--policy`` and ``--cutoffs``, with their help."""
    return lambda command: _apply(
        command,
        [
            option("--policy", type=click.Choice(POLICY_NAMES), help=policy),
            option("--cutoffs", help=cutoffs),
        ],
    )


def file_command(
    help: str, *options: Decorator
) -> Callable[[Callable[..., Any]], TranslatedCommand]:
    """A command over a sales FILE: the file, its columns, ``options``, the output, the engine.

    The command is given the context, the file and its options by name.
    """

    def make(function: Callable[..., Any]) -> TranslatedCommand:
        return command(help=help)(
            _apply(
                function,
                [
                    click.argument("file", type=click.Path(path_type=Path, dir_okay=True)),
                    sales_options,
                    *options,
                    output_options,
                    engine_options,
                    click.pass_context,
                ],
            )
        )

    return make


def render_class_totals(
    classes: Sequence[tuple[str, int, int, float | None]], clients: int, total: int, *, shares: bool
) -> str:
    """Clients and value (cents) of each class and of all, with the value's share if ``shares``."""
    columns = ["class", "clients", "clients %", "value", *(["value %"] if shares else [])]
    rows = [
        {
            "class": name,
            "clients": count,
            "clients %": count / clients if clients else 0.0,
            "value": value / 100,
            "value %": share,
        }
        for name, count, value, share in [*classes, (_("all"), clients, total, 1.0)]
    ]
    return render_text_table(
        rows,
        columns,
        {"clients %": percent, "value": money, "value %": percent},
        right=columns[1:],
    )
