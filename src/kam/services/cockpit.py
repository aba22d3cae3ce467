"""The cockpit: one page for the head of key accounts (a manager: its own clients).

It gathers what other services compute: the accounts at risk ranked by money at risk
(:mod:`kam.services.risk`), the open alerts per manager (:mod:`kam.services.alerts`), the
A clients without a plan of the year and the plans past their review date, stages and
deliverables overdue (:mod:`kam.store.signals`), the next steps overdue
(:mod:`kam.services.schedule`), the managers side by side and the assignment's flags
(:mod:`kam.services.assignment_flags`); and it searches the plans' text.

The money at risk fits a model on the book's history (seconds): the whole book's
report is kept per book state (:mod:`kam.services.risk_cache`, shared with the Money at
risk page) and computed again only after an import, a run or a hand-over. The rest is
read on every request.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from kam.domain.alerts import AlertState
from kam.domain.plan import plan_period
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.alerts import AlertView, OwnerAlerts, alerts_board
from kam.services.assignment_flags import AssignmentFlags, assignment_flags
from kam.services.book import Book, BookError
from kam.services.latest_figures import latest_figures
from kam.services.plans import client_names
from kam.services.risk import ClientRisk, RiskReport
from kam.services.risk_cache import book_money_at_risk
from kam.services.schedule import NextStep, team_of, week_of
from kam.store import signals
from kam.store.database import transaction
from kam.store.plan_search import search_plans
from kam.store.run_figures import ClientFigure

#: The most rows of each list the cockpit shows.
SHOWN = 50
#: The shortest text searched for.
SEARCH_MIN = 2


@dataclass(frozen=True)
class AtRisk:
    """A client at risk: its value of the last 12 months and the value at risk (cents)."""

    client_key: str
    client_name: str
    owner: str | None
    abc_class: str
    value: int
    probability: float
    at_risk: int
    drivers: tuple[str, ...]


@dataclass(frozen=True)
class PlanLate:
    """Something of a plan of the year overdue: a stage, a deliverable or the review."""

    client_key: str
    client_name: str
    owner: str | None
    period: str
    kind: str
    title: str
    due: date


@dataclass(frozen=True)
class WithoutPlan:
    """An A client without a plan for this year."""

    client_key: str
    client_name: str
    owner: str | None


@dataclass(frozen=True)
class ManagerRow:
    """A manager's portfolio beside the others': clients by class, value (cents), value at
    risk (cents), open alerts, compliance of the last 90 days (``None``: not read)."""

    manager: str
    clients: int
    by_class: dict[str, int]
    value: int
    at_risk: int
    alerts: int
    compliance: float | None


@dataclass(frozen=True)
class AlertCount:
    """The open and acknowledged alerts of an owner, and the most pressing of them."""

    owner: str | None
    total: int
    alerts: list[AlertView]


@dataclass(frozen=True)
class Cockpit:
    """Everything the cockpit shows, for the clients in the user's sight (and of
    ``manager`` when filtered)."""

    today: date
    period: str
    manager: str | None
    managers: list[str]
    risk_month: str | None
    risk_problem: str | None
    at_risk: list[AtRisk]
    alerts: list[AlertCount]
    without_plan: list[WithoutPlan]
    plans_late: list[PlanLate]
    steps_overdue: list[NextStep]
    side_by_side: list[ManagerRow]
    flags: AssignmentFlags
    totals: dict[str, int] = field(default_factory=dict)


def _risk_report(book: Book, today: date, scope: ClientScope) -> RiskReport | str:
    """The money at risk in ``scope`` as of ``today`` (the whole book's report is kept per
    state of the book and language, and shared with the Money at risk page), or why none."""
    try:
        return book_money_at_risk(book, today, scope)
    except (BookError, ValueError) as error:
        return str(error)


def _filtered(scope: ClientScope, owners: dict[str, str | None], manager: str | None) -> set[str]:
    return {
        key
        for key, owner in owners.items()
        if scope.allows(key) and (manager is None or owner == manager)
    }


def _scope(book: Book, user: User | ClientScope) -> ClientScope:
    """The user's scope; :class:`AccessDeniedError` for a viewer."""
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    if scope.user.role is Role.VIEWER:
        raise AccessDeniedError(_("the cockpit is for the head of key accounts and managers"))
    return scope


def cockpit_of(
    book: Book, user: User | ClientScope, today: date, manager: str | None = None
) -> Cockpit:
    """The cockpit of the user as of ``today``, of ``manager``'s clients when given
    (:class:`LookupError` for a manager none of whose clients the user sees)."""
    scope = _scope(book, user)
    period = plan_period(today)
    with transaction(book.database) as session:
        owners = signals.client_owners(session)
        plans = signals.plans_of_year(session, period, today)
    managers = sorted({o for k, o in owners.items() if o and scope.allows(k)})
    if manager is not None and manager not in managers:
        raise LookupError(manager)
    keys = _filtered(scope, owners, manager)
    figures = [f for f in latest_figures(book) if f.client_key in keys]
    report = _risk_report(book, today, scope)
    risks = [] if isinstance(report, str) else [c for c in report.clients if c.client_key in keys]
    board = alerts_board(book, scope, today, (AlertState.OPEN, AlertState.ACKNOWLEDGED), 5)
    groups = [g for g in board.groups if manager is None or g.owner == manager]
    without = sorted(
        f.client_key for f in figures if f.abc_class == "A" and f.client_key not in plans
    )
    late: list[tuple[str, str, str, date]] = []
    for key, facts in plans.items():
        if key not in keys:
            continue
        if facts.review_on is not None and facts.review_on < today:
            late.append((key, "review", "", facts.review_on))
        late.extend((key, "stage", name, day) for name, day in facts.stages_late)
        late.extend((key, "deliverable", title, day) for title, day in facts.deliverables_late)
    late.sort(key=lambda item: (item[3], item[0], item[1], item[2]))
    steps = [
        s
        for s in week_of(book, scope, today).next_steps
        if s.overdue_days > 0 and s.client_key in keys
    ]
    compliance: dict[str, float | None] = {}
    if scope.can_manage_book:
        team = team_of(book, scope, today)
        compliance = {row.name: row.last_90_days.share for row in team.by_manager}
    names = client_names(
        book, sorted({*(r.client_key for r in risks[:SHOWN]), *without, *(k for k, *_ in late)})
    )
    flags = assignment_flags(book, scope)
    if manager is not None:
        flags = AssignmentFlags(
            tuple(h for h in flags.held_against_rule if h.owner == manager),
            tuple(o for o in flags.overloaded if o.manager == manager),
            (),
        )
    return Cockpit(
        today=today,
        period=period,
        manager=manager,
        managers=managers,
        risk_month=None if isinstance(report, str) else report.month,
        risk_problem=report if isinstance(report, str) else None,
        at_risk=[
            AtRisk(
                r.client_key,
                names.get(r.client_key, r.client_key),
                r.owner,
                r.abc_class,
                r.value,
                r.probability,
                r.at_risk,
                r.drivers,
            )
            for r in risks[:SHOWN]
        ],
        alerts=[AlertCount(g.owner, g.total, g.alerts) for g in groups],
        without_plan=[WithoutPlan(k, names.get(k, k), owners.get(k)) for k in without[:SHOWN]],
        plans_late=[
            PlanLate(k, names.get(k, k), owners.get(k), period, kind, title, day)
            for k, kind, title, day in late[:SHOWN]
        ],
        steps_overdue=steps[:SHOWN],
        side_by_side=_side_by_side(
            owners, keys, figures, risks, groups, compliance, [manager] if manager else managers
        ),
        flags=flags,
        totals={
            "at_risk": len(risks),
            "without_plan": len(without),
            "plans_late": len(late),
            "steps_overdue": len(steps),
            "alerts": sum(g.total for g in groups),
        },
    )


def _side_by_side(
    owners: dict[str, str | None],
    keys: set[str],
    figures: list[ClientFigure],
    risks: list[ClientRisk],
    groups: list[OwnerAlerts],
    compliance: dict[str, float | None],
    managers: list[str],
) -> list[ManagerRow]:
    clients: Counter[str] = Counter()
    classes: dict[str, Counter[str]] = defaultdict(Counter)
    values: Counter[str] = Counter()
    at_risk: Counter[str] = Counter()
    for key in keys:
        owner = owners.get(key)
        if owner:
            clients[owner] += 1
    for figure in figures:
        owner = owners.get(figure.client_key)
        if owner:
            classes[owner][figure.abc_class] += 1
            values[owner] += max(figure.value, 0)
    for risk in risks:
        if risk.owner:
            at_risk[risk.owner] += risk.at_risk
    alerts = {g.owner: g.total for g in groups}
    return [
        ManagerRow(
            m,
            clients[m],
            {c: classes[m][c] for c in ("A", "B", "C")},
            values[m],
            at_risk[m],
            alerts.get(m, 0),
            compliance.get(m),
        )
        for m in managers
    ]


@dataclass(frozen=True)
class SearchHit:
    """A text found in a plan: the client, the plan (``None``: the client's people map),
    where it was found (worded), the item and a snippet around the text."""

    client_key: str
    client_name: str
    period: str | None
    place: str
    place_label: str
    title: str
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    """The hits of a search in the user's sight (the first ``SHOWN``) and how many."""

    query: str
    problem: str | None
    hits: list[SearchHit]
    total: int


def _places() -> dict[str, str]:
    return {
        "objective": _("plan objective"),
        "stage": _("stage objective"),
        "need": _("need"),
        "stakeholder": _("stakeholder"),
        "risk": _("risk"),
        "competitor": _("competitor note"),
    }


def snippet_of(text: str, query: str, width: int = 60) -> str:
    """The part of ``text`` around the first ``query`` (any case), ``…`` where cut.

    Examples
    --------
    >>> snippet_of("a long way to the price of the chilled van", "price", 8)
    '… to the price of the …'
    """
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: 2 * width] + ("…" if len(text) > 2 * width else "")
    start = max(0, at - width)
    end = min(len(text), at + len(query) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search_cockpit(book: Book, user: User | ClientScope, query: str) -> SearchResult:
    """The plans' objectives, needs, stakeholders, risks and competitor notes that hold
    ``query`` (any case), on the clients in the user's sight."""
    scope = _scope(book, user)
    text = query.strip()
    if len(text) < SEARCH_MIN:
        problem = _("Type at least {n} characters to search the plans.").format(n=SEARCH_MIN)
        return SearchResult(text, problem, [], 0)
    with transaction(book.database) as session:
        found = [m for m in search_plans(session, text, scope.keys) if scope.allows(m.client_key)]
    names = client_names(book, sorted({m.client_key for m in found[:SHOWN]}))
    places = _places()
    hits = [
        SearchHit(
            m.client_key,
            names.get(m.client_key, m.client_key),
            m.period,
            m.place,
            places[m.place],
            m.title,
            snippet_of(m.text, text),
        )
        for m in found[:SHOWN]
    ]
    return SearchResult(text, None, hits, len(found))
