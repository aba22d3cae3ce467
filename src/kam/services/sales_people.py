"""Managers' profiles from the AdventureWorks sample's sales people.

A book made from the AdventureWorks reseller sales (the ``adventureworks-*``
profiles) is served by the sample's sales force. Its folder holds ``DimEmployee.csv``,
``DimSalesTerritory.csv`` and ``FactSalesQuota.csv`` (headered CSV, as in
``samples/adventureworks``); from them, for each employee with ``SalesPersonFlag`` 1:

- **the name** of its user: first and last name, lower case, joined by a dot, without
  accents or spaces (``José Saraiva`` is ``jose.saraiva``), as ``kam demo`` names
  Northwind's sales people;
- **years** of seniority: from ``HireDate`` to the date of the latest quota;
- **level** from ``Title``: a sales manager (or vice president) is senior (3), a sales
  representative experienced (2), any other title junior (1);
- **regions**: the country and the region of its territory (``DimSalesTerritory``); a
  sales manager's territory is none ("NA"), so it works in those of the sales people
  who report to it;
- **capacity** from its quotas (``FactSalesQuota``): the sum of its last four
  quarterly quotas, one point per :data:`QUOTA_PER_POINT` dollars.

Invented, and labelled so: the languages, the main language of each of its regions'
countries (:func:`kam.domain.assignment.language_of`); the classes each level may
hold (:data:`SAMPLE_CLASSES`: a junior holds no A client); and the dollars of quota a
point stands for. The sample knows no industries of its sales people.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

from kam.domain.assignment import ManagerProfile, language_of
from kam.domain.classes import AbcClass
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import managers
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.proposals import require_head
from kam.store import managers as profile_store
from kam.store import users as user_store
from kam.store.database import transaction

#: The files a folder of the sample must hold, and the columns read in each.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "DimEmployee.csv": (
        "EmployeeKey",
        "ParentEmployeeKey",
        "SalesTerritoryKey",
        "FirstName",
        "LastName",
        "Title",
        "HireDate",
        "SalesPersonFlag",
    ),
    "DimSalesTerritory.csv": (
        "SalesTerritoryKey",
        "SalesTerritoryRegion",
        "SalesTerritoryCountry",
    ),
    "FactSalesQuota.csv": (
        "EmployeeKey",
        "CalendarYear",
        "CalendarQuarter",
        "SalesAmountQuota",
        "Date",
    ),
}
FILES = tuple(COLUMNS)
#: Invented: the dollars of a year's quota that one point of capacity stands for (an A
#: client weighs 5 points: 250,000 dollars of quota).
QUOTA_PER_POINT = 50_000
#: Invented: the classes each level may hold.
SAMPLE_CLASSES: Mapping[int, frozenset[AbcClass]] = {
    3: frozenset(AbcClass),
    2: frozenset(AbcClass),
    1: frozenset({AbcClass.B, AbcClass.C}),
}
#: What the invented values of a profile are, as its source says.
INVENTED = ("languages", "classes", "capacity in points")


@dataclass(frozen=True)
class SalesPerson:
    """One of the sample's sales people: its key, name and title, its territory, its
    year's quota (dollars) and the profile made of them."""

    employee: int
    full_name: str
    title: str
    territory: str
    quota: float
    profile: ManagerProfile


def level_of(title: str) -> int:
    """The level a title stands for.

    Examples
    --------
    >>> level_of("European Sales Manager"), level_of("Sales Representative"), level_of("Buyer")
    (3, 2, 1)
    """
    if "Sales Manager" in title or "Vice President" in title:
        return 3
    return 2 if "Sales Representative" in title else 1


def user_name(first: str, last: str) -> str:
    """The user name of a sales person.

    Examples
    --------
    >>> user_name("José", "Saraiva"), user_name("Ranjit", "Varkey Chudukatil")
    ('jose.saraiva', 'ranjit.varkeychudukatil')
    """
    plain = unicodedata.normalize("NFKD", f"{first}.{last}".lower())
    return "".join(c for c in plain if not unicodedata.combining(c) and not c.isspace())


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    """The rows of one file of the folder, once it has the columns read."""
    try:
        with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(
            _("{file} cannot be read: {error}").format(file=name, error=error)
        ) from None
    missing = [column for column in COLUMNS[name] if column not in header]
    if missing:
        raise ValueError(
            _("{file} has no column {columns}").format(file=name, columns=", ".join(missing))
        )
    return rows


def read_sales_people(folder: Path) -> list[SalesPerson]:
    """The sales people of an AdventureWorks folder, each with its profile, by user name.

    Raises :class:`ValueError` for a folder without the files of :data:`FILES`, or a file
    without a column read.
    """
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise ValueError(
            _("{folder} has no {files}: an AdventureWorks folder holds {required}").format(
                folder=folder.name, files=", ".join(missing), required=", ".join(FILES)
            )
        )
    employees, territories, quotas = (_read(folder, name) for name in FILES)
    places = {
        t["SalesTerritoryKey"]: (t["SalesTerritoryRegion"], t["SalesTerritoryCountry"])
        for t in territories
        if t["SalesTerritoryCountry"] not in ("", "NA")
    }
    by_quarter: dict[str, dict[tuple[int, int], float]] = defaultdict(dict)
    for row in quotas:
        quarter = (int(row["CalendarYear"]), int(row["CalendarQuarter"]))
        by_quarter[row["EmployeeKey"]][quarter] = float(row["SalesAmountQuota"])
    as_of = max((_day(row["Date"]) for row in quotas), default=date.today())
    sellers = [e for e in employees if e["SalesPersonFlag"].strip() == "1"]
    reports: dict[str, set[str]] = defaultdict(set)
    for person in sellers:
        if person["SalesTerritoryKey"] in places:
            reports[person["ParentEmployeeKey"]].add(person["SalesTerritoryKey"])
    found: list[SalesPerson] = []
    for person in sellers:
        own = person["SalesTerritoryKey"]
        worked = {own} if own in places else reports.get(person["EmployeeKey"], set())
        regions = {name for key in worked for name in places[key]}
        countries = {places[key][1] for key in worked}
        languages = {code for code in (language_of(c) for c in countries) if code}
        quarters = by_quarter.get(person["EmployeeKey"], {})
        quota = sum(quarters[q] for q in sorted(quarters)[-4:])
        level = level_of(person["Title"])
        profile = ManagerProfile(
            name=user_name(person["FirstName"], person["LastName"]),
            level=level,
            classes=SAMPLE_CLASSES[level],
            capacity=round(quota / QUOTA_PER_POINT, 2),
            languages=frozenset(languages),
            regions=frozenset(regions),
            years=max((as_of - _day(person["HireDate"])).days // 365, 0),
        )
        territory = ", ".join(sorted(places[key][0] for key in worked)) or "NA"
        found.append(
            SalesPerson(
                int(person["EmployeeKey"]),
                f"{person['FirstName']} {person['LastName']}",
                person["Title"],
                territory,
                quota,
                profile,
            )
        )
    return sorted(found, key=lambda p: p.profile.name)


def _day(text: str) -> date:
    return datetime.fromisoformat(text.strip()[:10]).date()


@dataclass(frozen=True)
class SalesPeopleImport:
    """What importing the sample's sales people did: profiles new and changed, and the
    sales people who are not users of the book (no profile kept for them)."""

    new: int
    changed: int
    not_users: tuple[str, ...]


def import_sales_people(
    book: Book, user: User | ClientScope, folder: Path, now: datetime | None = None
) -> SalesPeopleImport:
    """Keep the profile of every sales person of the folder who is an active manager or
    head of the book (all or none, checked as a profiles file); the others are named.
    Only the head of key accounts and admins may."""
    scope = require_head(book, user)
    people = read_sales_people(folder)
    with transaction(book.database) as session:
        holders = {u.name: u for u in user_store.list_users(session)}
    kept = [p.profile for p in people if p.profile.name in holders]
    missing = tuple(p.profile.name for p in people if p.profile.name not in holders)
    if not kept:
        return SalesPeopleImport(0, 0, missing)
    for profile in kept:
        managers.check_profile(profile, holders)
    with transaction(book.database) as session:
        before = {p.name for p in profile_store.profiles(session)}
    managers.save_profiles(book, scope, kept, now)
    changed = sum(1 for p in kept if p.name in before)
    return SalesPeopleImport(len(kept) - changed, changed, missing)


#: The columns of the profiles file :func:`write_profiles` writes (those of a profiles
#: file, :mod:`kam.services.managers`), then what it was drawn from.
PROFILE_COLUMNS: tuple[str, ...] = (
    "user",
    "years",
    "level",
    "classes",
    "capacity",
    "industries",
    "languages",
    "regions",
    "full_name",
    "title",
    "territory",
    "quota",
    "invented",
)


def profile_rows(people: Iterable[SalesPerson]) -> list[dict[str, str]]:
    """The sales people as rows of a profiles file, with the name, title, territory and
    year's quota they were drawn from and what is invented."""
    return [
        {
            "user": p.profile.name,
            "years": str(p.profile.years),
            "level": str(p.profile.level),
            "classes": "".join(sorted(str(k) for k in p.profile.classes)),
            "capacity": f"{p.profile.capacity:g}",
            "industries": "",
            "languages": ";".join(sorted(p.profile.languages)),
            "regions": ";".join(sorted(p.profile.regions)),
            "full_name": p.full_name,
            "title": p.title,
            "territory": p.territory,
            "quota": f"{p.quota:.0f}",
            "invented": "; ".join(INVENTED),
        }
        for p in people
    ]


def write_profiles(people: Iterable[SalesPerson], handle: IO[str]) -> None:
    """Write the sales people as a profiles file that ``kam managers import`` reads."""
    writer = csv.DictWriter(handle, PROFILE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(profile_rows(people))
