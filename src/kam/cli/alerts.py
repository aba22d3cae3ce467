"""``kam alerts run|list|ack|resolve|dismiss``: the early warnings about clients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.files import date_value
from kam.cli.output import emit, labelled_table, output_option, table_or_csv_option, write_csv_to
from kam.cli.plans import acting_user
from kam.domain.alerts import SEVERITY_LABELS, STATE_LABELS, Alert, AlertState
from kam.domain.user import User
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services import alerts
from kam.services.access import AccessDeniedError
from kam.services.alerts import AlertsRun
from kam.services.book import Book

LIST_COLUMNS: dict[str, str] = {
    "id": N_("id"),
    "client": N_("client"),
    "rule": N_("rule"),
    "severity": N_("severity"),
    "evidence": N_("evidence"),
    "action": N_("suggested action"),
    "owner": N_("owner"),
    "due": N_("due"),
    "state": N_("state"),
    "reason": N_("reason"),
}


@group(
    name="alerts",
    help=N_(
        "Early warnings about clients: run the rules, list the alerts, acknowledge, resolve "
        "or dismiss them."
    ),
)
def alerts_group() -> None:
    """``kam alerts``: see the help."""


def summary(run: AlertsRun) -> str:
    """One line on what a run of the rules did."""
    line = _(
        "Alerts: {opened} opened, {updated} updated, {resolved} resolved, {unchanged} unchanged."
    ).format(opened=run.opened, updated=run.updated, resolved=run.resolved, unchanged=run.unchanged)
    if run.without_figures:
        line += " " + _(
            "The rules on value did not run: some imports lack their figures by month "
            "(kam check writes them)."
        )
    return line


def run_after(book: Book) -> None:
    """Run the rules after an import or a classification, and say what they did (on
    standard error); a rule's setting that cannot be read is a warning there, as the
    import or the classification is done."""
    try:
        click.echo(summary(alerts.run_alerts(book, date.today())), err=True)
    except ValueError as error:
        click.echo(_("The alerts did not run: {error}").format(error=error), err=True)


@alerts_group.command(
    name="run",
    help=N_(
        "Run every early-warning rule on every client and keep what they raise: one alert "
        "per rule and client, its evidence brought up to date. Running it again changes "
        "nothing; run it every night from cron or a systemd timer."
    ),
)
@option("--today", callback=date_value, metavar="DATE", help=N_("Run as of this day [today]."))
@data_dir_option
@click.pass_context
def run(ctx: click.Context, /, today: date | None, data_dir: Path | None) -> None:
    """``kam alerts run``: see the help."""
    book = book_for(ctx, data_dir)
    try:
        done = alerts.run_alerts(book, today or date.today())
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    click.echo(summary(done))


def _row(alert: Alert) -> dict[str, Any]:
    return {
        "id": str(alert.id),  # a number to type again, not an amount: no grouping
        "client": alert.client_key,
        "rule": alert.rule,
        "severity": _(SEVERITY_LABELS[alert.signal.severity]),
        "evidence": alert.evidence(),
        "action": alert.action(),
        "owner": alert.owner or "",
        "due": alert.due.isoformat(),
        "state": _(STATE_LABELS[alert.state]),
        "reason": alert.reason or "",
    }


@alerts_group.command(
    name="list",
    help=N_(
        "List the alerts on the clients you may see: open and acknowledged ones unless "
        "--state says otherwise; by owner, due day and client."
    ),
)
@option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice([s.value for s in AlertState]),
    help=N_("Only alerts in this state (repeat) [default: open and acknowledged]."),
)
@table_or_csv_option
@output_option
@data_dir_option
@click.pass_context
def list_alerts(
    ctx: click.Context,
    /,
    states: tuple[str, ...],
    fmt: Literal["table", "csv"],
    output: Path | None,
    data_dir: Path | None,
) -> None:
    """``kam alerts list``: see the help."""
    book = book_for(ctx, data_dir)
    wanted = tuple(AlertState(s) for s in states) or (AlertState.OPEN, AlertState.ACKNOWLEDGED)
    rows = [_row(a) for a in alerts.alerts_for(book, acting_user(book), wanted)]
    if fmt == "csv":
        write_csv_to(rows, list(LIST_COLUMNS), output)
    elif not rows:
        click.echo(_("No alerts."))
    else:
        emit(labelled_table(rows, LIST_COLUMNS), output)


def _answer(
    ctx: click.Context,
    data_dir: Path | None,
    alert_id: int,
    change: Callable[[Book, User, int], Alert],
    done: str,
) -> None:
    """Change alert ``alert_id`` of the book as the acting user, then say ``done`` (a
    message with ``{id}``); an alert out of sight or a change refused is a usage error."""
    book = book_for(ctx, data_dir)
    user = acting_user(book)
    try:
        change(book, user, alert_id)
    except LookupError:
        raise click.UsageError(
            _("no alert {id} on a client you may see").format(id=alert_id)
        ) from None
    except (AccessDeniedError, ValueError) as error:
        raise click.UsageError(str(error)) from None
    click.echo(done.format(id=alert_id))


@alerts_group.command(name="ack", help=N_("Acknowledge alert ID: seen, and in hand."))
@click.argument("alert_id", metavar="ID", type=int)
@data_dir_option
@click.pass_context
def ack(ctx: click.Context, /, alert_id: int, data_dir: Path | None) -> None:
    """``kam alerts ack``: see the help."""
    _answer(ctx, data_dir, alert_id, alerts.acknowledge, _("Alert {id} acknowledged."))


@alerts_group.command(
    name="resolve",
    help=N_("Resolve alert ID: dealt with. If its rule fires again, a new alert opens."),
)
@click.argument("alert_id", metavar="ID", type=int)
@data_dir_option
@click.pass_context
def resolve(ctx: click.Context, /, alert_id: int, data_dir: Path | None) -> None:
    """``kam alerts resolve``: see the help."""
    _answer(ctx, data_dir, alert_id, alerts.resolve, _("Alert {id} resolved."))


@alerts_group.command(
    name="dismiss",
    help=N_(
        "Dismiss alert ID as calling for no action, saying why: it stays quiet until its "
        "evidence worsens by the setting alert_worsen_step."
    ),
)
@click.argument("alert_id", metavar="ID", type=int)
@option("--reason", required=True, help=N_("Why the alert calls for no action."))
@data_dir_option
@click.pass_context
def dismiss(ctx: click.Context, /, alert_id: int, reason: str, data_dir: Path | None) -> None:
    """``kam alerts dismiss``: see the help."""
    _answer(
        ctx,
        data_dir,
        alert_id,
        lambda book, user, number: alerts.dismiss(book, user, number, reason),
        _("Alert {id} dismissed."),
    )
