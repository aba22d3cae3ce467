"""Who serves whom: how well a manager fits an account, and the rules never broken.

"The biggest mistake is to believe that any effective account manager can take
any A client." Each manager is known by seniority, the classes it may hold, the
industries it knows, its languages, its regions and its capacity in points (an
A client weighs 5, a B 2, a C 0.2 by default). Each account by its class, value,
industry, language, region and complexity.

The **fit** of a manager for an account is the sum of weighted criteria, each
shown with its contribution ("industry: knows retail (+0.30)"). The **hard
rules** are never broken: a manager may hold only the classes it is cleared for,
and an account whose class requires its language goes only to a manager who
speaks it. An account no manager may take is reported, never forced.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from kam.domain.classes import AbcClass
from kam.i18n import N_
from kam.i18n import gettext as _

#: What an account of each class weighs against a manager's capacity, by default.
CLASS_POINTS: Mapping[AbcClass, float] = {AbcClass.A: 5.0, AbcClass.B: 2.0, AbcClass.C: 0.2}

#: The seniority level (1 junior, 2 experienced, 3 senior) an account of each class wants.
WANTED_LEVEL: Mapping[AbcClass, int] = {AbcClass.A: 3, AbcClass.B: 2, AbcClass.C: 1}

#: How complex an account is (its people known and its open deals) from which it wants one
#: level of seniority more than its class does.
COMPLEX = 10


@dataclass(frozen=True)
class ManagerProfile:
    """An account manager as the assignment sees it."""

    name: str
    level: int  # 1 junior, 2 experienced, 3 senior
    classes: frozenset[AbcClass]
    capacity: float  # in points
    industries: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    years: int = 0  # of seniority in key account work
    #: The most accounts of each class it may hold, as (class, count) pairs sorted by class;
    #: a class not named is limited by the points alone (see :func:`class_limits`).
    limits: tuple[tuple[AbcClass, int], ...] = ()

    def limit(self, klass: AbcClass) -> int | None:
        """The most accounts of ``klass`` it may hold, or ``None`` when only points limit it."""
        return dict(self.limits).get(klass)


def class_limits(limits: Mapping[AbcClass, int]) -> tuple[tuple[AbcClass, int], ...]:
    """The most accounts of each class, as a profile keeps them (sorted by class).

    Examples
    --------
    >>> class_limits({AbcClass.B: 5, AbcClass.A: 1})
    ((<AbcClass.A: 'A'>, 1), (<AbcClass.B: 'B'>, 5))
    """
    return tuple(sorted(limits.items(), key=lambda item: str(item[0])))


@dataclass(frozen=True)
class AccountProfile:
    """A client account as the assignment sees it; ``owner`` the manager holding it."""

    key: str
    klass: AbcClass
    value: int = 0  # cents, over the last 12 months
    industry: str | None = None
    language: str | None = None
    region: str | None = None
    owner: str | None = None
    complexity: int = 0  # its people known and its open deals


def wanted_level(account: AccountProfile) -> int:
    """The seniority an account wants: its class's, one level more when it is complex.

    Examples
    --------
    >>> wanted_level(AccountProfile("SHOP", AbcClass.B)), wanted_level(
    ...     AccountProfile("SHOP", AbcClass.B, complexity=COMPLEX))
    (2, 3)
    """
    return min(WANTED_LEVEL[account.klass] + (account.complexity >= COMPLEX), 3)


@dataclass(frozen=True)
class Weights:
    """The weight of each criterion of the fit (a criterion met adds its whole weight)."""

    industry: float = 0.30
    language: float = 0.20
    region: float = 0.15
    seniority: float = 0.25
    #: Classes whose accounts go only to a manager who speaks their language.
    language_required: frozenset[AbcClass] = frozenset({AbcClass.A})
    points: Mapping[AbcClass, float] = field(default_factory=lambda: dict(CLASS_POINTS))


@dataclass(frozen=True)
class Contribution:
    """One criterion's part of a fit: its code, what it adds, and why (a message, its values)."""

    criterion: str
    value: float
    reason: str
    values: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.criterion}: {_(self.reason).format(**self.values)} ({self.value:+.2f})"


@dataclass(frozen=True)
class Fit:
    """How well ``manager`` fits ``account``; ``refusal`` says which hard rule forbids it."""

    manager: str
    account: str
    score: float
    contributions: tuple[Contribution, ...]
    refusal: str | None = None
    refusal_values: Mapping[str, str] = field(default_factory=dict)

    @property
    def eligible(self) -> bool:
        """Whether the manager may hold the account at all."""
        return self.refusal is None


def refusal(manager: ManagerProfile, account: AccountProfile, weights: Weights) -> Fit | None:
    """The hard rule that forbids ``manager`` to hold ``account``, as a refused fit, or None."""
    why: tuple[str, dict[str, str]] | None = None
    if account.klass not in manager.classes:
        why = (N_("may not hold {klass} clients"), {"klass": str(account.klass)})
    elif (
        account.klass in weights.language_required
        and account.language
        and account.language not in manager.languages
    ):
        why = (N_("does not speak {language}"), {"language": account.language})
    if why is None:
        return None
    return Fit(manager.name, account.key, 0.0, (), why[0], why[1])


def fit(manager: ManagerProfile, account: AccountProfile, weights: Weights) -> Fit:
    """The fit of ``manager`` for ``account``, each criterion's contribution shown.

    Examples
    --------
    >>> anna = ManagerProfile("anna", 3, frozenset(AbcClass), 40.0,
    ...                       frozenset({"retail"}), frozenset({"de"}), frozenset({"DACH"}))
    >>> shop = AccountProfile("SHOP", AbcClass.A, industry="retail", language="de", region="EMEA")
    >>> result = fit(anna, shop, Weights())
    >>> round(result.score, 2), [str(c) for c in result.contributions][:2]
    (0.75, ['industry: knows retail (+0.30)', 'language: speaks de (+0.20)'])
    """
    refused = refusal(manager, account, weights)
    if refused is not None:
        return refused
    parts = (
        _matched(
            "industry",
            account.industry,
            manager.industries,
            weights.industry,
            N_("knows {value}"),
            N_("does not know {value}"),
        ),
        _matched(
            "language",
            account.language,
            manager.languages,
            weights.language,
            N_("speaks {value}"),
            N_("does not speak {value}"),
        ),
        _matched(
            "region",
            account.region,
            manager.regions,
            weights.region,
            N_("works in {value}"),
            N_("does not work in {value}"),
        ),
        _seniority(manager, account, weights),
    )
    contributions = tuple(part for part in parts if part is not None)
    return Fit(manager.name, account.key, sum(c.value for c in contributions), contributions)


def _matched(
    criterion: str, wanted: str | None, known: frozenset[str], weight: float, yes: str, no: str
) -> Contribution | None:
    if not wanted or not weight:
        return None
    met = wanted in known
    return Contribution(criterion, weight if met else 0.0, yes if met else no, {"value": wanted})


def _seniority(manager: ManagerProfile, account: AccountProfile, weights: Weights) -> Contribution:
    wanted = wanted_level(account)
    share = min(manager.level, wanted) / wanted
    return Contribution(
        "seniority",
        weights.seniority * share,
        N_("level {level} of the {wanted} wanted for a complex class {klass} client")
        if wanted > WANTED_LEVEL[account.klass]
        else N_("level {level} of the {wanted} wanted for class {klass}"),
        {"level": str(manager.level), "wanted": str(wanted), "klass": str(account.klass)},
    )


def loads(
    accounts: Iterable[AccountProfile], held: Mapping[str, str | None], weights: Weights
) -> dict[str, float]:
    """Each manager's load in points when ``held`` maps account keys to their managers."""
    found: dict[str, float] = defaultdict(float)
    for account in accounts:
        manager = held.get(account.key)
        if manager is not None:
            found[manager] += weights.points[account.klass]
    return dict(found)


def counts(
    accounts: Iterable[AccountProfile], held: Mapping[str, str | None]
) -> dict[str, dict[AbcClass, int]]:
    """How many accounts of each class each manager holds when ``held`` maps account keys
    to their managers."""
    found: dict[str, dict[AbcClass, int]] = defaultdict(dict)
    for account in accounts:
        manager = held.get(account.key)
        if manager is not None:
            found[manager][account.klass] = found[manager].get(account.klass, 0) + 1
    return dict(found)


def over_limits(
    manager: ManagerProfile, held: Mapping[AbcClass, int]
) -> tuple[tuple[AbcClass, int, int], ...]:
    """The classes of which ``manager`` holds more accounts (``held``) than its most:
    (class, held, most) for each.

    Examples
    --------
    >>> eva = ManagerProfile("eva", 3, frozenset(AbcClass), 40.0, limits=((AbcClass.A, 1),))
    >>> over_limits(eva, {AbcClass.A: 2, AbcClass.B: 9})
    ((<AbcClass.A: 'A'>, 2, 1),)
    """
    return tuple(
        (klass, held.get(klass, 0), most)
        for klass, most in manager.limits
        if held.get(klass, 0) > most
    )


def greedy(
    managers: Sequence[ManagerProfile], accounts: Sequence[AccountProfile], weights: Weights
) -> dict[str, str | None]:
    """A simple proposal to compare with: the largest accounts first, each to the
    best-fitting eligible manager with room left, in points and in its most accounts of
    the class (``None``: no one has room)."""
    room = {m.name: m.capacity for m in managers}
    left = {m.name: dict(m.limits) for m in managers}
    chosen: dict[str, str | None] = {}
    for account in sorted(accounts, key=lambda a: (-a.value, a.key)):
        need = weights.points[account.klass]
        fits = [
            fit(m, account, weights)
            for m in managers
            if room[m.name] >= need - 1e-9 and left[m.name].get(account.klass, 1) >= 1
        ]
        best = max(
            (f for f in fits if f.eligible), key=lambda f: (f.score, f.manager), default=None
        )
        chosen[account.key] = None if best is None else best.manager
        if best is not None:
            room[best.manager] -= need
            if account.klass in left[best.manager]:
                left[best.manager][account.klass] -= 1
    return chosen


@dataclass(frozen=True)
class TerritoryRule:
    """What the territory rule makes of the C clients: the new manager of each client it
    moves, and the clients it leaves as they are because no manager who may hold C
    clients works in their region (``uncovered``) or none of those has room
    (``unplaced``)."""

    moves: Mapping[str, str]
    uncovered: tuple[str, ...]
    unplaced: tuple[str, ...]


def territory_rule(
    managers: Sequence[ManagerProfile],
    accounts: Sequence[AccountProfile],
    room: Mapping[str, float],
    weights: Weights,
    held: Mapping[str, int] | None = None,
) -> TerritoryRule:
    """The C clients' rule: a client is served by a manager who works in its region.

    A client whose owner works in its region (and may hold C clients) stays with it.
    Any other goes to the manager of its region with the most room left in points
    (``room``, before these clients move; ties to the first name), the largest
    clients first, as long as one has room for it: in points, and below its most C
    clients when it has one (``held``: the C clients each holds before these move).
    A client of no region, or of a region no such manager works in, stays as it is.

    Examples
    --------
    >>> eva = ManagerProfile("eva", 1, frozenset({AbcClass.C}), 2.0, regions=frozenset({"UK"}))
    >>> tom = ManagerProfile("tom", 1, frozenset({AbcClass.C}), 2.0, regions=frozenset({"UK"}))
    >>> shops = [AccountProfile(f"S{i}", AbcClass.C, 10 - i, region="UK", owner="max")
    ...          for i in range(3)] + [AccountProfile("FR", AbcClass.C, region="France")]
    >>> rule = territory_rule([eva, tom], shops, {"eva": 0.3, "tom": 0.2}, Weights())
    >>> dict(rule.moves), rule.uncovered, rule.unplaced
    ({'S0': 'eva', 'S1': 'tom'}, ('FR',), ('S2',))
    """
    left = {m.name: room.get(m.name, m.capacity) for m in managers}
    most = {m.name: m.limit(AbcClass.C) for m in managers}
    counted = dict(held or {})

    def has_room(name: str, need: float) -> bool:
        limit = most[name]
        return left[name] >= need - 1e-9 and (limit is None or counted.get(name, 0) < limit)

    by_region: dict[str, list[str]] = defaultdict(list)
    for manager in sorted(managers, key=lambda m: m.name):
        if AbcClass.C in manager.classes:
            for region in manager.regions:
                by_region[region].append(manager.name)
    moves: dict[str, str] = {}
    uncovered: list[str] = []
    unplaced: list[str] = []
    for account in sorted(accounts, key=lambda a: (-a.value, a.key)):
        serving = by_region.get(account.region or "", [])
        if not serving:
            uncovered.append(account.key)
            continue
        if account.owner in serving:
            continue
        need = weights.points[account.klass]
        open_ = [name for name in serving if has_room(name, need)]
        if not open_:
            unplaced.append(account.key)
            continue
        best = max(open_, key=lambda name: left[name])  # the first name of equals
        moves[account.key] = best
        left[best] -= need
        counted[best] = counted.get(best, 0) + 1
        if account.owner in left:
            left[account.owner] += need
            counted[account.owner] = counted.get(account.owner, 0) - 1
    return TerritoryRule(moves, tuple(uncovered), tuple(unplaced))


def capacity_of(limits: Mapping[AbcClass, int], points: Mapping[AbcClass, float]) -> float:
    """A capacity given as the most accounts of each class, in points (the profile keeps
    the most of each class too, and each is kept on its own).

    Examples
    --------
    >>> capacity_of({AbcClass.A: 4, AbcClass.B: 5}, CLASS_POINTS)
    30.0
    """
    return float(sum(count * points[klass] for klass, count in limits.items()))


#: The main language of each country (ISO 639-1), for accounts and managers whose language
#: is not given: what a client's country says of the language it is served in.
COUNTRY_LANGUAGES: Mapping[str, str] = {
    "Argentina": "es",
    "Australia": "en",
    "Austria": "de",
    "Belgium": "fr",
    "Brazil": "pt",
    "Canada": "en",
    "Chile": "es",
    "China": "zh",
    "Czech Republic": "cs",
    "Czechia": "cs",
    "Denmark": "da",
    "Finland": "fi",
    "France": "fr",
    "Germany": "de",
    "Ireland": "en",
    "Italy": "it",
    "Japan": "ja",
    "Mexico": "es",
    "Netherlands": "nl",
    "New Zealand": "en",
    "Norway": "no",
    "Poland": "pl",
    "Portugal": "pt",
    "Spain": "es",
    "Sweden": "sv",
    "Switzerland": "de",
    "UK": "en",
    "United Kingdom": "en",
    "United States": "en",
    "USA": "en",
    "Venezuela": "es",
}


def language_of(country: str | None) -> str | None:
    """The main language of a country, or ``None`` for a country not known.

    Examples
    --------
    >>> language_of("Germany"), language_of("Atlantis"), language_of(None)
    ('de', None, None)
    """
    return COUNTRY_LANGUAGES.get(country or "")


#: What a hand-over asks of the managers, in this order.
CHECKLIST: tuple[str, ...] = (
    N_("introduce the new manager to the decision maker"),
    N_("introduce the new manager to the champion"),
    N_("hand over the open deals"),
    N_("hand over the next steps"),
    N_("update the plan's owner"),
)


@dataclass(frozen=True)
class ChecklistItem:
    """One thing a hand-over asks (a message of :data:`CHECKLIST`), and whether it is done."""

    item: str
    done: bool = False


@dataclass(frozen=True)
class HandOver:
    """An account passed from one manager to another (``from_manager`` ``None``: it had no
    owner), on a day, for a reason, with its checklist; who applied it and when."""

    id: int
    client_key: str
    from_manager: str | None
    to_manager: str
    handed_on: date
    reason: str
    checklist: tuple[ChecklistItem, ...]
    applied_by: str
    applied_at: datetime

    @property
    def done(self) -> bool:
        """Whether every item of the checklist is done."""
        return all(item.done for item in self.checklist)


def new_checklist(plan_owner_updated: bool) -> tuple[ChecklistItem, ...]:
    """The checklist of a new hand-over; the plan's owner is done when it was updated with
    the client's.

    Examples
    --------
    >>> [i.done for i in new_checklist(True)]
    [False, False, False, False, True]
    """
    return tuple(
        ChecklistItem(item, plan_owner_updated and item == CHECKLIST[-1]) for item in CHECKLIST
    )
