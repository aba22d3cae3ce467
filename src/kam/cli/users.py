"""``kam user``: the logins of the web application."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path

import click

from kam.cli.book import book_for, data_dir_option
from kam.domain.user import Role, User
from kam.services import users


@click.group(name="user")
def user_group() -> None:
    """Users of the web application."""


@user_group.command(name="add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="admin: users and settings; head: all clients; manager: its own "
    "clients; viewer: reads what it is granted.",
)
@click.option("--full-name", help="The person's name.")
@click.option("--email", help="E-mail address.")
@data_dir_option
@click.pass_context
def user_add(
    ctx: click.Context,
    /,
    name: str,
    role: str,
    full_name: str | None,
    email: str | None,
    data_dir: Path | None,
) -> None:
    """Add a user; the password is asked for (or read from KAM_PASSWORD)."""
    import os

    book = book_for(ctx, data_dir)
    password = os.environ.get("KAM_PASSWORD") or getpass.getpass(f"Password for {name}: ")
    users.add_user(book, User(name, Role(role), full_name, email), password, datetime.now())
    click.echo(f"Added {name} ({role}).")


@user_group.command(name="list")
@data_dir_option
@click.pass_context
def user_list(ctx: click.Context, /, data_dir: Path | None) -> None:
    """List the users."""
    for user in users.list_users(book_for(ctx, data_dir)):
        click.echo(f"{user.name}\t{user.role.value}\t{user.full_name or ''}")


@user_group.command(name="grant")
@click.argument("name")
@click.argument("client", required=False)
@data_dir_option
@click.pass_context
def user_grant(ctx: click.Context, /, name: str, client: str | None, data_dir: Path | None) -> None:
    """Let a viewer read CLIENT (or every client when CLIENT is left out)."""
    users.grant(book_for(ctx, data_dir), name, client)
    click.echo(f"{name} may read {client or 'every client'}.")


@user_group.command(name="assign")
@click.argument("name")
@click.argument("client")
@data_dir_option
@click.pass_context
def user_assign(ctx: click.Context, /, name: str, client: str, data_dir: Path | None) -> None:
    """Put an account manager on CLIENT's team."""
    users.assign(book_for(ctx, data_dir), client, name)
    click.echo(f"{name} is on the team of {client}.")
