"""``kam risk``, ``kam risk lose`` and ``kam risk backtest``: money at risk, what if we
lose a client, and the model replayed on the book's past."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal

import click

from kam.cli.book import book_for, data_dir_option
from kam.cli.files import date_value
from kam.cli.output import (
    emit,
    labelled_table,
    table_or_csv_option,
    write_csv_to,
)
from kam.cli.plans import acting_user
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import group, option
from kam.i18n.money import format_cents
from kam.i18n.numbers import format_count, format_number, format_share
from kam.services.access import scope_for
from kam.services.book import BookError
from kam.services.loss import BookShape, lose_clients
from kam.services.risk import RiskReport, RiskTotal, word_report
from kam.services.risk_backtest import Backtest, run_backtest
from kam.services.risk_cache import book_risk_figures
from kam.services.rule_backtest import RULE_LABELS

CLIENT_COLUMNS: dict[str, str] = {
    "client": N_("client"),
    "owner": N_("owner"),
    "class": N_("class"),
    "value": N_("value, 12 months"),
    "probability": N_("probability of loss"),
    "at_risk": N_("value at risk"),
    "drivers": N_("signals"),
}
TOTAL_COLUMNS: dict[str, str] = {
    "name": N_("group"),
    "clients": N_("clients"),
    "value": N_("value, 12 months"),
    "at_risk": N_("value at risk"),
}
MONTH_COLUMNS: dict[str, str] = {
    "month": N_("month"),
    "clients": N_("clients"),
    "examples": N_("examples fitted on"),
    "lost": N_("lost"),
    "auc": N_("AUC"),
    "flagged": N_("key clients flagged"),
}
RULE_COLUMNS: dict[str, str] = {
    "rule": N_("rule"),
    "flags": N_("flags decided"),
    "true_flags": N_("followed by a loss"),
    "precision": N_("precision"),
    "losses": N_("key clients lost"),
    "caught": N_("caught ahead"),
    "recall": N_("recall"),
    "lead_months": N_("lead time, months"),
}
MOVE_COLUMNS: dict[str, str] = {
    "client": N_("client"),
    "value": N_("value, 12 months"),
    "before": N_("before"),
    "after": N_("after"),
}
DECILE_COLUMNS: dict[str, str] = {
    "decile": N_("tenth"),
    "clients": N_("clients"),
    "predicted": N_("predicted"),
    "observed": N_("observed"),
}


def _fail(error: ValueError) -> click.UsageError:
    return click.UsageError(str(error))


@group(
    name="risk",
    invoke_without_command=True,
    help=N_(
        "Money at risk: each client's value of the last 12 months times the probability of "
        "losing it within 12 months, from a model fitted on the book's own history, with "
        "the signals that drive it and the totals per class and per manager."
    ),
)
@option("--today", callback=date_value, metavar="DATE", help=N_("As of this day [today]."))
@table_or_csv_option
@option("--top", type=click.IntRange(min=1), help=N_("Show only the N clients most at risk."))
@data_dir_option
@click.pass_context
def risk_group(
    ctx: click.Context,
    /,
    today: date | None,
    fmt: Literal["table", "csv"],
    top: int | None,
    data_dir: Path | None,
) -> None:
    """``kam risk``: see the help."""
    if ctx.invoked_subcommand is not None:
        return
    book = book_for(ctx, data_dir)
    scope = scope_for(book, acting_user(book))
    try:
        # the web's kept fit when the book has not changed since
        report = word_report(book_risk_figures(book, today or date.today()), scope)
    except ValueError as error:
        raise _fail(error) from None
    clients = report.clients[:top] if top else report.clients
    rows: list[dict[str, Any]] = [
        {
            "client": c.client_key,
            "owner": c.owner or "",
            "class": c.abc_class,
            "value": c.value,
            "probability": c.probability,
            "at_risk": c.at_risk,
            "drivers": "; ".join(c.drivers) or _("none stands out"),
        }
        for c in clients
    ]
    if fmt == "csv":
        for row in rows:
            row["value"], row["at_risk"] = row["value"] / 100, row["at_risk"] / 100
        write_csv_to(rows, list(CLIENT_COLUMNS), None)
        return
    _print_report(report, rows)


def _money(value: Any) -> str:
    return format_cents(int(value))


def _share(value: Any) -> str:
    return format_share(float(value))


def _totals(totals: tuple[RiskTotal, ...], nobody: str) -> str:
    rows = [
        {"name": t.name or nobody, "clients": t.clients, "value": t.value, "at_risk": t.at_risk}
        for t in totals
    ]
    formats = {"value": _money, "at_risk": _money}
    return labelled_table(rows, TOTAL_COLUMNS, formats, ("clients", "value", "at_risk"))


def _print_report(report: RiskReport, rows: list[dict[str, Any]]) -> None:
    click.echo(
        _(
            "Money at risk as of {month}: {at_risk} of {value} (the last 12 months' value "
            "of {clients} clients). Model fitted on {examples} past client-months, {lost} "
            "of them lost within {horizon} months."
        ).format(
            month=report.month,
            at_risk=format_cents(report.at_risk),
            value=format_cents(report.value),
            clients=format_count(len(report.clients)),
            examples=format_count(report.examples),
            lost=format_count(report.lost),
            horizon=report.horizon,
        )
    )
    if not rows:
        return
    formats: dict[str, Callable[[Any], str]] = {
        "value": _money,
        "at_risk": _money,
        "probability": _share,
    }
    right = ("value", "probability", "at_risk")
    click.echo()
    emit(labelled_table(rows, CLIENT_COLUMNS, formats, right), None)
    click.echo()
    click.echo(_("Per class:"))
    emit(_totals(report.by_class, _("none")), None)
    click.echo()
    click.echo(_("Per manager:"))
    emit(_totals(report.by_owner, _("nobody")), None)


def _shape_line(label: str, shape: BookShape) -> str:
    return _(
        "{label}: {value} from {clients} clients (A {a}, B {b}, C {c}); top-10 share {top}, "
        "HHI {hhi}"
    ).format(
        label=label,
        value=format_cents(shape.value),
        clients=format_count(shape.clients),
        a=format_count(shape.classes["A"]),
        b=format_count(shape.classes["B"]),
        c=format_count(shape.classes["C"]),
        top=format_share(shape.top_share),
        hhi=format_number(shape.herfindahl_hirschman_index),
    )


@risk_group.command(
    name="lose",
    help=N_(
        "What if we lose CLIENT (and the others named): the book's value of the last 12 "
        "months, its concentration (HHI, top-10 share) and classes before and after, and "
        "the clients whose class changes once the others are ranked again."
    ),
)
@click.argument("clients", metavar="CLIENT...", nargs=-1, required=True)
@option("--today", callback=date_value, metavar="DATE", help=N_("As of this day [today]."))
@data_dir_option
@click.pass_context
def lose(
    ctx: click.Context, /, clients: tuple[str, ...], today: date | None, data_dir: Path | None
) -> None:
    """``kam risk lose``: see the help."""
    book = book_for(ctx, data_dir)
    scope = scope_for(book, acting_user(book))
    try:
        outcome = lose_clients(book, clients, today or date.today(), scope)
    except (BookError, ValueError) as error:
        raise _fail(error) from None
    click.echo(
        _("Losing {clients} ({value} in the 12 months to {month}):").format(
            clients=", ".join(outcome.lost),
            value=format_cents(outcome.lost_value),
            month=outcome.month,
        )
    )
    click.echo(_shape_line(_("before"), outcome.before))
    click.echo(_shape_line(_("after"), outcome.after))
    if not outcome.moves:
        click.echo(_("No other client changes class."))
        return
    click.echo(_("Clients whose class changes:"))
    rows = [
        {"client": m.client_key, "value": m.value, "before": m.before, "after": m.after}
        for m in outcome.moves
    ]
    emit(labelled_table(rows, MOVE_COLUMNS, {"value": _money}, ("value",)), None)


@risk_group.command(
    name="backtest",
    help=N_(
        "Replay the model as of each month from --from to --to, fitted only on what was "
        "known then, and compare with what happened: AUC and calibration by tenth, and at "
        "an alert budget (the share of A and B clients flagged a month) the key clients lost "
        "(six months without a purchase) that were flagged three to six months ahead."
    ),
)
@option("--from", "start", required=True, metavar="YYYY-MM", help=N_("The first month replayed."))
@option("--to", "end", required=True, metavar="YYYY-MM", help=N_("The last month replayed."))
@option(
    "--horizon",
    type=click.IntRange(min=1, max=24),
    default=12,
    show_default=True,
    help=N_("Months ahead the model looks for a loss."),
)
@option(
    "--budget",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=0.10,
    show_default=True,
    help=N_("The share of A and B clients flagged each month."),
)
@table_or_csv_option
@data_dir_option
@click.pass_context
def backtest(
    ctx: click.Context,
    /,
    start: str,
    end: str,
    horizon: int,
    budget: float,
    fmt: Literal["table", "csv"],
    data_dir: Path | None,
) -> None:
    """``kam risk backtest``: see the help."""
    book = book_for(ctx, data_dir)
    scope = scope_for(book, acting_user(book))
    try:
        found = run_backtest(book, start, end, scope, horizon, budget)
    except ValueError as error:
        raise _fail(error) from None
    rows = [
        {
            "month": m.month,
            "clients": m.clients,
            "examples": m.examples,
            "lost": m.lost,
            "auc": m.auc,
            "flagged": m.flagged,
        }
        for m in found.months
    ]
    if fmt == "csv":
        write_csv_to(rows, list(MONTH_COLUMNS), None)
        return
    _print_backtest(found, rows)


def _optional(formatter: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: "" if value is None else formatter(value)


def _auc(value: Any) -> str:
    return format_number(float(value), 3)


def _print_backtest(found: Backtest, rows: list[dict[str, Any]]) -> None:
    formats: dict[str, Callable[[Any], str]] = {
        "auc": _optional(_auc),
        "lost": _optional(format_count),
    }
    right = ("clients", "examples", "lost", "auc", "flagged")
    emit(labelled_table(rows, MONTH_COLUMNS, formats, right), None)
    click.echo()
    if found.auc is None:
        click.echo(_("AUC: not known (no month replayed whose outcome the book holds)."))
    else:
        click.echo(
            _("AUC over the months whose {horizon} months after the book holds: {auc}").format(
                horizon=found.horizon, auc=format_number(found.auc, 3)
            )
        )
    if found.deciles:
        click.echo(_("Calibration by tenth (predicted against observed loss):"))
        deciles = [
            {
                "decile": d.decile,
                "clients": d.clients,
                "predicted": d.predicted,
                "observed": d.observed,
            }
            for d in found.deciles
        ]
        shares: dict[str, Callable[[Any], str]] = {"predicted": _share, "observed": _share}
        emit(labelled_table(deciles, DECILE_COLUMNS, shares, tuple(DECILE_COLUMNS)), None)
    share = found.caught_share
    click.echo(
        _(
            "Key clients lost: {lost}; flagged 3 to 6 months ahead at a budget of {budget} of "
            "the A and B clients a month: {caught} ({share})."
        ).format(
            lost=len(found.key_losses),
            budget=format_share(found.budget),
            caught=found.caught,
            share="-" if share is None else format_share(share),
        )
    )
    _print_rules(found)


def _print_rules(found: Backtest) -> None:
    """The rules replayed and the model at its budget: precision, recall, lead time."""
    rules = [
        {
            "rule": _(RULE_LABELS[r.rule]),
            "flags": r.flags,
            "true_flags": r.true_flags,
            "precision": r.precision,
            "losses": r.losses,
            "caught": r.caught,
            "recall": r.recall,
            "lead_months": r.lead_months,
        }
        for r in found.rules
    ]
    formats: dict[str, Callable[[Any], str]] = {
        "flags": format_count,
        "true_flags": format_count,
        "precision": _optional(_share),
        "losses": format_count,
        "caught": format_count,
        "recall": _optional(_share),
        "lead_months": _optional(lambda months: format_number(float(months), 1)),
    }
    click.echo(_("The rules replayed and the model, as of each month:"))
    right = tuple(column for column in RULE_COLUMNS if column != "rule")
    emit(labelled_table(rules, RULE_COLUMNS, formats, right), None)
