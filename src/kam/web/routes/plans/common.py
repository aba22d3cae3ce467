"""What every page of a plan shares: finding the plan, the tabs, the editing rights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from kam.domain.items import ItemKind
from kam.domain.plan import PLAN_STATUS_LABELS, AccountPlan
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.services import owners, plans
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.plans import items as plan_items
from kam.web.auth import client_scope
from kam.web.render import page

Scope = Annotated[ClientScope, Depends(client_scope)]

#: The tabs of a plan's page: (section, label); a section's page is
#: ``/clients/{key}/plans/{period}/{section}`` and its data ``/api/`` + the same path.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("", N_("Plan")),
    ("offer", N_("Needs and offer")),
    ("people", N_("People")),
    ("decision", N_("Decision")),
    ("engagement", N_("Stages and meetings")),
    ("interventions", N_("Interventions")),
    ("deal", N_("Deal")),
    ("risks", N_("Risks")),
    ("competitors", N_("Competitors")),
)


#: The kinds of item each section lists by the shared table (``_items.html``'s
#: ``item_list``), after what the section shows of its own: section -> (kind, path).
LISTED: dict[str, list[tuple[ItemKind[Any], str]]] = {}


@dataclass(frozen=True)
class ListedItems:
    """A plan's items of one kind as the shared table shows them; ``base`` is their address."""

    kind: ItemKind[Any]
    items: list[Any]
    base: str


@dataclass(frozen=True)
class PlanContext:
    """A plan as its pages need it: the plan, and whether the user may change it now."""

    plan: AccountPlan
    client_name: str
    editable: bool
    periods: list[str]


def plan_context(
    request: Request, scope: ClientScope, key: str, period: str, today: date | None = None
) -> PlanContext:
    """The plan of ``key`` for ``period``; :class:`LookupError` (404) when there is none."""
    book = request.app.state.book
    try:
        plan = plans.get_plan(book, scope, key, period)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
    if plan is None:
        raise LookupError(key)
    try:
        plans.editable_plan(book, scope, plan.id, today)
        editable = True
    except (AccessDeniedError, plans.PlanError):
        editable = False
    names = plans.client_names(book, [key])
    return PlanContext(plan, names.get(key, key), editable, plans.plan_periods(book, scope, key))


def plan_page(
    request: Request,
    template: str,
    context: PlanContext,
    section: str,
    extra: dict[str, Any],
    status: int = 200,
) -> HTMLResponse:
    """Render a page of a plan: the template extends ``plan_base.html``, which also lists
    the section's items of the kinds in :data:`LISTED`; ``owners`` are the users who may
    be chosen as an owner, ``owner_labels`` name every user."""
    book = request.app.state.book
    plan = context.plan
    listed = [
        ListedItems(
            kind,
            plan_items.items_of(book, plan.id, kind),
            plan_url(plan.client_key, plan.period, section) + path,
        )
        for kind, path in LISTED.get(section, ())
    ]
    return page(
        request,
        template,
        {
            "p": context,
            "plan": context.plan,
            "section": section,
            "sections": SECTIONS,
            "status_labels": PLAN_STATUS_LABELS,
            "listed": listed,
            "owners": owners.owner_choices(book, plan.client_key) if context.editable else [],
            "owner_labels": owners.owner_labels(book),
            **extra,
        },
        status=status,
    )


def require_editable(context: PlanContext) -> None:
    """Refuse a change to a plan the user may only read (403)."""
    if not context.editable:
        raise HTTPException(403, _("this plan is read-only for you"))


def plan_url(key: str, period: str, section: str = "") -> str:
    """The address of a plan's page or one of its sections."""
    tail = f"/{section}" if section else ""
    return f"/clients/{quote(key, safe='')}/plans/{period}{tail}"


def same_fields(item: Any, model: type[BaseModel]) -> dict[str, Any]:
    """The attributes of ``item`` that ``model`` has a field of the same name for: what an
    API model takes as it is from a service's view or a domain object."""
    return {name: getattr(item, name) for name in model.model_fields if hasattr(item, name)}
