"""Shared fixtures: engines (DuckDB and Spark in local mode) and small sales files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import narwhals as nw
import pytest

from kam.analytics.engine import Engine, open_engine

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives Chromium (through the ``browser`` fixture) ``browser``, so
    that ``-m browser`` runs the journeys alone and ``-m "not browser"`` runs without them."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def spark_session() -> Any:
    """One Spark session in local mode for the whole run; a failure to start fails the tests."""
    from kam.analytics.engine import spark_session as start

    return start("local[2]")


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """Each analytics test runs once on DuckDB and once on Spark."""
    if request.param == "spark":
        request.getfixturevalue("spark_session")
        opened = open_engine("spark", spark_master="local[2]")
    else:
        opened = open_engine("duckdb")
    yield opened
    opened.close()


def make_frame(
    engine: Engine, rows: list[dict[str, Any]], schema: dict[str, str]
) -> nw.LazyFrame[Any]:
    """A lazy frame on ``engine`` from rows; ``schema`` maps column to a SQL type."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "bigint": pa.int64(),
        "double": pa.float64(),
        "date": pa.date32(),
    }
    table = pa.table({c: pa.array([r[c] for r in rows], types[t]) for c, t in schema.items()})
    relation = engine.duckdb.from_arrow(table)
    return engine.frame_from_duckdb(relation)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    """One PostgreSQL server for the run; a failure to start fails the tests that need it."""
    from tests.postgres import PostgresServer

    server = PostgresServer()
    server.start()
    yield server
    server.stop()


_databases = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs once on SQLite and once on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        server = request.getfixturevalue("postgres")
        url: str = server.create_database(f"kam_test_{next(_databases)}")
        return url
    return f"sqlite:///{tmp_path / 'kam.db'}"
