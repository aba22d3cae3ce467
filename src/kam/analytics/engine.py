"""The one place that chooses and opens an engine: DuckDB in process, or Spark.

Analytics functions take and return Narwhals lazy frames and never connect to
anything; an :class:`Engine` turns files into such frames. DuckDB is the
embedded default; Spark runs the same expressions in local mode or on a
cluster. Heavy modules are imported only when an engine is opened.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import narwhals as nw

if TYPE_CHECKING:
    from collections.abc import Iterator

    from duckdb import DuckDBPyConnection, DuckDBPyRelation

EngineName = Literal["duckdb", "spark"]
ENGINE_NAMES: tuple[EngineName, ...] = ("duckdb", "spark")


@dataclass
class Engine:
    """An open engine: a DuckDB connection, and a Spark session when asked for.

    DuckDB is always there, since it also parses text files (CSV, Excel) into
    typed columns before any engine runs the analytics.
    """

    name: EngineName
    duckdb: DuckDBPyConnection
    spark: Any = None
    _scratch: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    def scratch_dir(self) -> Path:
        """A private temporary folder, removed when the engine closes."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="kam-")
        return Path(self._scratch.name)

    def frame_from_parquet(self, path: Path) -> nw.LazyFrame[Any]:
        """A lazy frame over a Parquet file or folder, on this engine."""
        if self.spark is not None:
            frame: nw.LazyFrame[Any] = nw.from_native(self.spark.read.parquet(str(path)))
        else:
            frame = nw.from_native(self.duckdb.read_parquet(str(path)))
        return frame

    def frame_from_parquet_files(self, paths: list[Path]) -> nw.LazyFrame[Any]:
        """A lazy frame over a list of Parquet files of one schema, on this engine."""
        if not paths:
            raise ValueError("no Parquet files to read")
        if self.spark is not None:
            frame: nw.LazyFrame[Any] = nw.from_native(
                self.spark.read.parquet(*[str(p) for p in paths])
            )
        else:
            frame = nw.from_native(self.duckdb.read_parquet([str(p) for p in paths]))
        return frame

    def frame_from_duckdb(self, relation: DuckDBPyRelation) -> nw.LazyFrame[Any]:
        """A DuckDB relation as a lazy frame on this engine (via Parquet for Spark)."""
        if self.spark is None:
            frame: nw.LazyFrame[Any] = nw.from_native(relation)
            return frame
        # A fresh name each time: Spark reads lazily, so a reused name could change a frame
        # that has not been read yet.
        target = self.scratch_dir() / f"frame-{uuid.uuid4().hex}.parquet"
        relation.write_parquet(str(target))
        return self.frame_from_parquet(target)

    def materialize(self, frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
        """Compute a small frame of this engine once, and continue lazily from the result.

        Used to aggregate many lines once (per-client figures, say), then run
        several queries on the result without scanning the lines again. On
        DuckDB the result is a temporary table of this connection; on Spark it
        is collected and handed back to the session.
        """
        if self.spark is not None or frame.implementation is not nw.Implementation.DUCKDB:
            return lazy_like(frame.collect(backend="pyarrow"), frame)
        kept: nw.LazyFrame[Any] = nw.from_native(self.keep(frame.to_native()))
        return kept

    def keep(self, relation: DuckDBPyRelation) -> DuckDBPyRelation:
        """Compute a relation of this engine's DuckDB connection once, into a temporary table.

        The table lives as long as the engine; several queries may then read it. Its rows
        read in the order of ``relation`` (insertion order is preserved, see
        :func:`open_engine`).
        """
        name = f"kam_kept_{uuid.uuid4().hex}"
        relation.create_view(f"{name}_query")
        self.duckdb.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_query")
        self.duckdb.execute(f"DROP VIEW {name}_query")
        return self.duckdb.table(name)

    def to_duckdb(self, frame: nw.LazyFrame[Any]) -> DuckDBPyRelation:
        """A frame of this engine as a DuckDB relation: as it is on DuckDB, collected from Spark.

        For small results (a row per client) that DuckDB finishes, whatever the engine.
        """
        if frame.implementation is nw.Implementation.DUCKDB:
            relation: DuckDBPyRelation = frame.to_native()
            return relation
        return self.duckdb.from_arrow(frame.collect(backend="pyarrow").to_native())

    def close(self) -> None:
        """Release the connection and remove scratch files (the Spark session stays shared)."""
        self.duckdb.close()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None


def lazy_like(table: nw.DataFrame[Any], like: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """A small collected table back as a lazy frame on the engine of ``like``.

    Used to aggregate once over many lines, then continue on the small result
    without scanning the lines again.
    """
    implementation = like.implementation
    if implementation is nw.Implementation.PYSPARK:
        return table.lazy(backend=implementation, session=like.to_native().sparkSession)
    return table.lazy(backend=implementation)


def open_engine(
    name: EngineName = "duckdb",
    *,
    spark_master: str | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: Path | None = None,
) -> Engine:
    """Open an engine by name.

    Parameters
    ----------
    name
        ``"duckdb"`` (default, in process) or ``"spark"``.
    spark_master
        Spark master URL (``local[*]`` when not given, or ``KAM_SPARK_MASTER``).
    threads, memory_limit
        Limits for DuckDB; its defaults otherwise.
    temp_directory
        Where DuckDB writes what does not fit within ``memory_limit``.
    """
    import duckdb

    # Rows come back in the order they were inserted, so a table kept from a sorted query
    # (see :meth:`Engine.keep`) reads in that order without sorting again.
    config: dict[str, Any] = {"preserve_insertion_order": True}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_directory is not None:
        config["temp_directory"] = str(temp_directory)
    connection = duckdb.connect(config=config)
    if name == "duckdb":
        return Engine("duckdb", connection)
    if name == "spark":
        return Engine("spark", connection, spark=spark_session(spark_master))
    raise ValueError(f"unknown engine {name!r}; expected one of {', '.join(ENGINE_NAMES)}")


def spark_session(master: str | None = None) -> Any:
    """The shared Spark session, created on first use.

    Raises
    ------
    RuntimeError
        When pyspark is not installed or Spark cannot start (no Java, say).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise RuntimeError(
            "the Spark engine needs pyspark: install kam with the 'spark' extra"
        ) from error
    master = master or os.environ.get("KAM_SPARK_MASTER") or "local[*]"
    builder = (
        SparkSession.builder.master(master)
        .appName("kam")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    try:
        session = builder.getOrCreate()
    except Exception as error:
        raise RuntimeError(f"Spark could not start at {master}: {error}") from error
    session.sparkContext.setLogLevel("ERROR")
    return session


@contextlib.contextmanager
def engine_session(name: EngineName = "duckdb", **options: Any) -> Iterator[Engine]:
    """Open an engine for the length of a ``with`` block."""
    engine = open_engine(name, **options)
    try:
        yield engine
    finally:
        engine.close()
