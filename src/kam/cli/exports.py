"""``kam export classes``: the classified book as CSV or Excel."""

from __future__ import annotations

from pathlib import Path

import click

from kam.cli.book import book_for, data_dir_option
from kam.services.exports import EXPORT_FORMATS, export_classes


@click.group(name="export")
def export() -> None:
    """Export the book to files for spreadsheets and other tools."""


@export.command(name="classes")
@click.option(
    "--run",
    default="latest",
    show_default=True,
    metavar="latest|ID",
    help="The classification run to export (ids are shown by kam classify).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help="File format [default: from the file name's extension, else csv].",
)
@click.option(
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to write (replaced whole).",
)
@data_dir_option
@click.pass_context
def export_classes_command(
    ctx: click.Context, /, run: str, fmt: str | None, output: Path, data_dir: Path | None
) -> None:
    """Write each client's class in a run with its name, group and owner.

    Beside the class: the computed class, the override mark, the class in the
    previous run, value, change in value, share, rank and reason. Text that a
    spreadsheet could take for a formula is written as plain text.
    """
    book = book_for(ctx, data_dir)
    chosen = fmt or ("xlsx" if output.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    exported = export_classes(book, "xlsx" if chosen == "xlsx" else "csv", output, run)
    click.echo(
        f"Wrote {len(exported.rows):,} clients of run {exported.run.id} "
        f"({exported.run.period}, {exported.run.policy}) to {output}.",
        err=True,
    )
