"""Account plans: open, read and change a key client's plan, within the user's scope.

Who may do what follows the web application's rules: whoever may see a client
may read its plans; the head of key accounts, admins and the account managers
of the client may edit them; viewers only read. A plan of a past period is
kept as it was: read-only for everyone.

The services of each element of a plan (offer, people, decision, engagement,
interventions, deal, risks) check access with :func:`readable_plan` and
:func:`editable_plan` and record their changes with :func:`touch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from kam.domain.client import Client
from kam.domain.items import ItemValueError, clean_text
from kam.domain.plan import AccountPlan, PlanStatus, parse_period, plan_period
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import owners
from kam.services.access import AccessDeniedError, ClientScope, scope_for
from kam.services.book import Book
from kam.store import plans as store
from kam.store import records
from kam.store.database import transaction
from kam.store.locks import lock_client, lock_plan


class PlanError(ValueError):
    """A change a plan cannot take (a past period, a bad value)."""


class PlanClosedError(PlanError):
    """A change to a plan of a past period: its year is over, it is kept as it was."""


def utc_now() -> datetime:
    """The time now, without time zone (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def current_period(today: date | None = None) -> str:
    """The period of the plans being worked on now."""
    return plan_period(today or utc_now().date())


def scope_of(book: Book, user: User | ClientScope) -> ClientScope:
    """The scope of a user (through :func:`~kam.services.access.scope_for`), or the scope given."""
    return user if isinstance(user, ClientScope) else scope_for(book, user)


def acting_user(user: User | ClientScope) -> User:
    """The user acting, whether given or behind a scope."""
    return user.user if isinstance(user, ClientScope) else user


def acting_name(user: User | ClientScope) -> str:
    """The login name of the user acting, as the plans record who changed what."""
    return acting_user(user).name


def required_text(value: str, what: str, limit: int) -> str:
    """``value`` trimmed; :class:`ValueError` naming ``what`` when it is empty or longer
    than ``limit``."""
    value = value.strip()
    if not value:
        raise ValueError(_("{what} cannot be empty").format(what=what))
    if len(value) > limit:
        raise ValueError(
            _("{what} is longer than {limit} characters").format(what=what, limit=limit)
        )
    return value


def require_editor(scope: ClientScope, client_key: str) -> None:
    """Refuse a client out of scope (:class:`LookupError`) or a viewer
    (:class:`~kam.services.access.AccessDeniedError`)."""
    scope.require(client_key)
    if not scope.can_edit_clients:
        raise AccessDeniedError(_("a viewer reads plans but does not change them"))


def require_open(plan: AccountPlan, today: date) -> None:
    """Refuse a plan of a past period (:class:`PlanClosedError`)."""
    if plan.is_past(today):
        raise PlanClosedError(
            _("the plan for {period} is closed: its year is over, it is kept as it was").format(
                period=plan.period
            )
        )


def get_plan(
    book: Book, user: User | ClientScope, client_key: str, period: str
) -> AccountPlan | None:
    """A client's plan for a period, ``None`` when there is none yet.

    Raises :class:`LookupError` for a client outside the user's scope.
    """
    scope = scope_of(book, user)
    scope.require(client_key)
    with transaction(book.database) as session:
        return store.find_plan(session, client_key, parse_period(period))


def readable_plan(book: Book, user: User | ClientScope, plan_id: int) -> AccountPlan:
    """A plan the user may read; :class:`LookupError` when unknown or out of scope."""
    scope = scope_of(book, user)
    with transaction(book.database) as session:
        plan = store.get_plan(session, plan_id)
    if plan is None:
        raise LookupError(plan_id)
    scope.require(plan.client_key)
    return plan


def editable_plan(
    book: Book, user: User | ClientScope, plan_id: int, today: date | None = None
) -> AccountPlan:
    """A plan the user may change now.

    Raises :class:`LookupError` (unknown or out of scope),
    :class:`~kam.services.access.AccessDeniedError` (a viewer) or
    :class:`PlanError` (a past period).
    """
    scope = scope_of(book, user)
    plan = readable_plan(book, scope, plan_id)
    require_editor(scope, plan.client_key)
    require_open(plan, today or utc_now().date())
    return plan


def may_change(
    book: Book, user: User | ClientScope, plan: AccountPlan, today: date | None = None
) -> bool:
    """Whether the user may change ``plan`` now (not a viewer, not a past period)."""
    scope = scope_of(book, user)
    try:
        require_editor(scope, plan.client_key)
        require_open(plan, today or utc_now().date())
    except (AccessDeniedError, PlanError):
        return False
    return True


def open_plan(
    book: Book,
    user: User | ClientScope,
    client_key: str,
    period: str | None = None,
    *,
    owner: str | None = None,
    review_date: date | None = None,
    objective: str = "",
    now: datetime | None = None,
) -> AccountPlan:
    """A client's plan for a period (this year by default), created when there is none.

    A new plan starts as a draft owned by the client's owner (when it is a user
    who may see the client) unless ``owner`` is given, which must be one
    (:class:`~kam.services.owners.NotAUserError`).
    """
    scope = scope_of(book, user)
    now = now or utc_now()
    period = parse_period(period or current_period(now.date()))
    require_editor(scope, client_key)
    with transaction(book.database) as session:
        # Opened by several at once, the plan is created once: they take turns on the
        # client, and the later ones find the plan the first created.
        lock_client(session, client_key)
        found = store.find_plan(session, client_key, period)
        if found is not None:
            return found
        client = records.get(session, Client, client_key)
        if client is None:
            raise LookupError(client_key)
        if int(period) < now.year:
            raise PlanError(
                _("a plan cannot be started for {period}: that year is over").format(period=period)
            )
        return store.add_plan(
            session,
            client_key,
            period,
            owner=(
                owners.check_owner(session, client_key, owner)
                if owner is not None
                else owners.user_or_none(session, client_key, client.owner)
            ),
            review_date=review_date,
            objective=checked_objective(objective),
            now=now,
            by=scope.user.name,
        )


#: The most characters of a plan's objective.
OBJECTIVE_LIMIT = 5000


def checked_objective(objective: str) -> str:
    """A plan's objective trimmed; :class:`~kam.domain.items.ItemValueError` naming the
    field ``objective`` when longer than :data:`OBJECTIVE_LIMIT`."""
    try:
        return clean_text(objective, OBJECTIVE_LIMIT)
    except ValueError as error:
        raise ItemValueError("objective", str(error)) from None


def update_plan(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    *,
    owner: str | None,
    review_date: date | None,
    status: PlanStatus,
    objective: str,
    now: datetime | None = None,
    expected: int | None = None,
) -> AccountPlan:
    """Change a plan's owner, review date, status and objective, as seen at version
    ``expected`` of the plan (``None``: whichever it is now; one older raises
    :class:`~kam.domain.versions.StaleVersionError`).

    The owner is a user who may see the client, or the one the plan has
    (:class:`~kam.services.owners.NotAUserError`).
    """
    now = now or utc_now()
    plan = editable_plan(book, user, plan_id, now.date())
    with transaction(book.database) as session:
        # Changed by several at once on the same version, the first change counts the
        # next version and the others are refused: they take turns on the plan.
        lock_plan(session, plan_id)
        return store.update_plan(
            session,
            plan_id,
            owner=owners.check_owner(session, plan.client_key, owner, plan.owner),
            review_date=review_date,
            status=status,
            objective=checked_objective(objective),
            now=now,
            by=scope_of(book, user).user.name,
            expected=expected,
        )


def touch(session: Session, plan: AccountPlan, now: datetime, by: str) -> None:
    """Record, in the element's own transaction, that a plan's content changed."""
    store.touch_plan(session, plan.id, now, by)


@dataclass(frozen=True)
class PlanListing:
    """A plan in the list of plans, with its client's name and class."""

    plan: AccountPlan
    client_name: str
    review_overdue: bool


def list_plans(
    book: Book, user: User | ClientScope, period: str | None = None, today: date | None = None
) -> list[PlanListing]:
    """The plans of the clients the user may see, of one period or of all."""
    scope = scope_of(book, user)
    today = today or utc_now().date()
    with transaction(book.database) as session:
        keys = None if scope.keys is None else sorted(scope.keys)
        found = store.list_plans(session, keys, None if period is None else parse_period(period))
        names = store.client_names(session, {plan.client_key for plan in found})
    return [
        PlanListing(plan, names.get(plan.client_key, plan.client_key), plan.review_overdue(today))
        for plan in found
    ]


def plan_periods(book: Book, user: User | ClientScope, client_key: str) -> list[str]:
    """The periods a client has plans for, the latest first."""
    scope = scope_of(book, user)
    scope.require(client_key)
    with transaction(book.database) as session:
        return store.periods_of(session, client_key)


def client_names(book: Book, keys: list[str]) -> dict[str, str]:
    """The names of clients by key (the caller has checked the user may see them)."""
    with transaction(book.database) as session:
        return store.client_names(session, keys)
