"""``kam policy show|set|clear``: the service policies, per class and a client's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.plans import acting_user
from kam.domain.cadence import policy_text
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services import service_policies as sp
from kam.services.access import AccessDeniedError

T = TypeVar("T")


@group(
    name="policy",
    help=N_(
        "The service policies: per class, which kinds of contact a client is owed, how often "
        "and by whom; and a client's own policy."
    ),
)
def policy_group() -> None:
    """``kam policy``: see the help."""


@contextmanager
def _refusals(client: str | None = None) -> Iterator[None]:
    """A refusal of the service ends the command with one line."""
    try:
        yield
    except AccessDeniedError as error:
        raise click.ClickException(str(error)) from None
    except LookupError:
        raise click.UsageError(
            _("no client {client} you may see in this book").format(client=client)
        ) from None


def _run(action: Callable[[], T], client: str | None = None) -> T:
    with _refusals(client):
        return action()


@policy_group.command(
    name="show",
    help=N_(
        "Print each class's policy in force (kam's unless the head changed it), or with "
        "--client the policy CLIENT follows and why."
    ),
)
@option("--client", metavar="KEY", help=N_("The policy this client follows, and why."))
@data_dir_option
@click.pass_context
def show(ctx: click.Context, /, client: str | None, data_dir: Path | None) -> None:
    """``kam policy show``: see the help."""
    book = book_for(ctx, data_dir)
    user = acting_user(book)
    if client is not None:
        applied = _run(lambda: sp.policy_of_client(book, user, client, date.today()), client)
        if applied.own is not None:
            click.echo(
                _("{client} follows its own policy (set by {user} on {day}: {reason}):").format(
                    client=client,
                    user=applied.own.set_by,
                    day=applied.own.set_at.date().isoformat(),
                    reason=applied.own.reason,
                )
            )
        elif applied.abc_class is not None:
            click.echo(
                _("{client} follows the policy of class {abc_class}, the class it holds:").format(
                    client=client, abc_class=applied.abc_class.value
                )
            )
        else:
            click.echo(
                _("{client} holds no class and has no policy of its own: nothing is owed.").format(
                    client=client
                )
            )
        if applied.policy is not None:
            click.echo(policy_text(applied.policy))
        return
    for found in sp.class_policies(book):
        if found.updated_by is None:
            origin = _("kam's default")
        else:
            origin = _("set by {user} on {day}").format(
                user=found.updated_by,
                day=found.updated_at.date().isoformat() if found.updated_at else "",
            )
        click.echo(f"{found.abc_class.value}: {policy_text(found.policy)}  ({origin})")


@policy_group.command(
    name="set",
    help=N_(
        "Set the policy of CLASS (A, B or C) to RULES, such as "
        '"visit every 30 days by owner; business_review every 3 months by head" '
        "(none: the class is owed nothing); with --client KEY --reason TEXT, give that "
        "client a policy of its own instead (then RULES only). The head of key accounts "
        "and admins only."
    ),
)
@click.argument("words", nargs=-1, required=True, metavar="[CLASS] RULES")
@option("--client", metavar="KEY", help=N_("Give this client a policy of its own."))
@option("--reason", metavar="TEXT", help=N_("Why the client has a policy of its own."))
@option(
    "--dry-run",
    is_flag=True,
    help=N_("Count the class's clients due or overdue today under RULES; save nothing."),
)
@data_dir_option
@click.pass_context
def set_policy(
    ctx: click.Context,
    /,
    words: tuple[str, ...],
    client: str | None,
    reason: str | None,
    dry_run: bool,
    data_dir: Path | None,
) -> None:
    """``kam policy set``: see the help."""
    book = book_for(ctx, data_dir)
    user = acting_user(book)
    if client is not None:
        if len(words) != 1:
            raise click.UsageError(_("with --client, give the RULES only"))
        if dry_run:
            raise click.UsageError(_("--dry-run previews a class's policy, not a client's"))
        if not (reason or "").strip():
            raise click.UsageError(_("say why the client has a policy of its own: --reason"))
        policy = sp.read_policy(book, words[0])
        own = _run(lambda: sp.set_own_policy(book, user, client, policy, reason or ""), client)
        click.echo(
            _("{client} follows its own policy: {policy} ({reason}).").format(
                client=client, policy=policy_text(own.policy), reason=own.reason
            )
        )
        return
    if len(words) != 2:
        raise click.UsageError(_("give the CLASS and the RULES"))
    klass = sp.class_class(words[0])
    policy = sp.read_policy(book, words[1])
    preview = _run(lambda: sp.preview_policy(book, user, klass, policy, date.today()))
    counts = _(
        "Clients of class {abc_class} due or overdue today: {now} under the policy in force, "
        "{proposed} under this one."
    ).format(abc_class=klass.value, now=preview.in_force, proposed=preview.proposed)
    click.echo(counts)
    if dry_run:
        click.echo(_("Nothing saved (--dry-run)."))
        return
    saved = _run(lambda: sp.save_class_policy(book, user, klass, policy))
    click.echo(
        _("Saved: the policy of class {abc_class} is {policy}.").format(
            abc_class=klass.value, policy=policy_text(saved.policy)
        )
    )


@policy_group.command(
    name="clear",
    help=N_("CLIENT follows its class's policy again (its own policy is cleared)."),
)
@option("--client", required=True, metavar="KEY", help=N_("The client."))
@data_dir_option
@click.pass_context
def clear(ctx: click.Context, /, client: str, data_dir: Path | None) -> None:
    """``kam policy clear``: see the help."""
    book = book_for(ctx, data_dir)
    user = acting_user(book)
    if _run(lambda: sp.clear_own_policy(book, user, client), client):
        click.echo(_("{client} follows its class's policy again.").format(client=client))
    else:
        click.echo(_("{client} has no policy of its own.").format(client=client))
