"""``kam serve``, ``kam demo`` and ``kam user``: the web application and its logins."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path

import click

from kam.cli.book import book_for, data_dir_option, settings_for
from kam.domain.user import Role, User
from kam.services import users


def _serve(ctx: click.Context, data_dir: Path | None, host: str, port: int) -> None:
    import uvicorn

    from kam.services.book import open_book
    from kam.web.app import create_app

    settings = settings_for(ctx, data_dir=data_dir)
    book = open_book(settings)
    ctx.call_on_close(book.close)
    uvicorn.run(create_app(settings, book), host=host, port=port, log_level="warning")


@click.command()
@data_dir_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, /, data_dir: Path | None, host: str, port: int) -> None:
    """Serve the web application over the book (SQLite by default, PostgreSQL by URL)."""
    click.echo(f"kam serves http://{host}:{port}/ (Ctrl+C stops)")
    _serve(ctx, data_dir, host, port)


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="kam-demo",
    show_default=True,
    help="Where to build the demo book (an earlier demo book there is replaced).",
)
@click.option(
    "--samples",
    type=click.Path(path_type=Path, file_okay=False),
    help="The samples folder [default: samples/ of the source checkout].",
)
@click.option("--password", help="One password for every demo login [default: random].")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--serve/--no-serve", default=True, help="Serve the book once built.")
@click.pass_context
def demo(
    ctx: click.Context,
    /,
    data_dir: Path,
    samples: Path | None,
    password: str | None,
    host: str,
    port: int,
    serve: bool,
) -> None:
    """Build a demo book from the real Northwind sample, classify it, and serve it.

    Clients with their contact people, products and order lines come from the
    sample; the sample's sales people are the account managers (each client is
    owned by who took most of its orders) and its vice president of sales the
    head of key accounts. The admin and viewer logins are demo logins.
    """
    from kam.services.demo import PERIODS, build_demo

    click.echo(f"Building the demo book in {data_dir} from the Northwind sample...")
    book, logins = build_demo(data_dir, samples, password)
    book.close()
    click.echo(f"Classified {' and '.join(PERIODS)}.\n\nLogins:")
    width = max(len(login.name) for login in logins)
    for login in logins:
        click.echo(
            f"  {login.name:<{width}}  {login.password:<14}  {login.role.value:<8} {login.who}"
        )
    if serve:
        click.echo(f"\nOpen http://{host}:{port}/ (Ctrl+C stops)")
        _serve(ctx, data_dir, host, port)


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
