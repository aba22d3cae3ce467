"""The people of a plan: the client's stakeholder map, its gaps, its drawing and its history.

The page shows the map as of today for this year's plan (and lets editors
change it) and as of the end of the year for a past year's plan; ``?as_of=``
shows it as it was on any date, read-only. ``?person=`` opens one person's
form and history. The JSON twin answers the same questions.

A person's profile is recorded whole (PUT: every field given) or in part
(PATCH); its ``version`` counts the versions recorded, and a change made on an
older one answers 409, or draws the person's form again as typed with who
recorded a version since (:mod:`kam.web.routes.plans.versions`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated
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
    Strength,
)
from kam.domain.versions import StaleVersionError
from kam.i18n import gettext as _
from kam.services import plan_people
from kam.services.access import ClientScope
from kam.services.book import Book
from kam.services.plan_people import PeopleView, StakeholderEntry, VersionEntry
from kam.web.routes.plans.common import (
    PlanContext,
    Scope,
    plan_context,
    plan_page,
    plan_url,
    require_editable,
)
from kam.web.routes.plans.forms import (
    api_change,
    change,
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
from kam.web.typed import field_value, model_refusal, posted, refuse

router = APIRouter()

SECTION = "people"
PAGE = "/clients/{key}/plans/{period}/people"
API = "/api/clients/{key}/plans/{period}/people"


class StakeholderIn(BaseModel):
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

    def profile(self) -> Profile:
        """The profile it describes."""
        return Profile(
            name=self.name,
            title=self.title,
            department=self.department,
            reports_to=self.reports_to,
            roles=tuple(self.roles),
            attitude=self.attitude,
            influence=self.influence,
            wants=self.wants,
            facts=self.facts,
            emotions=self.emotions,
            personal_notes=self.personal_notes,
            references=self.references,
            relationship_owner=self.relationship_owner,
            relationship_strength=self.relationship_strength,
            verified_on=self.verified_on,
            left=self.left,
        )


StakeholderUpdate = whole_model(
    StakeholderIn,
    "StakeholderUpdate",
    "A stakeholder's whole profile, every field given, to record a new version of it.",
)
StakeholderPatch = patch_model(
    StakeholderIn,
    "StakeholderPatch",
    "Some fields of a stakeholder's profile: a new version with those changed.",
)


class StakeholderOut(BaseModel):
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
    profile: StakeholderIn


class PeopleOut(BaseModel):
    """The people of a plan as of a date: the map, its gaps, and one person's history."""

    client_key: str
    period: str
    as_of: date
    editable: bool
    personal_shown: bool
    stale_after_days: int
    stakeholders: list[StakeholderOut]
    left: list[StakeholderOut]
    gaps: list[GapOut]
    history: list[VersionOut] | None = None


def _profile_in(profile: Profile, personal: bool) -> StakeholderIn:
    return StakeholderIn(
        name=profile.name,
        title=profile.title,
        department=profile.department,
        reports_to=profile.reports_to,
        roles=list(profile.roles),
        attitude=profile.attitude,
        influence=profile.influence,
        wants=profile.wants,
        facts=profile.facts,
        emotions=profile.emotions,
        personal_notes=profile.personal_notes if personal else "",
        references=profile.references,
        relationship_owner=profile.relationship_owner,
        relationship_strength=profile.relationship_strength,
        verified_on=profile.verified_on,
        left=profile.left,
    )


def _stakeholder_out(entry: StakeholderEntry, personal: bool) -> StakeholderOut:
    s = entry.stakeholder
    p = s.profile
    return StakeholderOut(
        key=s.person_key,
        name=p.name,
        title=p.title,
        department=p.department,
        email=entry.email,
        phone=entry.phone,
        reports_to=p.reports_to,
        manager=entry.manager,
        roles=list(p.roles),
        attitude=p.attitude,
        influence=p.influence,
        wants=p.wants,
        facts=p.facts,
        emotions=p.emotions,
        personal_notes=p.personal_notes if personal else None,
        references=p.references,
        relationship_owner=p.relationship_owner,
        relationship_strength=p.relationship_strength,
        verified_on=p.verified_on,
        stale=entry.stale,
        left=p.left,
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
        stakeholders=[_stakeholder_out(e, shown) for e in view.entries],
        left=[_stakeholder_out(e, shown) for e in view.left],
        gaps=[
            GapOut(
                kind=g.gap.kind,
                person_key=g.gap.person_key,
                person_name=g.gap.person_name,
                sentence=g.sentence,
            )
            for g in view.gaps
        ],
        history=None
        if history is None
        else [
            VersionOut(
                number=v.number,
                valid_from=v.valid_from,
                recorded_by=v.recorded_by,
                profile=_profile_in(v.profile, shown),
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


def _save(
    request: Request,
    scope: ClientScope,
    key: str,
    period: str,
    person: str | None,
    data: StakeholderIn,
    expected: int | None = None,
    via: Callable[[Request, ClientScope, str, str, Callable[[Book, int], str]], str] = api_change,
) -> str:
    """Add or change a person ``via`` the API (400 when refused) or a form (``change``:
    :class:`ValueError` when refused)."""

    def save(book: Book, plan_id: int) -> str:
        if person is None:
            return plan_people.add_stakeholder(book, scope, plan_id, data.profile()).person_key
        return plan_people.save_stakeholder(
            book, scope, plan_id, person, data.profile(), expected=expected
        ).person_key

    return via(request, scope, key, period, save)


def _one(
    request: Request, scope: ClientScope, key: str, period: str, person: str
) -> StakeholderOut:
    context = plan_context(request, scope, key, period)
    view = _view(request, scope, context, None, True)
    entry = view.entry(person)
    if entry is None:
        raise LookupError(person)
    return _stakeholder_out(entry, view.personal_shown)


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

    def stakeholder(self) -> StakeholderIn:
        """The form as the API's input (:class:`~kam.domain.items.ItemValueError`, naming the
        field, for a value that is not one)."""
        if not self.name.strip():
            raise ItemValueError("name", _("a person needs a name"))
        verified_on = field_value("verified_on", form_date, self.verified_on)
        attitude = field_value("attitude", form_int, self.attitude)
        try:
            return StakeholderIn(
                name=self.name,
                title=self.title,
                department=self.department,
                reports_to=self.reports_to or None,
                roles=self.roles,
                attitude=attitude,
                influence=Influence(self.influence) if self.influence else None,
                wants=self.wants,
                facts=self.facts,
                emotions=self.emotions,
                personal_notes=self.personal_notes,
                references=self.references,
                relationship_owner=self.relationship_owner,
                relationship_strength=self.relationship_strength,
                verified_on=verified_on,
                left=self.left,
            )
        except ValidationError as error:
            raise model_refusal(error) from None


def _refused(
    request: Request, scope: ClientScope, key: str, period: str, person: str, error: ValueError
) -> Response:
    """The people's page again with the person's form as typed and why it was refused."""
    reason = refuse(request, error)
    return _people_page(request, scope, key, period, "", person, None, reason, 400)


def _person_url(key: str, period: str, person: str) -> str:
    return f"{plan_url(key, period, SECTION)}?person={quote(person, safe='')}#person"


@router.post(PAGE, include_in_schema=False)
def add_person(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    form: Annotated[StakeholderForm, Depends(posted(StakeholderForm))],
) -> Response:
    try:
        added = _save(request, scope, key, period, None, form.stakeholder(), via=change)
    except ValueError as error:
        return _refused(request, scope, key, period, "", error)
    return RedirectResponse(_person_url(key, period, added), status_code=303)


@router.post(API, response_model=StakeholderOut, tags=["plans"])
def api_add_person(
    request: Request, scope: Scope, key: str, period: str, data: StakeholderIn
) -> StakeholderOut:
    """Add a new person at the client, with the first version of the profile."""
    added = _save(request, scope, key, period, None, data)
    return _one(request, scope, key, period, added)


@router.post(PAGE + "/{person}", include_in_schema=False)
def save_person(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    person: str,
    form: Annotated[StakeholderForm, Depends(posted(StakeholderForm))],
) -> Response:
    version = form_version(form.version)
    try:
        data = form.stakeholder()
        _save(request, scope, key, period, person, data, version, via=change)
    except ValueError as error:
        return _refused(request, scope, key, period, person, error)
    except StaleVersionError as error:
        typed = (data.profile(), version or 0)  # a stale form named its version
        return _people_page(request, scope, key, period, "", person, typed, str(error), 409)
    return RedirectResponse(_person_url(key, period, person), status_code=303)


def _tagged(
    request: Request, scope: ClientScope, key: str, period: str, person: str, response: Response
) -> StakeholderOut:
    found = _one(request, scope, key, period, person)
    tag(response, found.version)
    return found


@router.put(API + "/{person}", response_model=StakeholderOut, tags=["plans"])
def api_save_person(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    person: str,
    data: StakeholderUpdate,  # type: ignore[valid-type]
    response: Response,
) -> StakeholderOut:
    """Record a new version of a person's whole profile, every field given (every change
    is kept); If-Match or ``version``: the version it was made on (409 when older)."""
    expected = expected_version(request, data.version)  # type: ignore[attr-defined]
    whole = StakeholderIn.model_validate(data.model_dump(exclude={"version"}))  # type: ignore[attr-defined]
    _save(request, scope, key, period, person, whole, expected)
    return _tagged(request, scope, key, period, person, response)


@router.patch(API + "/{person}", response_model=StakeholderOut, tags=["plans"])
def api_patch_person(
    request: Request,
    scope: Scope,
    key: str,
    period: str,
    person: str,
    patch: StakeholderPatch,  # type: ignore[valid-type]
    response: Response,
) -> StakeholderOut:
    """Record a new version of a person's profile with the fields given changed, the others
    as they are; If-Match or ``version``: the version it was made on (409 when older)."""
    require_editable(plan_context(request, scope, key, period))
    current = _one(request, scope, key, period, person)
    whole = patched(StakeholderIn, current, patch)
    expected = expected_version(request, patch.version)  # type: ignore[attr-defined]
    version = current.version if expected is None else expected
    _save(request, scope, key, period, person, whole, version)
    return _tagged(request, scope, key, period, person, response)


def _verify(request: Request, scope: ClientScope, key: str, period: str, person: str) -> None:
    api_change(
        request,
        scope,
        key,
        period,
        lambda book, plan_id: plan_people.verify_stakeholder(book, scope, plan_id, person),
    )


@router.post(PAGE + "/{person}/verified", include_in_schema=False)
def verify_person(request: Request, scope: Scope, key: str, period: str, person: str) -> Response:
    _verify(request, scope, key, period, person)
    return RedirectResponse(plan_url(key, period, SECTION), status_code=303)


@router.post(API + "/{person}/verified", response_model=StakeholderOut, tags=["plans"])
def api_verify_person(
    request: Request, scope: Scope, key: str, period: str, person: str
) -> StakeholderOut:
    """Record that a person's entry was checked today (a new version, verified today)."""
    _verify(request, scope, key, period, person)
    return _one(request, scope, key, period, person)
