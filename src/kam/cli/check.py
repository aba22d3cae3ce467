"""``kam check``: the clients' figures the book keeps, recomputed from its lines."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kam.cli.book import book_for, data_dir_option
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.i18n.formats import format_count
from kam.services.client_figures import (
    Figures,
    check_figures,
    write_missing_figures,
)


def _figures(figures: Figures | None) -> str:
    if figures is None:
        return _("none")
    return _("value {value}, margin {margin}, {lines} lines, last {last}").format(
        value=figures.value, margin=figures.margin, lines=figures.lines, last=figures.last_date
    )


@command(
    help=N_(
        "Recompute each client's figures by month (value, margin, lines, last date) and the "
        "products each bought from the book's sales lines, and compare them with those the "
        "book keeps. Exits with 1 when anything differs.\n\n"
        "--repair writes the figures of imports made before the book kept them."
    )
)
@data_dir_option
@option(
    "--repair",
    is_flag=True,
    help=N_("First write the figures of imports made before the book kept them."),
)
@click.pass_context
def check(ctx: click.Context, /, data_dir: Path | None, repair: bool) -> None:
    """``kam check``: see the help."""
    book = book_for(ctx, data_dir)
    if repair:
        written = write_missing_figures(book)
        click.echo(_("Figures written for {count} imports.").format(count=written))
    found = check_figures(book)
    if found.clean:
        click.echo(
            _("The clients' figures agree with the lines: {count} clients x months.").format(
                count=format_count(found.compared)
            )
        )
        return
    if found.imports_without_figures:
        click.echo(
            _("Imports without figures: {imports} (kam check --repair writes them).").format(
                imports=", ".join(str(i) for i in found.imports_without_figures)
            )
        )
    for difference in found.differences:
        click.echo(
            _("{client} {month}: kept {kept}; from the lines {recomputed}").format(
                client=difference.client_id or _("(no client)"),
                month=difference.month,
                kept=_figures(difference.kept),
                recomputed=_figures(difference.recomputed),
            )
        )
    if found.product_differences:
        click.echo(
            _("{count} products bought by a client differ from the lines.").format(
                count=format_count(found.product_differences)
            )
        )
    ctx.close()
    sys.exit(1)
