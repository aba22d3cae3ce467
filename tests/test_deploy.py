"""The team deployment of ``docs/deploy.md``, brought up on this machine in local mode.

The example files in ``deploy/`` (the settings every process reads and the systemd
units) are used as they are, with only the hosts of a real team replaced: the
database is a PostgreSQL server started for the test, the shared data directory a
temporary folder and the Spark cluster Spark in local mode. The book is set up with
the docs' commands, the sales imported, the book classified on Spark (the same
classes as on DuckDB), the web unit's command serves the book to a user who logs in,
and the nightly check unit finds the book consistent.
"""

from __future__ import annotations

import configparser
import csv
import io
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from kam.settings import SETTINGS
from tests.conftest import ROOT, SAMPLES
from tests.served import free_port, serving

DEPLOY = ROOT / "deploy"
DOCS = ROOT / "docs" / "deploy.md"
NORTHWIND = SAMPLES / "northwind"
PASSWORD = "deploy-password-1"

pytestmark = [pytest.mark.postgresql, pytest.mark.spark]


def environment_file(path: Path) -> dict[str, str]:
    """The variables of a systemd ``EnvironmentFile`` (``NAME=value`` lines, ``#`` comments)."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            found[name.strip()] = value.strip()
    return found


def unit(name: str) -> configparser.ConfigParser:
    """A systemd unit file of ``deploy/``."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def exec_start(name: str) -> list[str]:
    """The command of a unit, run by this test's kam instead of the installed one."""
    command = shlex.split(unit(name)["Service"]["ExecStart"])
    assert command[0].endswith("/bin/kam"), f"{name} does not run kam: {command}"
    return [sys.executable, "-m", "kam", *command[1:]]


@pytest.fixture(scope="module")
def team(postgres: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of ``deploy/kam.env`` with this machine's stand-ins for the hosts."""
    example = environment_file(DEPLOY / "kam.env")
    local = {
        "KAM_DATABASE_URL": postgres.create_database("kam_deploy"),
        "KAM_DATA_DIR": str(tmp_path_factory.mktemp("shared") / "kam"),
        "KAM_SPARK_MASTER": "local[2]",
    }
    assert set(local) <= set(example), "the example names no database, folder or master"
    return {**os.environ, **example, **local, "KAM_PASSWORD": PASSWORD}


def kam(env: Mapping[str, str], *args: str) -> str:
    """Run one kam command of the docs with the team's environment; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "kam", *args], env=dict(env), capture_output=True, text=True
    )
    assert done.returncode == 0, f"kam {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def classes(output: str) -> dict[str, str]:
    """Client id to class, from ``kam classify --format csv``."""
    return {row["client_id"]: row["class"] for row in csv.DictReader(io.StringIO(output))}


@pytest.fixture(scope="module")
def book(team: dict[str, str]) -> dict[str, str]:
    """The team's book, set up as the docs say and filled with the Northwind sales."""
    kam(team, "init")
    kam(team, "user", "add", "head", "--role", "head")
    kam(
        team,
        "import",
        "clients",
        str(NORTHWIND / "customers.csv"),
        "--profile",
        "northwind-customers",
    )
    kam(
        team,
        "import",
        "sales",
        str(NORTHWIND / "order_details.csv"),
        "--profile",
        "northwind-sales",
    )
    return team


def test_the_example_settings_are_settings_of_kam_and_the_docs_show_them() -> None:
    example = environment_file(DEPLOY / "kam.env")
    known = {f"KAM_{setting.name.upper()}" for setting in SETTINGS}
    assert set(example) <= known, f"not settings of kam: {set(example) - known}"
    docs = DOCS.read_text(encoding="utf-8")
    for name in ("kam.env", "kam-web.service", "kam-check.service", "kam-check.timer"):
        assert f"deploy/{name}" in docs, f"docs/deploy.md does not show deploy/{name}"
    for name in ("kam-web.service", "kam-check.service"):
        service = unit(name)["Service"]
        assert service["EnvironmentFile"] == "/etc/kam/kam.env"
    timer = unit("kam-check.timer")["Timer"]
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:\d\d", timer["OnCalendar"])


def test_the_book_is_classified_on_spark_with_the_classes_of_duckdb(
    book: dict[str, str],
) -> None:
    assert book["KAM_ENGINE"] == "spark"
    on_spark = classes(kam(book, "classify", "--period", "1997", "--format", "csv"))
    on_duckdb = classes(
        kam({**book, "KAM_ENGINE": "duckdb"}, "classify", "--period", "1997", "--format", "csv")
    )
    assert set(on_spark.values()) == {"A", "B", "C"}
    assert on_spark == on_duckdb


def test_the_nightly_check_finds_the_book_consistent(book: dict[str, str]) -> None:
    done = subprocess.run(exec_start("kam-check.service"), env=book, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def served(book: dict[str, str]) -> Iterator[str]:
    """The web unit's command, on a free port of this machine; its base address."""
    port = free_port()
    command = exec_start("kam-web.service")
    command[command.index("--port") + 1] = str(port)
    command[command.index("--workers") + 1] = "2"
    with serving(command, port, book, seconds=60) as base:
        yield base


def test_the_web_unit_serves_the_team_s_book_to_a_user_who_logs_in(served: str) -> None:
    with httpx.Client(base_url=served) as client:
        form = client.get("/login").text
        found = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert found
        answer = client.post(
            "/login",
            data={"username": "head", "password": PASSWORD, "csrf_token": found[1], "next": "/"},
        )
        assert answer.status_code == 303
        clients = client.get("/clients")
        assert clients.status_code == 200
        assert "SAVEA" in clients.text
