"""The prospect list and one prospect's page: add, change, answer, plan the steps, drop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kam.domain.items import ItemValueError
from kam.domain.prospects import (
    CRITERION_KIND_LABELS,
    HORIZON_LABELS,
    PROSPECT_STATUS_LABELS,
    SCALE_TOP,
    Horizon,
    Prospect,
    ProspectStatus,
)
from kam.domain.versions import StaleVersionError
from kam.i18n import gettext as _
from kam.services import owners, prospects
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.web.render import page
from kam.web.routes.plans.common import Scope, api_call, form_call
from kam.web.routes.plans.forms import AnyId, form_date, form_int
from kam.web.routes.plans.versions import expected_version, form_version, patched_on, tag
from kam.web.routes.prospects import models as m
from kam.web.typed import FORM_TEXT_LIMIT, field_value, form_text

router = APIRouter()

#: A text of a form, checked against its field's limit where the form is taken.
FormText = Annotated[str, Form(max_length=FORM_TEXT_LIMIT)]


def _url(key: str) -> str:
    return f"/prospects/{quote(key, safe='')}"


def _page(
    request: Request, template: str, values: dict[str, Any], error: str | None, status: int
) -> HTMLResponse:
    """A page of prospects: ``values``, the labels of statuses, horizons and users, and the
    ``error`` a form of it was refused for (a ``status`` of 400 or 409)."""
    labels = {
        "status_labels": PROSPECT_STATUS_LABELS,
        "horizon_labels": HORIZON_LABELS,
        "owner_labels": owners.owner_labels(request.app.state.book),
    }
    return page(request, template, labels | values | {"error": error}, status=status)


# --- the list


def _list_page(
    request: Request, scope: ClientScope, error: str | None = None, status: int = 200
) -> Response:
    """The list of prospects; ``error``: why a form of it was refused (400)."""
    view = prospects.prospects_view(request.app.state.book, scope)
    values = {
        "v": view,
        "horizons": list(Horizon),
        "can_edit": scope.can_edit_clients,
        "can_configure": scope.can_manage_book,
    }
    return _page(request, "prospects.html", values, error, status)


@router.get("/prospects", response_class=HTMLResponse, include_in_schema=False)
def prospects_page(request: Request, scope: Scope) -> Response:
    return _list_page(request, scope)


@router.get("/api/prospects", response_model=m.ProspectsPublic, tags=["prospects"])
def api_prospects(request: Request, scope: Scope) -> m.ProspectsPublic:
    """The prospects of the clients the caller sees: ranked, dropped (with reasons), won;
    and the candidates (clients without sales in the latest classification, or below the
    threshold) not on the list yet."""
    view = prospects.prospects_view(request.app.state.book, scope)
    return m.ProspectsPublic(
        ranking=[m.entry_out(e, view.today) for e in view.ranking],
        dropped=[m.entry_out(e, view.today) for e in view.dropped],
        won=[m.entry_out(e, view.today) for e in view.won],
        candidates=[m.client_out(c) for c in view.candidates.candidates],
        candidates_total=view.candidates.total,
        threshold=view.candidates.threshold / 100,
        steps_by_horizon=view.steps_by_horizon,
    )


@router.post("/prospects", include_in_schema=False)
def add_prospect(
    request: Request,
    scope: Scope,
    client_key: Annotated[str, Form(max_length=100)],
    source: FormText = "",
) -> Response:
    book = request.app.state.book
    return form_call(
        request,
        lambda: prospects.add_prospect(book, scope, client_key, form_text("source", source, 300)),
        _url(client_key),
        lambda reason: _list_page(request, scope, reason, 400),
    )


# --- one prospect


@dataclass(frozen=True)
class OneProspect:
    """The client of a prospect's route: the request, the user's scope and the client's key."""

    request: Request
    scope: ClientScope
    key: str

    @property
    def args(self) -> tuple[Book, ClientScope, str]:
        """What every service of a prospect is called with first: the book, the user, the key."""
        return self.request.app.state.book, self.scope, self.key

    def page(
        self,
        error: str | None = None,
        status: int = 200,
        typed: Callable[[Prospect], Prospect] | None = None,
    ) -> HTMLResponse:
        """The prospect's page; ``typed`` makes the record its form shows of the one kept
        (the form as typed, drawn again)."""
        book = self.request.app.state.book
        detail = prospects.prospect_detail(*self.args)
        shown = detail.prospect
        if typed is not None and shown is not None:
            shown = typed(shown)
        values = {
            "d": detail,
            "typed": shown,
            "url": _url(self.key),
            "statuses": [s for s in ProspectStatus if s is not ProspectStatus.DROPPED],
            "kind_labels": CRITERION_KIND_LABELS,
            "scale": range(SCALE_TOP + 1),
            "owners": owners.owner_choices(book, self.key) if detail.editable else [],
        }
        return _page(self.request, "prospect.html", values, error, status)

    def form(self, run: Callable[[], object]) -> Response:
        """Run a form's change: back to the prospect's page (303), or the page drawn again
        with the reason the change was refused (400)."""
        return form_call(self.request, run, _url(self.key), lambda reason: self.page(reason, 400))

    def answer(self, response: Response | None = None) -> m.ProspectPagePublic:
        """The prospect as the API shows it; ``response`` gets its version as the ``ETag``."""
        found = m.detail_out(prospects.prospect_detail(*self.args))
        if response is not None and found.prospect is not None:
            tag(response, found.prospect.version)
        return found

    def api(self, run: Callable[[], object]) -> m.ProspectPagePublic:
        """Run an API's change, then answer with the prospect."""
        api_call(run)
        return self.answer()


def _one(request: Request, scope: Scope, key: str) -> OneProspect:
    return OneProspect(request, scope, key)


#: The prospect a route names by its client's key.
One = Annotated[OneProspect, Depends(_one)]
#: The routes of one prospect: its page and forms, its API.
one_pages = APIRouter(prefix="/prospects/{key}", include_in_schema=False)
one_api = APIRouter(prefix="/api/prospects/{key}", tags=["prospects"])


@router.post("/api/prospects", response_model=m.ProspectPagePublic, tags=["prospects"])
def api_add_prospect(
    request: Request, scope: Scope, given: m.ProspectCreate
) -> m.ProspectPagePublic:
    """Put a candidate on the prospect list (the record when it is there already)."""
    one = OneProspect(request, scope, given.client_key)
    return one.api(lambda: prospects.add_prospect(*one.args, given.source))


@one_pages.get("")
def prospect_page(one: One) -> Response:
    return one.page()


@one_api.get("", response_model=m.ProspectPagePublic)
def api_prospect(one: One, response: Response) -> m.ProspectPagePublic:
    """A client as a prospect: its record (null when not on the list) and the criteria; its
    ETag is the prospect's version."""
    return one.answer(response)


@one_pages.post("")
def change_prospect(
    one: One,
    source: FormText = "",
    owner: FormText = "",
    potential_estimate: Annotated[str, Form(max_length=30)] = "",
    status: Annotated[ProspectStatus, Form()] = ProspectStatus.OPEN,
    version: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    expected = form_version(version)

    def run() -> None:
        cents = field_value("potential_estimate", m.amount, potential_estimate)
        prospects.update_prospect(
            *one.args,
            source=form_text("source", source, 300),
            owner=owner or None,
            potential_estimate=cents,
            status=status,
            expected=expected,
        )

    def typed(kept: Prospect) -> Prospect:
        cents = m.parse_amount(potential_estimate)
        return replace(
            kept,
            source=source,
            owner=owner or None,
            potential_estimate=cents,
            status=status,
            version=expected or 0,
        )

    try:
        return one.form(run)
    except StaleVersionError as error:
        return one.page(str(error), 409, typed)


def _change(
    one: OneProspect, change: m.ProspectChange, expected: int | None, response: Response
) -> m.ProspectPagePublic:
    """Change the prospect as the API gives it, made on its version ``expected``."""
    estimate = change.potential_estimate
    api_call(
        lambda: prospects.update_prospect(
            *one.args,
            source=change.source,
            owner=change.owner,
            potential_estimate=None if estimate is None else round(estimate * 100),
            status=change.status,
            expected=expected,
        )
    )
    return one.answer(response)


@one_api.put("", response_model=m.ProspectPagePublic)
def api_change_prospect(
    one: One,
    given: m.ProspectUpdate,  # type: ignore[valid-type]
    response: Response,
) -> m.ProspectPagePublic:
    """Change a prospect's source, owner, potential estimate and status (not to dropped),
    every one given; If-Match or ``version``: the version it was made on (409 when older)."""
    expected = expected_version(one.request, given.version)  # type: ignore[attr-defined]
    whole = m.ProspectChange.model_validate(given.model_dump(exclude={"version"}))  # type: ignore[attr-defined]
    return _change(one, whole, expected, response)


@one_api.patch("", response_model=m.ProspectPagePublic)
def api_patch_prospect(
    one: One,
    patch: m.ProspectPatch,  # type: ignore[valid-type]
    response: Response,
) -> m.ProspectPagePublic:
    """Change the fields given of a prospect, the others kept; If-Match or ``version``:
    the version it was made on (409 when older)."""
    current = one.answer().prospect
    if current is None:
        raise LookupError(one.key)
    whole, version = patched_on(one.request, m.ProspectChange, current, patch, current.version)
    return _change(one, whole, version, response)


@one_pages.post("/answers")
async def change_answers(one: One) -> Response:
    """The checklist as one form: ``value-<criterion id>`` and ``note-<criterion id>``."""
    form = await one.request.form()

    def run() -> None:
        given: dict[int, tuple[int | None, str]] = {}
        for name, value in form.multi_items():
            if not name.startswith("value-") or not isinstance(value, str):
                continue
            try:
                criterion = int(name.removeprefix("value-"))
            except ValueError:
                raise HTTPException(400, name) from None
            number = field_value(name, form_int, value)
            note = form.get(f"note-{criterion}", "")
            text = note if isinstance(note, str) else ""
            given[criterion] = (number, form_text(f"note-{criterion}", text, 2000))
        prospects.set_answers(*one.args, given)

    return one.form(run)


@one_api.put("/answers", response_model=m.ProspectPagePublic)
def api_change_answers(one: One, answers: list[m.ProspectAnswerUpdate]) -> m.ProspectPagePublic:
    """Answer the qualification criteria; criteria not given keep their answers."""
    given = {a.criterion_id: (a.value, a.note) for a in answers}
    return one.api(lambda: prospects.set_answers(*one.args, given))


@one_pages.post("/steps")
def add_step(
    one: One,
    action: FormText = "",
    due: Annotated[str, Form(max_length=20)] = "",
    who: FormText = "",
) -> Response:
    def run() -> None:
        day = field_value("due", form_date, due)
        if day is None:
            raise ItemValueError("due", _("give the step a due date"))
        prospects.add_step(
            *one.args,
            action=form_text("action", action, 2000),
            due=day,
            who=form_text("who", who, 100) or None,
        )

    return one.form(run)


@one_api.post("/steps", response_model=m.ProspectPagePublic)
def api_add_step(one: One, step: m.ProspectStepCreate) -> m.ProspectPagePublic:
    """Add a next step (an action, a due date, who acts)."""
    return one.api(
        lambda: prospects.add_step(*one.args, action=step.action, due=step.due, who=step.who)
    )


@one_pages.post("/steps/{item_id}")
def change_step(
    one: One, item_id: AnyId, done: Annotated[str, Form(max_length=1)] = "1"
) -> Response:
    return one.form(lambda: prospects.mark_step(*one.args, item_id, done == "1"))


@one_api.put("/steps/{item_id}", response_model=m.ProspectPagePublic)
def api_change_step(one: One, item_id: AnyId, done: m.ProspectStepUpdate) -> m.ProspectPagePublic:
    """Mark a step done, or not done again."""
    return one.api(lambda: prospects.mark_step(*one.args, item_id, done.done))


@one_pages.post("/steps/{item_id}/delete")
def remove_step(one: One, item_id: AnyId) -> Response:
    return one.form(lambda: prospects.delete_step(*one.args, item_id))


@one_api.delete("/steps/{item_id}", response_model=m.ProspectPagePublic)
def api_remove_step(one: One, item_id: AnyId) -> m.ProspectPagePublic:
    """Remove a step entered by mistake."""
    return one.api(lambda: prospects.delete_step(*one.args, item_id))


@one_pages.post("/drop")
def drop_prospect(one: One, reason: FormText = "") -> Response:
    return one.form(lambda: prospects.drop_prospect(*one.args, form_text("reason", reason, 2000)))


@one_api.post("/drop", response_model=m.ProspectPagePublic)
def api_drop_prospect(one: One, drop: m.ProspectDrop) -> m.ProspectPagePublic:
    """Drop a prospect with a reason; it stays on the list of dropped prospects."""
    return one.api(lambda: prospects.drop_prospect(*one.args, drop.reason))


router.include_router(one_pages)
router.include_router(one_api)
