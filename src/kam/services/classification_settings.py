"""Use case: the book's classification settings, a preview of their effect, and saving them.

The settings are those ``kam classify`` reads (``policy``, ``cutoffs``, ``by``,
``period``, ``classify_groups``), kept in ``settings.toml`` in the data
directory. The preview classifies the book with new settings through the
code path of :func:`kam.services.classify.classify_book` (the sales lines of
the book, groups, :func:`kam.services.abc.classify_sales`, the overrides in
force) without storing anything, and counts how the classes held would
differ from those of the latest run: the 4x4 matrix of classes before (the
latest run) and after (A, B, C and ``none``), and the number that change.

Settings given in the environment (``KAM_POLICY``...) win over the file for
the command line; the web shows and saves the file's values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from kam.analytics.engine import ENGINE_NAMES, EngineName, engine_session
from kam.domain.class_history import ClassificationRun
from kam.domain.classes import MIGRATION_STATES, NO_CLASS
from kam.domain.migration import compute_migration_matrix
from kam.domain.period import parse_period
from kam.domain.policy import POLICY_NAMES, Cutoffs, PolicyName
from kam.i18n import gettext as _
from kam.services.abc import Measure, PolicySpec
from kam.services.access import ClientScope
from kam.services.acting import book_as
from kam.services.alerts import run_alerts_after
from kam.services.book import Book
from kam.services.classify import (
    ClassifyRequest,
    apply_overrides,
    classify_book,
    compute_classes,
)
from kam.services.currency import update_settings_file
from kam.settings import SETTINGS_FILE, read_settings_file
from kam.store.class_history import active_overrides, latest_run, run_columns
from kam.store.database import transaction

_TRUE = ("true", "yes", "1", "on")
_FALSE = ("false", "no", "0", "off", "")


class SettingsError(ValueError):
    """A setting has a value kam cannot use (said in one line)."""


@dataclass(frozen=True)
class ClassificationSettings:
    """How ``kam classify`` classifies the book.

    ``cutoffs`` of ``""`` takes the policy's default; ``period`` of ``""`` the
    12 months up to the last sale in the book.
    """

    policy: PolicyName = "pareto"
    cutoffs: str = ""
    by: Literal["revenue", "margin"] = "revenue"
    period: str = ""
    groups: bool = False


@dataclass(frozen=True)
class ClassificationPreview:
    """How the classes held would change against the latest run with new settings.

    ``matrix[before][after]`` counts clients by their class in the latest
    run (``none``: not in it) and with the new settings (``none``: no sales in
    the new period); ``changes`` counts those off the diagonal.
    """

    settings: ClassificationSettings
    period: str
    policy: str
    clients: int
    latest: ClassificationRun | None
    matrix: dict[str, dict[str, int]] = field(default_factory=dict)
    changes: int = 0
    classes: dict[str, int] = field(default_factory=dict)


def _file(book: Book) -> Path:
    return book.data_dir / SETTINGS_FILE


def current_settings(book: Book) -> ClassificationSettings:
    """The settings in force: the book's settings, then its ``settings.toml`` on top."""
    values = dict(book.settings)
    if _file(book).is_file():
        try:
            values.update(read_settings_file(_file(book)))
        except ValueError as error:
            raise SettingsError(str(error)) from None
    return parse_settings(
        values.get("policy") or "pareto",
        values.get("cutoffs") or "",
        values.get("by") or "revenue",
        values.get("period") or "",
        values.get("classify_groups") or "false",
    )


def parse_settings(
    policy: str, cutoffs: str, by: str, period: str, groups: str | bool
) -> ClassificationSettings:
    """Check settings as given in a form, a file or a JSON body.

    Examples
    --------
    >>> parse_settings("count", "20%,50%", "revenue", "2024", "true")
    ClassificationSettings(policy='count', cutoffs='0.2,0.5', by='revenue', period='2024', \
groups=True)
    >>> parse_settings("best", "", "revenue", "", False)
    Traceback (most recent call last):
    ...
    kam.services.classification_settings.SettingsError: policy: expected pareto, count or \
computed, got 'best'
    """
    for name, text in (("policy", policy), ("cutoffs", cutoffs), ("by", by), ("period", period)):
        if any(ord(ch) < 32 for ch in text):
            raise SettingsError(_("{name}: control characters are not allowed").format(name=name))
    policy = policy.strip().lower()
    if policy not in POLICY_NAMES:
        raise SettingsError(
            _("policy: expected {names} or {last}, got {policy!r}").format(
                names=", ".join(POLICY_NAMES[:-1]), last=POLICY_NAMES[-1], policy=policy
            )
        )
    cutoffs = cutoffs.strip()
    if cutoffs:
        if policy == "computed":
            raise SettingsError(_("cutoffs: the computed policy finds its own limits; leave empty"))
        try:
            parsed = Cutoffs.parse(cutoffs)
        except ValueError as error:
            raise SettingsError(_("cutoffs: {error}").format(error=error)) from None
        cutoffs = f"{parsed.a:g},{parsed.b:g}"
    by = by.strip().lower()
    if by not in ("revenue", "margin"):
        raise SettingsError(_("by: expected revenue or margin, got {by!r}").format(by=by))
    period = period.strip()
    if period:
        try:
            parse_period(period)
        except ValueError as error:
            raise SettingsError(_("period: {error}").format(error=error)) from None
    if isinstance(groups, str):
        text = groups.strip().lower()
        if text not in _TRUE + _FALSE:
            raise SettingsError(
                _("groups: expected true or false, got {groups!r}").format(groups=groups)
            )
        groups = text in _TRUE
    return ClassificationSettings(policy, cutoffs, by, period, groups)  # type: ignore[arg-type]


def classify_request(book: Book, settings: ClassificationSettings) -> ClassifyRequest:
    """The request ``kam classify`` makes with these settings (engine from the book's)."""
    engine = book.settings.get("engine") or "duckdb"
    if engine not in ENGINE_NAMES:
        raise SettingsError(
            _("engine: expected duckdb or spark, got {engine!r}").format(engine=engine)
        )
    by: Measure = settings.by
    name: EngineName = engine
    return ClassifyRequest(
        period=parse_period(settings.period) if settings.period else None,
        policy=PolicySpec(
            settings.policy, Cutoffs.parse(settings.cutoffs) if settings.cutoffs else None
        ),
        by=by,
        groups=settings.groups,
        engine=name,
        spark_master=book.settings.get("spark_master") or None,
    )


def preview_classification(
    book: Book,
    settings: ClassificationSettings,
    scope: ClientScope,
    now: datetime | None = None,
) -> ClassificationPreview:
    """Classify the book with ``settings`` without storing it; compare with the latest run.

    Only clients in ``scope`` are counted.

    Raises
    ------
    BookError
        When the book has no sales, or none in the period.
    """
    now = now or datetime.now()
    request = classify_request(book, settings)
    with engine_session(request.engine, spark_master=request.spark_master) as engine:
        computed = compute_classes(book, request, engine)
    period, key, result = computed.period, computed.key, computed.result
    with transaction(book.database) as session:
        overrides = active_overrides(session, now.date())
        latest = latest_run(session)
        held = run_columns(session, latest, ("client_key", "abc_class")) if latest else None
    before = _classes_in_scope(held, scope)
    _table, snapshots, _unused = apply_overrides(result.table, overrides)
    after = _classes_in_scope(snapshots, scope)
    matrix = compute_migration_matrix(
        (before.get(k, NO_CLASS), after.get(k, NO_CLASS)) for k in sorted(set(before) | set(after))
    )
    classes = dict.fromkeys(MIGRATION_STATES[:-1], 0)
    for cls in after.values():
        classes[cls] += 1
    return ClassificationPreview(
        settings=settings,
        period=str(period),
        policy=key,
        clients=len(after),
        latest=latest,
        matrix={b: {a: matrix.count(b, a) for a in MIGRATION_STATES} for b in MIGRATION_STATES},
        changes=matrix.moved,
        classes=classes,
    )


def _classes_in_scope(snapshots: dict[str, list[Any]] | None, scope: ClientScope) -> dict[str, str]:
    """The class held by each client of snapshot columns that ``scope`` lets be seen."""
    if snapshots is None:
        return {}
    return {
        key: cls
        for key, cls in zip(snapshots["client_key"], snapshots["abc_class"], strict=True)
        if scope.allows(key)
    }


def save_settings(book: Book, settings: ClassificationSettings) -> Path:
    """Write the settings to ``settings.toml`` in the data directory (other settings kept)."""
    values = {
        "policy": settings.policy,
        "cutoffs": settings.cutoffs,
        "by": settings.by,
        "period": settings.period,
        "classify_groups": "true" if settings.groups else "false",
    }
    return update_settings_file(book, values, SettingsError)


def classify_now(
    book: Book, settings: ClassificationSettings, user_name: str, now: datetime | None = None
) -> ClassificationRun:
    """Run ``kam classify`` with these settings as ``user_name``, then the early-warning
    rules on the new classes; the stored run."""
    run = classify_book(book_as(book, user_name), classify_request(book, settings), now).run
    run_alerts_after(book, (now or datetime.now()).date())
    return run
