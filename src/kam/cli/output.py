"""Writing tables out: aligned text, CSV, JSON and Parquet."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal

import click

from kam.domain.spreadsheet import neutralize_cell

OutputFormat = Literal["table", "csv", "json", "parquet"]
FORMATS: tuple[OutputFormat, ...] = ("table", "csv", "json", "parquet")

Formatter = Callable[[Any], str]


def percent(value: Any) -> str:
    """A share as a percentage."""
    return "" if value is None else f"{100 * value:.1f}%"


def money(value: Any) -> str:
    """An amount in currency units with two decimals."""
    return "" if value is None else f"{value:,.2f}"


def plain(value: Any) -> str:
    """Any value as text; ``None`` as empty."""
    return "" if value is None else str(value)


def render_text_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    formats: Mapping[str, Formatter] | None = None,
    right: Sequence[str] = (),
) -> str:
    """Rows as an aligned plain-text table."""
    formats = formats or {}
    cells = [[formats.get(c, plain)(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if c in right else v.ljust(w)
            for v, w, c in zip(values, widths, columns, strict=True)
        ).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells)])


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
            raise ValueError("--format parquet needs --output FILE")
        pq.write_table(table.select(list(columns)), str(output))
        return
    rows = table.select(list(columns)).to_pylist()
    if fmt == "json":
        emit(dumps_json(document(rows) if document else rows), output)
    elif fmt == "csv":
        if output is None:
            write_csv(rows, columns, sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                write_csv(rows, columns, handle)
    else:
        emit(render_text_table(rows, columns, text_formats, right), output)


def write_clients(
    table: Any,
    columns: Sequence[str],
    params: Mapping[str, Any],
    *,
    summary: Any,
    summary_text: str,
    notes: Sequence[str] = (),
    text_formats: Mapping[str, Formatter] | None = None,
    right: Sequence[str] = (),
) -> None:
    """A per-client result as the analysis commands print it.

    Notes go to standard error; the first ``--limit`` rows go out in
    ``--format`` to ``--output``; the summary goes to standard error, or into
    the JSON document as its own section beside the clients.
    """
    for note in notes:
        click.echo(f"note: {note}", err=True)
    if params.get("limit"):
        table = table.slice(0, params["limit"])
    fmt = params["fmt"]
    write_table(
        table,
        columns,
        fmt,
        params["output"],
        text_formats=text_formats,
        right=right,
        document=lambda rows: {"summary": summary, "clients": rows},
    )
    if fmt != "json":
        click.echo(summary_text, err=True)


def output_options(command: Any) -> Any:
    """``--format``, ``--output`` and ``--limit``."""
    command = click.option(
        "--limit", type=click.IntRange(min=1), help="Show only the first N rows."
    )(command)
    command = click.option(
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Write to this file instead of standard output.",
    )(command)
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
    )(command)
