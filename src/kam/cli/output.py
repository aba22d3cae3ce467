"""Writing tables out: aligned text, CSV, JSON and Parquet.

The aligned text table is for people: its headings are translated and its
numbers written as the language writes them. CSV, JSON and Parquet are data
for scripts: their columns keep their English names and numbers stay numbers.
"""

from __future__ import annotations

import csv
import json
import math
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, Protocol, TypeVar

import click

from kam.domain.spreadsheet import neutralize_cell
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import option
from kam.i18n.formats import format_number, format_share
from kam.i18n.money import current_currency, format_money

OutputFormat = Literal["table", "csv", "json", "parquet"]
FORMATS: tuple[OutputFormat, ...] = ("table", "csv", "json", "parquet")

Formatter = Callable[[Any], str]

S = TypeVar("S")
S_co = TypeVar("S_co", covariant=True)


#: The columns whose heading in the text tables is their name, translated when shown.
HEADED: frozenset[str] = frozenset(
    {
        N_("client_id"),
        N_("name"),
        N_("value"),
        N_("share"),
        N_("cumulative_share"),
        N_("rank"),
        N_("class"),
        N_("reason"),
        N_("lines"),
        N_("override"),
        N_("clients"),
        N_("clients %"),
        N_("value %"),
        N_("before \\ after"),
        N_("total"),
        N_("before_class"),
        N_("after_class"),
        N_("attractiveness"),
        N_("our_score"),
        N_("best_competitor"),
        N_("competitor_score"),
        N_("relative_strength"),
        N_("quadrant"),
        N_("revenue"),
        N_("potential"),
        N_("headroom"),
        N_("share_of_wallet"),
        N_("size_class"),
        N_("potential_class"),
        N_("cell"),
        N_("rfm"),
        N_("recency_score"),
        N_("frequency_score"),
        N_("monetary_score"),
        N_("recency_days"),
        N_("last_date"),
        N_("frequency"),
        N_("monetary"),
        N_("recency"),
        N_("score"),
        N_("margin"),
        N_("growth"),
        N_("cv"),
        N_("mean"),
        N_("sd"),
        N_("months"),
        N_("active_months"),
        N_("period"),
        N_("policy"),
        N_("computed"),
        N_("status"),
        N_("set at"),
        N_("by"),
        N_("until"),
        N_("id"),
        N_("when"),
        N_("user"),
        N_("kind"),
        N_("file"),
        N_("inserted"),
        N_("updated"),
        N_("unchanged"),
        N_("rejected"),
        N_("skipped"),
        N_("sha256"),
        N_("source"),
        N_("about"),
    }
)


def heading(column: str) -> str:
    """A column's heading in the language of the moment.

    A criterion's percentile column ``pct_<criterion>`` is headed by the criterion.
    """
    if column in HEADED:
        return _(column)
    if column.startswith("pct_"):
        return _("{criterion} percentile").format(criterion=heading(column[4:]))
    return column


def percent(value: Any) -> str:
    """A share as a percentage, as the language writes it."""
    return "" if value is None else format_share(value)


def money(value: Any) -> str:
    """An amount in currency units with the book's currency, as the language writes it.

    The currency is the one the command's settings name
    (:func:`kam.cli.activate_settings_currency`).
    """
    return "" if value is None else format_money(value, current_currency())


def decimals(places: int) -> Formatter:
    """A number with ``places`` decimals, as the language writes it."""

    def write(value: Any) -> str:
        return "" if value is None else format_number(value, places)

    return write


def count(value: Any) -> str:
    """A whole number with the language's thousands separator (other values as they are)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value, 0)
    return plain(value)


def plain(value: Any) -> str:
    """Any value as text; ``None`` as empty."""
    return "" if value is None else str(value)


#: Characters that steer a terminal or the direction of text rather than show.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    r"""``text`` with control characters shown as escapes rather than sent to the terminal.

    Imported data may hold terminal escape codes (which can recolour, hide or
    rewrite what the terminal shows), line breaks or bidirectional overrides;
    in a table each is written as its Python escape.

    >>> printable("Acme\x1b[2J\x1b]0;owned\x07 Ltd\n")
    'Acme\\x1b[2J\\x1b]0;owned\\x07 Ltd\\n'
    >>> printable("Łódź Sp. z o.o.")
    'Łódź Sp. z o.o.'
    """
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp")
        else ch
        for ch in text
    )


def render_text_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    formats: Mapping[str, Formatter] | None = None,
    right: Sequence[str] = (),
    headings: Mapping[str, str] | None = None,
) -> str:
    """Rows as an aligned plain-text table, for people.

    The headings are :func:`heading` of each column unless ``headings`` gives
    one; whole numbers are written with the language's thousands separator
    unless ``formats`` says otherwise. Control characters in the values (terminal
    escape codes from imported data) are shown as escapes: see :func:`printable`.
    """
    formats = formats or {}
    cells = [[printable(formats.get(c, count)(row.get(c))) for c in columns] for row in rows]
    titles = [(headings or {}).get(c) or heading(c) for c in columns]
    widths = [max([len(t)] + [len(r[i]) for r in cells]) for i, t in enumerate(titles)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if c in right else v.ljust(w)
            for v, w, c in zip(values, widths, columns, strict=True)
        ).rstrip()

    return "\n".join([line(titles), line(["-" * w for w in widths]), *map(line, cells)])


def labelled_table(
    rows: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    formats: Mapping[str, Formatter] | None = None,
    right: Sequence[str] = (),
) -> str:
    """Rows as :func:`render_text_table` draws them: the columns of ``labels`` in its order,
    each headed by its label (an untranslated message) in the language."""
    headings = {column: _(label) for column, label in labels.items()}
    return render_text_table(rows, list(labels), formats, right, headings)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralize_cell(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return "" if value is None else value


def write_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], handle: IO[str]) -> None:
    """Rows as CSV, safe to open in a spreadsheet."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps_json(document: Any) -> str:
    """A document as indented JSON (dates as ISO text)."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=_json_default)


def emit(text: str, output: Path | None) -> None:
    """Write text to ``output``, or to standard output."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def write_table(
    table: Any,
    columns: Sequence[str],
    fmt: OutputFormat,
    output: Path | None,
    *,
    text_formats: Mapping[str, Formatter] | None = None,
    right: Sequence[str] = (),
    document: Callable[[list[dict[str, Any]]], Any] | None = None,
) -> None:
    """Write a pyarrow table in a format, to a file or standard output.

    ``document`` wraps the rows for JSON (to add a summary section).
    """
    if fmt == "parquet":
        import pyarrow.parquet as pq

        if output is None:
            raise ValueError(_("--format parquet needs --output FILE"))
        pq.write_table(table.select(list(columns)), str(output))
        return
    rows = table.select(list(columns)).to_pylist()
    if fmt == "json":
        emit(dumps_json(document(rows) if document else rows), output)
    elif fmt == "csv":
        write_csv_to(rows, columns, output)
    else:
        emit(render_text_table(rows, columns, text_formats, right), output)


def write_csv_to(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], output: Path | None
) -> None:
    """Rows as CSV (see :func:`write_csv`) to ``output``, or to standard output."""
    if output is None:
        write_csv(rows, columns, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as handle:
            write_csv(rows, columns, handle)


def print_notes(notes: Sequence[str]) -> None:
    """Each note on a line of its own on standard error."""
    for note in notes:
        click.echo(_("note: {note}").format(note=note), err=True)


class Summarised(Protocol[S_co]):
    """A per-client result of an analysis of a sales file, with its summary and notes."""

    @property
    def table(self) -> Any:
        """The clients (a pyarrow table)."""

    @property
    def summary(self) -> S_co:
        """The summary of the book."""

    @property
    def notes(self) -> Sequence[str]:
        """What the reader is told of the reading."""


@dataclass(frozen=True)
class Layout:
    """The columns of a per-client table, in order, how its text table writes some of them
    (``text_formats``) and which it sets to the right."""

    columns: Sequence[str]
    text_formats: Mapping[str, Formatter]
    right: Sequence[str]


def write_clients(
    table: Any,
    layout: Layout,
    params: Mapping[str, Any],
    *,
    summary: Any,
    summary_text: str,
    notes: Sequence[str] = (),
) -> None:
    """A per-client result as the analysis commands print it, in ``layout``.

    Notes go to standard error; the first ``--limit`` rows go out in
    ``--format`` to ``--output``; the summary goes to standard error, or into
    the JSON document as its own section beside the clients.
    """
    print_notes(notes)
    if params.get("limit"):
        table = table.slice(0, params["limit"])
    fmt = params["fmt"]
    write_table(
        table,
        layout.columns,
        fmt,
        params["output"],
        text_formats=layout.text_formats,
        right=layout.right,
        document=lambda rows: {"summary": summary, "clients": rows},
    )
    if fmt != "json":
        click.echo(summary_text, err=True)


def write_summarised(
    result: Summarised[S],
    layout: Layout,
    params: Mapping[str, Any],
    document: Callable[[S], Any],
    render: Callable[[S], str],
) -> None:
    """:func:`write_clients` of ``result`` in ``layout``: its summary as ``document`` makes it
    data for JSON and as ``render`` words it, then its notes."""
    data, text = document(result.summary), render(result.summary)
    write_clients(result.table, layout, params, summary=data, summary_text=text, notes=result.notes)


#: ``--output``: a file to write instead of standard output.
output_option = option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("Write to this file instead of standard output."),
)


def format_option(formats: Sequence[str], help_text: str) -> Callable[[Any], Any]:
    """``--format`` among ``formats``, a table for people by default (given to the command
    as ``fmt``); ``help_text`` (untranslated, ``N_``) says what each format is for."""
    return option(
        "--format",
        "fmt",
        type=click.Choice(list(formats)),
        default="table",
        show_default=True,
        help=help_text,
    )


#: ``--format table|csv``, for the lists of the book (given to the command as ``fmt``).
table_or_csv_option = format_option(
    ["table", "csv"], N_("table: aligned text for people; csv: data for scripts.")
)


def output_options(command: Any) -> Any:
    """``--format``, ``--output`` and ``--limit``."""
    command = option("--limit", type=click.IntRange(min=1), help=N_("Show only the first N rows."))(
        command
    )
    command = output_option(command)
    return format_option(
        FORMATS, N_("table: aligned text for people; csv, json, parquet: data for scripts.")
    )(command)
