"""``kam activity add|list|due|gifts|approve|refuse|import``: the contacts with clients, what
each client is owed, the gifts register and its approvals, and the events of a calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.files import date_value
from kam.cli.output import (
    emit,
    format_option,
    labelled_table,
    money,
    output_option,
    table_or_csv_option,
    write_csv_to,
)
from kam.cli.plans import acting_user
from kam.domain.activities import Activity, ActivityStatus, Approval
from kam.domain.items import ItemValueError
from kam.domain.time_zones import to_local, to_utc
from kam.i18n import N_, ngettext
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services import activities
from kam.services.gift_register import write_register

#: The option that gives each field of an activity, to name it when a value is refused.
OPTIONS = {
    "kind": "--kind",
    "at": "--at",
    "their_people": "--with",
    "our_people": "--by",
    "value": "--value",
    "next_step": "--next-step",
    "next_step_owner": "--next-owner",
    "next_step_due": "--next-due",
}

LIST_COLUMNS: dict[str, str] = {
    "id": N_("id"),
    "client": N_("client"),
    "at": N_("when"),
    "kind": N_("kind"),
    "status": N_("status"),
    "by": N_("ours"),
    "with": N_("theirs"),
    "objective": N_("objective"),
    "next_step": N_("next step"),
    "next_due": N_("due"),
}

DUE_COLUMNS: dict[str, str] = {
    "kind": N_("kind"),
    "every": N_("every"),
    "by": N_("owed by"),
    "due": N_("due"),
    "overdue": N_("days overdue"),
    "last": N_("last done"),
    "planned": N_("planned"),
}


@group(name="activity", help=N_("Activities with clients: log them, list them, see what is due."))
def activity_group() -> None:
    """``kam activity``: see the help."""


def _moment(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("{value!r} is not a moment: write 2024-06-03 or 2024-06-03T14:30").format(value=value)
        ) from None


@activity_group.command(
    name="add",
    help=N_(
        "Log an activity with CLIENT: a visit, a call, an offer sent... done (the default) or "
        "planned, with the client's people (--with, their keys) and ours (--by, user names; "
        "you by default), and a next step with its owner and due day."
    ),
)
@click.argument("client")
@option(
    "--kind",
    required=True,
    help=N_(
        "The kind of activity, one of the setting activity_kinds: visit, call, email, offer, "
        "business_review, problem_solved, bad_news, gift, event_invitation, event_attendance, "
        "time_together, training."
    ),
)
@option(
    "--at",
    "at",
    required=True,
    callback=_moment,
    metavar="MOMENT",
    help=N_(
        "When, in your time zone (the one set on the Reminders page; UTC without one): "
        "2024-06-03 or 2024-06-03T14:30."
    ),
)
@option("--planned", is_flag=True, help=N_("Still to come, not done yet."))
@option(
    "--with", "their", multiple=True, metavar="PERSON", help=N_("A person of the client (repeat).")
)
@option(
    "--by", "ours", multiple=True, metavar="USER", help=N_("One of ours who took part (repeat).")
)
@option("--objective", default="", help=N_("What it was for."))
@option("--outcome", default="", help=N_("What came of it: the minutes."))
@option("--next-step", default="", help=N_("The next step agreed."))
@option("--next-owner", default=None, metavar="USER", help=N_("Who takes the next step."))
@option("--next-due", callback=date_value, metavar="DATE", help=N_("When the next step is due."))
@option("--value", type=float, default=None, help=N_("The value of a gift or an event."))
@data_dir_option
@click.pass_context
def add(
    ctx: click.Context,
    /,
    client: str,
    kind: str,
    at: datetime,
    planned: bool,
    their: tuple[str, ...],
    ours: tuple[str, ...],
    objective: str,
    outcome: str,
    next_step: str,
    next_owner: str | None,
    next_due: date | None,
    value: float | None,
    data_dir: Path | None,
) -> None:
    """``kam activity add``: see the help."""
    book = book_for(ctx, data_dir)
    user = acting_user(book)
    try:
        at = to_utc(at, user.time_zone)
    except ValueError as error:
        raise click.UsageError(f"--at: {error}") from None
    activity = Activity(
        0,
        client,
        kind,
        at,
        ActivityStatus.PLANNED if planned else ActivityStatus.DONE,
        our_people=ours,
        their_people=their,
        objective=objective,
        outcome=outcome,
        next_step=next_step,
        next_step_owner=next_owner,
        next_step_due=next_due,
        value=None if value is None else round(value * 100),
    )
    try:
        logged = activities.log_activity(book, user, activity)
    except ItemValueError as error:
        raise click.UsageError(f"{OPTIONS.get(error.field, error.field)}: {error}") from None
    except LookupError:
        raise click.UsageError(
            _("no client {client} you may see in this book").format(client=client)
        ) from None
    click.echo(_("Activity {id} logged with {client}.").format(id=logged.id, client=client))
    if logged.approval is Approval.AWAITING:
        click.echo(_("It is awaiting the approval of the head of key accounts."))


def _day_start(day: date, zone: str | None) -> datetime:
    """The moment (UTC) a day begins on the clock of ``zone``."""
    midnight = datetime.combine(day, time())
    try:
        return to_utc(midnight, zone)
    except ValueError:  # the clocks skip midnight there that day
        return to_utc(midnight + timedelta(hours=1), zone)


def _row(activity: Activity, zone: str | None) -> dict[str, Any]:
    return {
        "id": activity.id,
        "client": activity.client_key,
        "at": to_local(activity.at, zone).isoformat(sep=" ", timespec="minutes"),
        "kind": activity.kind,
        "status": activity.status.value
        + ("" if activity.approval is None else f", {activity.approval.value}"),
        "by": ", ".join(activity.our_people),
        "with": ", ".join(activity.their_people),
        "objective": activity.objective,
        "next_step": activity.next_step,
        "next_due": activity.next_step_due.isoformat() if activity.next_step_due else "",
    }


@activity_group.command(
    name="list",
    help=N_("List the activities of CLIENT, or of every client you may see, oldest first."),
)
@click.argument("client", required=False)
@option("--from", "since", callback=date_value, metavar="DATE", help=N_("From this day."))
@option("--to", "until", callback=date_value, metavar="DATE", help=N_("Up to this day."))
@table_or_csv_option
@output_option
@data_dir_option
@click.pass_context
def list_activities(
    ctx: click.Context,
    /,
    client: str | None,
    since: date | None,
    until: date | None,
    fmt: Literal["table", "csv"],
    output: Path | None,
    data_dir: Path | None,
) -> None:
    """``kam activity list``: see the help."""
    book = book_for(ctx, data_dir)
    user = acting_user(book)
    zone = user.time_zone  # the days and the times are the user's
    start = None if since is None else _day_start(since, zone)
    end = None if until is None else _day_start(until + timedelta(days=1), zone)
    end = None if end is None else end - timedelta(microseconds=1)
    try:
        found = activities.activities_of(book, user, client, start, end)
    except LookupError:
        raise click.UsageError(
            _("no client {client} you may see in this book").format(client=client)
        ) from None
    rows = [_row(a, zone) for a in found]
    if fmt == "csv":
        write_csv_to(rows, list(LIST_COLUMNS), output)
    else:
        emit(labelled_table(rows, LIST_COLUMNS), output)


@activity_group.command(
    name="due",
    help=N_(
        "What CLIENT is owed under the service policy of its class: each kind of contact, "
        "when it is due, how many days overdue, and the contact planned for it."
    ),
)
@click.argument("client")
@option("--on", "today", callback=date_value, metavar="DATE", help=N_("As of this day [today]."))
@data_dir_option
@click.pass_context
def due(ctx: click.Context, /, client: str, today: date | None, data_dir: Path | None) -> None:
    """``kam activity due``: see the help."""
    book = book_for(ctx, data_dir)
    try:
        owed = activities.owed(book, acting_user(book), client, today or date.today())
    except LookupError:
        raise click.UsageError(
            _("no client {client} you may see in this book").format(client=client)
        ) from None
    if not owed:
        click.echo(
            _("{client} is owed nothing: it holds no class with a service policy.").format(
                client=client
            )
        )
        return
    rows = [
        {
            "kind": d.rule.kind,
            "every": str(d.rule.every),
            "by": d.rule.by.value,
            "due": d.due.isoformat(),
            "overdue": d.overdue_days or "",
            "last": d.last_done.isoformat() if d.last_done else "",
            "planned": d.planned.isoformat() if d.planned else "",
        }
        for d in owed
    ]
    emit(labelled_table(rows, DUE_COLUMNS), None)


GIFT_COLUMNS: dict[str, str] = {
    "client": N_("client"),
    "person": N_("person"),
    "name": N_("name"),
    "year": N_("year"),
    "total": N_("value"),
    "activities": N_("activities"),
    "over_limit": N_("over the limit"),
    "refused": N_("refused"),
}


@activity_group.command(
    name="gifts",
    help=N_(
        "The gifts and hospitality register of YEAR, for compliance: each person of a client "
        "given gifts or hospitality, the total value, in how many activities, and whether it "
        "passes the setting gift_limit; the value of those the head refused, shown apart and "
        "counted in neither. For the head of key accounts and admins."
    ),
)
@click.argument("year", type=click.IntRange(1900, 2999))
@format_option(
    ["table", "csv", "xlsx"],
    N_("table: aligned text for people; csv: data for scripts; xlsx: Excel (with --output)."),
)
@output_option
@data_dir_option
@click.pass_context
def gifts(
    ctx: click.Context,
    /,
    year: int,
    fmt: Literal["table", "csv", "xlsx"],
    output: Path | None,
    data_dir: Path | None,
) -> None:
    """``kam activity gifts``: see the help."""
    book = book_for(ctx, data_dir)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError(_("--format xlsx writes a file: name it with --output"))
        with output.open("wb") as handle:
            written = write_register(book, acting_user(book), year, "xlsx", handle)
        click.echo(
            ngettext(
                "{count} line of the register written to {file}.",
                "{count} lines of the register written to {file}.",
                len(written),
            ).format(count=len(written), file=output)
        )
        return
    entries = activities.gifts_of_year(book, acting_user(book), year)
    rows = [
        {
            "client": e.client_key,
            "person": e.person_key,
            "name": e.person_name,
            "year": str(e.year),
            "total": e.total / 100 if fmt == "csv" else money(e.total / 100),
            "activities": e.activities,
            "over_limit": ("yes" if fmt == "csv" else _("yes")) if e.over_limit else "",
            "refused": (e.refused_total / 100 if fmt == "csv" else money(e.refused_total / 100))
            if e.refused
            else "",
        }
        for e in entries
    ]
    if fmt == "csv":
        write_csv_to(rows, list(GIFT_COLUMNS), output)
    else:
        emit(labelled_table(rows, GIFT_COLUMNS), output)


def _decide(
    ctx: click.Context, data_dir: Path | None, activity_id: int, approve: bool, reason: str
) -> None:
    book = book_for(ctx, data_dir)
    try:
        decided = activities.decide(book, acting_user(book), activity_id, approve, reason)
    except ItemValueError as error:
        raise click.UsageError(f"--{error.field}: {error}") from None
    except LookupError:
        raise click.UsageError(_("no activity {id}").format(id=activity_id)) from None
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if decided.approval is Approval.APPROVED:
        click.echo(_("Activity {id} approved.").format(id=activity_id))
    else:
        click.echo(_("Activity {id} refused.").format(id=activity_id))


@activity_group.command(
    name="approve",
    help=N_(
        "Approve the gift or event ID, awaiting approval because its value passes the setting "
        "gift_approval_threshold. For the head of key accounts and admins."
    ),
)
@click.argument("activity_id", metavar="ID", type=click.IntRange(1, 2**31 - 1))
@data_dir_option
@click.pass_context
def approve(ctx: click.Context, /, activity_id: int, data_dir: Path | None) -> None:
    """``kam activity approve``: see the help."""
    _decide(ctx, data_dir, activity_id, True, "")


@activity_group.command(
    name="refuse",
    help=N_(
        "Refuse the gift or event ID awaiting approval, saying why. For the head of key "
        "accounts and admins."
    ),
)
@click.argument("activity_id", metavar="ID", type=click.IntRange(1, 2**31 - 1))
@option("--reason", required=True, help=N_("Why the gift or event is refused."))
@data_dir_option
@click.pass_context
def refuse(ctx: click.Context, /, activity_id: int, reason: str, data_dir: Path | None) -> None:
    """``kam activity refuse``: see the help."""
    _decide(ctx, data_dir, activity_id, False, reason)


@activity_group.command(
    name="import",
    help=N_(
        "Import the events of a calendar as activities: an .ics file, or a CSV exported from "
        "Outlook or Google Calendar. Each event whose attendees include people of one client "
        "(matched by e-mail address to the client's people) becomes an activity of that "
        "client, with the users among the attendees as ours; the title is its objective, "
        "the notes its outcome; past events are done, coming ones planned. Other events "
        "(internal, of several clients, cancelled, recurring, already in the book) are "
        "listed with the reason and left out, so the same file imports once. All or "
        "nothing; --dry-run shows what each event would become."
    ),
)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@option("--kind", default="visit", show_default=True, help=N_("The kind of the activities."))
@option(
    "--time-zone",
    "zone",
    default="UTC",
    show_default=True,
    help=N_("The time zone of times written without one (a CSV's), e.g. Europe/Warsaw."),
)
@option("--dry-run", is_flag=True, help=N_("Show what each event would become; keep nothing."))
@data_dir_option
@click.pass_context
def import_events(
    ctx: click.Context,
    /,
    file: Path,
    kind: str,
    zone: str,
    dry_run: bool,
    data_dir: Path | None,
) -> None:
    """``kam activity import``: see the help."""
    from kam.services.calendar_import import import_calendar

    book = book_for(ctx, data_dir)
    try:
        done = import_calendar(book, acting_user(book), file, kind=kind, zone=zone, dry_run=dry_run)
    except ItemValueError as error:
        raise click.UsageError(f"{OPTIONS.get(error.field, error.field)}: {error}") from None
    for match in done.matches:
        event = match.event
        head = f"{event.start:%Y-%m-%d %H:%M}  {event.summary or '-'}"
        if match.left_out is None:
            people = ", ".join(match.their_names)
            ours = ", ".join(match.our_people) or _("you")
            click.echo(
                _("{event}  -> {client} ({name}); theirs: {people}; ours: {ours}").format(
                    event=head,
                    client=match.client_key,
                    name=match.client_name,
                    people=people,
                    ours=ours,
                )
            )
        else:
            click.echo(_("{event}  left out: {reason}").format(event=head, reason=match.left_out))
    count = len(done.to_import)
    events = ngettext("{count} event", "{count} events", len(done.matches)).format(
        count=len(done.matches)
    )
    if dry_run:
        click.echo(
            ngettext(
                "{events}: {count} would become an activity; nothing kept (dry run).",
                "{events}: {count} would become activities; nothing kept (dry run).",
                count,
            ).format(events=events, count=count)
        )
    else:
        click.echo(
            ngettext(
                "{events}: {count} activity imported.",
                "{events}: {count} activities imported.",
                done.imported,
            ).format(events=events, count=done.imported)
        )
