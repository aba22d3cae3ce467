"""The test command (``scripts/test``, which ``.ci/run`` runs) stops at the first failing check.

Each case copies the tree into a temporary folder, breaks one check on purpose
and runs ``.ci/run`` there: the command must exit non-zero and no later check
may start. The copy shares this tree's ``.venv`` (the lock file is the same, so
nothing is installed) and its mypy cache, and its pytest step runs one small
test file instead of the whole suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The checks of the test command, in the order it runs them, as it announces them.
STEPS = ("== ruff check", "== ruff format", "== mypy --strict", "== layers", "== pytest")

PASSING_TEST = '''"""Stands in for the suite in a copy of the tree."""

from pathlib import Path


def test_the_suite_ran() -> None:
    Path(__file__).with_name("suite-ran").write_text("yes")
'''

FAILING_TEST = '''"""Stands in for a failing suite in a copy of the tree."""


def test_the_suite_fails() -> None:
    raise AssertionError("SUITE FAILED")
'''

#: A module that breaks exactly one check each.
BROKEN: dict[str, str] = {
    "ruff check": '"""Broken on purpose."""\n\nimport os\n',
    "ruff format": '"""Broken on purpose."""\n\nNAME = \'single quotes\'\n',
    "mypy --strict": '"""Broken on purpose."""\n\n\ndef broken() -> int:\n    return "text"\n',
    "layers": '"""Broken on purpose."""\n\nimport duckdb\n\nVERSION = duckdb.__version__\n',
}


def copy_tree(target: Path, suite: str) -> None:
    """This tree's files (committed and new, not ignored) with ``suite`` as the only test."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in listed.split(b"\0"):
        relative = Path(os.fsdecode(name)) if name else None
        if relative is None or relative.parts[0] == "tests":
            continue
        source = ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    (target / ".venv").symlink_to(ROOT / ".venv")
    if (ROOT / ".mypy_cache").is_dir():
        shutil.copytree(ROOT / ".mypy_cache", target / ".mypy_cache", symlinks=True)
    (target / "tests").mkdir()
    (target / "tests" / "__init__.py").write_text("")
    (target / "tests" / "test_suite.py").write_text(suite)


def run_ci(tree: Path) -> subprocess.CompletedProcess[str]:
    """``.ci/run`` in ``tree``, with the copy's own sources first on the path."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "KAM_", "VIRTUAL_ENV", "PYTHON"))
    }
    environment["PYTHONPATH"] = str(tree / "src")
    return subprocess.run(
        [str(tree / ".ci" / "run")],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=1200,
    )


def started(output: str) -> list[str]:
    """The checks the test command announced, in order."""
    return [line.strip() for line in output.splitlines() if line.strip() in STEPS]


@pytest.mark.parametrize("check", list(BROKEN))
def test_a_failing_check_stops_the_test_command_before_the_next_one(
    tmp_path: Path, check: str
) -> None:
    copy_tree(tmp_path, PASSING_TEST)
    (tmp_path / "src" / "kam" / "domain" / "broken_on_purpose.py").write_text(BROKEN[check])

    result = run_ci(tmp_path)

    assert result.returncode != 0, result.stdout + result.stderr
    position = STEPS.index(f"== {check}")
    assert started(result.stdout) == list(STEPS[: position + 1]), result.stdout
    assert not (tmp_path / "tests" / "suite-ran").exists()


def test_a_failing_test_fails_the_test_command(tmp_path: Path) -> None:
    copy_tree(tmp_path, FAILING_TEST)

    result = run_ci(tmp_path)

    assert result.returncode != 0, result.stdout + result.stderr
    assert started(result.stdout) == list(STEPS)
    assert "SUITE FAILED" in result.stdout


def test_the_test_command_passes_when_every_check_passes(tmp_path: Path) -> None:
    copy_tree(tmp_path, PASSING_TEST)

    result = run_ci(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert started(result.stdout) == list(STEPS)
    assert (tmp_path / "tests" / "suite-ran").read_text() == "yes"


def test_the_browser_marker_selects_the_journeys_in_chromium_and_nothing_else() -> None:
    files = [
        "tests/web/test_journeys.py",
        "tests/web/test_every_page.py",
        "tests/web/test_pages.py",
    ]
    found = subprocess.run(
        [str(ROOT / ".venv/bin/pytest"), "--collect-only", "-q", "-m", "browser", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    chosen = {line.split("::")[0] for line in found.splitlines() if "::" in line}
    assert chosen == {"tests/web/test_journeys.py", "tests/web/test_every_page.py"}
