"""The people of a plan: the client's stakeholder map, its gaps, its drawing and its history.

The page shows the map as of today for this year's plan (and lets editors
change it) and as of the end of the year for a past year's plan; ``?as_of=``
shows it as it was on any date, read-only. ``?person=`` opens one person's
form and history. The JSON twin answers the same questions.

A person's profile is recorded whole (PUT: every field given) or in part
(PATCH); its ``version`` counts the versions recorded, and a change made on an
older one answers 409, or draws the person's form again as typed with who
recorded a version since (:mod:`kam.web.routes.plans.versions`). Each change
runs in one transaction (:func:`kam.web.routes.plans.items.edit_plan`).
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError

from kam.domain.items import ItemValueError
from kam.domain.people_map import (
    ATTITUDE_LABELS,
    ATTITUDES,
    BUYING_ROLE_LABELS,
    INFLUENCE_LABELS,
    STRENGTH_LABELS,
    BuyingRole,
    GapKind,
    Influence,
    Profile,
    Stakeholder,
    Strength,
)
from kam.domain.versions import StaleVersionError
from kam.i18n import gettext as _
from kam.services import plan_people
from kam.services.access import ClientScope
from kam.services.plan_items import PlanEdit
from kam.services.plan_people import PeopleView, StakeholderEntry, VersionEntry
from kam.web.routes.plans.common import PlanContext, Scope, plan_context, plan_page, plan_url
from kam.web.routes.plans.forms import form_date, form_int
from kam.web.routes.plans.items import api_edit_plan, edit_plan
from kam.web.routes.plans.versions import (
    expected_version,
    form_version,
    patch_model,
    patched,
    tag,
    whole_model,
)
from kam.web.typed import field_value, model_refusal, posted, raise_refusal, refuse

router = APIRouter()

SECTION = "people"
PAGE = "/clients/{key}/plans/{period}/people"
API = "/api/clients/{key}/plans/{period}/people"


class StakeholderCreate(BaseModel):
    """A stakeholder's whole profile, to add a person or record a new version."""

    name: str = Field(min_length=1, max_length=300)
    title: str | None = Field(default=None, max_length=300)
    department: str | None = Field(default=None, max_length=200)
    reports_to: str | None = Field(default=None, max_length=100)
    roles: list[BuyingRole] = []
    attitude: int | None = Field(default=None, ge=-2, le=2)
    influence: Influence | None = None
    wants: str = Field(default="", max_length=5000)
    facts: str = Field(default="", max_length=5000)
    emotions: str = Field(default="", max_length=5000)
    personal_notes: str = Field(default="", max_length=5000)
    references: str = Field(default="", max_length=5000)
    relationship_owner: str | None = Field(default=None, max_length=100)
    relationship_strength: Strength = Strength.NONE
    verified_on: date | None = None
    left: bool = False


StakeholderUpdate = whole_model(
    StakeholderCreate,
    "StakeholderUpdate",
    "A stakeholder's whole profile, every field given, to record a new version of it.",
)
StakeholderPatch = patch_model(
    StakeholderCreate,
    "StakeholderPatch",
    "Some fields of a stakeholder's profile: a new version with those changed.",
)


class StakeholderPublic(BaseModel):
    """A stakeholder as the API gives it; ``personal_notes`` is null when not shown."""

    key: str
    name: str
    title: str | None
    department: str | None
    email: str | None
    phone: str | None
    reports_to: str | None
    manager: str | None
    roles: list[BuyingRole]
    attitude: int | None
    influence: Influence | None
    wants: str
    facts: str
    emotions: str
    personal_notes: str | None
    references: str
    relationship_owner: str | None
    relationship_strength: Strength
    verified_on: date | None
    stale: bool
    left: bool
    version: int
    recorded_at: datetime | None
    recorded_by: str | None


class GapOut(BaseModel):
    """A coverage gap and the sentence that explains it."""

    kind: GapKind
    person_key: str | None
    person_name: str | None
    sentence: str


class VersionOut(BaseModel):
    """One version of a person's profile."""

    number: int
    valid_from: datetime
    recorded_by: str
    profile: StakeholderCreate


class PeopleOut(BaseModel):
    """The people of a plan as of a date: the map, its gaps, and one person's history."""

    client_key: str
    period: str
    as_of: date
    editable: bool
    personal_shown: bool
    stale_after_days: int
    stakeholders: list[StakeholderPublic]
    left: list[StakeholderPublic]
    gaps: list[GapOut]
    history: list[VersionOut] | None = None


def _profile(body: BaseModel) -> Profile:
    """The profile an API body (or the page's form, read as one) describes."""
    values = {name: value for name, value in body if name != "version"}
    return Profile(**{**values, "roles": tuple(values["roles"])})


def _fields(profile: Profile, personal: bool, hidden: str | None) -> dict[str, Any]:
    """A profile's fields as the API gives them: personal notes ``hidden`` when not shown."""
    return {**asdict(profile), **({} if personal else {"personal_notes": hidden})}


def _public(entry: StakeholderEntry, personal: bool) -> StakeholderPublic:
    s = entry.stakeholder
    return StakeholderPublic(
        **_fields(s.profile, personal, None),
        key=s.person_key,
        email=entry.email,
        phone=entry.phone,
        manager=entry.manager,
        stale=entry.stale,
        version=s.version,
        recorded_at=s.recorded_at,
        recorded_by=s.recorded_by,
    )


def _as_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise HTTPException(
            400, _("{text!r} is not a date such as 2026-03-01").format(text=text)
        ) from None


def _view(
    request: Request, scope: ClientScope, context: PlanContext, as_of: date | None, personal: bool
) -> PeopleView:
    return plan_people.people_of_plan(
        request.app.state.book, scope, context.plan.id, as_of, include_personal=personal
    )


def _history(
    request: Request, scope: ClientScope, context: PlanContext, view: PeopleView, person: str
) -> list[VersionEntry] | None:
    if not person or view.entry(person) is None:
        return None
    return plan_people.stakeholder_history(request.app.state.book, scope, context.plan.id, person)


@router.get(API, response_model=PeopleOut, tags=["plans"])
def api_people(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    as_of: Annotated[str, Query(description="a date: the map as it was then")] = "",
    person: Annotated[str, Query(description="a person's key: add that person's history")] = "",
    personal: Annotated[bool, Query(description="include personal notes (editors only)")] = True,
) -> PeopleOut:
    """The client's stakeholders as the plan shows them, with coverage gaps and stale flags."""
    context = plan_context(request, scope, key, period)
    view = _view(request, scope, context, _as_of(as_of), personal)
    history = _history(request, scope, context, view, person)
    shown = view.personal_shown
    return PeopleOut(
        client_key=key,
        period=context.plan.period,
        as_of=view.as_of,
        editable=view.editable,
        personal_shown=shown,
        stale_after_days=view.stale_after_days,
        stakeholders=[_public(e, shown) for e in view.entries],
        left=[_public(e, shown) for e in view.left],
        gaps=[GapOut(**asdict(g.gap), sentence=g.sentence) for g in view.gaps],
        history=None
        if history is None
        else [
            VersionOut(
                number=v.number,
                valid_from=v.valid_from,
                recorded_by=v.recorded_by,
                profile=StakeholderCreate(**_fields(v.profile, shown, "")),
            )
            for v in history
        ],
    )


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def people_page(
    request: Request, scope: Scope, key: str, period: str, as_of: str = "", person: str = ""
) -> Response:
    return _people_page(request, scope, key, period, as_of, person)


def _people_page(
    request: Request,
    scope: ClientScope,
    key: str,
    period: str,
    as_of: str,
    person: str,
    typed: tuple[Profile, int] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    """The people's page; ``typed`` (a profile and the version it was typed on) fills the
    chosen person's form in place of the profile recorded, with ``error`` above it."""
    context = plan_context(request, scope, key, period)
    view = _view(request, scope, context, _as_of(as_of), True)
    history = _history(request, scope, context, view, person)
    chosen = view.entry(person) if history is not None else None
    if chosen is not None and typed is not None:
        profile, version = typed
        shown = replace(chosen.stakeholder, profile=profile, version=version)
        chosen = replace(chosen, stakeholder=shown)
    return plan_page(
        request,
        "plan_people.html",
        context,
        SECTION,
        {
            "view": view,
            "as_of_given": bool(as_of),
            "chosen": chosen,
            "history": history or [],
            "roles": list(BuyingRole),
            "role_labels": BUYING_ROLE_LABELS,
            "attitudes": ATTITUDES,
            "attitude_labels": ATTITUDE_LABELS,
            "influences": list(Influence),
            "influence_labels": INFLUENCE_LABELS,
            "strengths": list(Strength),
            "strength_labels": STRENGTH_LABELS,
            "people_url": plan_url(key, context.plan.period, SECTION),
            "error": error,
        },
        status=status,
    )


@router.get("/clients/{key}/plans/{period}/people.svg", include_in_schema=False)
def people_svg(request: Request, scope: Scope, key: str, period: str, as_of: str = "") -> Response:
    """The relationship map as an SVG file."""
    context = plan_context(request, scope, key, period)
    view = _view(request, scope, context, _as_of(as_of), False)
    name = f"people-{key}-{context.plan.period}-{view.as_of.isoformat()}.svg"
    return Response(
        view.svg,
        media_type="image/svg+xml",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def _one(
    request: Request,
    scope: ClientScope,
    key: str,
    period: str,
    person: str,
    response: Response | None = None,
) -> StakeholderPublic:
    """A person as the API gives it; the ``response``, where given, gets the ``ETag`` of
    its version."""
    context = plan_context(request, scope, key, period)
    view = _view(request, scope, context, None, True)
    entry = view.entry(person)
    if entry is None:
        raise LookupError(person)
    if response is not None:
        tag(response, entry.stakeholder.version)
    return _public(entry, view.personal_shown)


class StakeholderForm(BaseModel):
    """The stakeholder form of the page: text fields, as a browser sends them."""

    name: str = Field(default="", max_length=300)
    title: str = Field(default="", max_length=300)
    department: str = Field(default="", max_length=200)
    reports_to: str = Field(default="", max_length=100)
    roles: list[BuyingRole] = []
    attitude: str = ""
    influence: str = ""
    wants: str = Field(default="", max_length=5000)
    facts: str = Field(default="", max_length=5000)
    emotions: str = Field(default="", max_length=5000)
    personal_notes: str = Field(default="", max_length=5000)
    references: str = Field(default="", max_length=5000)
    relationship_owner: str = Field(default="", max_length=100)
    relationship_strength: Strength = Strength.NONE
    verified_on: str = ""
    left: bool = False
    version: str = Field(default="", max_length=12)

    def profile(self) -> Profile:
        """The profile the form describes, checked as the API's input is
        (:class:`~kam.domain.items.ItemValueError`, naming the field, for a value that is
        not one)."""
        if not self.name.strip():
            raise ItemValueError("name", _("a person needs a name"))
        values = {name: value for name, value in self if name != "version"}
        values.update(
            reports_to=self.reports_to or None,
            verified_on=field_value("verified_on", form_date, self.verified_on),
            attitude=field_value("attitude", form_int, self.attitude),
            influence=Influence(self.influence) if self.influence else None,
        )
        try:
            return _profile(StakeholderCreate(**values))
        except ValidationError as error:
            raise model_refusal(error) from None


def _form_save(
    request: Request,
    scope: ClientScope,
    key: str,
    period: str,
    person: str | None,
    form: StakeholderForm,
) -> Response:
    """Add a person (``person`` of ``None``) or record a new version of one from the page's
    form: to the person's form (303), or the page again with the form as typed and why it
    was refused (400), or who recorded a version since the one it was typed on (409)."""
    version = form_version(form.version)

    def run(edit: PlanEdit) -> Stakeholder:
        raise_refusal(request)
        if person is None:
            return plan_people.add(edit, profile)
        return plan_people.change(edit, person, profile, version)

    try:
        profile = form.profile()
        saved = edit_plan(request, scope, key, period, run)
    except ValueError as error:
        reason = refuse(request, error)
        return _people_page(request, scope, key, period, "", person or "", None, reason, 400)
    except StaleVersionError as error:
        typed = (profile, version or 0)  # a stale form named its version
        return _people_page(request, scope, key, period, "", person or "", typed, str(error), 409)
    url = f"{plan_url(key, period, SECTION)}?person={quote(saved.person_key, safe='')}#person"
    return RedirectResponse(url, status_code=303)


@router.post(PAGE, include_in_schema=False)
def add_person(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    form: Annotated[StakeholderForm, Depends(posted(StakeholderForm))],
) -> Response:
    return _form_save(request, scope, key, period, None, form)


@router.post(API, response_model=StakeholderPublic, tags=["plans"])
def api_add_person(
    request: Request, scope: Scope, key: str, period: str, data: StakeholderCreate
) -> StakeholderPublic:
    """Add a new person at the client, with the first version of the profile."""
    added = api_edit_plan(
        request, scope, key, period, lambda edit: plan_people.add(edit, _profile(data))
    )
    return _one(request, scope, key, period, added.person_key)


@router.post(PAGE + "/{person}", include_in_schema=False)
def save_person(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    person: str,
    form: Annotated[StakeholderForm, Depends(posted(StakeholderForm))],
) -> Response:
    return _form_save(request, scope, key, period, person, form)


@router.put(API + "/{person}", response_model=StakeholderPublic, tags=["plans"])
def api_save_person(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    person: str,
    data: StakeholderUpdate,  # type: ignore[valid-type]
    response: Response,
) -> StakeholderPublic:
    """Record a new version of a person's whole profile, every field given (every change
    is kept); If-Match or ``version``: the version it was made on (409 when older)."""
    expected = expected_version(request, data.version)  # type: ignore[attr-defined]
    profile = _profile(data)

    def run(edit: PlanEdit) -> Stakeholder:
        return plan_people.change(edit, person, profile, expected)

    api_edit_plan(request, scope, key, period, run)
    return _one(request, scope, key, period, person, response)


@router.patch(API + "/{person}", response_model=StakeholderPublic, tags=["plans"])
def api_patch_person(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    person: str,
    patch: StakeholderPatch,  # type: ignore[valid-type]
    response: Response,
) -> StakeholderPublic:
    """Record a new version of a person's profile with the fields given changed, the others
    as they are; If-Match or ``version``: the version it was made on (409 when older)."""

    def run(edit: PlanEdit) -> Stakeholder:
        current = plan_people.current(edit, person)
        now = StakeholderCreate(**_fields(current.profile, True, None))
        whole = patched(StakeholderCreate, now, patch)
        expected = expected_version(request, patch.version)  # type: ignore[attr-defined]
        version = current.version if expected is None else expected
        return plan_people.change(edit, person, _profile(whole), version)

    api_edit_plan(request, scope, key, period, run)
    return _one(request, scope, key, period, person, response)


def _verify(request: Request, scope: ClientScope, key: str, period: str, person: str) -> None:
    api_edit_plan(request, scope, key, period, lambda edit: plan_people.verify(edit, person))


@router.post(PAGE + "/{person}/verified", include_in_schema=False)
def verify_person(request: Request, scope: Scope, key: str, period: str, person: str) -> Response:
    _verify(request, scope, key, period, person)
    return RedirectResponse(plan_url(key, period, SECTION), status_code=303)


@router.post(API + "/{person}/verified", response_model=StakeholderPublic, tags=["plans"])
def api_verify_person(
    request: Request, scope: Scope, key: str, period: str, person: str
) -> StakeholderPublic:
    """Record that a person's entry was checked today (a new version, verified today)."""
    _verify(request, scope, key, period, person)
    return _one(request, scope, key, period, person)
