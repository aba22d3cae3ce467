"""The shape of the package: layer rules and a complete public face."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import kam

ROOT = Path(__file__).resolve().parents[1]


def test_the_layer_contracts_are_kept() -> None:
    # import-linter reads the contracts from pyproject.toml: domain imports nothing of the
    # project nor any third-party package; analytics and store never import web or cli;
    # web and cli never import each other.
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "broken" in done.stdout and "0 broken" in done.stdout


def test_public_names_are_sorted_and_all_exported() -> None:
    assert kam.__all__ == sorted(kam.__all__)
    for name in kam.__all__:
        assert hasattr(kam, name), name
    # Every name kam re-exports is in __all__, and nothing else is.
    assert set(kam._MODULE_OF) == set(kam.__all__)


def test_every_module_imports_without_side_effects() -> None:
    for module in pkgutil.walk_packages(kam.__path__, "kam."):
        if module.name != "kam.__main__":
            importlib.import_module(module.name)


def test_the_domain_uses_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"kam"}
    for path in (ROOT / "src" / "kam" / "domain").glob("*.py"):
        for line in path.read_text().splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from") and not line.startswith(" "):
                assert words[1].split(".")[0] in allowed | {"__future__"}, f"{path.name}: {line}"
