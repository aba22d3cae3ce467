"""``kam user``: the logins of the web application."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path

import click

from kam.cli.book import book_for, data_dir_option
from kam.domain.user import Role, User
from kam.i18n import LANGUAGES, N_
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services import users


@group(name="user", help=N_("Users of the web application."))
def user_group() -> None:
    """``kam user``: see the help."""


@user_group.command(
    name="add", help=N_("Add a user; the password is asked for (or read from KAM_PASSWORD).")
)
@click.argument("name")
@option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help=N_(
        "admin: users and settings; head: all clients; manager: its own "
        "clients; viewer: reads what it is granted."
    ),
)
@option("--full-name", help=N_("The person's name."))
@option("--email", help=N_("E-mail address."))
@option(
    "--language",
    type=click.Choice(list(LANGUAGES)),
    help=N_("The language the user reads kam in [default: the browser's]."),
)
@data_dir_option
@click.pass_context
def user_add(
    ctx: click.Context,
    /,
    name: str,
    role: str,
    full_name: str | None,
    email: str | None,
    language: str | None,
    data_dir: Path | None,
) -> None:
    """``kam user add``: see the help."""
    import os

    book = book_for(ctx, data_dir)
    password = os.environ.get("KAM_PASSWORD") or getpass.getpass(
        _("Password for {name}: ").format(name=name)
    )
    users.add_user(book, User(name, Role(role), full_name, email), password, datetime.now())
    if language:
        users.set_language(book, name, language)
    click.echo(_("Added {name} ({role}).").format(name=name, role=role))


@user_group.command(
    name="language",
    help=N_("Set the language NAME reads kam in: en or pl; left out, kam follows the browser's."),
)
@click.argument("name")
@click.argument("language", required=False, type=click.Choice(list(LANGUAGES)))
@data_dir_option
@click.pass_context
def user_language(
    ctx: click.Context, /, name: str, language: str | None, data_dir: Path | None
) -> None:
    """``kam user language``: see the help."""
    users.set_language(book_for(ctx, data_dir), name, language)
    if language:
        click.echo(
            _("{name} reads kam in {language}.").format(name=name, language=LANGUAGES[language])
        )
    else:
        click.echo(_("{name} reads kam in the browser's language.").format(name=name))


@user_group.command(name="list", help=N_("List the users."))
@data_dir_option
@click.pass_context
def user_list(ctx: click.Context, /, data_dir: Path | None) -> None:
    """``kam user list``: see the help."""
    for user in users.list_users(book_for(ctx, data_dir)):
        click.echo(f"{user.name}\t{user.role.value}\t{user.full_name or ''}")


@user_group.command(
    name="grant",
    help=N_("Let a viewer read CLIENT (or every client when CLIENT is left out)."),
)
@click.argument("name")
@click.argument("client", required=False)
@data_dir_option
@click.pass_context
def user_grant(ctx: click.Context, /, name: str, client: str | None, data_dir: Path | None) -> None:
    """``kam user grant``: see the help."""
    users.grant(book_for(ctx, data_dir), name, client)
    if client:
        click.echo(_("{name} may read {client}.").format(name=name, client=client))
    else:
        click.echo(_("{name} may read every client.").format(name=name))


@user_group.command(name="assign", help=N_("Put an account manager on CLIENT's team."))
@click.argument("name")
@click.argument("client")
@data_dir_option
@click.pass_context
def user_assign(ctx: click.Context, /, name: str, client: str, data_dir: Path | None) -> None:
    """``kam user assign``: see the help."""
    users.assign(book_for(ctx, data_dir), client, name)
    click.echo(_("{name} is on the team of {client}.").format(name=name, client=client))
