"""Commands on the book of clients: ``kam init``, and the shared ``--data-dir`` option."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kam.services.book import Book, init_book, open_book
from kam.settings import load_settings


def data_dir_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--data-dir`` on a command (default: setting data_dir, ``KAM_DATA_DIR``, ./kam-data)."""
    return click.option(
        "--data-dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="The data directory [setting data_dir: ./kam-data, or KAM_DATA_DIR].",
    )(command)


def settings_for(ctx: click.Context, **flags: Any) -> dict[str, str]:
    """The settings with this command's flags on top (a flag of None is not given)."""
    values = {k: (str(v) if v is not None else None) for k, v in flags.items()}
    return load_settings(os.environ, ctx.meta.get("kam.settings_file"), values)


def book_for(ctx: click.Context, data_dir: Path | None, **flags: Any) -> Book:
    """Open the book of the command's data directory; closed when the command ends."""
    book = open_book(settings_for(ctx, data_dir=data_dir, **flags))
    ctx.call_on_close(book.close)
    return book


@click.command()
@data_dir_option
@click.option("--database-url", help="PostgreSQL URL [setting database_url; default SQLite].")
@click.pass_context
def init(ctx: click.Context, /, data_dir: Path | None, database_url: str | None) -> None:
    """Create a data directory with an empty book (or bring its schema up to date)."""
    book = init_book(settings_for(ctx, data_dir=data_dir, database_url=database_url))
    try:
        click.echo(f"The book is ready in {book.data_dir}.")
    finally:
        book.close()
