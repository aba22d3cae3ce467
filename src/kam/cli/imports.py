"""``kam import clients|products|people|sales FILE``, and the import log and profiles."""

from __future__ import annotations

import contextlib
import csv
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from kam.cli.alerts import run_after
from kam.cli.book import book_for, data_dir_option
from kam.cli.files import sales_options
from kam.cli.output import render_text_table
from kam.domain.import_log import PROBLEM_KINDS, ImportKind, ImportProblem
from kam.i18n import N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import TranslatedCommand, group, option
from kam.i18n.formats import format_count
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

#: What each kind of file holds, as the summaries say it.
KINDS = {
    ImportKind.CLIENTS: N_("clients"),
    ImportKind.PRODUCTS: N_("products"),
    ImportKind.PEOPLE: N_("people"),
    ImportKind.SALES: N_("sales"),
}

#: The help of ``kam import clients|products|people``.
MASTER_HELP = {
    ImportKind.CLIENTS: N_(
        "Import clients from FILE (CSV, Excel or Parquet), matched by key.\n\n"
        "Keys already in the book are updated (only the fields the file holds), new keys "
        "inserted; with any bad row nothing is imported."
    ),
    ImportKind.PRODUCTS: N_(
        "Import products from FILE (CSV, Excel or Parquet), matched by key.\n\n"
        "Keys already in the book are updated (only the fields the file holds), new keys "
        "inserted; with any bad row nothing is imported."
    ),
    ImportKind.PEOPLE: N_(
        "Import people from FILE (CSV, Excel or Parquet), matched by key.\n\n"
        "Keys already in the book are updated (only the fields the file holds), new keys "
        "inserted; with any bad row nothing is imported."
    ),
}

#: The steps of an import, as the progress bar names them.
STEPS = {
    "read": N_("reading"),
    "check": N_("checking"),
    "lock": N_("waiting for the book"),
    "compare": N_("comparing with the book"),
    "write": N_("writing"),
    "publish": N_("publishing"),
}

HELP = {
    "key": N_("Column with the external key [default: id, key, code or a plain name]."),
    "name": N_("Column with the name."),
    "parent": N_("Column with the key of the parent client (its group)."),
    "industry": N_("Column with the industry."),
    "country": N_("Column with the country."),
    "employees": N_("Column with the number of employees (0 or more)."),
    "turnover": N_("Column with the annual turnover (money, 0 or more)."),
    "potential": N_("Column with the potential: what the client could buy from us."),
    "potential_source": N_(
        "Where the potential comes from: one text for every row [default: column potential_source]."
    ),
    "potential_as_of": N_(
        "The potential's date, YYYY-MM-DD, for every row [default: column potential_as_of]."
    ),
    "owner": N_("Column with the owner (the key account manager's user name)."),
    "group": N_("Column with the product group."),
    "price": N_("Column with the list price."),
    "client": N_("Column with the client's key."),
    "title": N_("Column with the person's title."),
    "department": N_("Column with the department."),
    "email": N_("Column with the e-mail address."),
    "phone": N_("Column with the phone number."),
    "reports_to": N_("Column with the key of the person this one reports to."),
}


def _common_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        data_dir_option,
        option("--profile", help=N_("Take the column options from a saved or shipped profile.")),
        option(
            "--save-profile", metavar="NAME", help=N_("Save this import's column options as NAME.")
        ),
        option("--dry-run", is_flag=True, help=N_("Check the file and count; write nothing.")),
        option(
            "--report",
            type=click.Path(path_type=Path, dir_okay=False),
            help=N_("Write every bad row to this CSV file."),
        ),
        option(
            "--progress/--no-progress",
            default=None,
            help=N_("Show a progress bar [default: when standard error is a terminal]."),
        ),
        option(
            "--join",
            help=N_(
                "A second file whose columns are added to each row by --on (relative to "
                "FILE's folder in a profile)."
            ),
        ),
        option("--on", help=N_("The column shared by FILE and --join.")),
    ]
    for add in reversed(options):
        command = add(command)
    return command


def _read_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        option("--delimiter", help=N_("CSV delimiter [default: detected].")),
        option("--encoding", help=N_("Text encoding [default: detected].")),
        option(
            "--decimal", type=click.Choice([".", ","]), help=N_("Decimal separator [detected].")
        ),
        option("--date-format", help=N_("strptime format of text dates [detected].")),
        option("--sheet", help=N_("Excel sheet [default: the first].")),
    ]
    for add in reversed(options):
        command = add(command)
    return command


@group(
    name="import",
    help=N_(
        "Import clients, products, people or sales into the book (CSV, Excel or Parquet).\n\n"
        "A file with any bad row imports nothing: every bad row is listed (file, row, column, "
        "value, what was expected) and the exit status is 2. Clients, products and people are "
        "matched by key and updated, never doubled; a sales file is imported once, and lines "
        "already in the book are skipped."
    ),
)
def import_group() -> None:
    """``kam import``: see the help."""


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
            bar.label = _("{file}: {step}").format(file=label, step=_(STEPS.get(name, name)))
            bar.render_progress()

        yield advance
        bar.update(len(steps) - bar.pos)


def _finish(ctx: click.Context, book: Book, result: ImportResult, params: dict[str, Any]) -> None:
    if params["report"] is not None:
        _write_report(params["report"], result.problems)
    if result.rejected:
        _print_rejection(result)
        ctx.close()
        sys.exit(2)
    click.echo(render_result(result))
    if not params["dry_run"]:
        run_after(book)


def render_result(result: ImportResult) -> str:
    """The summary of an import, for people."""
    name = Path(result.file).name
    kind = _(KINDS[result.kind])
    if result.dry_run:
        head = _("Dry run, nothing written: {kind} from {file} would give").format(
            kind=kind, file=name
        )
    else:
        head = _("Imported {kind} from {file} (import {id})").format(
            kind=kind, file=name, id=result.import_id
        )
    counts = result.counts
    rows: list[tuple[str, str]] = []
    if result.kind is ImportKind.SALES:
        rows.append(
            (
                _("lines read"),
                _("{count} ({without} without a client)").format(
                    count=format_count(result.rows), without=format_count(result.without_client)
                ),
            )
        )
        rows.append((_("inserted"), format_count(counts.inserted)))
        rows.append(
            (
                _("skipped"),
                _("{count} (already in the book)").format(count=format_count(counts.skipped)),
            )
        )
        rows.append((_("clients created"), format_count(result.clients_created)))
        if result.first_date is not None and result.last_date is not None:
            rows.append(
                (
                    _("dates"),
                    _("{first} to {last}").format(
                        first=result.first_date.isoformat(), last=result.last_date.isoformat()
                    ),
                )
            )
    else:
        rows.append((_("rows read"), format_count(result.rows)))
        rows.append((_("inserted"), format_count(counts.inserted)))
        rows.append((_("updated"), format_count(counts.updated)))
        rows.append((_("unchanged"), format_count(counts.unchanged)))
    rows.append((_("rejected"), format_count(counts.rejected)))
    width = max(len(label) for label, _value in rows)
    lines = [head + ":", *(f"  {label:<{width}}  {value}" for label, value in rows)]
    if result.warnings:
        lines.append(
            ngettext(
                "{count} warning (imported all the same):",
                "{count} warnings (imported all the same):",
                len(result.warnings),
            ).format(count=format_count(len(result.warnings)))
        )
        lines.extend(f"  {w.describe()}" for w in result.warnings[:PRINTED_PROBLEMS])
        if len(result.warnings) > PRINTED_PROBLEMS:
            more = len(result.warnings) - PRINTED_PROBLEMS
            lines.append("  " + _("... and {count} more").format(count=format_count(more)))
    return "\n".join(lines)


def _print_rejection(result: ImportResult) -> None:
    problems = result.problems
    rows = ngettext("{count} bad row", "{count} bad rows", result.counts.rejected).format(
        count=format_count(result.counts.rejected)
    )
    found = ngettext("{count} problem", "{count} problems", len(problems)).format(
        count=format_count(len(problems))
    )
    click.echo(
        _("kam: {file} rejected: {rows} ({problems}); nothing was imported").format(
            file=result.file, rows=rows, problems=found
        ),
        err=True,
    )
    for problem in problems[:PRINTED_PROBLEMS]:
        click.echo(f"  {problem.describe()}", err=True)
    if len(problems) > PRINTED_PROBLEMS:
        more = len(problems) - PRINTED_PROBLEMS
        click.echo(
            "  "
            + ngettext(
                "... and {count} more; --report FILE writes them all",
                "... and {count} more; --report FILE writes them all",
                more,
            ).format(count=format_count(more)),
            err=True,
        )


#: The headings of the ``--report`` file, a file for people.
REPORT_HEADINGS = (
    N_("file"),
    N_("row"),
    N_("column"),
    N_("value"),
    N_("expected"),
    N_("problem"),
)


def _write_report(path: Path, problems: Sequence[ImportProblem]) -> None:
    """Every bad row as CSV, headed in the language of the moment; safe in a spreadsheet."""
    from kam.domain.spreadsheet import neutralize_cell

    def cell(value: object) -> object:
        return neutralize_cell(value) if isinstance(value, str) else value

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_(h) for h in REPORT_HEADINGS])
        for p in problems:
            kind = _(PROBLEM_KINDS[p.kind])
            writer.writerow(map(cell, [p.file, p.row, p.column, p.value, p.expected, kind]))


def _import_master(
    ctx: click.Context, kind: ImportKind, file: Path, params: dict[str, Any]
) -> None:
    book = book_for(ctx, params["data_dir"])
    options = _options(book, kind, file, params)
    request = build_request(kind, file, options, dry_run=params["dry_run"])
    label = _("importing {file}").format(file=file.name)
    with _progress_bar(params["progress"], MASTER_STEPS, label) as progress:
        result = import_file(book, request, progress)
    if params["save_profile"] and not result.rejected:
        save_profile(book, params["save_profile"], kind, options_to_save(options, file))
    _finish(ctx, book, result, params)


def _master_command(kind: ImportKind) -> click.Command:
    def command(ctx: click.Context, /, file: Path, **params: Any) -> None:
        _import_master(ctx, kind, file, params)

    decorated: Callable[..., Any] = click.pass_context(command)
    decorated = _read_options(decorated)
    for role, *_rest in reversed(FIELDS[kind]):
        name = option_of(role)
        decorated = option("--" + name.replace("_", "-"), name, help=HELP[name])(decorated)
    decorated = _common_options(decorated)
    decorated = click.argument("file", type=click.Path(path_type=Path, dir_okay=False))(decorated)
    made: click.Command = click.command(
        name=kind.value, cls=TranslatedCommand, help=MASTER_HELP[kind]
    )(decorated)
    return made


for _kind in (ImportKind.CLIENTS, ImportKind.PRODUCTS, ImportKind.PEOPLE):
    import_group.add_command(_master_command(_kind))


@import_group.command(
    name="sales",
    help=N_(
        "Import the sales lines of FILE (CSV, Excel or Parquet) into the book.\n\n"
        "Takes the column options of kam abc, and a date column is required. The same file "
        "imported again is refused; lines already in the book are skipped, so overlapping "
        "exports never count twice."
    ),
)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@_common_options
@sales_options
@option("--product", help=N_("Column with the product [default: product_id, StockCode...]."))
@option("--discount", help=N_("Column with a discount fraction: amount x (1 - discount)."))
@option(
    "--line-key",
    metavar="COL[,COL]",
    help=N_(
        "Columns that identify a line [default: a hash of the line's fields and its "
        "occurrence among identical lines of the file]."
    ),
)
@option(
    "--require-clients/--create-clients",
    default=None,
    help=N_(
        "Unknown client ids are errors (missing reference) [default: create them as "
        "bare clients named by their key]."
    ),
)
@option(
    "--allow-dates-outside",
    is_flag=True,
    default=None,
    help=N_(
        "Import lines dated outside the window of plausible dates (settings earliest_date and "
        "latest_date), listing them as warnings [default: they are bad rows]."
    ),
)
@click.pass_context
def sales(ctx: click.Context, /, file: Path, **params: Any) -> None:
    """``kam import sales``: see the help."""
    book = book_for(ctx, params["data_dir"])
    options = _options(book, ImportKind.SALES, file, params)
    request = build_request(ImportKind.SALES, file, options, dry_run=params["dry_run"])
    label = _("importing {file}").format(file=file.name)
    with _progress_bar(params["progress"], SALES_STEPS, label) as progress:
        result = import_file(book, request, progress)
    if params["save_profile"] and not result.rejected:
        save_profile(book, params["save_profile"], ImportKind.SALES, options_to_save(options, file))
    _finish(ctx, book, result, params)


@import_group.command(name="log", help=N_("List the imports into the book, newest first."))
@data_dir_option
@option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help=N_("Show only the latest N imports."),
)
@click.pass_context
def log(ctx: click.Context, /, data_dir: Path | None, limit: int) -> None:
    """``kam import log``: see the help."""
    book = book_for(ctx, data_dir)
    rows = [
        {
            "id": r.id,
            "when": r.started_at.strftime("%Y-%m-%d %H:%M"),
            "user": r.user,
            "kind": _(KINDS[r.kind]),
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
        click.echo(_("No imports yet."))
        return
    numbers = ("id", "inserted", "updated", "unchanged", "rejected", "skipped")
    click.echo(render_text_table(rows, list(rows[0]), right=numbers))


@import_group.command(
    name="profiles",
    help=N_("List the mapping profiles: saved in the book, and shipped with kam."),
)
@data_dir_option
@click.pass_context
def profiles(ctx: click.Context, /, data_dir: Path | None) -> None:
    """``kam import profiles``: see the help."""
    book = book_for(ctx, data_dir)
    rows = [
        {"name": p.name, "kind": _(KINDS[p.kind]), "source": p.source, "about": p.description}
        for p in list_profiles(book)
    ]
    click.echo(render_text_table(rows, ["name", "kind", "source", "about"]))
