"""``kam classify``: classify the clients of the book, keep the classes, show who moved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kam.cli.abc import (
    comparison_document,
    movement_rows,
    render_comparison_heading,
    render_movements,
    render_summary,
    summary_document,
)
from kam.cli.alerts import run_after
from kam.cli.book import book_for, data_dir_option
from kam.cli.files import by_option, choice, cutoffs_of, engine_options, policy_options
from kam.cli.output import money, output_options, percent, print_notes, write_table
from kam.domain.period import parse_period
from kam.domain.policy import POLICY_NAMES
from kam.i18n import N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.i18n.formats import format_count
from kam.services.abc import PolicySpec
from kam.services.classify import (
    BOOK_CLASSIFICATION_COLUMNS,
    BookClassification,
    ClassifyRequest,
    classify_book,
)
from kam.services.reading import ENGINE_NAMES
from kam.services.wording import policy_text


def parse_flag(value: str, setting: str) -> bool:
    """A true/false setting as read from a file or the environment."""
    text = value.strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off", ""):
        return False
    raise click.BadParameter(
        _("expected true or false, got {value!r}").format(value=value), param_hint=setting
    )


def _override_mark(value: Any) -> str:
    return _("override") if value else ""


@command(
    help=N_(
        "Classify every client of the book for a period and store the classes.\n\n"
        "One row per client, with the columns of kam abc and an override mark: the class "
        "shown is the class held, an override's class where one is in force (its reason names "
        "the override and the computed class). The summary and the movements since the "
        "previous run (the latest whose period ended before this one starts) go to standard "
        "error, or into the JSON."
    )
)
@data_dir_option
@option(
    "--period",
    metavar="PERIOD",
    help=N_(
        "Period to classify: 2024, 2024-Q2, 2024-03 or START..END [setting period; "
        "default: the 12 months up to the last sale in the book]."
    ),
)
@policy_options(
    N_(
        "pareto: cumulative share of value; count: share of clients (A = top x%); "
        "computed: Computed ABC analysis [setting policy]."
    ),
    N_(
        "Cut-offs A,B such as 0.8,0.95 or 80%,95% [setting cutoffs; default: "
        "0.8,0.95 for pareto, 0.2,0.5 for count]."
    ),
)
@by_option
@option(
    "--groups/--no-groups",
    default=None,
    help=N_(
        "Classify client groups (a group's value is the sum of its members) or single "
        "clients [setting classify_groups: false]."
    ),
)
@engine_options
@output_options
@click.pass_context
def classify(ctx: click.Context, /, data_dir: Path | None, **params: Any) -> None:
    """``kam classify``: see the help."""
    book = book_for(ctx, data_dir)
    settings = book.settings
    try:
        period_text = params["period"] or settings["period"]
        period = parse_period(period_text) if period_text else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    cutoffs = cutoffs_of(params["cutoffs"] or settings["cutoffs"])
    groups = params["groups"]
    request = ClassifyRequest(
        period=period,
        policy=PolicySpec(
            choice(params["policy"] or settings["policy"], POLICY_NAMES, "--policy"), cutoffs
        ),
        by=choice(params["by"] or settings["by"], ("revenue", "margin"), "--by"),
        groups=groups
        if groups is not None
        else parse_flag(settings["classify_groups"], "classify_groups"),
        engine=choice(params["engine"] or settings["engine"], ENGINE_NAMES, "--engine"),
        spark_master=params["spark_master"] or settings["spark_master"],
    )
    result = classify_book(book, request)
    # the rules see the new classes; their line comes first, the run's summary closes
    run_after(book)
    _print(result, params)


def _print(result: BookClassification, params: dict[str, Any]) -> None:
    print_notes(result.notes)
    table = result.table
    if params["limit"]:
        table = table.slice(0, params["limit"])
    fmt = params["fmt"]
    comparison = result.comparison
    movements = movement_rows(comparison) if comparison else []

    def document(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "run": _run_document(result),
            "summary": summary_document(result.summary),
            "clients": rows,
            "migrations": comparison_document(comparison, movements) if comparison else None,
        }

    write_table(
        table,
        BOOK_CLASSIFICATION_COLUMNS,
        fmt,
        params["output"],
        text_formats={
            "value": money,
            "share": percent,
            "cumulative_share": percent,
            "override": _override_mark,
        },
        right=("value", "share", "cumulative_share", "rank", "lines"),
        document=document,
    )
    if fmt == "json":
        return
    click.echo(render_summary(result.summary), err=True)
    click.echo(_run_line(result), err=True)
    if comparison is None:
        click.echo(
            _("No previous run (one whose period ended before this one starts) to compare with."),
            err=True,
        )
        return
    assert result.previous is not None
    compared = _("Compared with run {run} ({period}, {policy}).").format(
        run=result.previous.id,
        period=result.previous.period,
        policy=policy_text(result.previous.policy),
    )
    click.echo("\n" + compared + "\n" + render_comparison_heading(comparison), err=True)
    if movements:
        click.echo("\n" + render_movements(movements), err=True)


def _run_line(result: BookClassification) -> str:
    run = result.run
    count = result.summary.clients
    if run.groups:
        what = ngettext("{count} client group", "{count} client groups", count)
    else:
        what = ngettext("{count} client", "{count} clients", count)
    if result.replaced:
        line = _(
            "Stored as run {run}: {what}, period {period}, {policy}, {overrides} held by an "
            "override, replacing the earlier run of the same period and policy."
        )
    else:
        line = _(
            "Stored as run {run}: {what}, period {period}, {policy}, {overrides} held by an "
            "override."
        )
    return line.format(
        run=run.id,
        what=what.format(count=format_count(count)),
        period=run.period,
        policy=policy_text(run.policy),
        overrides=format_count(result.overrides),
    )


def _run_document(result: BookClassification) -> dict[str, Any]:
    run = result.run
    return {
        "id": run.id,
        "period": run.period,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "policy": run.policy,
        "groups": run.groups,
        "taken_at": run.taken_at,
        "taken_by": run.taken_by,
        "overrides": result.overrides,
        "replaced": list(result.replaced),
        "previous": result.previous.id if result.previous else None,
    }
