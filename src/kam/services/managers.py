"""Managers' profiles: read with the load each carries, saved with their checks, and
imported from a CSV file, all rows or none.

A profile says what the assignment of accounts needs to know of a manager: its
seniority (years, and a level: 1 junior, 2 experienced, 3 senior), the classes it
may hold, the industries, languages (ISO codes: ``de``) and regions (countries)
it knows, and its capacity in points (an A client weighs 5, a B 2, a C 0.2), or
the most accounts of each class it may hold: then its capacity is those accounts in
points at those weights, and each class's most is kept and enforced on its own (a
manager of at most one A client holds one, whatever room its points leave).
Only the head of key accounts and admins save profiles; a manager reads its own.

A profiles file has the columns ``user``, ``level``, ``classes`` (letters: ``AB``)
and either ``capacity`` or some of ``max_a``, ``max_b``, ``max_c``; ``years``,
``industries``, ``languages`` and ``regions`` are optional, the lists separated
by ``;``. A bad value is named by file, row (the header is row 1), column and
what was expected, and nothing is saved.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kam.domain.assignment import (
    CLASS_POINTS,
    ManagerProfile,
    Weights,
    capacity_of,
    class_limits,
    over_limits,
)
from kam.domain.classes import AbcClass
from kam.domain.import_log import place
from kam.domain.items import ItemValueError
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services.access import ClientScope, scope_for
from kam.services.book import Book
from kam.services.proposals import HOLDERS, book_accounts, require_head
from kam.store import managers as store
from kam.store import users as user_store
from kam.store.database import transaction

#: The columns of a profiles file: required ones first.
REQUIRED = ("user", "level", "classes")
OPTIONAL = ("years", "capacity", "max_a", "max_b", "max_c", "industries", "languages", "regions")
LIMITS = {"max_a": AbcClass.A, "max_b": AbcClass.B, "max_c": AbcClass.C}


class ProfileError(ItemValueError):
    """A value of a profile refused: where it was (file, row, column) and what was expected;
    its ``field`` is the column."""

    def __init__(
        self, column: str, expected: str, value: str | None, file: str = "", row: int | None = None
    ) -> None:
        self.column, self.expected, self.value = column, expected, value
        where = place(file, row, column) if file else column
        if value is None or not value.strip():
            what = _("empty; expected {expected}").format(expected=expected)
        else:
            what = _("{value!r} is not {expected}").format(value=value, expected=expected)
        super().__init__(column, f"{where}: {what}")


@dataclass(frozen=True)
class ManagerLoad:
    """A manager's profile with the points its clients weigh now, and how many of each
    class it holds."""

    profile: ManagerProfile
    load: float
    held: Mapping[AbcClass, int] = field(default_factory=dict)

    @property
    def over_classes(self) -> tuple[tuple[AbcClass, int, int], ...]:
        """The classes of which it holds more clients than its most: (class, held, most)."""
        return over_limits(self.profile, self.held)

    @property
    def overloaded(self) -> bool:
        """Whether its clients weigh more than its capacity, or it holds more clients of a
        class than its most."""
        return self.load > self.profile.capacity + 1e-9 or bool(self.over_classes)


def profiles_of(book: Book, user: User | ClientScope) -> list[ManagerLoad]:
    """The managers' profiles with their load: every one for the head and admins, its own
    for a manager, none for a viewer."""
    scope = user if isinstance(user, ClientScope) else scope_for(book, user)
    with transaction(book.database) as session:
        team = store.profiles(session)
    if not scope.can_manage_book:
        team = [p for p in team if p.name == scope.user.name]
    if not team:
        return []
    try:
        found = book_accounts(book, Weights())
        held, counted = found.held, found.counts
    except ValueError:  # a book not classified yet: no class, no load
        held, counted = {}, {}
    return [ManagerLoad(p, round(held.get(p.name, 0.0), 6), counted.get(p.name, {})) for p in team]


def check_profile(profile: ManagerProfile, holders: Mapping[str, User]) -> ManagerProfile:
    """The profile when its values hold, else :class:`ProfileError` naming the field:
    a user of the book who holds accounts, a level of 1 to 3, years and capacity not
    negative, at least one class."""
    user = holders.get(profile.name)
    if user is None or not user.active or user.role not in HOLDERS:
        raise ProfileError(
            "user", _("an active account manager or head of this book"), profile.name
        )
    if profile.level not in (1, 2, 3):
        raise ProfileError("level", _("1, 2 or 3"), str(profile.level))
    if profile.years < 0:
        raise ProfileError("years", _("a whole number of years, 0 or more"), str(profile.years))
    if profile.capacity < 0:
        raise ProfileError("capacity", _("a number of points, 0 or more"), str(profile.capacity))
    if not profile.classes:
        raise ProfileError("classes", _("class letters among A, B and C: AB"), "")
    for klass, most in profile.limits:
        if most < 0:
            raise ProfileError(f"max_{klass}".lower(), _("a whole number of accounts"), str(most))
    return profile


def save_profile(
    book: Book, user: User | ClientScope, profile: ManagerProfile, now: datetime | None = None
) -> ManagerProfile:
    """Keep one manager's profile (replacing its earlier one), once its checks pass."""
    return save_profiles(book, user, [profile], now)[0]


def save_profiles(
    book: Book,
    user: User | ClientScope,
    profiles: Sequence[ManagerProfile],
    now: datetime | None = None,
) -> list[ManagerProfile]:
    """Keep the profiles, all or none; only the head of key accounts and admins may."""
    scope = require_head(book, user)
    moment = now or datetime.now().replace(microsecond=0)
    with transaction(book.database) as session:
        holders = {u.name: u for u in user_store.list_users(session)}
        checked = [check_profile(p, holders) for p in profiles]
        store.save_profiles(session, checked, scope.user.name, moment)
    return checked


def import_profiles(
    book: Book, user: User | ClientScope, file: Path, now: datetime | None = None
) -> tuple[int, int]:
    """Read a profiles file and keep every profile in it, or none when a row is refused
    (:class:`ProfileError` saying where); how many profiles were new and how many changed."""
    scope = require_head(book, user)
    moment = now or datetime.now().replace(microsecond=0)
    with transaction(book.database) as session:
        holders = {u.name: u for u in user_store.list_users(session)}
    profiles = read_profiles(file, holders)
    with transaction(book.database) as session:
        return store.save_profiles(session, profiles, scope.user.name, moment)


def read_profiles(file: Path, holders: Mapping[str, User]) -> list[ManagerProfile]:
    """The profiles of a CSV file, each checked against the book's users."""
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
            header = list(rows[0]) if rows else []
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(
            _("{file} cannot be read: {error}").format(file=file.name, error=error)
        ) from None
    missing = [c for c in REQUIRED if c not in header]
    if not rows or missing:
        raise ValueError(
            _("{file} has no column {columns}: a profiles file has {required}").format(
                file=file.name,
                columns=", ".join(missing or REQUIRED),
                required=", ".join(REQUIRED),
            )
        )
    found: list[ManagerProfile] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        try:
            profile = check_profile(parse_profile(row), holders)
        except ProfileError as error:
            raise ProfileError(
                error.column, error.expected, error.value, file.name, number
            ) from None
        if profile.name in seen:
            raise ProfileError(
                "user",
                _("a user not named before (also row {row})").format(row=seen[profile.name]),
                profile.name,
                file.name,
                number,
            )
        seen[profile.name] = number
        found.append(profile)
    return found


def parse_profile(row: Mapping[str, str | None]) -> ManagerProfile:
    """A profile from the texts of a file's row or a form's fields (named as the columns of
    a profiles file); :class:`ProfileError` names the column of a bad value."""

    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    def whole(column: str, expected: str, default: int | None = None) -> int:
        value = text(column)
        if not value and default is not None:
            return default
        try:
            return int(value)
        except ValueError:
            raise ProfileError(column, expected, value) from None

    def listed(column: str) -> frozenset[str]:
        return frozenset(v.strip() for v in text(column).split(";") if v.strip())

    letters = text("classes").upper().replace(";", "").replace(" ", "")
    if not letters or any(letter not in "ABC" for letter in letters):
        raise ProfileError("classes", _("class letters among A, B and C: AB"), text("classes"))
    limits = {
        klass: whole(column, _("a whole number of accounts"))
        for column, klass in LIMITS.items()
        if text(column)
    }
    if text("capacity") and limits:
        raise ProfileError(
            "capacity", _("empty when the most accounts of each class are given"), text("capacity")
        )
    if limits:
        capacity = capacity_of(limits, CLASS_POINTS)
    else:
        try:
            capacity = float(text("capacity"))
        except ValueError:
            raise ProfileError(
                "capacity", _("a number of points, or max_a, max_b, max_c"), text("capacity")
            ) from None
    return ManagerProfile(
        name=text("user"),
        level=whole("level", _("1, 2 or 3")),
        classes=frozenset(AbcClass(letter) for letter in letters),
        capacity=capacity,
        industries=listed("industries"),
        languages=frozenset(v.lower() for v in listed("languages")),
        regions=listed("regions"),
        years=whole("years", _("a whole number of years, 0 or more"), 0),
        limits=class_limits(limits),
    )
