"""``kam export classes``: the classified book as CSV or Excel."""

from __future__ import annotations

from pathlib import Path

import click

from kam.cli.book import book_for, data_dir_option
from kam.i18n import N_, ngettext
from kam.i18n.commands import group, option
from kam.i18n.formats import format_count
from kam.services.exports import EXPORT_FORMATS, export_classes
from kam.services.wording import policy_text


@group(name="export", help=N_("Export the book to files for spreadsheets and other tools."))
def export() -> None:
    """``kam export``: see the help."""


@export.command(
    name="classes",
    help=N_(
        "Write each client's class in a run with its name, group and owner.\n\n"
        "Beside the class: the computed class, the override mark, the class in the previous "
        "run, value, change in value, share, rank and reason. The headings are in the "
        "language of the moment. Text that a spreadsheet could take for a formula is written "
        "as plain text."
    ),
)
@option(
    "--run",
    default="latest",
    show_default=True,
    metavar="latest|ID",
    help=N_("The classification run to export (ids are shown by kam classify)."),
)
@option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help=N_("File format [default: from the file name's extension, else csv]."),
)
@option(
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("The file to write (replaced whole)."),
)
@data_dir_option
@click.pass_context
def export_classes_command(
    ctx: click.Context, /, run: str, fmt: str | None, output: Path, data_dir: Path | None
) -> None:
    """``kam export classes``: see the help."""
    book = book_for(ctx, data_dir)
    chosen = fmt or ("xlsx" if output.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    exported = export_classes(book, "xlsx" if chosen == "xlsx" else "csv", output, run)
    count = len(exported.rows)
    click.echo(
        ngettext(
            "Wrote {count} client of run {run} ({period}, {policy}) to {output}.",
            "Wrote {count} clients of run {run} ({period}, {policy}) to {output}.",
            count,
        ).format(
            count=format_count(count),
            run=exported.run.id,
            period=exported.run.period,
            policy=policy_text(exported.run.policy),
            output=output,
        ),
        err=True,
    )
