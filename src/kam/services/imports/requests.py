"""From column options (a profile's, a form's, the command line's) to an import request.

The command line, the web import page and the demo build their imports here,
so an option means the same everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kam.analytics.sales_lines import LineColumns
from kam.analytics.sources import ReadOptions, SalesColumns
from kam.analytics.tables import Join
from kam.domain.import_log import ImportKind
from kam.i18n import gettext as _
from kam.services.book import Book
from kam.services.imports.common import ImportResult, Progress
from kam.services.imports.master import FIELDS, MasterImport, import_master, option_of
from kam.services.imports.profiles import load_profile
from kam.services.imports.sales import SalesImport, import_sales

READ_OPTIONS = ("delimiter", "encoding", "decimal", "date_format", "sheet")
JOIN_OPTIONS = ("join", "on")
SALES_MAPPING = (
    "client",
    "date",
    "amount",
    "quantity",
    "price",
    "margin",
    "order",
    "product",
    "discount",
    "line_key",
    "require_clients",
    "allow_dates_outside",
)


def option_names(kind: ImportKind) -> tuple[str, ...]:
    """Every option an import of ``kind`` takes."""
    if kind is ImportKind.SALES:
        return (*SALES_MAPPING, *READ_OPTIONS, *JOIN_OPTIONS)
    return (*(option_of(f[0]) for f in FIELDS[kind]), *READ_OPTIONS, *JOIN_OPTIONS)


def merge_options(
    book: Book, kind: ImportKind, file: Path, profile: str | None, given: dict[str, Any]
) -> dict[str, Any]:
    """A profile's options (its join file next to ``file``), then the given ones on top.

    Raises
    ------
    ValueError
        For a profile of another kind, an unknown option, or --join without --on.
    """
    options: dict[str, Any] = {}
    if profile:
        found = load_profile(book, profile)
        if found.kind is not kind:
            raise ValueError(
                _("profile {name!r} is for kam import {value}, not {asked}").format(
                    name=found.name, value=found.kind.value, asked=kind.value
                )
            )
        options.update(found.options)
        if options.get("join") and not Path(options["join"]).is_absolute():
            options["join"] = str(file.parent / options["join"])
    for name, value in given.items():
        if value is not None and value != ():
            options[name] = value
    unknown = set(options) - set(option_names(kind))
    if unknown:
        raise ValueError(
            _("unknown option {option!r} for kam import {value}").format(
                option=sorted(unknown)[0], value=kind.value
            )
        )
    if bool(options.get("join")) != bool(options.get("on")):
        raise ValueError(_("--join and --on go together"))
    return options


def options_to_save(options: dict[str, Any], file: Path) -> dict[str, Any]:
    """Options as a profile keeps them: a join file relative to the imported file."""
    saved = dict(options)
    if saved.get("join"):
        saved["join"] = os.path.relpath(Path(saved["join"]).resolve(), file.parent.resolve())
    return saved


def _read(options: dict[str, Any]) -> ReadOptions:
    return ReadOptions(
        delimiter=options.get("delimiter"),
        encoding=options.get("encoding"),
        decimal=options.get("decimal"),
        date_format=options.get("date_format"),
        sheet=options.get("sheet"),
        allow_dates_outside=bool(options.get("allow_dates_outside")),
    )


def _join(options: dict[str, Any]) -> Join | None:
    if not options.get("join"):
        return None
    return Join(Path(options["join"]), str(options["on"]))


def build_request(
    kind: ImportKind, file: Path, options: dict[str, Any], *, dry_run: bool = False
) -> MasterImport | SalesImport:
    """The import request for a file and its merged options."""
    if kind is not ImportKind.SALES:
        fields = {
            name: str(options[name])
            for name in (option_of(f[0]) for f in FIELDS[kind])
            if options.get(name) is not None
        }
        return MasterImport(
            kind,
            file,
            fields,
            _read(options),
            _join(options),
            dry_run,
            options_to_save(options, file),
        )
    line_key = options.get("line_key") or ""
    if isinstance(line_key, str):
        line_key = [part.strip() for part in line_key.split(",") if part.strip()]
    columns = SalesColumns(
        client=options.get("client"),
        date=options.get("date"),
        amount=options.get("amount"),
        quantity=options.get("quantity"),
        price=options.get("price"),
        margin=options.get("margin"),
        order=options.get("order"),
    )
    return SalesImport(
        file,
        LineColumns(columns, options.get("product"), options.get("discount"), tuple(line_key)),
        _read(options),
        _join(options),
        bool(options.get("require_clients")),
        dry_run,
        options_to_save(options, file),
    )


def import_file(
    book: Book, request: MasterImport | SalesImport, progress: Progress | None = None
) -> ImportResult:
    """Run an import request."""
    if isinstance(request, SalesImport):
        return import_sales(book, request, progress)
    return import_master(book, request, progress)
