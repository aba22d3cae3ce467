"""``kam class set|show|clear``: manual class overrides and a client's class history."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.files import date_value
from kam.cli.output import money, percent, render_text_table
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services.class_history import clear_override, set_override, show_history
from kam.services.wording import policy_text

#: The states of an override, as shown.
STATUSES = {"active": N_("active"), "expired": N_("expired"), "revoked": N_("revoked")}


@group(name="class", help=N_("Manual class overrides and each client's class history."))
def class_group() -> None:
    """``kam class``: see the help."""


@class_group.command(
    name="set",
    help=N_(
        "Hold CLIENT in CLASS (A, B or C) whatever the policy computes.\n\n"
        "kam classify then shows the override's class, with its reason and the computed "
        "class. A new override replaces the client's earlier one."
    ),
)
@click.argument("client")
@click.argument("abc_class", metavar="CLASS")
@option("--reason", required=True, help=N_("Why the client holds this class (required)."))
@option(
    "--until",
    callback=date_value,
    metavar="DATE",
    help=N_("Last day the override holds (YYYY-MM-DD) [default: until cleared]."),
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
    """``kam class set``: see the help."""
    book = book_for(ctx, data_dir)
    override = set_override(book, client, abc_class, reason, until)
    if override.until:
        message = _(
            "{client} is held in class {abc_class} until {until} (set by {user}: {reason})."
        )
    else:
        message = _("{client} is held in class {abc_class} (set by {user}: {reason}).")
    click.echo(
        message.format(
            client=client,
            abc_class=override.abc_class,
            until=override.until.isoformat() if override.until else "",
            user=override.set_by,
            reason=override.reason,
        )
    )


@class_group.command(
    name="clear",
    help=N_("Revoke CLIENT's override: from the next kam classify it holds the computed class."),
)
@click.argument("client")
@data_dir_option
@click.pass_context
def clear_class(ctx: click.Context, /, client: str, data_dir: Path | None) -> None:
    """``kam class clear``: see the help."""
    book = book_for(ctx, data_dir)
    if clear_override(book, client):
        click.echo(_("The override of {client} is revoked.").format(client=client))
    else:
        click.echo(_("{client} has no override to revoke.").format(client=client))


@class_group.command(
    name="show", help=N_("Print CLIENT's class in every run, with reasons, and its overrides.")
)
@click.argument("client")
@data_dir_option
@click.pass_context
def show_class(ctx: click.Context, /, client: str, data_dir: Path | None) -> None:
    """``kam class show``: see the help."""
    book = book_for(ctx, data_dir)
    history = show_history(book, client)
    if history.client and history.client.name:
        click.echo(_("Client {client} ({name})").format(client=client, name=history.client.name))
    else:
        click.echo(_("Client {client}").format(client=client))
    if history.snapshots:
        rows: list[dict[str, Any]] = [
            {
                "period": s.period,
                "policy": policy_text(s.policy),
                "class": s.abc_class,
                "computed": s.computed_class,
                "value": s.value / 100,
                "share": s.share,
                "rank": s.rank,
                "reason": s.explained(),
            }
            for s in history.snapshots
        ]
        click.echo("\n" + _("Class history:"))
        click.echo(
            render_text_table(
                rows,
                ["period", "policy", "class", "computed", "value", "share", "rank", "reason"],
                {"value": money, "share": percent},
                right=("value", "share", "rank"),
            )
        )
    else:
        click.echo("\n" + _("Not classified yet: run kam classify."))
    if history.overrides:
        today = date.today()
        overrides = [
            {
                "class": o.abc_class,
                "status": _(STATUSES.get(o.status(today), o.status(today))),
                "set at": o.set_at.isoformat(sep=" ", timespec="minutes"),
                "by": o.set_by,
                "until": o.until.isoformat() if o.until else "",
                "reason": o.reason,
            }
            for o in history.overrides
        ]
        click.echo("\n" + _("Overrides:"))
        click.echo(
            render_text_table(overrides, ["class", "status", "set at", "by", "until", "reason"])
        )
    else:
        click.echo("\n" + _("No overrides."))
