"""The people of a plan: the client's stakeholder map, its history, gaps and drawing.

The people are a fact about the client, not about one plan: they persist from
year to year. A plan shows them as of a date: this year's plan as of today
(and may change them), a past year's plan as of the last day of its year
(read-only). Every change of a stakeholder adds a version, so the map can be
seen as it was on any past date (``as_of``).

Personal notes are personal data: only users who may edit the client see them,
and :func:`people_of_plan` leaves them out unless asked to include them.

The book setting ``stale_after_days`` (180 by default) says how long a
verified entry stays fresh.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from kam.domain.people_map import (
    DEFAULT_STALE_AFTER_DAYS,
    PERSON_FIELDS,
    Gap,
    Profile,
    Stakeholder,
    compute_gaps,
    explain_gap,
    is_stale,
    on_map,
    validate_profile,
)
from kam.domain.plan import AccountPlan
from kam.domain.stakeholder import Person
from kam.domain.user import User
from kam.domain.versions import check_version
from kam.i18n import gettext as _
from kam.services import owners, plans
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.people_map_svg import people_map_svg
from kam.services.plans import items as plan_items
from kam.services.plans.items import PlanEdit
from kam.store.database import transaction
from kam.store.locks import lock_client
from kam.store.plans import people as store


@dataclass(frozen=True)
class StakeholderEntry:
    """A stakeholder as a plan shows it: with the person's contacts and flags.

    ``manager`` is the name of the person reported to; ``stale`` says the entry
    was never verified or not for longer than the book allows.
    """

    stakeholder: Stakeholder
    email: str | None
    phone: str | None
    manager: str | None
    stale: bool


@dataclass(frozen=True)
class GapEntry:
    """A coverage gap with its sentence in the language of the moment."""

    gap: Gap
    sentence: str


@dataclass(frozen=True)
class VersionEntry:
    """One version of a stakeholder's profile, as the history shows it."""

    number: int
    valid_from: datetime
    recorded_by: str
    profile: Profile


@dataclass(frozen=True)
class PeopleView:
    """Everything the people part of a plan shows, as of one date.

    ``entries`` are the people on the map, ``left`` those marked as having
    left; ``personal_shown`` says whether personal notes are included (else
    they are empty); ``editable`` whether the user may change the map here;
    ``svg`` is the relationship map drawn (the same as the page's download).
    """

    plan: AccountPlan
    as_of: date
    editable: bool
    personal_shown: bool
    stale_after_days: int
    entries: tuple[StakeholderEntry, ...]
    left: tuple[StakeholderEntry, ...]
    gaps: tuple[GapEntry, ...]
    svg: str

    def entry(self, person_key: str) -> StakeholderEntry | None:
        """The entry of one person (on the map or left), if any."""
        return next(
            (e for e in self.entries + self.left if e.stakeholder.person_key == person_key), None
        )


def stale_after_days(book: Book) -> int:
    """The book's ``stale_after_days`` setting (180 when unset or not a whole number)."""
    text = str(book.settings.get("stale_after_days") or "").strip()
    return int(text) if text.isdigit() else DEFAULT_STALE_AFTER_DAYS


def default_as_of(plan: AccountPlan, today: date) -> date:
    """The date a plan shows its people as of: today, or the last day of a past year."""
    return date(int(plan.period), 12, 31) if plan.is_past(today) else today


def _stakeholders(
    session: Session, client_key: str, as_of: date, today: date
) -> tuple[list[Stakeholder], dict[str, Person]]:
    until = datetime.combine(as_of, time.max)
    people = store.people_since(session, client_key)
    latest = {version[0]: version[1:] for version in store.versions_of(session, client_key, until)}
    found: list[Stakeholder] = []
    for person, since in people:
        own = {name: getattr(person, name) for name in PERSON_FIELDS}
        version = latest.get(person.key)
        if version is None:
            if since <= until:
                found.append(Stakeholder(person.key, client_key, Profile(**own)))
            continue
        number, valid_from, by, profile = version
        if as_of >= today:  # today the book's person is the truth (an import may change it)
            profile = replace(profile, **own)
        found.append(Stakeholder(person.key, client_key, profile, number, valid_from, by))
    return found, {person.key: person for person, _since in people}


def _no_personal(profile: Profile) -> Profile:
    return replace(profile, personal_notes="")


def _may_see_personal(scope: ClientScope) -> bool:
    return scope.can_edit_clients


def people_of_plan(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    as_of: date | None = None,
    *,
    include_personal: bool = False,
    today: date | None = None,
) -> PeopleView:
    """The people of a plan's client as of a date, with gaps, stale flags and the map's SVG.

    ``as_of`` defaults to today for this year's plan and to the last day of the
    year for a past one. Personal notes are included only when asked and when
    the user may edit the client. :class:`LookupError` when the plan is unknown
    or out of the user's scope.
    """
    scope = plans.scope_of(book, user)
    plan = plans.readable_plan(book, scope, plan_id)
    today = today or plans.utc_now().date()
    as_of = as_of or default_as_of(plan, today)
    editable = False
    if as_of == today:
        try:
            plans.editable_plan(book, scope, plan_id, today)
            editable = True
        except (PermissionError, plans.PlanError):
            editable = False
    personal = include_personal and _may_see_personal(scope)
    with transaction(book.database) as session:
        stakeholders, people = _stakeholders(session, plan.client_key, as_of, today)
    if not personal:
        stakeholders = [replace(s, profile=_no_personal(s.profile)) for s in stakeholders]
    names = {s.person_key: s.name for s in stakeholders}
    days = stale_after_days(book)

    def entry(s: Stakeholder) -> StakeholderEntry:
        person = people.get(s.person_key)
        return StakeholderEntry(
            s,
            person.email if person else None,
            person.phone if person else None,
            names.get(s.profile.reports_to or ""),
            is_stale(s, as_of, days),
        )

    present = on_map(stakeholders)
    gaps = tuple(GapEntry(gap, explain_gap(gap)) for gap in compute_gaps(present))
    return PeopleView(
        plan=plan,
        as_of=as_of,
        editable=editable,
        personal_shown=personal,
        stale_after_days=days,
        entries=tuple(entry(s) for s in present),
        left=tuple(entry(s) for s in stakeholders if s.profile.left),
        gaps=gaps,
        svg=people_map_svg(present, {s.person_key for s in present if is_stale(s, as_of, days)}),
    )


def people_svg(
    book: Book, user: User | ClientScope, plan_id: int, as_of: date | None = None
) -> str:
    """The relationship map of a plan's client as an SVG document (for a download or a PDF)."""
    return people_of_plan(book, user, plan_id, as_of).svg


def stakeholder_history(
    book: Book, user: User | ClientScope, plan_id: int, person_key: str
) -> list[VersionEntry]:
    """Every version of one person's profile, the latest first (personal notes as allowed)."""
    scope = plans.scope_of(book, user)
    plan = plans.readable_plan(book, scope, plan_id)
    with transaction(book.database) as session:
        versions = store.versions_of(session, plan.client_key, person_key=person_key)
    personal = _may_see_personal(scope)
    return [
        VersionEntry(number, valid_from, by, profile if personal else _no_personal(profile))
        for _key, number, valid_from, by, profile in reversed(versions)
    ]


def _check_reports_to(
    stakeholders: list[Stakeholder], people: dict[str, Person], person_key: str, boss: str | None
) -> None:
    if boss is None:
        return
    if boss not in people:
        raise plans.PlanError(
            _("{key} is not a person at this client: a person reports to someone there").format(
                key=boss
            )
        )
    bosses = {s.person_key: s.profile.reports_to for s in stakeholders}
    bosses[person_key] = boss
    seen = {person_key}
    current: str | None = boss
    while current is not None:
        if current in seen:
            raise plans.PlanError(
                _(
                    "{name} cannot report to {boss}: the reporting lines would run in a circle"
                ).format(
                    name=people[person_key].name if person_key in people else person_key,
                    boss=people[boss].name,
                )
            )
        seen.add(current)
        current = bosses.get(current)


def _record(
    edit: PlanEdit, person_key: str | None, profile: Profile, expected: int | None = None
) -> Stakeholder:
    """Record a version of a person's profile (``person_key`` of ``None``: a new person)."""
    session, client_key, today = edit.session, edit.plan.client_key, edit.now.date()
    lock_client(session, client_key)
    stakeholders, people = _stakeholders(session, client_key, today, today)
    new = person_key is None
    if person_key is None:
        person_key = store.new_person_key(session, client_key)
    elif person_key not in people:
        raise LookupError(person_key)
    else:
        _check_version(session, client_key, person_key, expected)
    profile = validate_profile(profile, person_key)
    _check_reports_to(stakeholders, people, person_key, profile.reports_to)
    if new:
        own = {name: getattr(profile, name) for name in PERSON_FIELDS}
        person_key = store.add_new_person(session, Person(person_key, client_key, **own), edit.now)
    else:
        store.update_person(session, person_key, profile, edit.now)
    kept = {s.person_key: s.profile.relationship_owner for s in stakeholders}
    owner = owners.check_owner(
        session, client_key, profile.relationship_owner, kept.get(person_key), "relationship_owner"
    )
    profile = replace(profile, relationship_owner=owner)
    store.add_version(session, client_key, person_key, profile, valid_from=edit.now, by=edit.by)
    number = len(store.versions_of(session, client_key, person_key=person_key))
    return Stakeholder(person_key, client_key, profile, number, edit.now, edit.by)


def _check_version(
    session: Session, client_key: str, person_key: str, expected: int | None
) -> None:
    """Refuse a new version of a profile made on version ``expected`` when it is not the
    latest (:class:`~kam.domain.versions.StaleVersionError`)."""
    versions = store.versions_of(session, client_key, person_key=person_key)
    current, by = (versions[-1][1], versions[-1][3]) if versions else (0, "")
    check_version(current, expected, by)


def current(edit: PlanEdit, person_key: str) -> Stakeholder:
    """A person at the plan's client as the map shows it today, personal notes and all
    (:class:`LookupError` when there is no such person)."""
    today = edit.now.date()
    stakeholders, _people = _stakeholders(edit.session, edit.plan.client_key, today, today)
    found = next((s for s in stakeholders if s.person_key == person_key), None)
    if found is None:
        raise LookupError(person_key)
    return found


def add(edit: PlanEdit, profile: Profile) -> Stakeholder:
    """Add a new person at the plan's client, with a first version of the profile.

    The person gets the key ``<client key>-<n>``, the first such key free; people
    added to the client's plans at the same moment take turns
    (:func:`~kam.store.locks.lock_client`), so each gets a key of its own, and a
    key an import takes meanwhile is passed over
    (:func:`~kam.store.plans.people.add_new_person`). The relationship owner on our
    side is a user who may see the client (:class:`~kam.services.owners.NotAUserError`).
    """
    return _record(edit, None, profile)


def change(
    edit: PlanEdit, person_key: str, profile: Profile, expected: int | None = None
) -> Stakeholder:
    """Record a new version of a person's profile (the person's name, title and
    reports-to in the book change with it), made on version ``expected`` of it
    (``None``: whichever is the latest).

    :class:`LookupError` when the person is not at the plan's client,
    :class:`~kam.domain.versions.StaleVersionError` when someone recorded a version
    after ``expected``, :class:`~kam.services.owners.NotAUserError` when the
    relationship owner is neither a user who may see the client nor the one kept.
    """
    return _record(edit, person_key, profile, expected)


def verify(edit: PlanEdit, person_key: str) -> Stakeholder:
    """Record that a person's entry was checked today: a version verified on today's date."""
    profile = current(edit, person_key).profile
    return change(edit, person_key, replace(profile, verified_on=edit.now.date()))


def add_stakeholder(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    profile: Profile,
    now: datetime | None = None,
) -> Stakeholder:
    """:func:`add` on a plan, in a transaction of its own."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        return add(edit, profile)


def save_stakeholder(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    person_key: str,
    profile: Profile,
    now: datetime | None = None,
    expected: int | None = None,
) -> Stakeholder:
    """:func:`change` on a plan, in a transaction of its own."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        return change(edit, person_key, profile, expected)


def verify_stakeholder(
    book: Book, user: User | ClientScope, plan_id: int, person_key: str, now: datetime | None = None
) -> Stakeholder:
    """:func:`verify` on a plan, in a transaction of its own."""
    with plan_items.editing(book, user, plan_id, now=now) as edit:
        return verify(edit, person_key)
