"""Use case: every list of the web pages as a CSV or Excel download, safe in a spreadsheet.

The rows are those the pages show, scoped the same way and worded as the pages word
them (:mod:`kam.services.wording`); they are written by
:func:`kam.services.exports.write_safe_csv` and
:func:`~kam.services.exports.write_safe_xlsx`: text that begins with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is never evaluated, numbers
stay numbers.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kam.i18n import gettext as _
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.class_history import show_history
from kam.services.clients import ClientFilter, list_clients
from kam.services.currency import book_currency
from kam.services.exports import ExportFormat, write_safe_csv, write_safe_xlsx
from kam.services.imports.profiles import import_history
from kam.services.overview import book_overview
from kam.services.risk_backtest import Backtest
from kam.services.rule_backtest import RULE_LABELS
from kam.services.wording import label, policy_text

#: The most rows of a download (the client list is paged beyond it).
MAX_ROWS = 1_000_000
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

CLIENT_COLUMNS = (
    "key",
    "name",
    "group",
    "industry",
    "country",
    "owner",
    "class",
    "value",
    "rank",
    "share",
)
MOVER_COLUMNS = ("client_id", "before", "after", "reason")
HISTORY_COLUMNS = (
    "period",
    "policy",
    "class",
    "computed_class",
    "override",
    "value",
    "share",
    "rank",
    "reason",
    "taken_at",
)
IMPORT_LOG_COLUMNS = (
    "id",
    "started_at",
    "user",
    "kind",
    "file",
    "status",
    "inserted",
    "updated",
    "unchanged",
    "rejected",
    "skipped",
    "sha256",
)

BACKTEST_COLUMNS: dict[str, tuple[str, ...]] = {
    "rules": (
        "rule",
        "name",
        "flags",
        "flags_followed_by_loss",
        "precision",
        "key_clients_lost",
        "caught",
        "recall",
        "lead_months",
    ),
    "calibration": ("decile", "clients", "predicted", "observed"),
    "months": ("month", "clients", "examples", "lost", "auc", "flagged"),
}


@dataclass(frozen=True)
class Table:
    """Rows to download, the columns in order, and the file's name without its suffix.

    ``money`` names the columns of amounts, in ``currency``.
    """

    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    money: frozenset[str] = frozenset()
    currency: str | None = None


def render_table(table: Table, fmt: ExportFormat) -> bytes:
    """The table as the bytes of a CSV (UTF-8) or Excel file, its amounts with their currency."""
    if fmt == "csv":
        text = io.StringIO(newline="")
        write_safe_csv(table.rows, table.columns, text, money=table.money, currency=table.currency)
        return text.getvalue().encode("utf-8")
    if fmt == "xlsx":
        binary = io.BytesIO()
        write_safe_xlsx(
            table.rows, table.columns, binary, money=table.money, currency=table.currency
        )
        return binary.getvalue()
    raise ValueError(_("unknown export format {format!r}; expected csv or xlsx").format(format=fmt))


def client_list(book: Book, scope: ClientScope, query: ClientFilter) -> Table:
    """Every client of the list with its filters and sorting (all pages)."""
    found = list_clients(book, scope, dataclasses.replace(query, page=1, per_page=MAX_ROWS))
    rows = [_pick(r, CLIENT_COLUMNS) for r in found.clients]
    return Table("clients", CLIENT_COLUMNS, rows, frozenset({"value"}), book_currency(book))


def movers(book: Book, scope: ClientScope) -> Table:
    """Every client whose class changed since the previous run, with the reason."""
    overview = book_overview(book, scope, movers_limit=MAX_ROWS)
    rows = [
        {
            "client_id": m.client_key,
            "before": label("class", m.before),
            "after": label("class", m.after),
            "reason": m.reason,
        }
        for m in overview.movers
    ]
    return Table("movers", MOVER_COLUMNS, rows)


def class_history(book: Book, scope: ClientScope, client_key: str) -> Table:
    """A client's class in every run. Raises LookupError out of scope or when unknown."""
    scope.require(client_key)
    try:
        found = show_history(book, client_key)
    except ValueError:
        raise LookupError(client_key) from None
    rows = [
        {
            "period": s.period,
            "policy": policy_text(s.policy),
            "class": s.abc_class,
            "computed_class": s.computed_class,
            "override": s.override_reason is not None,
            "value": s.value / 100,
            "share": s.share,
            "rank": s.rank,
            "reason": s.explained(),
            "taken_at": s.taken_at.isoformat(sep=" "),
        }
        for s in found.snapshots
    ]
    name = f"class-history-{_slug(client_key)}"
    return Table(name, HISTORY_COLUMNS, rows, frozenset({"value"}), book_currency(book))


def import_log(book: Book, limit: int = 10_000) -> Table:
    """The import log, newest first."""
    rows = [
        {
            "id": r.id,
            "started_at": r.started_at.isoformat(sep=" "),
            "user": r.user,
            "kind": label("kind", r.kind.value),
            "file": r.file_name,
            "status": label("status", r.status),
            "inserted": r.counts.inserted,
            "updated": r.counts.updated,
            "unchanged": r.counts.unchanged,
            "rejected": r.counts.rejected,
            "skipped": r.counts.skipped,
            "sha256": r.file_hash,
        }
        for r in import_history(book, limit)
    ]
    return Table("import-log", IMPORT_LOG_COLUMNS, rows)


def backtest(found: Backtest, part: str) -> Table:
    """A part of a replay of the rules and the model on the book's past: ``rules`` (each
    replayed rule and the model at the alert budget), ``calibration`` (the model's, by
    tenth) or ``months``. Raises KeyError for another part."""
    columns = BACKTEST_COLUMNS[part]
    rows: list[dict[str, Any]]
    if part == "rules":
        rows = [
            {
                "rule": r.rule,
                "name": _(RULE_LABELS[r.rule]),
                "flags": r.flags,
                "flags_followed_by_loss": r.true_flags,
                "precision": r.precision,
                "key_clients_lost": r.losses,
                "caught": r.caught,
                "recall": r.recall,
                "lead_months": r.lead_months,
            }
            for r in found.rules
        ]
    elif part == "calibration":
        rows = [dataclasses.asdict(d) for d in found.deciles]
    else:
        rows = [dataclasses.asdict(m) for m in found.months]
    return Table(f"backtest-{part}-{found.start}-{found.end}", columns, rows)


def rows_table(name: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> Table:
    """Any rows as a table to download."""
    return Table(name, tuple(columns), [dict(r) for r in rows])


def _pick(row: Mapping[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    return {c: row.get(c) for c in columns}


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:60] or "client"
