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

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Annotated, Any, TypeVar
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
from kam.services.access import ClientScope
from kam.services.plans import people as plan_people
from kam.services.plans.items import PlanEdit
from kam.services.plans.people import PeopleView, StakeholderEntry, VersionEntry
from kam.web.routes.plans import versions
from kam.web.routes.plans.common import PlanContext, Scope, plan_context, plan_page, plan_url
from kam.web.routes.plans.forms import form_date, form_int
from kam.web.routes.plans.items import api_edit_plan, edit_plan
from kam.web.typed import field_value, model_refusal, posted, raise_refusal, refuse

T = TypeVar("T")

router = APIRouter()

SECTION = "people"
PAGE = "/clients/{key}/plans/{period}/people"
API = "/api/clients/{key}/plans/{period}/people"


@dataclass(frozen=True)
class At:
    """Where a route of the people runs: the request, the user's scope, the client's
    ``key``, the plan's ``period`` and the ``person`` a route is about ("": none)."""

    request: Request
    scope: ClientScope
    key: str
    period: str
    person: str = ""

    def context(self) -> PlanContext:
        """The plan (404 when there is none)."""
        return plan_context(self.request, self.scope, self.key, self.period)

    def view(self, context: PlanContext, as_of: date | None, personal: bool) -> PeopleView:
        """The people of the plan as of a date (``None``: the plan's own date)."""
        book = self.request.app.state.book
        return plan_people.people_of_plan(
            book, self.scope, context.plan.id, as_of, include_personal=personal
        )

    def history(self, context: PlanContext, view: PeopleView) -> list[VersionEntry] | None:
        """The versions of the person's profile, the latest first (``None``: no person, or
        not one of the plan's people)."""
        if not self.person or view.entry(self.person) is None:
            return None
        book = self.request.app.state.book
        return plan_people.stakeholder_history(book, self.scope, context.plan.id, self.person)

    def edit(self, run: Callable[[PlanEdit], T], api: bool = True) -> T:
        """``run`` on the plan in one transaction, refusals answered as the API (400) does,
        or (``api`` false) passed on as :class:`ValueError` for a form."""
        edit = api_edit_plan if api else edit_plan
        return edit(self.request, self.scope, self.key, self.period, run)

    def one(self, response: Response | None = None) -> StakeholderPublic:
        """The person as the API gives it; ``response``, where given, gets the ``ETag`` of
        the person's version."""
        view = self.view(self.context(), None, True)
        entry = view.entry(self.person)
        if entry is None:
            raise LookupError(self.person)
        if response is not None:
            versions.tag(response, entry.stakeholder.version)
        return _public(entry, view.personal_shown)


def _at(request: Request, scope: Scope, key: str, period: str) -> At:
    return At(request, scope, key, period)


def _person_at(request: Request, scope: Scope, key: str, period: str, person: str) -> At:
    return At(request, scope, key, period, person)


#: The plan a route is about, and the person (in its path).
Here = Annotated[At, Depends(_at)]
PersonHere = Annotated[At, Depends(_person_at)]


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


StakeholderUpdate = versions.whole_model(
    StakeholderCreate,
    "StakeholderUpdate",
    "A stakeholder's whole profile, every field given, to record a new version of it.",
)
StakeholderPatch = versions.patch_model(
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
    """A person as the API gives it: the entry's flags, the version's and the profile's
    fields (what else they hold is not the API's)."""
    s = entry.stakeholder
    values = {**vars(entry), **vars(s), **_fields(s.profile, personal, None)}
    return StakeholderPublic.model_validate({**values, "key": s.person_key})


def _as_of(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise HTTPException(
            400, _("{text!r} is not a date such as 2026-03-01").format(text=text)
        ) from None


@router.get(API, response_model=PeopleOut, tags=["plans"])
def api_people(
    here: Here,
    as_of: Annotated[str, Query(description="a date: the map as it was then")] = "",
    person: Annotated[str, Query(description="a person's key: add that person's history")] = "",
    personal: Annotated[bool, Query(description="include personal notes (editors only)")] = True,
) -> PeopleOut:
    """The client's stakeholders as the plan shows them, with coverage gaps and stale flags."""
    context = here.context()
    view = here.view(context, _as_of(as_of), personal)
    history = replace(here, person=person).history(context, view)
    shown = view.personal_shown
    return PeopleOut(
        client_key=here.key,
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
            VersionOut(**{**vars(v), "profile": StakeholderCreate(**_fields(v.profile, shown, ""))})
            for v in history
        ],
    )


@router.get(PAGE, response_class=HTMLResponse, include_in_schema=False)
def people_page(here: Here, as_of: str = "", person: str = "") -> Response:
    return _people_page(replace(here, person=person), as_of)


def _people_page(
    here: At,
    as_of: str = "",
    typed: tuple[Profile, int] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    """The people's page; ``typed`` (a profile and the version it was typed on) fills the
    chosen person's form in place of the profile recorded, with ``error`` above it."""
    context = here.context()
    view = here.view(context, _as_of(as_of), True)
    history = here.history(context, view)
    chosen = view.entry(here.person) if history is not None else None
    if chosen is not None and typed is not None:
        profile, version = typed
        shown = replace(chosen.stakeholder, profile=profile, version=version)
        chosen = replace(chosen, stakeholder=shown)
    return plan_page(
        here.request,
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
            "people_url": plan_url(here.key, context.plan.period, SECTION),
            "error": error,
        },
        status=status,
    )


@router.get("/clients/{key}/plans/{period}/people.svg", include_in_schema=False)
def people_svg(here: Here, as_of: str = "") -> Response:
    """The relationship map as an SVG file."""
    context = here.context()
    view = here.view(context, _as_of(as_of), False)
    name = f"people-{here.key}-{context.plan.period}-{view.as_of.isoformat()}.svg"
    return Response(
        view.svg,
        media_type="image/svg+xml",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


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


def _form_save(here: At, form: StakeholderForm) -> Response:
    """Add a person (no ``here.person``) or record a new version of one from the page's
    form: to the person's form (303), or the page again with the form as typed and why it
    was refused (400), or who recorded a version since the one it was typed on (409)."""
    version = versions.form_version(form.version)

    def run(edit: PlanEdit) -> Stakeholder:
        raise_refusal(here.request)
        if not here.person:
            return plan_people.add(edit, profile)
        return plan_people.change(edit, here.person, profile, version)

    try:
        profile = form.profile()
        saved = here.edit(run, api=False)
    except ValueError as error:
        return _people_page(here, error=refuse(here.request, error), status=400)
    except StaleVersionError as error:
        typed = (profile, version or 0)  # a stale form named its version
        return _people_page(here, typed=typed, error=str(error), status=409)
    person = quote(saved.person_key, safe="")
    url = f"{plan_url(here.key, here.period, SECTION)}?person={person}#person"
    return RedirectResponse(url, status_code=303)


#: The page's form, read as a browser sends it.
Form = Annotated[StakeholderForm, Depends(posted(StakeholderForm))]


@router.post(PAGE, include_in_schema=False)
def add_person(here: Here, form: Form) -> Response:
    return _form_save(here, form)


@router.post(API, response_model=StakeholderPublic, tags=["plans"])
def api_add_person(here: Here, data: StakeholderCreate) -> StakeholderPublic:
    """Add a new person at the client, with the first version of the profile."""
    added = here.edit(lambda edit: plan_people.add(edit, _profile(data)))
    return replace(here, person=added.person_key).one()


@router.post(PAGE + "/{person}", include_in_schema=False)
def save_person(here: PersonHere, form: Form) -> Response:
    return _form_save(here, form)


@router.put(API + "/{person}", response_model=StakeholderPublic, tags=["plans"])
def api_save_person(
    here: PersonHere,
    data: StakeholderUpdate,  # type: ignore[valid-type]
    response: Response,
) -> StakeholderPublic:
    """Record a new version of a person's whole profile, every field given (every change
    is kept); If-Match or ``version``: the version it was made on (409 when older)."""
    expected = versions.expected_version(here.request, data.version)  # type: ignore[attr-defined]
    profile = _profile(data)
    here.edit(lambda edit: plan_people.change(edit, here.person, profile, expected))
    return here.one(response)


@router.patch(API + "/{person}", response_model=StakeholderPublic, tags=["plans"])
def api_patch_person(
    here: PersonHere,
    patch: StakeholderPatch,  # type: ignore[valid-type]
    response: Response,
) -> StakeholderPublic:
    """Record a new version of a person's profile with the fields given changed, the others
    as they are; If-Match or ``version``: the version it was made on (409 when older)."""

    def run(edit: PlanEdit) -> Stakeholder:
        current = plan_people.current(edit, here.person)
        now = StakeholderCreate(**_fields(current.profile, True, None))
        whole = versions.patched(StakeholderCreate, now, patch)
        expected = versions.expected_version(here.request, patch.version)  # type: ignore[attr-defined]
        version = current.version if expected is None else expected
        return plan_people.change(edit, here.person, _profile(whole), version)

    here.edit(run)
    return here.one(response)


@router.post(PAGE + "/{person}/verified", include_in_schema=False)
def verify_person(here: PersonHere) -> Response:
    here.edit(lambda edit: plan_people.verify(edit, here.person))
    return RedirectResponse(plan_url(here.key, here.period, SECTION), status_code=303)


@router.post(API + "/{person}/verified", response_model=StakeholderPublic, tags=["plans"])
def api_verify_person(here: PersonHere) -> StakeholderPublic:
    """Record that a person's entry was checked today (a new version, verified today)."""
    here.edit(lambda edit: plan_people.verify(edit, here.person))
    return here.one()
