"""``kam backup`` and ``kam restore``: a consistent copy of the book, and bringing it back."""

from __future__ import annotations

from pathlib import Path

import click

from kam.cli.book import data_dir_option, settings_for
from kam.i18n import N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.i18n.formats import format_count, format_number
from kam.services.backup import BackupReport, backup_book, restore_book


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            number = format_number(value, 0 if unit == "B" else 1)
            return f"{number} {unit}"
        value /= 1024
    return f"{size} B"


def _describe(report: BackupReport) -> str:
    files = ngettext("{count} sales file", "{count} sales files", report.sales_files).format(
        count=format_count(report.sales_files)
    )
    lines = ngettext("{count} line", "{count} lines", report.lines).format(
        count=format_count(report.lines)
    )
    if report.settings:
        text = _("the database, {files} ({lines}), the settings file; {size}")
    else:
        text = _("the database, {files} ({lines}); {size}")
    return text.format(files=files, lines=lines, size=_size(report.size))


@command(
    help=N_(
        "Write a consistent copy of the book to a new folder DESTINATION.\n\n"
        "Safe while kam is in use: the database is copied with SQLite's online backup API "
        "(a book on PostgreSQL: pg_dump, in the snapshot that lists the sales files), then "
        "exactly the sales files that copy lists, and the settings file."
    )
)
@click.argument("destination", type=click.Path(path_type=Path, file_okay=False))
@data_dir_option
@click.pass_context
def backup(ctx: click.Context, /, destination: Path, data_dir: Path | None) -> None:
    """``kam backup``: see the help."""
    report = backup_book(settings_for(ctx, data_dir=data_dir), destination)
    click.echo(
        _("Backed up to {folder}: {contents}.").format(
            folder=report.folder, contents=_describe(report)
        )
    )


@command(
    help=N_(
        "Bring back the book from a backup folder SOURCE made by kam backup.\n\n"
        "Refuses to replace a book that holds data unless --force is given. The backup is "
        "checked and copied beside the data directory, then swapped in, so a restore that "
        "fails leaves the book as it was. Stop other kam processes on the book first."
    )
)
@click.argument("source", type=click.Path(path_type=Path, file_okay=False, exists=True))
@data_dir_option
@option("--force", is_flag=True, help=N_("Replace the book in the data directory."))
@click.pass_context
def restore(ctx: click.Context, /, source: Path, data_dir: Path | None, force: bool) -> None:
    """``kam restore``: see the help."""
    report = restore_book(settings_for(ctx, data_dir=data_dir), source, force=force)
    click.echo(
        _("Restored {folder} from {source}: {contents}.").format(
            folder=report.folder, source=source, contents=_describe(report)
        )
    )
