"""Prospects: the ranking, the candidates and the dropped list; one prospect's qualification.

Pages ``/prospects`` and ``/prospects/{key}``, the criteria at
``/settings/qualification`` (the head and admins); their data under ``/api``.
A prospect is seen by whoever sees its client, changed by the client's
managers, the head and admins; a viewer reads. Forms come back to their page
(303); a form the content refuses shows the page again with the reason (400).
A prospect is changed whole (PUT: every field given) or in part (PATCH); a change
made on an older ``version`` than the prospect's answers 409, and a form made on
one comes back as typed with who changed the prospect since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from kam.domain.items import ItemValueError
from kam.domain.prospects import (
    CRITERION_KIND_LABELS,
    HORIZON_LABELS,
    PROSPECT_STATUS_LABELS,
    SCALE_TOP,
    Criterion,
    CriterionKind,
    Horizon,
    NextStep,
    Prospect,
    ProspectStatus,
    validate_weight,
)
from kam.domain.versions import StaleVersionError
from kam.i18n import gettext as _
from kam.services import owners, prospects
from kam.services.access import ClientScope
from kam.services.prospects import ClientFacts, ProspectDetail, ProspectEntry
from kam.web.render import page
from kam.web.routes.plans.common import Scope
from kam.web.routes.plans.forms import (
    api_call,
    form_call,
    form_date,
    form_int,
)
from kam.web.routes.plans.versions import (
    expected_version,
    form_version,
    patch_model,
    patched,
    tag,
    whole_model,
)
from kam.web.typed import FORM_TEXT_LIMIT, field_value, form_text

router = APIRouter()

#: A text of a form, checked against its field's limit where the form is taken.
FormText = Annotated[str, Form(max_length=FORM_TEXT_LIMIT)]
T = TypeVar("T")


def _url(key: str) -> str:
    return f"/prospects/{quote(key, safe='')}"


def parse_amount(text: str) -> int | None:
    """An amount typed in a form (``250000`` or ``250000.50``) in cents; empty is ``None``.

    Examples
    --------
    >>> parse_amount(" 250000.5 "), parse_amount("")
    (25000050, None)
    """
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("{text!r} is not an amount").format(text=text)) from None
    if not value.is_finite():
        raise ValueError(_("{text!r} is not an amount").format(text=text))
    return int((value * 100).to_integral_value())


# --- the JSON shapes


class ClientOut(BaseModel):
    """What the prospect pages show of a client; money in currency units."""

    key: str
    name: str
    owner: str | None
    industry: str | None
    country: str | None
    employees: int | None
    annual_turnover: float | None
    potential: float | None
    value: float | None
    abc_class: str | None


class StepOut(BaseModel):
    """A next step; ``horizon`` is null once it is done."""

    id: int
    action: str
    due: date
    who: str | None
    done_at: datetime | None
    horizon: Horizon | None


class AnswerOut(BaseModel):
    """An answer to a criterion."""

    criterion_id: int
    value: int
    note: str


class CriterionOut(BaseModel):
    """A qualification criterion."""

    id: int
    code: str | None
    title: str
    weight: int
    kind: CriterionKind
    active: bool


class ProspectOut(BaseModel):
    """A prospect; ``potential`` is the client's, or our estimate without one."""

    client: ClientOut
    status: ProspectStatus
    source: str
    owner: str | None
    potential: float | None
    potential_estimate: float | None
    score: float | None
    qualified_potential: float
    rank: int | None
    drop_reason: str | None
    dropped_by: str | None
    dropped_at: datetime | None
    steps: list[StepOut]
    answers: list[AnswerOut]
    version: int


class ProspectsOut(BaseModel):
    """The ranking of open and qualified prospects, the dropped and won ones, the candidates."""

    ranking: list[ProspectOut]
    dropped: list[ProspectOut]
    won: list[ProspectOut]
    candidates: list[ClientOut]
    candidates_total: int
    threshold: float
    steps_by_horizon: dict[Horizon, int]


class ProspectPageOut(BaseModel):
    """A client as a prospect: its record (null when not on the list), and the criteria."""

    client: ClientOut
    prospect: ProspectOut | None
    candidate: bool
    editable: bool
    criteria: list[CriterionOut]


class ProspectAdd(BaseModel):
    """A candidate to put on the prospect list."""

    client_key: str = Field(max_length=100)
    source: str = Field(default="", max_length=300)


class ProspectChange(BaseModel):
    """A prospect's source, owner, potential estimate (currency units) and status."""

    source: str = Field(default="", max_length=300)
    owner: str | None = Field(default=None, max_length=100)
    potential_estimate: float | None = Field(default=None, ge=0, le=1e15, allow_inf_nan=False)
    status: ProspectStatus = ProspectStatus.OPEN


ProspectUpdate = whole_model(
    ProspectChange, "ProspectUpdate", "A prospect's fields, every one given, to change it whole."
)
ProspectPatch = patch_model(
    ProspectChange, "ProspectPatch", "Some fields of a prospect, to change only those."
)


class AnswerIn(BaseModel):
    """An answer: 0 to 5 on a scale, 1 (yes) or 0 (no); null clears it."""

    criterion_id: int
    value: int | None
    note: str = Field(default="", max_length=2000)


class StepIn(BaseModel):
    """A next step to add."""

    action: str = Field(max_length=2000)
    due: date
    who: str | None = Field(default=None, max_length=100)


class StepDone(BaseModel):
    """Whether a step is done (a PUT says so)."""

    done: bool


class DropIn(BaseModel):
    """Why a prospect is dropped (required)."""

    reason: str = Field(max_length=2000)


class CriterionIn(BaseModel):
    """A criterion to change (``id``) or add (no ``id``); the kind is kept once set."""

    id: int | None = None
    label: str = Field(default="", max_length=200)
    weight: int = Field(ge=0, le=100)
    kind: CriterionKind = CriterionKind.SCALE
    active: bool = True


class QualificationOut(BaseModel):
    """The criteria, and the value (currency units) up to which a client counts as a prospect."""

    criteria: list[CriterionOut]
    threshold: float


class QualificationIn(BaseModel):
    """The criteria in their order, and the threshold (currency units)."""

    criteria: list[CriterionIn]
    threshold: float = Field(ge=0, le=1e15, allow_inf_nan=False)


def _money(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def _client(c: ClientFacts) -> ClientOut:
    return ClientOut(
        key=c.key,
        name=c.name,
        owner=c.owner,
        industry=c.industry,
        country=c.country,
        employees=c.employees,
        annual_turnover=_money(c.annual_turnover),
        potential=_money(c.potential),
        value=_money(c.value),
        abc_class=c.abc_class,
    )


def _step(s: NextStep, today: date) -> StepOut:
    return StepOut(
        id=s.id, action=s.action, due=s.due, who=s.who, done_at=s.done_at, horizon=s.horizon(today)
    )


def _criterion(c: Criterion) -> CriterionOut:
    return CriterionOut(
        id=c.id, code=c.code, title=c.title, weight=c.weight, kind=c.kind, active=c.active
    )


def _entry(e: ProspectEntry, today: date) -> ProspectOut:
    p = e.prospect
    return ProspectOut(
        client=_client(e.client),
        status=p.status,
        source=p.source,
        owner=p.owner,
        potential=_money(e.potential),
        potential_estimate=_money(p.potential_estimate),
        score=e.score,
        qualified_potential=e.qualified_potential / 100,
        rank=e.rank,
        drop_reason=p.drop_reason,
        dropped_by=p.dropped_by,
        dropped_at=p.dropped_at,
        steps=[_step(s, today) for s in e.open_steps],
        answers=[
            AnswerOut(criterion_id=k, value=a.value, note=a.note) for k, a in e.answers.items()
        ],
        version=p.version,
    )


def _detail(d: ProspectDetail) -> ProspectPageOut:
    prospect = None
    if d.prospect is not None:
        p = d.prospect
        prospect = ProspectOut(
            client=_client(d.client),
            status=p.status,
            source=p.source,
            owner=p.owner,
            potential=_money(d.potential),
            potential_estimate=_money(p.potential_estimate),
            score=d.score,
            qualified_potential=d.qualified_potential / 100,
            rank=None,
            drop_reason=p.drop_reason,
            dropped_by=p.dropped_by,
            dropped_at=p.dropped_at,
            steps=[_step(s, d.today) for s in d.steps],
            answers=[
                AnswerOut(criterion_id=k, value=a.value, note=a.note) for k, a in d.answers.items()
            ],
            version=p.version,
        )
    return ProspectPageOut(
        client=_client(d.client),
        prospect=prospect,
        candidate=d.candidate,
        editable=d.editable,
        criteria=[_criterion(c) for c in d.criteria],
    )


# --- errors


def _form(request: Request, scope: ClientScope, key: str, run: Callable[[], object]) -> Response:
    return form_call(
        request,
        run,
        _url(key),
        lambda reason: _detail_page(request, scope, key, reason, status=400),
    )


# --- the list


@router.get("/prospects", response_class=HTMLResponse, include_in_schema=False)
def prospects_page(request: Request, scope: Scope) -> Response:
    return _list_page(request, scope)


def _list_page(
    request: Request, scope: ClientScope, error: str | None = None, status: int = 200
) -> Response:
    """The list of prospects; ``error``: why a form of it was refused (400)."""
    view = prospects.prospects_view(request.app.state.book, scope)
    return page(
        request,
        "prospects.html",
        {
            "v": view,
            "status_labels": PROSPECT_STATUS_LABELS,
            "horizon_labels": HORIZON_LABELS,
            "horizons": list(Horizon),
            "owner_labels": owners.owner_labels(request.app.state.book),
            "can_edit": scope.can_edit_clients,
            "can_configure": scope.can_manage_book,
            "error": error,
        },
        status=status,
    )


@router.get("/api/prospects", response_model=ProspectsOut, tags=["prospects"])
def api_prospects(request: Request, scope: Scope) -> ProspectsOut:
    """The prospects of the clients the caller sees: ranked, dropped (with reasons), won;
    and the candidates (clients without sales in the latest classification, or below the
    threshold) not on the list yet."""
    view = prospects.prospects_view(request.app.state.book, scope)
    return ProspectsOut(
        ranking=[_entry(e, view.today) for e in view.ranking],
        dropped=[_entry(e, view.today) for e in view.dropped],
        won=[_entry(e, view.today) for e in view.won],
        candidates=[_client(c) for c in view.candidates.candidates],
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


@router.post("/api/prospects", response_model=ProspectPageOut, tags=["prospects"])
def api_add_prospect(request: Request, scope: Scope, given: ProspectAdd) -> ProspectPageOut:
    """Put a candidate on the prospect list (the record when it is there already)."""
    book = request.app.state.book
    api_call(lambda: prospects.add_prospect(book, scope, given.client_key, given.source))
    return _detail(prospects.prospect_detail(book, scope, given.client_key))


# --- one prospect


def _detail_page(
    request: Request,
    scope: ClientScope,
    key: str,
    error: str | None = None,
    status: int = 200,
    typed: Callable[[Prospect], Prospect] | None = None,
) -> HTMLResponse:
    """The prospect's page; ``typed`` makes the record its form shows of the one kept
    (the form as typed, drawn again)."""
    book = request.app.state.book
    detail = prospects.prospect_detail(book, scope, key)
    shown = detail.prospect
    if typed is not None and shown is not None:
        shown = typed(shown)
    return page(
        request,
        "prospect.html",
        {
            "d": detail,
            "typed": shown,
            "error": error,
            "url": _url(key),
            "statuses": [s for s in ProspectStatus if s is not ProspectStatus.DROPPED],
            "status_labels": PROSPECT_STATUS_LABELS,
            "horizon_labels": HORIZON_LABELS,
            "kind_labels": CRITERION_KIND_LABELS,
            "scale": range(SCALE_TOP + 1),
            "owners": owners.owner_choices(book, key) if detail.editable else [],
            "owner_labels": owners.owner_labels(book),
        },
        status=status,
    )


@router.get("/prospects/{key}", response_class=HTMLResponse, include_in_schema=False)
def prospect_page(request: Request, scope: Scope, key: str) -> Response:
    return _detail_page(request, scope, key)


def _prospect_page(request: Request, scope: ClientScope, key: str) -> ProspectPageOut:
    return _detail(prospects.prospect_detail(request.app.state.book, scope, key))


@router.get("/api/prospects/{key}", response_model=ProspectPageOut, tags=["prospects"])
def api_prospect(request: Request, scope: Scope, key: str, response: Response) -> ProspectPageOut:
    """A client as a prospect: its record (null when not on the list) and the criteria; its
    ETag is the prospect's version."""
    return _tagged(request, scope, key, response)


def _change(
    request: Request, scope: ClientScope, key: str, change: ProspectChange, expected: int | None
) -> None:
    estimate = change.potential_estimate
    prospects.update_prospect(
        request.app.state.book,
        scope,
        key,
        source=change.source,
        owner=change.owner,
        potential_estimate=None if estimate is None else round(estimate * 100),
        status=change.status,
        expected=expected,
    )


@router.post("/prospects/{key}", include_in_schema=False)
def update_prospect(
    request: Request,
    scope: Scope,
    key: str,
    source: FormText = "",
    owner: FormText = "",
    potential_estimate: Annotated[str, Form(max_length=30)] = "",
    status: Annotated[ProspectStatus, Form()] = ProspectStatus.OPEN,
    version: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    expected = form_version(version)

    def run() -> None:
        cents = field_value("potential_estimate", _amount, potential_estimate)
        prospects.update_prospect(
            request.app.state.book,
            scope,
            key,
            source=form_text("source", source, 300),
            owner=owner or None,
            potential_estimate=cents,
            status=status,
            expected=expected,
        )

    def typed(kept: Prospect) -> Prospect:
        cents = parse_amount(potential_estimate)
        return replace(
            kept,
            source=source,
            owner=owner or None,
            potential_estimate=cents,
            status=status,
            version=expected or 0,
        )

    try:
        return _form(request, scope, key, run)
    except StaleVersionError as error:
        return _detail_page(request, scope, key, str(error), 409, typed)


def _tagged(request: Request, scope: ClientScope, key: str, response: Response) -> ProspectPageOut:
    found = _prospect_page(request, scope, key)
    if found.prospect is not None:
        tag(response, found.prospect.version)
    return found


@router.put("/api/prospects/{key}", response_model=ProspectPageOut, tags=["prospects"])
def api_update_prospect(
    request: Request,
    scope: Scope,
    key: str,
    change: ProspectUpdate,  # type: ignore[valid-type]
    response: Response,
) -> ProspectPageOut:
    """Change a prospect's source, owner, potential estimate and status (not to dropped),
    every one given; If-Match or ``version``: the version it was made on (409 when older)."""
    expected = expected_version(request, change.version)  # type: ignore[attr-defined]
    whole = ProspectChange.model_validate(change.model_dump(exclude={"version"}))  # type: ignore[attr-defined]
    api_call(lambda: _change(request, scope, key, whole, expected))
    return _tagged(request, scope, key, response)


@router.patch("/api/prospects/{key}", response_model=ProspectPageOut, tags=["prospects"])
def api_patch_prospect(
    request: Request,
    scope: Scope,
    key: str,
    patch: ProspectPatch,  # type: ignore[valid-type]
    response: Response,
) -> ProspectPageOut:
    """Change the fields given of a prospect, the others kept; If-Match or ``version``:
    the version it was made on (409 when older)."""
    current = _prospect_page(request, scope, key).prospect
    if current is None:
        raise LookupError(key)
    whole = patched(ProspectChange, current, patch)
    expected = expected_version(request, patch.version)  # type: ignore[attr-defined]
    version = current.version if expected is None else expected
    api_call(lambda: _change(request, scope, key, whole, version))
    return _tagged(request, scope, key, response)


@router.post("/prospects/{key}/answers", include_in_schema=False)
async def set_answers(request: Request, scope: Scope, key: str) -> Response:
    """The checklist as one form: ``value-<criterion id>`` and ``note-<criterion id>``."""
    form = await request.form()

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
        prospects.set_answers(request.app.state.book, scope, key, given)

    return _form(request, scope, key, run)


@router.put("/api/prospects/{key}/answers", response_model=ProspectPageOut, tags=["prospects"])
def api_set_answers(
    request: Request, scope: Scope, key: str, answers: list[AnswerIn]
) -> ProspectPageOut:
    """Answer the qualification criteria; criteria not given keep their answers."""
    given = {a.criterion_id: (a.value, a.note) for a in answers}
    api_call(lambda: prospects.set_answers(request.app.state.book, scope, key, given))
    return _prospect_page(request, scope, key)


@router.post("/prospects/{key}/steps", include_in_schema=False)
def add_step(
    request: Request,
    scope: Scope,
    key: str,
    action: FormText = "",
    due: Annotated[str, Form(max_length=20)] = "",
    who: FormText = "",
) -> Response:
    def run() -> None:
        day = field_value("due", form_date, due)
        if day is None:
            raise ItemValueError("due", _("give the step a due date"))
        prospects.add_step(
            request.app.state.book,
            scope,
            key,
            action=form_text("action", action, 2000),
            due=day,
            who=form_text("who", who, 100) or None,
        )

    return _form(request, scope, key, run)


@router.post("/api/prospects/{key}/steps", response_model=ProspectPageOut, tags=["prospects"])
def api_add_step(request: Request, scope: Scope, key: str, step: StepIn) -> ProspectPageOut:
    """Add a next step (an action, a due date, who acts)."""
    api_call(
        lambda: prospects.add_step(
            request.app.state.book, scope, key, action=step.action, due=step.due, who=step.who
        )
    )
    return _prospect_page(request, scope, key)


@router.post("/prospects/{key}/steps/{item_id}", include_in_schema=False)
def mark_step(
    request: Request,
    scope: Scope,
    key: str,
    item_id: int,
    done: Annotated[str, Form(max_length=1)] = "1",
) -> Response:
    return _form(
        request,
        scope,
        key,
        lambda: prospects.mark_step(request.app.state.book, scope, key, item_id, done == "1"),
    )


@router.put(
    "/api/prospects/{key}/steps/{item_id}", response_model=ProspectPageOut, tags=["prospects"]
)
def api_mark_step(
    request: Request, scope: Scope, key: str, item_id: int, done: StepDone
) -> ProspectPageOut:
    """Mark a step done, or not done again."""
    api_call(lambda: prospects.mark_step(request.app.state.book, scope, key, item_id, done.done))
    return _prospect_page(request, scope, key)


@router.post("/prospects/{key}/steps/{item_id}/delete", include_in_schema=False)
def delete_step(request: Request, scope: Scope, key: str, item_id: int) -> Response:
    return _form(
        request,
        scope,
        key,
        lambda: prospects.delete_step(request.app.state.book, scope, key, item_id),
    )


@router.delete(
    "/api/prospects/{key}/steps/{item_id}", response_model=ProspectPageOut, tags=["prospects"]
)
def api_delete_step(request: Request, scope: Scope, key: str, item_id: int) -> ProspectPageOut:
    """Remove a step entered by mistake."""
    api_call(lambda: prospects.delete_step(request.app.state.book, scope, key, item_id))
    return _prospect_page(request, scope, key)


@router.post("/prospects/{key}/drop", include_in_schema=False)
def drop_prospect(
    request: Request,
    scope: Scope,
    key: str,
    reason: FormText = "",
) -> Response:
    return _form(
        request,
        scope,
        key,
        lambda: prospects.drop_prospect(
            request.app.state.book, scope, key, form_text("reason", reason, 2000)
        ),
    )


@router.post("/api/prospects/{key}/drop", response_model=ProspectPageOut, tags=["prospects"])
def api_drop_prospect(request: Request, scope: Scope, key: str, drop: DropIn) -> ProspectPageOut:
    """Drop a prospect with a reason; it stays on the list of dropped prospects."""
    api_call(lambda: prospects.drop_prospect(request.app.state.book, scope, key, drop.reason))
    return _prospect_page(request, scope, key)


# --- the criteria


def _require_configurer(scope: ClientScope) -> None:
    if not scope.can_manage_book:
        raise HTTPException(403, _("your role may not do this"))


def _settings_page(
    request: Request, scope: ClientScope, error: str | None = None, message: str | None = None
) -> HTMLResponse:
    settings = prospects.qualification_settings(request.app.state.book)
    return page(
        request,
        "qualification.html",
        {
            "s": settings,
            "kinds": list(CriterionKind),
            "kind_labels": CRITERION_KIND_LABELS,
            "error": error,
            "message": message,
        },
        status=400 if error else 200,
    )


@router.get("/settings/qualification", response_class=HTMLResponse, include_in_schema=False)
def qualification_page(request: Request, scope: Scope) -> Response:
    _require_configurer(scope)
    return _settings_page(request, scope)


@router.post("/settings/qualification", include_in_schema=False)
async def save_qualification(request: Request, scope: Scope) -> Response:
    """The criteria as repeated fields, one per row: ``id``, ``label``, ``weight``, ``kind``,
    ``active`` (the ids of the active rows); a row without an id and without a label is
    the empty row for a new criterion, and is left out."""
    _require_configurer(scope)
    form = await request.form()
    ids = [str(v) for v in form.getlist("id")]
    labels = [str(v) for v in form.getlist("label")]
    weights = [str(v) for v in form.getlist("weight")]
    kinds = [str(v) for v in form.getlist("kind")]
    active = {str(v) for v in form.getlist("active")}
    if not len(ids) == len(labels) == len(weights) == len(kinds):
        raise HTTPException(400, _("the rows of the form do not match"))

    def save() -> None:
        criteria = []
        for row, (given_id, label, weight, kind) in enumerate(
            zip(ids, labels, weights, kinds, strict=True)
        ):
            if not given_id and not label.strip():
                continue
            criteria.append(
                prospects.CriterionInput(
                    int(given_id) if given_id else None,
                    form_text("label", label, 200),
                    field_value("weight", _weight, weight),
                    CriterionKind(kind),
                    (given_id or f"new-{row}") in active,
                )
            )
        threshold = field_value("threshold", _threshold, str(form.get("threshold", "")))
        prospects.save_qualification_settings(request.app.state.book, scope, criteria, threshold)

    return form_call(
        request,
        save,
        "/settings/qualification",
        lambda reason: _settings_page(request, scope, error=reason),
    )


def _weight(text: str) -> int:
    """A criterion's weight typed in the form (empty: 0), from 0 to 100."""
    return validate_weight(form_int(text) or 0)


def _amount(text: str) -> int | None:
    """An amount typed in a form, in cents (empty: ``None``), 0 or more."""
    cents = parse_amount(text)
    if cents is not None and cents < 0:
        raise ValueError(_("an amount is 0 or more"))
    return cents


def _threshold(text: str) -> int:
    """The threshold typed in the form, in cents (empty: 0), 0 or more."""
    return _amount(text) or 0


def _qualification_out(request: Request) -> QualificationOut:
    settings = prospects.qualification_settings(request.app.state.book)
    return QualificationOut(
        criteria=[_criterion(c) for c in settings.criteria], threshold=settings.threshold / 100
    )


@router.get("/api/settings/qualification", response_model=QualificationOut, tags=["prospects"])
def api_qualification(request: Request, scope: Scope) -> QualificationOut:
    """The qualification criteria and the prospect threshold (the head and admins)."""
    _require_configurer(scope)
    return _qualification_out(request)


@router.put("/api/settings/qualification", response_model=QualificationOut, tags=["prospects"])
def api_save_qualification(
    request: Request, scope: Scope, given: QualificationIn
) -> QualificationOut:
    """Change the criteria (in the order given; those left out stay) and the threshold."""
    _require_configurer(scope)
    criteria = [
        prospects.CriterionInput(c.id, c.label, c.weight, c.kind, c.active) for c in given.criteria
    ]
    api_call(
        lambda: prospects.save_qualification_settings(
            request.app.state.book, scope, criteria, round(given.threshold * 100)
        )
    )
    return _qualification_out(request)
