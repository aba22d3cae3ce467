"""The early-warning rules run over the whole book: what they read, read at once, and every
rule run on each client.

What the rules read is gathered by a few set-based queries (:mod:`kam.store.signals`)
and one pass over each client's figures by month (DuckDB over the figures' files
every import writes), never a query per client: the book may hold 100,000 clients.
A rule whose data the book does not hold is not run: the value rules without
figures by month, the class rules without a classification run, the projection of
this year's value against the class held without a run of a calendar year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from kam.analytics.engine import Engine, engine_session
from kam.domain import early_warning as rules
from kam.domain.cadence import DEFAULT_POLICIES, ClassSpell, Contact, ServicePolicy, due_contacts
from kam.domain.classes import AbcClass
from kam.domain.early_warning import Limits, PersonView, PlanView, Signal
from kam.domain.people_map import BuyingRole, Influence
from kam.domain.plan import plan_period
from kam.i18n import gettext as _
from kam.services.book import Book
from kam.services.client_figures import client_month_figures
from kam.store import service_policies as policy_store
from kam.store import signals as store
from kam.store.database import transaction


def _number(settings: Mapping[str, str], name: str, default: str) -> float:
    text = (settings.get(name) or default).strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        raise ValueError(
            _("setting {name}: {value!r} is not a number of 0 or more").format(
                name=name, value=settings.get(name)
            )
        )
    return value


def limits_of(settings: Mapping[str, str]) -> Limits:
    """The rules' parameters from the book's settings (``alert_*``); :class:`ValueError`
    naming the setting for a value that is not a number."""
    return Limits(
        revenue_drop=_number(settings, "alert_revenue_drop", "0.30"),
        decision_maker_days=int(_number(settings, "alert_decision_maker_days", "90")),
        cadence_margin_days=int(_number(settings, "alert_cadence_margin_days", "14")),
        competitor_days=int(_number(settings, "alert_competitor_days", "60")),
        concentration_share=_number(settings, "alert_concentration_share", "0.20"),
    )


def worsen_step(settings: Mapping[str, str]) -> float:
    """How much worse a dismissed alert's measure must get for it to open again."""
    return _number(settings, "alert_worsen_step", "0.20")


def month_index(day: date) -> int:
    """The index of a day's month (``year * 12 + month - 1``), as the value rule counts."""
    return day.year * 12 + day.month - 1


@dataclass
class Figures:
    """Each client's value by month: the months of those whose value may have fallen,
    the value of the last 12 months of every client, and the book's last whole month."""

    last_month: int | None = None
    monthly: dict[str, dict[int, int]] = field(default_factory=dict)
    year_value: dict[str, int] = field(default_factory=dict)
    complete: bool = True
    #: each client's value from January of the last month's year to the last month
    so_far: dict[str, int] = field(default_factory=dict)


#: The months as numbers; the clients' 3 and 6 months against the same months a year before.
_MONTHS = (
    "SELECT client_id, CAST(substr(month, 1, 4) AS INTEGER) * 12 "
    "+ CAST(substr(month, 6, 2) AS INTEGER) - 1 AS n, value FROM kam_alert_figures "
    "WHERE client_id IS NOT NULL"
)
_FALLEN = (
    "SELECT client_id FROM kam_alert_months WHERE n BETWEEN $last - 17 AND $last "
    "GROUP BY client_id HAVING "
    "(sum(value) FILTER (WHERE n BETWEEN $last - 14 AND $last - 12) > 0 AND "
    " coalesce(sum(value) FILTER (WHERE n BETWEEN $last - 2 AND $last), 0) "
    "   <= (1 - $drop) * sum(value) FILTER (WHERE n BETWEEN $last - 14 AND $last - 12)) OR "
    "(sum(value) FILTER (WHERE n BETWEEN $last - 17 AND $last - 12) > 0 AND "
    " coalesce(sum(value) FILTER (WHERE n BETWEEN $last - 5 AND $last), 0) "
    "   <= (1 - $drop) * sum(value) FILTER (WHERE n BETWEEN $last - 17 AND $last - 12))"
)


def last_whole_month(last_sale: date) -> int:
    """The index of the book's last whole month, given its last sale: that sale's month
    when the sale is on the month's last day, else the month before (a month the book
    holds only in part would look like a fall).

    >>> last_whole_month(date(2011, 12, 9)) == month_index(date(2011, 11, 1))
    True
    >>> last_whole_month(date(2024, 6, 30)) == month_index(date(2024, 6, 1))
    True
    """
    whole = (last_sale + timedelta(days=1)).month != last_sale.month
    return month_index(last_sale) - (0 if whole else 1)


def _figure_views(engine: Engine, files: list[Path]) -> duckdb.DuckDBPyConnection:
    """Open the views of the clients' figures by month on ``engine``; its connection."""
    con = engine.duckdb
    client_month_figures(engine, files).create_view("kam_alert_figures")
    con.sql(_MONTHS).create_view("kam_alert_months")
    return con


def figures_at(con: duckdb.DuckDBPyConnection, last: int, limits: Limits) -> Figures:
    """The figures the value rules read when ``last`` is the book's last whole month, on a
    connection holding the views of :func:`_figure_views`."""
    year = con.execute(
        "SELECT client_id, CAST(sum(value) AS BIGINT) FROM kam_alert_months "
        "WHERE n BETWEEN ? AND ? GROUP BY client_id",
        [last - 11, last],
    ).fetchall()
    this_year = con.execute(
        "SELECT client_id, CAST(sum(value) AS BIGINT) FROM kam_alert_months "
        "WHERE n BETWEEN ? AND ? GROUP BY client_id",
        [last - last % 12, last],
    ).fetchall()
    months = con.execute(
        f"SELECT client_id, n, CAST(sum(value) AS BIGINT) FROM kam_alert_months "
        f"WHERE n BETWEEN $last - 17 AND $last AND client_id IN ({_FALLEN}) "
        "GROUP BY client_id, n",
        {"last": last, "drop": limits.revenue_drop},
    ).fetchall()
    monthly: dict[str, dict[int, int]] = {}
    for client_id, n, value in months:
        monthly.setdefault(client_id, {})[int(n)] = int(value)
    so_far = {c: int(v) for c, v in this_year}
    return Figures(last, monthly, {c: int(v) for c, v in year}, True, so_far)


def read_figures(book: Book, today: date, limits: Limits) -> Figures:
    """The figures the value rules read, as of ``today``: the book's months before
    today's, up to its last whole month (:func:`last_whole_month`)."""
    with transaction(book.database) as session:
        complete = not book.sales.imports_without_figures(session)
        files = book.sales.files(session, "figures")
    if not files or not complete:
        # a book whose older imports lack their figures by month would look fallen
        return Figures(complete=complete)
    with engine_session("duckdb") as engine:
        con = _figure_views(engine, files)
        found = con.execute(
            "SELECT max(last_date) FROM kam_alert_figures WHERE client_id IS NOT NULL "
            "AND CAST(month || '-01' AS DATE) < ?",
            [today.replace(day=1)],
        ).fetchone()
        last = None if found is None or found[0] is None else last_whole_month(found[0])
        if last is None:
            return Figures(complete=complete)
        return figures_at(con, last, limits)


@contextmanager
def figures_by_month(book: Book, limits: Limits) -> Iterator[Callable[[int], Figures]]:
    """While the block runs, the figures the value rules would have read at the end of
    any month (a month's index, as :func:`month_index` counts), for a replay of the rules
    on the book's past; the book holds its figures by month (as
    :func:`kam.services.risk.book_history` checks)."""
    with transaction(book.database) as session:
        files = book.sales.files(session, "figures")
    with engine_session("duckdb") as engine:
        con = _figure_views(engine, files)
        yield lambda last: figures_at(con, last, limits)


@dataclass
class Facts:
    """Everything the rules read of the book, keyed by client."""

    owners: dict[str, str | None]
    figures: Figures
    now: dict[str, AbcClass | None] = field(default_factory=dict)
    before: dict[str, AbcClass | None] = field(default_factory=dict)
    spells: dict[str, list[ClassSpell]] = field(default_factory=dict)
    done: dict[str, dict[str, date]] = field(default_factory=dict)
    people: dict[str, list[PersonView]] = field(default_factory=dict)
    plans: dict[str, PlanView] = field(default_factory=dict)
    competitors: dict[str, dict[str, date]] = field(default_factory=dict)
    classified: bool = False
    #: the least value each class takes in the latest run, when its period is a calendar year
    floors: dict[str, int] = field(default_factory=dict)
    #: the service policy in force of each class, and the clients' own
    policies: Mapping[AbcClass, ServicePolicy] = field(default_factory=lambda: DEFAULT_POLICIES)
    own: dict[str, ServicePolicy] = field(default_factory=dict)


def _class(text: str | None) -> AbcClass | None:
    return AbcClass(text) if text in {"A", "B", "C"} else None


def _spells(held: list[tuple[str, datetime]]) -> list[ClassSpell]:
    """The spells of a client's classes by run: a run that kept the class the client held
    starts no new spell (the class did not change)."""
    spells: list[ClassSpell] = []
    for klass, at in sorted(held, key=lambda run: run[1]):
        if _class(klass) and (not spells or spells[-1].klass != klass):
            spells.append(ClassSpell(AbcClass(klass), at.date()))
    return spells


def _calendar_year(start: date | None, end: date | None) -> bool:
    """Whether a run's period is one calendar year (its values a year's)."""
    return (
        start is not None
        and end is not None
        and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        and start.year == end.year
    )


def _heading_below(key: str, held: AbcClass, facts: Facts) -> Signal | None:
    """The value so far this year (to the book's last month), carried to the year's end,
    against the least value the class held takes; only with a run of a calendar year."""
    figures, floor = facts.figures, facts.floors.get(str(held))
    if figures.last_month is None or floor is None:
        return None
    year, month = divmod(figures.last_month, 12)
    elapsed = (date(year, month + 1, 1) - date(year, 1, 1)).days + _days_in(year, month + 1)
    period = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    so_far = figures.so_far.get(key, 0)
    return rules.heading_below(key, held, so_far, elapsed, period, floor)


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def read_facts(book: Book, today: date, limits: Limits) -> Facts:
    """What the rules read of the book as of ``today``."""
    figures = read_figures(book, today, limits)
    with transaction(book.database) as session:
        facts = Facts(store.client_owners(session), figures)
        runs = store.client_runs(session)
        if runs.latest is not None:
            facts.classified = True
            facts.now = {
                k: _class(c) for k, c in store.classes_of_run(session, runs.latest).items()
            }
            if _calendar_year(runs.start, runs.end):
                facts.floors = store.class_floors(session, runs.latest)
            if runs.previous is not None:
                before = store.classes_of_run(session, runs.previous)
                facts.before = {k: _class(c) for k, c in before.items()}
            for key, held in store.class_spells(session, runs.latest, ("A", "B")).items():
                facts.spells[key] = _spells(held)
            facts.policies = policy_store.policies_in_force(session)
            facts.own = {k: o.policy for k, o in policy_store.own_policies(session).items()}
            facts.done = store.last_done(session, today)
        contacts = store.last_contacts(session, today)
        for person in store.key_people(session, today):
            facts.people.setdefault(person.client_key, []).append(
                PersonView(
                    person.person_key,
                    person.name,
                    tuple(BuyingRole(r) for r in person.roles.split(",") if r),
                    None if person.influence is None else Influence(person.influence),
                    person.owner,
                    person.left,
                    contacts.get(person.person_key),
                )
            )
        for key, plan in store.plans_of_year(session, plan_period(today), today).items():
            facts.plans[key] = PlanView(
                plan.review_on, tuple(plan.stages_late), tuple(plan.deliverables_late)
            )
        since = today - timedelta(days=limits.competitor_days)
        facts.competitors = store.competitors_seen(session, since)
    return facts


def signals_of(facts: Facts, today: date, limits: Limits) -> Iterator[Signal]:
    """Every rule run on every client of the book: the signals that fire."""
    figures = facts.figures
    book_value = sum(figures.year_value.values())
    for key in sorted(facts.owners):
        found: list[Signal | None] = []
        if figures.last_month is not None:
            if key in figures.monthly:
                found.append(
                    rules.revenue_falling(key, figures.monthly[key], figures.last_month, limits)
                )
            value = figures.year_value.get(key, 0)
            found.append(rules.concentrated(key, value, book_value, limits))
        held = facts.now.get(key)
        if key in facts.before:
            found.append(rules.downgraded(key, facts.before[key], held))
        if held is not None:
            if key in facts.spells:
                done = [Contact(k, d, True) for k, d in facts.done.get(key, {}).items()]
                own = facts.own.get(key)
                due = due_contacts(facts.spells[key], done, today, facts.policies, own=own)
                found.append(rules.out_of_cadence(key, held, due, limits))
            found.append(rules.plan_slipping(key, held, facts.plans.get(key), today))
            found.append(_heading_below(key, held, facts))
        people = facts.people.get(key, [])
        if people:
            found.append(rules.decision_maker_silent(key, people, today, limits))
            found.append(rules.key_person_left(key, people))
            found.append(rules.blocker_unowned(key, people))
        if key in facts.competitors:
            found.append(rules.competitor_seen(key, facts.competitors[key], today, limits))
        yield from (signal for signal in found if signal is not None)
