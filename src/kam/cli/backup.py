"""``kam backup`` and ``kam restore``: a consistent copy of the book, and bringing it back."""

from __future__ import annotations

from pathlib import Path

import click

from kam.cli.book import data_dir_option, settings_for
from kam.services.backup import BackupReport, backup_book, restore_book


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{size} B"


def _describe(report: BackupReport) -> str:
    settings = ", the settings file" if report.settings else ""
    return (
        f"the database, {report.sales_files:,} sales files ({report.lines:,} lines){settings}; "
        f"{_size(report.size)}"
    )


@click.command()
@click.argument("destination", type=click.Path(path_type=Path, file_okay=False))
@data_dir_option
@click.pass_context
def backup(ctx: click.Context, /, destination: Path, data_dir: Path | None) -> None:
    """Write a consistent copy of the book to a new folder DESTINATION.

    Safe while kam is in use: the database is copied with SQLite's online
    backup API, then exactly the sales files that copy lists, and the
    settings file. Books on PostgreSQL are backed up with pg_dump instead.
    """
    report = backup_book(settings_for(ctx, data_dir=data_dir), destination)
    click.echo(f"Backed up to {report.folder}: {_describe(report)}.")


@click.command()
@click.argument("source", type=click.Path(path_type=Path, file_okay=False, exists=True))
@data_dir_option
@click.option("--force", is_flag=True, help="Replace the book in the data directory.")
@click.pass_context
def restore(ctx: click.Context, /, source: Path, data_dir: Path | None, force: bool) -> None:
    """Bring back the book from a backup folder SOURCE made by kam backup.

    Refuses to replace a book that holds data unless --force is given. The
    backup is checked and copied beside the data directory, then swapped in,
    so a restore that fails leaves the book as it was. Stop other kam
    processes on the book first.
    """
    report = restore_book(settings_for(ctx, data_dir=data_dir), source, force=force)
    click.echo(f"Restored {report.folder} from {source}: {_describe(report)}.")
