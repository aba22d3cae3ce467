"""``kam plan list|export``: account plans on the command line.

The commands act as the setting ``user`` (``KAM_USER``, or the login name),
who must be a user of the book: they see the plans that user may see, as in
the web application.
"""

from __future__ import annotations

import os
import uuid
from datetime import date
from pathlib import Path
from typing import Any, Literal

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.output import emit, labelled_table, output_option, table_or_csv_option, write_csv_to
from kam.domain.plan import PLAN_STATUS_LABELS
from kam.domain.user import User
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.i18n.formats import format_date
from kam.services import plans, users
from kam.services.book import Book

#: The columns of ``kam plan list``, and their headings in the text table.
LIST_COLUMNS: dict[str, str] = {
    "client": N_("client"),
    "name": N_("name"),
    "period": N_("year"),
    "status": N_("status"),
    "owner": N_("owner"),
    "review_date": N_("review date"),
    "overdue": N_("review overdue"),
    "objective": N_("objective"),
}


@group(name="plan", help=N_("Account plans: list them, export one to PDF or Excel."))
def plan_group() -> None:
    """``kam plan``: see the help."""


def acting_user(book: Book) -> User:
    """The user the command acts as: the setting ``user``, who must be a user of the book."""
    user = users.get_user(book, book.user)
    if user is None:
        raise click.UsageError(
            _(
                "{name} is not a user of this book: set the setting user (KAM_USER) to one of"
                " kam user list"
            ).format(name=book.user)
        )
    return user


def _short(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@plan_group.command(
    name="list",
    help=N_(
        "List the plans of the clients you may see: client, year, status, owner, review date "
        "(and whether it has passed) and objective."
    ),
)
@option("--period", metavar="YEAR", help=N_("Only the plans of this year [default: every year]."))
@table_or_csv_option
@output_option
@data_dir_option
@click.pass_context
def list_plans(
    ctx: click.Context,
    /,
    period: str | None,
    fmt: Literal["table", "csv"],
    output: Path | None,
    data_dir: Path | None,
) -> None:
    """``kam plan list``: see the help."""
    book = book_for(ctx, data_dir)
    found = plans.list_plans(book, acting_user(book), period)
    columns = list(LIST_COLUMNS)
    if fmt == "csv":
        rows: list[dict[str, Any]] = [
            {
                "client": f.plan.client_key,
                "name": f.client_name,
                "period": f.plan.period,
                "status": f.plan.status.value,
                "owner": f.plan.owner,
                "review_date": f.plan.review_date.isoformat() if f.plan.review_date else None,
                "overdue": "yes" if f.review_overdue else "no",
                "objective": f.plan.objective,
            }
            for f in found
        ]
        write_csv_to(rows, columns, output)
        return
    shown = [
        {
            "client": f.plan.client_key,
            "name": f.client_name,
            "period": f.plan.period,
            "status": _(PLAN_STATUS_LABELS[f.plan.status]),
            "owner": f.plan.owner,
            "review_date": format_date(f.plan.review_date),
            "overdue": _("yes") if f.review_overdue else "",
            "objective": _short(f.plan.objective),
        }
        for f in found
    ]
    if not shown:
        click.echo(_("No plans."), err=True)
        return
    emit(labelled_table(shown, LIST_COLUMNS), output)


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` next to ``path``, then move it over ``path`` once complete."""
    if path.is_dir():
        raise click.UsageError(_("{path} is a folder; name the file to write").format(path=path))
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


@plan_group.command(
    name="export",
    help=N_(
        "Export CLIENT's plan to a PDF to print (with the relationship map, tables and risks) "
        "or to an Excel workbook (a sheet per part of the plan)."
    ),
)
@click.argument("client")
@option("--period", metavar="YEAR", help=N_("The plan's year [default: this year]."))
@option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "xlsx"]),
    required=True,
    help=N_("pdf: a printable document; xlsx: an Excel workbook."),
)
@option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help=N_("The file to write."),
)
@option(
    "--personal",
    is_flag=True,
    help=N_(
        "Include the personal notes on people (personal data; only for users who may edit "
        "the client)."
    ),
)
@data_dir_option
@click.pass_context
def export_plan(
    ctx: click.Context,
    /,
    client: str,
    period: str | None,
    fmt: Literal["pdf", "xlsx"],
    output: Path,
    personal: bool,
    data_dir: Path | None,
) -> None:
    """``kam plan export``: see the help."""
    from kam.services.plan_export.excel import plan_workbook
    from kam.services.plan_export.parts import plan_document
    from kam.services.plan_export.pdf import plan_pdf

    book = book_for(ctx, data_dir)
    user = acting_user(book)
    today = date.today()
    period = period or plans.current_period(today)
    try:
        plan = plans.get_plan(book, user, client, period)
    except LookupError:
        plan = None
    if plan is None:
        raise click.UsageError(
            _("{client} has no plan for {period} that you may see").format(
                client=client, period=period
            )
        )
    document = plan_document(book, user, plan.id, today, personal=personal)
    write_file(output, plan_pdf(document) if fmt == "pdf" else plan_workbook(document))
    click.echo(
        _("Wrote the plan {period} of {client} to {file}.").format(
            period=plan.period, client=document.client_name, file=output
        ),
        err=True,
    )
    if personal and not document.personal:
        click.echo(_("note: personal notes are left out: you may not edit this client"), err=True)
