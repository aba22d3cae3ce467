"""Settings: one declared table, built explicitly from defaults, a file and the environment.

Precedence, lowest first: the defaults below, a TOML settings file
(``KAM_SETTINGS`` or ``--settings``), ``KAM_*`` environment variables, and
command-line flags. Nothing is read at import time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default and help."""

    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return "KAM_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("engine", "duckdb", "Analytics engine: duckdb (in process) or spark."),
    Setting("spark_master", "local[*]", "Spark master URL when the engine is spark."),
    Setting("policy", "pareto", "Classification policy: pareto, count or computed."),
    Setting(
        "cutoffs",
        "",
        "Cut-offs A,B; empty takes the policy's default (0.8,0.95 for pareto, 0.2,0.5 for count).",
    ),
    Setting("by", "revenue", "What clients are ranked by: revenue or margin."),
)


def load_settings(environ: Mapping[str, str], file: Path | None = None) -> dict[str, str]:
    """Resolve every setting from defaults, the settings file and the environment.

    Examples
    --------
    >>> load_settings({"KAM_POLICY": "count"})["policy"]
    'count'
    >>> load_settings({})["engine"]
    'duckdb'
    """
    values = {s.name: s.default for s in SETTINGS}
    path = file or (Path(environ["KAM_SETTINGS"]) if environ.get("KAM_SETTINGS") else None)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ValueError(f"{path}: cannot read settings: {error}") from None
        for key, value in data.items():
            if key not in values:
                raise ValueError(f"{path}: unknown setting {key!r}; see kam --help-settings")
            values[key] = str(value)
    for setting in SETTINGS:
        if setting.env in environ:
            values[setting.name] = environ[setting.env]
    return values


def describe_settings() -> str:
    """The table of settings as text, for ``kam --help-settings``."""
    width = max(len(s.name) for s in SETTINGS)
    lines = [f"{'setting':<{width}}  {'default':<10}  environment / help"]
    for s in SETTINGS:
        lines.append(f"{s.name:<{width}}  {s.default or '-':<10}  {s.env}: {s.help}")
    return "\n".join(lines)
