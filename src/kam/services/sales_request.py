"""What every analysis of a sales file is asked: the file, how to read it, period and engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kam.analytics.engine import Engine, EngineName, engine_session
from kam.analytics.sources import ReadOptions, SalesColumns, SalesSource, load_sales
from kam.domain.period import Period


@dataclass(frozen=True)
class SalesFileRequest:
    """A sales file, its columns and read options, the period, and the engine to read it on.

    The request of each analysis of a sales file adds its own fields to these.
    """

    path: Path
    columns: SalesColumns = field(default_factory=SalesColumns)
    options: ReadOptions = field(default_factory=ReadOptions)
    period: Period = field(default_factory=lambda: Period(None, None))
    engine: EngineName = "duckdb"
    spark_master: str | None = None

    @property
    def bounded(self) -> bool:
        """Whether the period leaves out any date."""
        return self.period != Period(None, None)

    @contextmanager
    def session(self) -> Iterator[Engine]:
        """The request's engine, open for the length of a ``with`` block."""
        with engine_session(self.engine, spark_master=self.spark_master) as engine:
            yield engine

    def load(
        self,
        engine: Engine,
        *,
        need_date: bool = False,
        trim_keys: bool = True,
        defer_checks: bool = False,
    ) -> SalesSource:
        """The file's lines in standard columns on ``engine``: see ``load_sales``."""
        return load_sales(
            engine,
            self.path,
            self.columns,
            self.options,
            need_date=need_date,
            trim_keys=trim_keys,
            defer_checks=defer_checks,
        )
