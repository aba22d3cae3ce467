"""``kam class set|show|clear``: manual class overrides and a client's class history."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from kam.cli.abc import date_value
from kam.cli.book import book_for, data_dir_option
from kam.cli.output import money, percent, render_text_table
from kam.services.class_history import clear_override, set_override, show_history


@click.group(name="class")
def class_group() -> None:
    """Manual class overrides and each client's class history."""


@class_group.command(name="set")
@click.argument("client")
@click.argument("abc_class", metavar="CLASS")
@click.option("--reason", required=True, help="Why the client holds this class (required).")
@click.option(
    "--until",
    callback=date_value,
    metavar="DATE",
    help="Last day the override holds (YYYY-MM-DD) [default: until cleared].",
)
@data_dir_option
@click.pass_context
def set_class(
    ctx: click.Context,
    /,
    client: str,
    abc_class: str,
    reason: str,
    until: date | None,
    data_dir: Path | None,
) -> None:
    """Hold CLIENT in CLASS (A, B or C) whatever the policy computes.

    kam classify then shows the override's class, with its reason and the
    computed class. A new override replaces the client's earlier one.
    """
    book = book_for(ctx, data_dir)
    override = set_override(book, client, abc_class, reason, until)
    until_text = f" until {override.until.isoformat()}" if override.until else ""
    click.echo(
        f"{client} is held in class {override.abc_class}{until_text} "
        f"(set by {override.set_by}: {override.reason})."
    )


@class_group.command(name="clear")
@click.argument("client")
@data_dir_option
@click.pass_context
def clear_class(ctx: click.Context, /, client: str, data_dir: Path | None) -> None:
    """Revoke CLIENT's override: from the next kam classify it holds the computed class."""
    book = book_for(ctx, data_dir)
    if clear_override(book, client):
        click.echo(f"The override of {client} is revoked.")
    else:
        click.echo(f"{client} has no override to revoke.")


@class_group.command(name="show")
@click.argument("client")
@data_dir_option
@click.pass_context
def show_class(ctx: click.Context, /, client: str, data_dir: Path | None) -> None:
    """Print CLIENT's class in every run, with reasons, and its overrides."""
    book = book_for(ctx, data_dir)
    history = show_history(book, client)
    name = f" ({history.client.name})" if history.client else ""
    click.echo(f"Client {client}{name}")
    if history.snapshots:
        rows: list[dict[str, Any]] = [
            {
                "period": s.period,
                "policy": s.policy,
                "class": s.abc_class,
                "computed": s.computed_class,
                "value": s.value / 100,
                "share": s.share,
                "rank": s.rank,
                "reason": s.override_reason or s.reason,
            }
            for s in history.snapshots
        ]
        click.echo("\nClass history:")
        click.echo(
            render_text_table(
                rows,
                ["period", "policy", "class", "computed", "value", "share", "rank", "reason"],
                {"value": money, "share": percent},
                right=("value", "share", "rank"),
            )
        )
    else:
        click.echo("\nNot classified yet: run kam classify.")
    if history.overrides:
        today = date.today()
        overrides = [
            {
                "class": o.abc_class,
                "status": o.status(today),
                "set at": o.set_at.isoformat(sep=" ", timespec="minutes"),
                "by": o.set_by,
                "until": o.until.isoformat() if o.until else "",
                "reason": o.reason,
            }
            for o in history.overrides
        ]
        click.echo("\nOverrides:")
        click.echo(
            render_text_table(overrides, ["class", "status", "set at", "by", "until", "reason"])
        )
    else:
        click.echo("\nNo overrides.")
