"""Commands on the book of clients: ``kam init``, and the shared ``--data-dir`` option."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.services.book import Book, init_book, open_book
from kam.settings import load_settings


def data_dir_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--data-dir`` on a command (default: setting data_dir, ``KAM_DATA_DIR``, ./kam-data)."""
    return option(
        "--data-dir",
        type=click.Path(path_type=Path, file_okay=False),
        help=N_("The data directory [setting data_dir: ./kam-data, or KAM_DATA_DIR]."),
    )(command)


def settings_for(ctx: click.Context, **flags: Any) -> dict[str, str]:
    """The settings with this command's flags on top (a flag of None is not given)."""
    values = {k: (str(v) if v is not None else None) for k, v in flags.items()}
    settings = load_settings(os.environ, ctx.meta.get("kam.settings_file"), values)
    from kam.cli import activate_language, activate_settings_currency

    if settings.get("language"):  # the data directory's settings file may name one
        activate_language(settings["language"], os.environ)
    activate_settings_currency(settings)  # and the currency of its amounts
    return settings


def book_for(ctx: click.Context, data_dir: Path | None, **flags: Any) -> Book:
    """Open the book of the command's data directory; closed when the command ends."""
    book = open_book(settings_for(ctx, data_dir=data_dir, **flags))
    ctx.call_on_close(book.close)
    return book


@command(help=N_("Create a data directory with an empty book (or bring its schema up to date)."))
@data_dir_option
@option("--database-url", help=N_("PostgreSQL URL [setting database_url; default SQLite]."))
@click.pass_context
def init(ctx: click.Context, /, data_dir: Path | None, database_url: str | None) -> None:
    """``kam init``: see the help."""
    book = init_book(settings_for(ctx, data_dir=data_dir, database_url=database_url))
    try:
        click.echo(_("The book is ready in {folder}.").format(folder=book.data_dir))
    finally:
        book.close()
