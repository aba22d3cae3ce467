"""``kam import clients|products|people|sales FILE``, and the import log and profiles."""

from __future__ import annotations

import contextlib
import csv
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from kam.cli.abc import sales_options
from kam.cli.book import book_for, data_dir_option
from kam.cli.output import render_text_table
from kam.domain.import_log import ImportKind, ImportProblem
from kam.services.book import Book
from kam.services.imports import (
    FIELDS,
    MASTER_STEPS,
    SALES_STEPS,
    ImportResult,
    Progress,
    import_history,
    list_profiles,
    option_of,
    save_profile,
)
from kam.services.imports.requests import (
    build_request,
    import_file,
    merge_options,
    option_names,
    options_to_save,
)

#: How many bad rows are printed; ``--report FILE`` writes them all.
PRINTED_PROBLEMS = 100
#: Option name (as in profiles) -> the command's parameter, where they differ.
PARAM_OF = {"date": "date_column"}

HELP = {
    "key": "Column with the external key [default: id, key, code or a plain name].",
    "name": "Column with the name.",
    "parent": "Column with the key of the parent client (its group).",
    "industry": "Column with the industry.",
    "country": "Column with the country.",
    "employees": "Column with the number of employees (0 or more).",
    "turnover": "Column with the annual turnover (money, 0 or more).",
    "potential": "Column with the potential: what the client could buy from us.",
    "potential_source": "Where the potential comes from: one text for every row "
    "[default: column potential_source].",
    "potential_as_of": "The potential's date, YYYY-MM-DD, for every row "
    "[default: column potential_as_of].",
    "owner": "Column with the owner (the key account manager's user name).",
    "group": "Column with the product group.",
    "price": "Column with the list price.",
    "client": "Column with the client's key.",
    "title": "Column with the person's title.",
    "department": "Column with the department.",
    "email": "Column with the e-mail address.",
    "phone": "Column with the phone number.",
    "reports_to": "Column with the key of the person this one reports to.",
}


def _common_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        data_dir_option,
        click.option("--profile", help="Take the column options from a saved or shipped profile."),
        click.option(
            "--save-profile", metavar="NAME", help="Save this import's column options as NAME."
        ),
        click.option("--dry-run", is_flag=True, help="Check the file and count; write nothing."),
        click.option(
            "--report",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Write every bad row to this CSV file.",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Show a progress bar [default: when standard error is a terminal].",
        ),
        click.option(
            "--join",
            help="A second file whose columns are added to each row by --on (relative to "
            "FILE's folder in a profile).",
        ),
        click.option("--on", help="The column shared by FILE and --join."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _read_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--delimiter", help="CSV delimiter [default: detected]."),
        click.option("--encoding", help="Text encoding [default: detected]."),
        click.option(
            "--decimal", type=click.Choice([".", ","]), help="Decimal separator [detected]."
        ),
        click.option("--date-format", help="strptime format of text dates [detected]."),
        click.option("--sheet", help="Excel sheet [default: the first]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(name="import")
def import_group() -> None:
    """Import clients, products, people or sales into the book (CSV, Excel or Parquet).

    A file with any bad row imports nothing: every bad row is listed (file, row,
    column, value, what was expected) and the exit status is 2. Clients,
    products and people are matched by key and updated, never doubled; a
    sales file is imported once, and lines already in the book are skipped.
    """


def _options(book: Book, kind: ImportKind, file: Path, params: dict[str, Any]) -> dict[str, Any]:
    """The profile's options, then those given on the command line."""
    given = {name: params.get(PARAM_OF.get(name, name)) for name in option_names(kind)}
    try:
        return merge_options(book, kind, file, params["profile"], given)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


@contextlib.contextmanager
def _progress_bar(show: bool | None, steps: Sequence[str], label: str) -> Iterator[Progress | None]:
    if not (show or (show is None and sys.stderr.isatty())):
        yield None
        return
    with click.progressbar(length=len(steps), label=label, file=sys.stderr) as bar:
        done: list[str] = []

        def advance(name: str) -> None:
            if done:
                bar.update(1)
            done.append(name)
            bar.label = f"{label}: {name}"
            bar.render_progress()

        yield advance
        bar.update(len(steps) - bar.pos)


def _finish(ctx: click.Context, result: ImportResult, params: dict[str, Any]) -> None:
    if params["report"] is not None:
        _write_report(params["report"], result.problems)
    if result.rejected:
        _print_rejection(result)
        ctx.close()
        sys.exit(2)
    click.echo(render_result(result))


def render_result(result: ImportResult) -> str:
    """The summary of an import, for people."""
    name = Path(result.file).name
    if result.dry_run:
        head = f"Dry run, nothing written: {result.kind.value} from {name} would give"
    else:
        head = f"Imported {result.kind.value} from {name} (import {result.import_id})"
    counts = result.counts
    rows: list[tuple[str, str]] = []
    if result.kind is ImportKind.SALES:
        rows.append(("lines read", f"{result.rows:,} ({result.without_client:,} without a client)"))
        rows.append(("inserted", f"{counts.inserted:,}"))
        rows.append(("skipped", f"{counts.skipped:,} (already in the book)"))
        rows.append(("clients created", f"{result.clients_created:,}"))
    else:
        rows.append(("rows read", f"{result.rows:,}"))
        rows.append(("inserted", f"{counts.inserted:,}"))
        rows.append(("updated", f"{counts.updated:,}"))
        rows.append(("unchanged", f"{counts.unchanged:,}"))
    rows.append(("rejected", f"{counts.rejected:,}"))
    width = max(len(label) for label, _ in rows)
    return "\n".join([head + ":", *(f"  {label:<{width}}  {value}" for label, value in rows)])


def _print_rejection(result: ImportResult) -> None:
    problems = result.problems
    click.echo(
        f"kam: {result.file} rejected: {result.counts.rejected:,} bad rows "
        f"({len(problems):,} problems); nothing was imported",
        err=True,
    )
    for problem in problems[:PRINTED_PROBLEMS]:
        click.echo(f"  {problem.describe()}", err=True)
    if len(problems) > PRINTED_PROBLEMS:
        click.echo(
            f"  ... and {len(problems) - PRINTED_PROBLEMS:,} more; --report FILE writes them all",
            err=True,
        )


def _write_report(path: Path, problems: Sequence[ImportProblem]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "column", "value", "expected", "problem"])
        for p in problems:
            writer.writerow([p.file, p.row, p.column, p.value, p.expected, p.kind.value])


def _import_master(
    ctx: click.Context, kind: ImportKind, file: Path, params: dict[str, Any]
) -> None:
    book = book_for(ctx, params["data_dir"])
    options = _options(book, kind, file, params)
    request = build_request(kind, file, options, dry_run=params["dry_run"])
    with _progress_bar(params["progress"], MASTER_STEPS, f"importing {file.name}") as progress:
        result = import_file(book, request, progress)
    if params["save_profile"] and not result.rejected:
        save_profile(book, params["save_profile"], kind, options_to_save(options, file))
    _finish(ctx, result, params)


def _master_command(kind: ImportKind) -> click.Command:
    def command(ctx: click.Context, /, file: Path, **params: Any) -> None:
        _import_master(ctx, kind, file, params)

    command.__doc__ = (
        f"Import {kind.value} from FILE (CSV, Excel or Parquet), matched by key.\n\n"
        "Keys already in the book are updated (only the fields the file holds), new keys "
        "inserted; with any bad row nothing is imported."
    )
    decorated: Callable[..., Any] = click.pass_context(command)
    decorated = _read_options(decorated)
    for role, *_ in reversed(FIELDS[kind]):
        name = option_of(role)
        decorated = click.option(
            "--" + name.replace("_", "-"), name, help=HELP.get(name, f"Column with the {name}.")
        )(decorated)
    decorated = _common_options(decorated)
    decorated = click.argument("file", type=click.Path(path_type=Path, dir_okay=False))(decorated)
    return click.command(name=kind.value)(decorated)


for _kind in (ImportKind.CLIENTS, ImportKind.PRODUCTS, ImportKind.PEOPLE):
    import_group.add_command(_master_command(_kind))


@import_group.command(name="sales")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@_common_options
@sales_options
@click.option("--product", help="Column with the product [default: product_id, StockCode...].")
@click.option("--discount", help="Column with a discount fraction: amount x (1 - discount).")
@click.option(
    "--line-key",
    metavar="COL[,COL]",
    help="Columns that identify a line [default: a hash of the line's fields and its "
    "occurrence among identical lines of the file].",
)
@click.option(
    "--require-clients/--create-clients",
    default=None,
    help="Unknown client ids are errors (missing reference) [default: create them as "
    "bare clients named by their key].",
)
@click.pass_context
def sales(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """Import the sales lines of FILE (CSV, Excel or Parquet) into the book.

    Takes the column options of kam abc, and a date column is required. The
    same file imported again is refused; lines already in the book are
    skipped, so overlapping exports never count twice.
    """
    book = book_for(ctx, params["data_dir"])
    options = _options(book, ImportKind.SALES, file, params)
    request = build_request(ImportKind.SALES, file, options, dry_run=params["dry_run"])
    with _progress_bar(params["progress"], SALES_STEPS, f"importing {file.name}") as progress:
        result = import_file(book, request, progress)
    if params["save_profile"] and not result.rejected:
        save_profile(book, params["save_profile"], ImportKind.SALES, options_to_save(options, file))
    _finish(ctx, result, params)


@import_group.command(name="log")
@data_dir_option
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.pass_context
def log(ctx: click.Context, /, data_dir: Path | None, limit: int) -> None:
    """List the imports into the book, newest first."""
    book = book_for(ctx, data_dir)
    rows = [
        {
            "id": r.id,
            "when": r.started_at.strftime("%Y-%m-%d %H:%M"),
            "user": r.user,
            "kind": r.kind.value,
            "file": r.file_name,
            "status": r.status,
            "inserted": r.counts.inserted,
            "updated": r.counts.updated,
            "unchanged": r.counts.unchanged,
            "rejected": r.counts.rejected,
            "skipped": r.counts.skipped,
            "sha256": r.file_hash[:12],
        }
        for r in import_history(book, limit)
    ]
    if not rows:
        click.echo("No imports yet.")
        return
    numbers = ("id", "inserted", "updated", "unchanged", "rejected", "skipped")
    click.echo(render_text_table(rows, list(rows[0]), right=numbers))


@import_group.command(name="profiles")
@data_dir_option
@click.pass_context
def profiles(ctx: click.Context, /, data_dir: Path | None) -> None:
    """List the mapping profiles: saved in the book, and shipped with kam."""
    book = book_for(ctx, data_dir)
    rows = [
        {"name": p.name, "kind": p.kind.value, "source": p.source, "about": p.description}
        for p in list_profiles(book)
    ]
    click.echo(render_text_table(rows, ["name", "kind", "source", "about"]))
