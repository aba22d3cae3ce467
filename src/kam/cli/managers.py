"""``kam managers import|list``: the managers' profiles the assignment of accounts reads,
from a profiles file or from the AdventureWorks sample's sales people."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.output import emit, labelled_table, output_option, table_or_csv_option, write_csv_to
from kam.cli.plans import acting_user
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.services import managers, sales_people
from kam.services.managers import ManagerLoad

COLUMNS: dict[str, str] = {
    "user": N_("manager"),
    "years": N_("years"),
    "level": N_("level"),
    "classes": N_("classes"),
    "load": N_("load"),
    "capacity": N_("capacity"),
    "most": N_("most per class"),
    "overloaded": N_("overloaded"),
    "industries": N_("industries"),
    "languages": N_("languages"),
    "regions": N_("regions"),
}


@group(
    name="managers",
    help=N_(
        "Managers' profiles: seniority, the classes each may hold, industries, languages, "
        "regions and capacity in points (an A client weighs 5, a B 2, a C 0.2)."
    ),
)
def managers_group() -> None:
    """``kam managers``: see the help."""


@managers_group.command(
    name="import",
    help=N_(
        "Read managers' profiles from a CSV FILE, all rows or none. Columns: user, level "
        "(1 junior, 2 experienced, 3 senior), classes (AB), and capacity in points or "
        "max_a, max_b, max_c (accounts of each class); optional years, industries, "
        "languages (de;en) and regions (countries), lists separated by ';'. With --from "
        "adventureworks, FILE is a folder of the AdventureWorks sample (DimEmployee.csv, "
        "DimSalesTerritory.csv, FactSalesQuota.csv): its sales people who are users of the "
        "book get profiles drawn from their titles, hire dates, territories and quotas. "
        "For the head of key accounts and admins."
    ),
)
@click.argument("file", type=click.Path(path_type=Path, exists=True))
@option(
    "--from",
    "source",
    type=click.Choice(["csv", "adventureworks"]),
    default="csv",
    show_default=True,
    help=N_("What FILE is: a profiles file, or a folder of the AdventureWorks sample."),
)
@option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_(
        "With --from adventureworks: write the sales people as a profiles file to read "
        "with kam managers import (and to edit first), instead of keeping their profiles."
    ),
)
@data_dir_option
@click.pass_context
def import_profiles(
    ctx: click.Context,
    /,
    file: Path,
    source: Literal["csv", "adventureworks"],
    output: Path | None,
    data_dir: Path | None,
) -> None:
    """``kam managers import``: see the help."""
    if source == "csv":
        if output is not None:
            raise click.UsageError(_("--output goes with --from adventureworks"))
        if file.is_dir():
            raise click.UsageError(
                _("{file} is a folder: give a profiles file, or --from adventureworks").format(
                    file=file.name
                )
            )
        book = book_for(ctx, data_dir)
        new, changed = managers.import_profiles(book, acting_user(book), file)
        click.echo(
            _("Profiles from {file}: {new} new, {changed} changed.").format(
                new=new, changed=changed, file=file.name
            )
        )
        return
    if not file.is_dir():
        raise click.UsageError(
            _("{file} is not a folder of the AdventureWorks sample").format(file=file.name)
        )
    if output is not None:
        people = sales_people.read_sales_people(file)
        with output.open("w", encoding="utf-8", newline="") as handle:
            sales_people.write_profiles(people, handle)
        click.echo(
            _("{count} sales people written to {file}.").format(count=len(people), file=output)
        )
        return
    book = book_for(ctx, data_dir)
    done = sales_people.import_sales_people(book, acting_user(book), file)
    click.echo(
        _("Profiles from {file}: {new} new, {changed} changed.").format(
            new=done.new, changed=done.changed, file=file.name
        )
    )
    if done.not_users:
        click.echo(
            _(
                "Not users of the book, so without a profile: {names} "
                "(add them with kam user add NAME --role manager)."
            ).format(names=", ".join(done.not_users))
        )


def _row(found: ManagerLoad) -> dict[str, Any]:
    profile = found.profile
    return {
        "user": profile.name,
        "years": profile.years,
        "level": profile.level,
        "classes": "".join(sorted(str(k) for k in profile.classes)),
        "load": found.load,
        "capacity": profile.capacity,
        "most": "; ".join(f"{klass} {most}" for klass, most in profile.limits),
        "overloaded": _("yes") if found.overloaded else "",
        "industries": ", ".join(sorted(profile.industries)),
        "languages": ", ".join(sorted(profile.languages)),
        "regions": ", ".join(sorted(profile.regions)),
    }


@managers_group.command(
    name="list",
    help=N_(
        "List the managers' profiles with the load of their clients against their "
        "capacity: every one for the head of key accounts and admins, your own for a manager."
    ),
)
@table_or_csv_option
@output_option
@data_dir_option
@click.pass_context
def list_profiles(
    ctx: click.Context, /, fmt: Literal["table", "csv"], output: Path | None, data_dir: Path | None
) -> None:
    """``kam managers list``: see the help."""
    book = book_for(ctx, data_dir)
    rows = [_row(found) for found in managers.profiles_of(book, acting_user(book))]
    if fmt == "csv":
        write_csv_to(rows, list(COLUMNS), output)
        return
    if not rows:
        click.echo(_("No manager's profile you may read: kam managers import FILE adds them."))
        return
    formats = {"load": _points, "capacity": _points}
    emit(labelled_table(rows, COLUMNS, formats, right=("load", "capacity")), output)


def _points(value: Any) -> str:
    return f"{float(value):g}"
