"""How a command reads a sales file: the columns and options the services take, the engines
they run on, and the error a file that cannot be read raises."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kam.analytics.engine import ENGINE_NAMES, EngineName
from kam.analytics.parsing import Decimal, date_window
from kam.analytics.sources import ReadOptions, SalesColumns, SourceError
from kam.analytics.workbook_limits import excel_limits


def read_options(
    settings: Mapping[str, str],
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    decimal: Decimal | None = None,
    date_format: str | None = None,
    sheet: str | None = None,
) -> ReadOptions:
    """The options given, with the plausible dates and the Excel limits of the settings.

    Raises
    ------
    ValueError
        When a setting of the dates or the limits is not valid (the message names it).
    """
    return ReadOptions(
        delimiter=delimiter,
        encoding=encoding,
        decimal=decimal,
        date_format=date_format,
        sheet=sheet,
        dates=date_window(settings, date.today()),
        excel=excel_limits(settings),
    )


__all__ = [
    "ENGINE_NAMES",
    "EngineName",
    "ReadOptions",
    "SalesColumns",
    "SourceError",
    "read_options",
]
