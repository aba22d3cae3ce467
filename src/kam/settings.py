"""Settings: one declared table, built explicitly from defaults, a file, the environment and flags.

Precedence, lowest first: the defaults below, a TOML settings file
(``--settings``, ``KAM_SETTINGS``, or ``settings.toml`` in the data
directory), ``KAM_*`` environment variables, and command-line flags. Nothing
is read at import time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kam.i18n import N_
from kam.i18n import gettext as _


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
    Setting("data_dir", "kam-data", N_("The data directory: kam.db, sales/ and settings.toml.")),
    Setting(
        "database_url",
        "",
        N_(
            "Database URL, e.g. postgresql://user@host/kam; empty: SQLite kam.db in the data "
            "directory."
        ),
    ),
    Setting("engine", "duckdb", N_("Analytics engine: duckdb (in process) or spark.")),
    Setting("spark_master", "local[*]", N_("Spark master URL when the engine is spark.")),
    Setting("policy", "pareto", N_("Classification policy: pareto, count or computed.")),
    Setting(
        "cutoffs",
        "",
        N_(
            "Cut-offs A,B; empty takes the policy's default (0.8,0.95 for pareto, 0.2,0.5 for "
            "count)."
        ),
    ),
    Setting("by", "revenue", N_("What clients are ranked by: revenue or margin.")),
    Setting(
        "period",
        "",
        N_(
            "Period kam classify classifies, e.g. 2024 or 2024-01..2024-12; empty: the 12 months "
            "up to the last sale in the book."
        ),
    ),
    Setting(
        "classify_groups",
        "false",
        N_(
            "Classify client groups (a group's value is the sum of its members) instead of single "
            "clients: true or false."
        ),
    ),
    Setting("user", "", N_("Who is acting, for the logs; empty: the login name.")),
    Setting(
        "stale_after_days",
        "180",
        N_("Days after which a stakeholder not verified again is flagged as stale on the plans."),
    ),
    Setting(
        "earliest_date",
        "1900-01-01",
        N_("Dates read from files before this one (YYYY-MM-DD) are refused as implausible."),
    ),
    Setting(
        "latest_date",
        "",
        N_(
            "Dates read from files after this one (YYYY-MM-DD) are refused as implausible; "
            "empty: one year after today."
        ),
    ),
    Setting(
        "excel_max_unpacked_mb",
        "200",
        N_(
            "An Excel workbook that unpacks to more megabytes than this is refused before it "
            "is read (a guard against zip bombs)."
        ),
    ),
    Setting(
        "excel_max_rows",
        "5000000",
        N_("An Excel sheet of more rows than this is refused before it is read."),
    ),
    Setting(
        "import_memory_mb",
        "500",
        N_(
            "The most memory in megabytes the engine may take for a sales import; beyond it, "
            "it works on temporary files in the data directory, so a file of any size imports."
        ),
    ),
    Setting(
        "upload_max_age_hours",
        "24",
        N_(
            "Web uploads not imported or discarded within this many hours are removed (when kam "
            "serve starts and before each new upload)."
        ),
    ),
    Setting(
        "currency",
        "EUR",
        N_(
            "The currency of the book's amounts, as an ISO 4217 code (EUR, PLN, USD...): shown "
            "with every amount."
        ),
    ),
    Setting(
        "language",
        "",
        N_("Language of messages and reports: en or pl; empty: from LC_ALL, LC_MESSAGES or LANG."),
    ),
    Setting(
        "smtp_host",
        "",
        N_(
            "The SMTP server the e-mail reminders go through; empty: no reminders are sent "
            "(kam remind)."
        ),
    ),
    Setting("smtp_port", "", N_("Its port; empty: 587 for starttls, 465 for tls, 25 for none.")),
    Setting(
        "smtp_security",
        "starttls",
        N_("How the SMTP server is reached: starttls, tls (from the start) or none."),
    ),
    Setting("smtp_user", "", N_("The SMTP login; empty: none.")),
    Setting(
        "smtp_password",
        "",
        N_("The SMTP password (better given as the environment variable KAM_SMTP_PASSWORD)."),
    ),
    Setting("smtp_from", "", N_("The address the reminders come from, e.g. kam@example.com.")),
    Setting(
        "public_url",
        "",
        N_("The address people open kam at, e.g. https://kam.example.com, for links in mail."),
    ),
    Setting(
        "gift_limit",
        "200",
        N_(
            "The most value of gifts and hospitality one person of a client may be given in a "
            "year, in the book's currency: the register marks whoever passes it."
        ),
    ),
    Setting(
        "gift_approval_threshold",
        "100",
        N_(
            "A gift or an event worth more than this, in the book's currency, awaits the "
            "approval of the head of key accounts."
        ),
    ),
    Setting(
        "activity_kinds",
        "visit,call,email,offer,business_review,problem_solved,bad_news,gift,"
        "event_invitation,event_attendance,time_together,training",
        N_(
            "The kinds of activity with clients, comma-separated; kinds beyond those kam ships "
            "with are shown as written."
        ),
    ),
    Setting(
        "alert_revenue_drop",
        "0.30",
        N_(
            "Early warning: the fall of a client's value over the last 3 or 6 months against "
            "the same months a year before that raises an alert (0.30: 30%)."
        ),
    ),
    Setting(
        "alert_decision_maker_days",
        "90",
        N_("Early warning: days without contact with a client's decision maker."),
    ),
    Setting(
        "alert_cadence_margin_days",
        "14",
        N_("Early warning: days past the due day of a contact its service policy owes."),
    ),
    Setting(
        "alert_competitor_days",
        "60",
        N_("Early warning: a competitor recorded at a client within these days raises an alert."),
    ),
    Setting(
        "alert_concentration_share",
        "0.20",
        N_("Early warning: the share of the book's value above which one client raises an alert."),
    ),
    Setting(
        "alert_worsen_step",
        "0.20",
        N_(
            "Early warning: a dismissed alert opens again once its measure (a fall, days, a "
            "share) is worse by this part of what it was when dismissed (0.20: 20% worse)."
        ),
    ),
)

SETTINGS_FILE = "settings.toml"


def load_settings(
    environ: Mapping[str, str],
    file: Path | None = None,
    flags: Mapping[str, str | None] | None = None,
) -> dict[str, str]:
    """Resolve every setting from defaults, the settings file, the environment and flags.

    Examples
    --------
    >>> load_settings({"KAM_POLICY": "count"})["policy"]
    'count'
    >>> load_settings({"KAM_POLICY": "count"}, flags={"policy": "computed"})["policy"]
    'computed'
    >>> load_settings({})["engine"]
    'duckdb'
    """
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    values = {s.name: s.default for s in SETTINGS}
    unknown = set(given) - set(values)
    if unknown:
        raise ValueError(
            _("unknown setting {name!r}; see kam --help-settings").format(name=sorted(unknown)[0])
        )
    data_dir = Path(given.get("data_dir") or environ.get("KAM_DATA_DIR") or values["data_dir"])
    if file is None and environ.get("KAM_SETTINGS"):
        file = Path(environ["KAM_SETTINGS"])
    if file is None and (data_dir / SETTINGS_FILE).is_file():
        file = data_dir / SETTINGS_FILE
    if file is not None:
        values.update(read_settings_file(file))
    for setting in SETTINGS:
        if setting.env in environ:
            values[setting.name] = environ[setting.env]
    values.update(given)
    return values


def positive_setting(settings: Mapping[str, str], name: str) -> int:
    """A setting that is a positive whole number (``_`` may group digits); its default
    when empty.

    Examples
    --------
    >>> positive_setting({"excel_max_rows": "1_000"}, "excel_max_rows")
    1000
    >>> positive_setting({}, "import_memory_mb")
    500

    Raises
    ------
    ValueError
        When the value is not a positive whole number; the message names the setting.
    """
    text = (settings.get(name) or "").strip().replace("_", "")
    default = next(s.default for s in SETTINGS if s.name == name)
    try:
        value = int(text or default)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(
            _("setting {name}: {value!r} is not a positive whole number").format(
                name=name, value=settings.get(name)
            )
        )
    return value


def read_settings_file(path: Path) -> dict[str, str]:
    """The settings of a TOML file, checked against the table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(
            _("{path}: cannot read settings: {error}").format(path=path, error=error)
        ) from None
    known = {s.name for s in SETTINGS}
    for key in data:
        if key not in known:
            raise ValueError(
                _("{path}: unknown setting {name!r}; see kam --help-settings").format(
                    path=path, name=key
                )
            )
    return {
        key: str(value).lower() if isinstance(value, bool) else str(value)
        for key, value in data.items()
    }


def write_settings_file(path: Path, values: Mapping[str, str]) -> None:
    """Write settings as TOML (strings only), replacing the file atomically."""
    lines = [f'{key} = "{_escape(value)}"' for key, value in sorted(values.items())]
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(path)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def describe_settings() -> str:
    """The table of settings as text, for ``kam --help-settings``."""
    width = max(len(s.name) for s in SETTINGS)
    heading = _("setting"), _("default"), _("environment: help")
    lines = [f"{heading[0]:<{width}}  {heading[1]:<10}  {heading[2]}"]
    for s in SETTINGS:
        lines.append(f"{s.name:<{width}}  {s.default or '-':<10}  {s.env}: {_(s.help)}")
    return "\n".join(lines)
