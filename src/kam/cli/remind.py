"""``kam remind``: send each user's e-mail digest of what is overdue and due."""

from __future__ import annotations

import smtplib
from datetime import date
from pathlib import Path

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.files import date_value
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.services.reminders import send_reminders


@command(
    help=N_(
        "Send each user who chose an e-mail digest (on the Reminders page) what is overdue "
        "and due for its clients, when its digest is due: every day, or every Monday. A "
        "digest goes at most once a day, so the command may run again safely; run it daily "
        "from cron or a systemd timer. Without the setting smtp_host nothing is sent.\n\n"
        "--dry-run prints the digests instead of sending them."
    )
)
@data_dir_option
@option("--dry-run", is_flag=True, help=N_("Print the digests; send nothing."))
@option("--today", callback=date_value, metavar="DATE", help=N_("Run as of this day [today]."))
@click.pass_context
def remind(ctx: click.Context, /, data_dir: Path | None, dry_run: bool, today: date | None) -> None:
    """``kam remind``: see the help."""
    book = book_for(ctx, data_dir)
    try:
        done = send_reminders(book, today or date.today(), dry_run=dry_run)
    except LookupError as error:
        click.echo(str(error.args[0]), err=True)
        ctx.exit(0)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    except (OSError, smtplib.SMTPException) as error:
        raise click.ClickException(
            _("the mail server refused or could not be reached: {error}").format(error=error)
        ) from None
    for reminder in done:
        if dry_run:
            click.echo(_("To: {address}").format(address=reminder.address))
            click.echo(_("Subject: {subject}").format(subject=reminder.subject))
            click.echo(reminder.body)
        else:
            click.echo(
                _("Sent to {user} ({address}): {subject}").format(
                    user=reminder.user_name, address=reminder.address, subject=reminder.subject
                )
            )
    if not done:
        click.echo(_("No digest is due."))
