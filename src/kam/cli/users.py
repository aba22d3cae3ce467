"""``kam user``: the logins of the web application."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from kam.cli.book import book_for, data_dir_option
from kam.domain.user import Role, User
from kam.i18n import LANGUAGES, N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services import user_admin, users
from kam.services.book import Book

T = TypeVar("T")
#: A click decorator adding an argument or an option to a command.
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


@group(name="user", help=N_("Users of the web application."))
def user_group() -> None:
    """``kam user``: see the help."""


def _user_command(
    name: str, help: str, *arguments: Decorator
) -> Callable[[Callable[..., Any]], click.Command]:
    """A ``kam user`` command on the user NAME, then ``arguments``, in the book of --data-dir."""

    def make(function: Callable[..., Any]) -> click.Command:
        decorators: list[Decorator] = [
            click.argument("name"),
            *arguments,
            data_dir_option,
            click.pass_context,
        ]
        for add in reversed(decorators):
            function = add(function)
        return user_group.command(name=name, help=help)(function)

    return make


_CLIENT = click.argument("client")
_ANY_CLIENT = click.argument("client", required=False)


@_user_command(
    "add",
    N_("Add a user; the password is asked for (or read from KAM_PASSWORD)."),
    option(
        "--role",
        type=click.Choice([r.value for r in Role]),
        required=True,
        help=N_(
            "admin: users and settings; head: all clients; manager: its own "
            "clients; viewer: reads what it is granted."
        ),
    ),
    option("--full-name", help=N_("The person's name.")),
    option("--email", help=N_("E-mail address.")),
    option(
        "--language",
        type=click.Choice(list(LANGUAGES)),
        help=N_("The language the user reads kam in [default: the browser's]."),
    ),
)
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
    book = book_for(ctx, data_dir)
    password = _password(_("Password for {name}: ").format(name=name))
    users.add_user(book, User(name, Role(role), full_name, email), password, datetime.now())
    if language:
        users.set_language(book, name, language)
    click.echo(_("Added {name} ({role}).").format(name=name, role=role))


@_user_command(
    "language",
    N_("Set the language NAME reads kam in: en or pl; left out, kam follows the browser's."),
    click.argument("language", required=False, type=click.Choice(list(LANGUAGES))),
)
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


@_user_command(
    "grant", N_("Let a viewer read CLIENT (or every client when CLIENT is left out)."), _ANY_CLIENT
)
def user_grant(ctx: click.Context, /, name: str, client: str | None, data_dir: Path | None) -> None:
    """``kam user grant``: see the help."""
    users.grant(book_for(ctx, data_dir), name, client)
    if client:
        click.echo(_("{name} may read {client}.").format(name=name, client=client))
    else:
        click.echo(_("{name} may read every client.").format(name=name))


@_user_command("assign", N_("Put an account manager on CLIENT's team."), _CLIENT)
def user_assign(ctx: click.Context, /, name: str, client: str, data_dir: Path | None) -> None:
    """``kam user assign``: see the help."""
    users.assign(book_for(ctx, data_dir), client, name)
    click.echo(_("{name} is on the team of {client}.").format(name=name, client=client))


def _password(prompt: str) -> str:
    """The password of ``KAM_PASSWORD``, else asked for with ``prompt``."""
    return os.environ.get("KAM_PASSWORD") or getpass.getpass(prompt)


def _change(ctx: click.Context, data_dir: Path | None, change: Callable[[Book], T]) -> T:
    """Change the users of the book of ``--data-dir``: see :func:`_admin_call`."""
    book = book_for(ctx, data_dir)
    return _admin_call(lambda: change(book))


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


@_user_command(
    "deactivate",
    N_(
        "Deactivate NAME: it can no longer log in, and its sessions and tokens end at once "
        "(kam user activate gives it back)."
    ),
)
def user_deactivate(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user deactivate``: see the help."""
    count = _change(ctx, data_dir, lambda book: user_admin.deactivate_user(book, name))
    click.echo(_("{name} is deactivated.").format(name=name) + " " + _ended(name, count))


@_user_command("activate", N_("Let a deactivated user log in again."))
def user_activate(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user activate``: see the help."""
    _change(ctx, data_dir, lambda book: user_admin.activate_user(book, name))
    click.echo(_("{name} may log in again.").format(name=name))


@_user_command(
    "role",
    N_("Give NAME another ROLE; its sessions and tokens end at once."),
    click.argument("role", type=click.Choice([r.value for r in Role])),
)
def user_role(ctx: click.Context, /, name: str, role: str, data_dir: Path | None) -> None:
    """``kam user role``: see the help."""
    count = _change(ctx, data_dir, lambda book: user_admin.change_role(book, name, role))
    click.echo(_("{name} is now {role}.").format(name=name, role=role) + " " + _ended(name, count))


@_user_command(
    "password",
    N_(
        "Give NAME a new password, asked for (or read from KAM_PASSWORD); its sessions and "
        "tokens end at once."
    ),
)
def user_password(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user password``: see the help."""
    book = book_for(ctx, data_dir)
    password = _password(_("New password for {name}: ").format(name=name))
    count = _admin_call(lambda: user_admin.reset_password(book, name, password))
    click.echo(_("{name} has a new password.").format(name=name) + " " + _ended(name, count))


@_user_command(
    "unassign",
    N_("Take an account manager off CLIENT's team; its sessions and tokens end at once."),
    _CLIENT,
)
def user_unassign(ctx: click.Context, /, name: str, client: str, data_dir: Path | None) -> None:
    """``kam user unassign``: see the help."""
    count = _change(ctx, data_dir, lambda book: user_admin.unassign_manager(book, name, client))
    click.echo(
        _("{name} is off the team of {client}.").format(name=name, client=client)
        + " "
        + _ended(name, count)
    )


@_user_command(
    "revoke",
    N_(
        "Take back a viewer's grant of CLIENT (every grant when CLIENT is left out); its "
        "sessions and tokens end at once."
    ),
    _ANY_CLIENT,
)
def user_revoke(
    ctx: click.Context, /, name: str, client: str | None, data_dir: Path | None
) -> None:
    """``kam user revoke``: see the help."""
    count = _change(ctx, data_dir, lambda book: user_admin.revoke_grant(book, name, client))
    click.echo(_("{name}'s grant is taken back.").format(name=name) + " " + _ended(name, count))


@_user_command(
    "remove",
    N_(
        "Remove NAME with its sessions, tokens, teams and grants; the clients it owned are "
        "left without an owner."
    ),
)
def user_remove(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user remove``: see the help."""
    _change(ctx, data_dir, lambda book: user_admin.remove_user(book, name))
    click.echo(_("{name} is removed.").format(name=name))


@_user_command("logout", N_("End every session and revoke every API token of NAME, at once."))
def user_logout(ctx: click.Context, /, name: str, data_dir: Path | None) -> None:
    """``kam user logout``: see the help."""
    click.echo(
        _ended(name, _change(ctx, data_dir, lambda book: user_admin.end_sessions(book, name)))
    )
