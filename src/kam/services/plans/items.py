"""Adding, changing and removing the items of a plan: one path for every kind.

Every change of a plan's content runs in :func:`editing`: one transaction that
finds the plan, checks that the user may change it now, lets the caller
change it, and records on the plan who changed it and when. The items of a
declared kind (:class:`~kam.domain.items.ItemKind`) are checked with
:func:`~kam.domain.items.validate_item` and kept through their
:class:`~kam.store.plans.items.ItemTable`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from kam.domain.items import EditedBy, FieldType, ItemKind, validate_item
from kam.domain.plan import AccountPlan, parse_period
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services import owners, plans
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.book import Book
from kam.store import plans as plans_store
from kam.store.database import transaction
from kam.store.locks import lock_plan
from kam.store.plans import items as items_store

T = TypeVar("T")

#: The roles that change the items of a kind edited by the head (:attr:`EditedBy.HEAD`).
HEAD_ROLES = (Role.HEAD, Role.ADMIN)


def check_item(kind: ItemKind[Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values of an item, checked (:class:`~kam.services.plans.PlanError` when refused)."""
    try:
        return validate_item(kind, values)
    except ValueError as error:
        raise plans.PlanError(str(error)) from None


def may_edit(kind: ItemKind[Any], user: User | ClientScope) -> bool:
    """Whether the user's role changes the items of ``kind`` (on a plan the user may change)."""
    return kind.edited_by is EditedBy.EDITORS or plans.acting_user(user).role in HEAD_ROLES


@dataclass(frozen=True)
class PlanEdit:
    """A plan being changed by ``user``, inside :func:`editing`'s transaction."""

    session: Session
    plan: AccountPlan
    now: datetime
    by: str
    user: User

    def require(self, kind: ItemKind[Any]) -> None:
        """Refuse a user whose role does not change the items of ``kind``
        (:class:`~kam.services.access.AccessDeniedError` with the kind's ``refusal``)."""
        if not may_edit(kind, self.user):
            raise AccessDeniedError(_(kind.refusal))

    def save(self, kind: ItemKind[T], item_id: int | None, values: Mapping[str, Any]) -> T:
        """Add an item of ``kind`` (``item_id`` of ``None``: its fields ``changed`` left
        empty) or change one, checked first: a user field names a user who may see the
        client, or the one the item has (:class:`~kam.services.owners.NotAUserError`)."""
        self.require(kind)
        if item_id is None:
            values = {name: v for name, v in values.items() if name not in kind.changed}
        checked = check_item(kind, values)
        table = items_store.table_of(kind)
        users = [spec.name for spec in kind.fields if spec.type is FieldType.USER]
        kept = table.item(self.session, self.plan.id, item_id) if users and item_id else None
        for name in users:
            checked[name] = owners.check_owner(
                self.session, self.plan.client_key, checked[name], getattr(kept, name, None), name
            )
        return table.save(self.session, self.plan.id, item_id, checked, self.now, self.by)

    def check(self, kind: ItemKind[Any], item_id: int, expected: int | None) -> None:
        """Refuse a change of item ``item_id`` made on its version ``expected`` when it has
        changed since (:class:`~kam.domain.versions.StaleVersionError`; ``None``: whichever
        it is now); :class:`LookupError` when it is not the plan's."""
        self.require(kind)
        items_store.table_of(kind).check(self.session, self.plan.id, item_id, expected)

    def item(self, kind: ItemKind[T], item_id: int) -> T:
        """Item ``item_id`` of the plan as it is now (:class:`LookupError` when not the plan's)."""
        self.require(kind)
        return items_store.table_of(kind).item(self.session, self.plan.id, item_id)

    def add(self, kind: ItemKind[T], values: Mapping[str, Any]) -> T:
        """Add an item of ``kind`` to the plan."""
        return self.save(kind, None, values)

    def change(self, kind: ItemKind[T], item_id: int, values: Mapping[str, Any]) -> T:
        """Change item ``item_id`` of the plan (:class:`LookupError` when not the plan's)."""
        return self.save(kind, item_id, values)

    def remove(self, kind: ItemKind[Any], item_id: int, expected: int | None = None) -> None:
        """Remove item ``item_id`` of the plan (:class:`LookupError` when not the plan's),
        seen at version ``expected`` (``None``: whichever it is now)."""
        self.require(kind)
        items_store.table_of(kind).remove(self.session, self.plan.id, item_id, expected)

    def replace(
        self,
        kind: ItemKind[T],
        items: Sequence[tuple[int, Mapping[str, Any]]],
        save: Callable[[PlanEdit, int | None, Mapping[str, Any]], T] | None = None,
    ) -> list[T]:
        """Save the plan's items of ``kind`` whole, in the order given: each ``(id, values)``
        changes item ``id`` or, with an id of 0, adds one, by ``save(edit, item_id, values)``
        where it takes more than the kind's table; the items left out are removed first.

        An id not of the plan raises :class:`LookupError`, one listed twice
        :class:`~kam.services.plans.PlanError`.
        """
        ids = [item_id for item_id, _values in items if item_id]
        if len(set(ids)) < len(ids):
            raise plans.PlanError(_("a row is listed twice"))
        table = items_store.table_of(kind)
        for item in table.items_of(self.session, self.plan.id):
            if item.id not in ids:  # type: ignore[attr-defined]
                table.remove(self.session, self.plan.id, item.id)  # type: ignore[attr-defined]
        if save is None:
            return [self.save(kind, item_id or None, values) for item_id, values in items]
        return [save(self, item_id or None, values) for item_id, values in items]


@contextmanager
def editing(
    book: Book,
    user: User | ClientScope,
    plan_id: int | None = None,
    *,
    client_key: str | None = None,
    period: str | None = None,
    now: datetime | None = None,
) -> Iterator[PlanEdit]:
    """A plan the user may change now, by id or by client and period, in one transaction
    that records the change on the plan when the block ends without an error.

    The plan is locked for the transaction (:func:`~kam.store.locks.lock_plan`): two
    people changing it at once take turns, so an item added gets a place of its own.

    Raises :class:`LookupError` (unknown plan, or out of scope),
    :class:`~kam.services.access.AccessDeniedError` (a viewer) or
    :class:`~kam.services.plans.PlanClosedError` (a past period) before the
    block runs; whatever the block raises undoes its changes.
    """
    scope = plans.scope_of(book, user)
    now = now or plans.utc_now()
    with transaction(book.database) as session:
        if plan_id is not None:
            plan = plans_store.get_plan(session, plan_id)
        else:
            assert client_key is not None and period is not None
            scope.require(client_key)
            plan = plans_store.find_plan(session, client_key, parse_period(period))
        if plan is None:
            raise LookupError(plan_id or client_key)
        plans.require_editor(scope, plan.client_key)
        plans.require_open(plan, now.date())
        lock_plan(session, plan.id)
        yield PlanEdit(session, plan, now, scope.user.name, scope.user)
        plans_store.touch_plan(session, plan.id, now, scope.user.name)


def save_item(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    kind: ItemKind[T],
    item_id: int | None,
    values: Mapping[str, Any],
    now: datetime | None = None,
    save: Callable[[PlanEdit, int | None, Mapping[str, Any]], T] | None = None,
) -> T:
    """Add an item of ``kind`` to a plan (``item_id`` of ``None``) or change one, by
    ``save(edit, item_id, values)`` where it takes more than the kind's table."""
    with editing(book, user, plan_id, now=now) as edit:
        if save is None:
            return edit.save(kind, item_id, values)
        return save(edit, item_id, values)


def remove_item(
    book: Book,
    user: User | ClientScope,
    plan_id: int,
    kind: ItemKind[Any],
    item_id: int,
    now: datetime | None = None,
) -> None:
    """Remove item ``item_id`` of ``kind`` from a plan."""
    with editing(book, user, plan_id, now=now) as edit:
        edit.remove(kind, item_id)


def items_of(book: Book, plan_id: int, kind: ItemKind[T]) -> list[T]:
    """A plan's items of ``kind`` (the caller has checked the user may read the plan)."""
    with transaction(book.database) as session:
        return items_store.table_of(kind).items_of(session, plan_id)
