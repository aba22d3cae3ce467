"""``kam import clients|products|people``: master data matched by external key, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from kam.analytics.engine import engine_session
from kam.analytics.parsing import date_window
from kam.analytics.sources import ReadOptions
from kam.analytics.tables import ROW, Field, Join, read_table
from kam.analytics.workbook_limits import excel_limits
from kam.domain.client import Client
from kam.domain.import_log import ImportCounts, ImportKind, ImportProblem, ProblemKind
from kam.domain.period import parse_date
from kam.domain.product import Product
from kam.domain.stakeholder import Person
from kam.i18n import gettext as _
from kam.services.book import Book
from kam.services.imports.common import (
    ImportLog,
    ImportResult,
    Progress,
    rejected_rows,
    step,
)
from kam.store import records
from kam.store.database import transaction
from kam.store.sales import import_lock

#: The steps of a master-data import, in order, for a progress bar.
MASTER_STEPS = ("read", "check", "lock", "write")

_KEYS = ("key", "id", "code")

#: Per kind: field, type, required, plain names found without an option, minimum.
FIELDS: dict[ImportKind, tuple[tuple[str, str, bool, tuple[str, ...], float | None], ...]] = {
    ImportKind.CLIENTS: (
        (
            "key",
            "key",
            True,
            (
                "client_id",
                "customer_id",
                "client",
                "customer",
                "account_id",
                "reseller_key",
                *_KEYS,
            ),
            None,
        ),
        (
            "name",
            "text",
            True,
            (
                "name",
                "client_name",
                "company_name",
                "customer_name",
                "company",
                "account_name",
                "reseller_name",
            ),
            None,
        ),
        (
            "parent_key",
            "key",
            False,
            ("parent_key", "parent", "parent_id", "group_key", "group_id"),
            None,
        ),
        ("industry", "text", False, ("industry", "sector", "business_type"), None),
        ("country", "text", False, ("country", "country_code"), None),
        (
            "employees",
            "integer",
            False,
            ("employees", "number_employees", "employee_count", "headcount"),
            0.0,
        ),
        ("annual_turnover", "money", False, ("annual_turnover", "turnover", "annual_revenue"), 0.0),
        ("potential", "money", False, ("potential", "wallet"), 0.0),
        ("potential_source", "text", False, ("potential_source",), None),
        ("potential_as_of", "date", False, ("potential_as_of",), None),
        ("owner", "text", False, ("owner", "account_manager", "kam"), None),
    ),
    ImportKind.PRODUCTS: (
        (
            "key",
            "key",
            True,
            (
                "product_id",
                "product_key",
                "product",
                "sku",
                "stock_code",
                "item",
                "article",
                *_KEYS,
            ),
            None,
        ),
        (
            "name",
            "text",
            True,
            ("name", "product_name", "description", "english_product_name", "title"),
            None,
        ),
        (
            "group",
            "text",
            False,
            ("group", "product_group", "category", "category_name", "product_line"),
            None,
        ),
        ("list_price", "money", False, ("list_price", "price", "unit_price"), 0.0),
    ),
    ImportKind.PEOPLE: (
        ("key", "key", True, ("person_id", "contact_id", "person_key", *_KEYS), None),
        (
            "client_key",
            "key",
            True,
            ("client_id", "customer_id", "client", "customer", "account_id", "company_id"),
            None,
        ),
        ("name", "text", True, ("name", "full_name", "contact_name", "person"), None),
        ("title", "text", False, ("title", "job_title", "contact_title", "position"), None),
        ("department", "text", False, ("department", "dept"), None),
        ("email", "text", False, ("email", "email_address", "e_mail"), None),
        ("phone", "text", False, ("phone", "telephone", "phone_number", "mobile"), None),
        ("reports_to", "key", False, ("reports_to", "manager", "manager_id"), None),
    ),
}

#: The command-line option of each field, where it differs from the field's name.
OPTION_OF = {
    "parent_key": "parent",
    "annual_turnover": "turnover",
    "client_key": "client",
    "list_price": "price",
}
#: Fields whose option gives one value for every row (a file's columns of these plain names
#: are read when the option is not given).
CONSTANTS = ("potential_source", "potential_as_of")

_TYPES: dict[ImportKind, type[Any]] = {
    ImportKind.CLIENTS: Client,
    ImportKind.PRODUCTS: Product,
    ImportKind.PEOPLE: Person,
}


def option_of(name: str) -> str:
    """The option (without dashes, with underscores) that maps a field."""
    return OPTION_OF.get(name, name)


@dataclass(frozen=True)
class MasterImport:
    """A file of clients, products or people to import.

    ``columns`` maps a field (by its option name: ``parent``, ``turnover``...)
    to the file's column; a field not given is found by its plain names.
    """

    kind: ImportKind
    path: Path
    columns: Mapping[str, str] = field(default_factory=dict)
    options: ReadOptions = field(default_factory=ReadOptions)
    join: Join | None = None
    dry_run: bool = False
    logged_options: dict[str, Any] = field(default_factory=dict)


def import_master(
    book: Book, request: MasterImport, progress: Progress | None = None
) -> ImportResult:
    """Import clients, products or people: insert new keys, update changed ones, all or none."""
    kind = request.kind
    log = ImportLog.start(kind, request, book.user)
    started, digest = log.started_at, log.file_hash
    constants: dict[str, Any] = {}
    unknown = set(request.columns) - {option_of(f[0]) for f in FIELDS[kind]}
    if unknown:
        raise ValueError(
            _("no option --{option} for {value}").format(
                option=sorted(unknown)[0].replace("_", "-"), value=kind.value
            )
        )

    def fields(names: Sequence[str]) -> list[Field]:
        found: list[Field] = []
        for role, sort, required, defaults, minimum in FIELDS[kind]:
            asked = request.columns.get(option_of(role))
            if role in CONSTANTS and asked is not None:
                constants[role] = _constant(role, asked)
                continue
            found.append(
                Field(
                    role,
                    asked,
                    sort,  # type: ignore[arg-type]
                    required=required,
                    mandatory=required,
                    defaults=defaults,
                    minimum=minimum,
                    option=option_of(role).replace("_", "-"),
                )
            )
        return found

    step(progress, "read")
    with engine_session("duckdb") as engine:
        options = replace(
            request.options,
            dates=date_window(book.settings, date.today()),
            excel=excel_limits(book.settings),
        )
        parsed = read_table(engine, request.path, fields, options, join=request.join)
        roles = list(parsed.columns)
        rows = engine.duckdb.execute(
            f"SELECT {ROW}, {', '.join(_quoted(r) for r in roles)} FROM {parsed.table} "
            f"ORDER BY {ROW}"
        ).fetchall()
    step(progress, "check")
    problems = list(parsed.problems)
    bad_rows = {p.row for p in problems}
    items: list[Any] = []
    entries: list[tuple[int, dict[str, Any]]] = []
    first_row: dict[str, int] = {}
    for row in rows:
        values = dict(zip(roles, row[1:], strict=True))
        entries.append((row[0], values))
        key = values.get("key")
        if key is not None and key in first_row:
            problems.append(
                ImportProblem(
                    str(request.path),
                    row[0],
                    parsed.columns["key"],
                    key,
                    f"a key used once in the file (row {first_row[key]} has it already)",
                    ProblemKind.DUPLICATE_KEY,
                )
            )
            continue
        if key is not None:
            first_row[key] = row[0]
        if row[0] in bad_rows:
            continue
        values.update(constants)
        items.append((row[0], _TYPES[kind](**values)))
    fields_in_file = {*roles, *constants}
    step(progress, "lock")
    with import_lock(book.data_dir), transaction(book.database) as session:
        problems.extend(
            _references(session, kind, request.path, parsed.columns, entries, first_row)
        )
        problems.sort(key=lambda p: (p.file != str(request.path), p.row or 0, p.column or ""))
        if problems:
            counts = ImportCounts(rejected=rejected_rows(problems))
            import_id = None if request.dry_run else log.write(session, counts, "rejected")
            return ImportResult(
                kind,
                str(request.path),
                digest,
                counts,
                problems,
                import_id,
                request.dry_run,
                parsed.rows,
            )
        step(progress, "write")
        counts = records.upsert(
            session,
            [item for _, item in items],
            started,
            dry_run=request.dry_run,
            only=fields_in_file,
        )
        import_id = None if request.dry_run else log.write(session, counts)
    return ImportResult(
        kind, str(request.path), digest, counts, (), import_id, request.dry_run, parsed.rows
    )


def _references(
    session: Any,
    kind: ImportKind,
    path: Path,
    columns: Mapping[str, str],
    entries: list[tuple[int, dict[str, Any]]],
    in_file: Mapping[str, int],
) -> list[ImportProblem]:
    """Keys that point nowhere: a client's parent, a person's client or manager."""
    checks: list[tuple[str, type[Any], str]] = []
    if kind is ImportKind.CLIENTS:
        checks.append(("parent_key", Client, "a client key in the file or the book"))
    if kind is ImportKind.PEOPLE:
        checks.append(("client_key", Client, "a client in the book (import the clients first)"))
        checks.append(("reports_to", Person, "a person's key in the file or the book"))
    problems: list[ImportProblem] = []
    for role, target, expected in checks:
        if role not in columns:
            continue
        wanted = {str(v) for _, values in entries if (v := values.get(role)) is not None}
        if target is _TYPES[kind]:
            wanted -= set(in_file)
        known = records.existing_keys(session, target, wanted)
        for row, values in entries:
            value = values.get(role)
            if value is None or value in known:
                continue
            if target is _TYPES[kind] and value in in_file:
                continue
            problems.append(
                ImportProblem(
                    str(path), row, columns[role], value, expected, ProblemKind.MISSING_REFERENCE
                )
            )
    return problems


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _constant(role: str, value: str) -> Any:
    if role == "potential_as_of":
        try:
            as_of: date = parse_date(value)
        except ValueError:
            raise ValueError(
                _("--potential-as-of {value!r} is not a date (YYYY-MM-DD)").format(value=value)
            ) from None
        return as_of
    return value
