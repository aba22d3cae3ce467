"""What every page of a plan shares: its sections and their routers, where a route runs
(:class:`At`: the plan, changing it in one transaction), the tabs, the editing rights."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from kam.domain.deal import Deal
from kam.domain.items import ItemKind
from kam.domain.plan import PLAN_STATUS_LABELS, AccountPlan
from kam.i18n import N_
from kam.i18n import gettext as _
from kam.services import owners, plans
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.book import Book
from kam.services.owners import NotAUserError
from kam.services.plans import PlanClosedError
from kam.services.plans import items as plan_items
from kam.services.plans.items import PlanEdit
from kam.web.auth import client_scope
from kam.web.render import page
from kam.web.typed import raise_refusal, refuse

T = TypeVar("T")
P = ParamSpec("P")

Scope = Annotated[ClientScope, Depends(client_scope)]

#: The address of a plan's page; its sections' pages are below it, their data under ``/api``.
PLAN_PATH = "/clients/{key}/plans/{period}"

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


@dataclass(frozen=True)
class At:
    """Where a route of a plan runs: the request, the user's ``scope``, the client's
    ``key``, the plan's ``period`` and the ``section`` of the plan the route is in.

    The plan is found when a route asks for it (:meth:`context`), after FastAPI checked
    what the request sent; :meth:`edit` changes it in one transaction, :meth:`change`
    through a service that takes the plan's id.
    """

    request: Request
    scope: ClientScope
    key: str
    period: str
    section: str = ""

    @property
    def book(self) -> Book:
        """The book the app serves."""
        book: Book = self.request.app.state.book
        return book

    def context(self) -> PlanContext:
        """The plan (404 when there is none, 400 for a bad period)."""
        book, scope, key = self.book, self.scope, self.key
        try:
            plan = plans.get_plan(book, scope, key, self.period)
        except ValueError as error:
            raise HTTPException(400, str(error)) from None
        if plan is None:
            raise LookupError(key)
        try:
            plans.editable_plan(book, scope, plan.id)
            editable = True
        except (AccessDeniedError, plans.PlanError):
            editable = False
        name = plans.client_names(book, [key]).get(key, key)
        return PlanContext(plan, name, editable, plans.plan_periods(book, scope, key))

    def view(self, read: Callable[[Book, ClientScope, int], T]) -> tuple[PlanContext, T]:
        """The plan, and what ``read(book, scope, plan_id)`` makes of it (a section's view)."""
        context = self.context()
        return context, read(self.book, self.scope, context.plan.id)

    def url(self) -> str:
        """The address of the section's page."""
        return plan_url(self.key, self.period, self.section)

    def page(
        self, template: str, context: PlanContext, extra: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        """Draw a page of the plan: the template extends ``plan_base.html``, which also
        lists the section's items of the kinds in :data:`LISTED`; ``base`` is the section's
        address, ``owners`` the users who may be chosen as an owner, ``owner_labels`` name
        every user."""
        book, plan, section = self.book, context.plan, self.section
        base = plan_url(plan.client_key, plan.period, section)
        listed = [
            ListedItems(kind, plan_items.items_of(book, plan.id, kind), base + path)
            for kind, path in LISTED.get(section, ())
        ]
        values = {
            "p": context,
            "plan": plan,
            "section": section,
            "base": base,
            "sections": SECTIONS,
            "status_labels": PLAN_STATUS_LABELS,
            "listed": listed,
            "owners": owners.owner_choices(book, plan.client_key) if context.editable else [],
            "owner_labels": owners.owner_labels(book),
        }
        return page(self.request, template, values | extra, status=status)

    def back(self) -> Response:
        """Back to the section's page after a form was taken (303)."""
        return RedirectResponse(self.url(), status_code=303)

    def edit(self, run: Callable[[PlanEdit], T]) -> T:
        """Run ``run(edit)`` on the plan in one transaction.

        A plan the user may not change answers 403, an unknown one 404, a bad
        period 400; :class:`ValueError` from ``run`` (the content refused) passes through.
        """
        with ExitStack() as stack:
            try:
                edit = stack.enter_context(
                    plan_items.editing(
                        self.book, self.scope, client_key=self.key, period=self.period
                    )
                )
            except (AccessDeniedError, PlanClosedError):
                raise HTTPException(403, _("this plan is read-only for you")) from None
            except ValueError as error:
                raise HTTPException(400, str(error)) from None
            try:
                return run(edit)
            except AccessDeniedError as error:
                raise HTTPException(403, str(error)) from None

    def api_edit(self, run: Callable[[PlanEdit], T]) -> T:
        """:meth:`edit` for the API: the content refused answers 400 with the reason, an
        owner who is not a user 422 naming the field."""
        return api_call(lambda: self.edit(run))

    def change(
        self,
        run: Callable[Concatenate[Book, ClientScope, int, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``run(book, scope, plan_id, *args, **kwargs)`` on a plan the user may change
        (403 otherwise).

        :class:`ValueError` (content refused, or a value the form's model refused:
        :func:`~kam.web.typed.posted`) and :class:`LookupError` (404) pass through.
        """
        context = self.context()
        if not context.editable:
            raise HTTPException(403, _("this plan is read-only for you"))
        raise_refusal(self.request)
        return call(lambda: run(self.book, self.scope, context.plan.id, *args, **kwargs))

    def api_change(
        self,
        run: Callable[Concatenate[Book, ClientScope, int, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """:meth:`change` for the API: content refused answers 400 with the reason."""
        return api_call(lambda: self.change(run, *args, **kwargs))

    def form(
        self,
        page: Page,
        run: Callable[Concatenate[Book, ClientScope, int, P], object],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Response:
        """:meth:`change` for a form: back to the section's page (303), or ``page(at,
        reason, 400)``, the page drawn again with the reason the change was refused, its
        form as typed (:mod:`kam.web.typed`)."""
        try:
            self.change(run, *args, **kwargs)
        except ValueError as error:
            return page(self, refuse(self.request, error), 400)
        return self.back()


#: A section's page, drawn again with the reason a form was refused: ``page(at, error, status)``.
Page = Callable[[At, str, int], Response]


class Section:
    """A section of a plan: its name (``""``: the plan's own page), its routers with their
    prefix, the pages' (``pages``, not in the API's document) and the API's (``api``), and
    the dependency that says where a route of it runs (:meth:`at`; :data:`Here` in a
    route's parameters)."""

    def __init__(self, name: str) -> None:
        self.name = name
        path = PLAN_PATH + (f"/{name}" if name else "")
        entered = [Depends(self._enter)]
        self.pages = APIRouter(prefix=path, include_in_schema=False, dependencies=entered)
        self.api = APIRouter(prefix="/api" + path, tags=["plans"], dependencies=entered)

    def _enter(self, request: Request) -> None:
        """Say which section a route of these routers is in (before its parameters are read)."""
        request.state.plan_section = self.name

    def at(self, request: Request, scope: Scope, key: str, period: str) -> At:
        """Where a route of the section runs."""
        return At(request, scope, key, period, self.name)

    def page(self, draw: Page) -> Page:
        """Serve ``draw`` as the section's page (``GET`` of its address, named
        ``<section>_page``); ``draw(at, error, status)`` also draws it again with the
        reason a form was refused."""

        def endpoint(at: At) -> Response:
            return draw(at, "", 200)

        here = inspect.Parameter("at", inspect.Parameter.POSITIONAL_OR_KEYWORD)
        endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [here.replace(annotation=Annotated[At, Depends(self.at)])]
        )
        self.pages.add_api_route("", endpoint, methods=["GET"], name=f"{self.name}_page")
        return draw

    def view_page(
        self, template: str, read: Callable[[Book, ClientScope, int], T]
    ) -> Callable[[Callable[[T], dict[str, Any]]], Page]:
        """Serve the section's page (:meth:`page`) from its view: ``read(book, scope,
        plan_id)`` makes the ``view``, the function decorated what else ``template`` draws
        with, from the view; ``error`` is the reason a form was refused."""

        def serve(shown: Callable[[T], dict[str, Any]]) -> Page:
            def draw(at: At, error: str = "", status: int = 200) -> Response:
                context, view = at.view(read)
                values = {"view": view, "error": error} | shown(view)
                return at.page(template, context, values, status)

            return self.page(draw)

        return serve


def _here(request: Request, scope: Scope, key: str, period: str) -> At:
    """Where a route of a plan runs: in the section whose router serves it."""
    return At(request, scope, key, period, request.state.plan_section)


#: Where a route of a section of a plan runs (:class:`At`), as the route's parameter.
Here = Annotated[At, Depends(_here)]


# --- errors


def call(run: Callable[[], T]) -> T:
    """Run a change of the services: refused access answers 403.

    :class:`ValueError` (the content refused) and :class:`LookupError` (404) pass through.
    """
    try:
        return run()
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


def not_a_user(error: NotAUserError) -> HTTPException:
    """The API's answer to an owner who is not a user: 422, naming the field as a value
    the API cannot use is named."""
    detail = [{"loc": ["body", error.field], "msg": str(error), "type": "value_error"}]
    return HTTPException(422, detail)


def api_call(run: Callable[[], T]) -> T:
    """:func:`call` for the API: refused content answers 400 with the reason, an owner who
    is not a user 422."""
    try:
        return call(run)
    except NotAUserError as error:
        raise not_a_user(error) from None
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


def form_call(
    request: Request, run: Callable[[], object], back: str, again: Callable[[str], Response]
) -> Response:
    """:func:`call` for a form: back to ``back`` (303), or ``again(reason)`` when refused,
    the form drawn as typed (:mod:`kam.web.typed`)."""
    try:
        raise_refusal(request)
        call(run)
    except ValueError as error:
        return again(refuse(request, error))
    return RedirectResponse(back, status_code=303)


def download(content: bytes | str, media_type: str, name: str) -> Response:
    """A file to download, named ``name``."""
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def plan_url(key: str, period: str, section: str = "") -> str:
    """The address of a plan's page or one of its sections."""
    tail = f"/{section}" if section else ""
    return f"/clients/{quote(key, safe='')}/plans/{period}{tail}"


def tied_to_deals(kind: ItemKind[Any], deals: Iterable[Deal]) -> dict[str, Any]:
    """What the page of a kind of item that may be tied to one of the plan's deals draws
    with: the ``kind``, the deals' names by id and the choices of its ``deal_id``."""
    named = [(deal.id, deal.name) for deal in deals]
    return {"kind": kind, "deal_names": dict(named), "refs": {"deal_id": named}}


def same_fields(item: Any, model: type[BaseModel]) -> dict[str, Any]:
    """The attributes of ``item`` that ``model`` has a field of the same name for: what an
    API model takes as it is from a service's view or a domain object."""
    return {name: getattr(item, name) for name in model.model_fields if hasattr(item, name)}
