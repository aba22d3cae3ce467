"""``kam user``: the logins of the web application."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import click

from kam.cli.book import book_for, data_dir_option
from kam.domain.user import Role, User
from kam.i18n import LANGUAGES, N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services import user_admin, users

T = TypeVar("T")


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
        state = "" if user.active else "\t" + _("deactivated")
        click.echo(f"{user.name}\t{user.role.value}\t{user.full_name or ''}{state}")


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


def _admin_call(action: Callable[[], T]) -> T:
    """Run a user change; an unknown user or a refused change is one line, not a traceback."""
    try:
        return action()
    except LookupError as error:
        raise click.ClickException(str(error.args[0]) if error.args else str(error)) from None
    except user_admin.UserAdminError as error:
        raise click.ClickException(str(error)) from None


def _ended(name: str, count: int) -> str:
    return ngettext(
        "{count} session or token of {name} ended.",
        "{count} sessions and tokens of {name} ended.",
        count,
    ).format(count=count, name=name)


@user_group.command(
    name="deactivate",
    help=N_(
        "Deactivate NAME: it can no longer log in, and its sessions and tokens end at once "
        "(kam user activate gives it back)."
    ),
)
@click.argument("name")
@data_dir_option
@click.pass_context
def user_deactivate(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user deactivate``: see the help."""
    book = book_for(ctx, data_dir)
    count = _admin_call(lambda: user_admin.deactivate_user(book, name))
    click.echo(_("{name} is deactivated.").format(name=name) + " " + _ended(name, count))


@user_group.command(name="activate", help=N_("Let a deactivated user log in again."))
@click.argument("name")
@data_dir_option
@click.pass_context
def user_activate(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user activate``: see the help."""
    book = book_for(ctx, data_dir)
    _admin_call(lambda: user_admin.activate_user(book, name))
    click.echo(_("{name} may log in again.").format(name=name))


@user_group.command(
    name="role", help=N_("Give NAME another ROLE; its sessions and tokens end at once.")
)
@click.argument("name")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@data_dir_option
@click.pass_context
def user_role(ctx: click.Context, /, name: str, role: str, data_dir: Path | None) -> None:
    """``kam user role``: see the help."""
    book = book_for(ctx, data_dir)
    count = _admin_call(lambda: user_admin.change_role(book, name, role))
    click.echo(_("{name} is now {role}.").format(name=name, role=role) + " " + _ended(name, count))


@user_group.command(
    name="password",
    help=N_(
        "Give NAME a new password, asked for (or read from KAM_PASSWORD); its sessions and "
        "tokens end at once."
    ),
)
@click.argument("name")
@data_dir_option
@click.pass_context
def user_password(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user password``: see the help."""
    import os

    book = book_for(ctx, data_dir)
    password = os.environ.get("KAM_PASSWORD") or getpass.getpass(
        _("New password for {name}: ").format(name=name)
    )
    count = _admin_call(lambda: user_admin.reset_password(book, name, password))
    click.echo(_("{name} has a new password.").format(name=name) + " " + _ended(name, count))


@user_group.command(
    name="unassign",
    help=N_("Take an account manager off CLIENT's team; its sessions and tokens end at once."),
)
@click.argument("name")
@click.argument("client")
@data_dir_option
@click.pass_context
def user_unassign(ctx: click.Context, /, name: str, client: str, data_dir: Path | None) -> None:
    """``kam user unassign``: see the help."""
    book = book_for(ctx, data_dir)
    count = _admin_call(lambda: user_admin.unassign_manager(book, name, client))
    click.echo(
        _("{name} is off the team of {client}.").format(name=name, client=client)
        + " "
        + _ended(name, count)
    )


@user_group.command(
    name="revoke",
    help=N_(
        "Take back a viewer's grant of CLIENT (every grant when CLIENT is left out); its "
        "sessions and tokens end at once."
    ),
)
@click.argument("name")
@click.argument("client", required=False)
@data_dir_option
@click.pass_context
def user_revoke(
    ctx: click.Context, /, name: str, client: str | None, data_dir: Path | None
) -> None:
    """``kam user revoke``: see the help."""
    book = book_for(ctx, data_dir)
    count = _admin_call(lambda: user_admin.revoke_grant(book, name, client))
    click.echo(_("{name}'s grant is taken back.").format(name=name) + " " + _ended(name, count))


@user_group.command(
    name="remove",
    help=N_(
        "Remove NAME with its sessions, tokens, teams and grants; the clients it owned are "
        "left without an owner."
    ),
)
@click.argument("name")
@data_dir_option
@click.pass_context
def user_remove(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user remove``: see the help."""
    book = book_for(ctx, data_dir)
    _admin_call(lambda: user_admin.remove_user(book, name))
    click.echo(_("{name} is removed.").format(name=name))


@user_group.command(
    name="logout", help=N_("End every session and revoke every API token of NAME, at once.")
)
@click.argument("name")
@data_dir_option
@click.pass_context
def user_logout(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user logout``: see the help."""
    book = book_for(ctx, data_dir)
    click.echo(_ended(name, _admin_call(lambda: user_admin.end_sessions(book, name))))
