"""The people of a plan: the client's stakeholder map, its gaps, its drawing and its history.

The page shows the map as of today for this year's plan (and lets editors
change it) and as of the end of the year for a past year's plan; ``?as_of=``
shows it as it was on any date, read-only. ``?person=`` opens one person's
form and history. The JSON twin answers the same questions.

A person's profile is recorded whole (PUT: every field given) or in part
(PATCH); its ``version`` counts the versions recorded, and a change made on an
older one answers 409, or draws the person's form again as typed with who
recorded a version since (:mod:`kam.web.routes.plans.versions`). Each change
runs in one transaction (:meth:`kam.web.routes.plans.common.At.edit`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
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
from kam.services.plans import people as plan_people
from kam.services.plans.items import PlanEdit
from kam.services.plans.people import PeopleView, StakeholderEntry, VersionEntry
from kam.web.routes.plans import versions
from kam.web.routes.plans.common import At, PlanContext, Scope, Section, download, plan_url
from kam.web.routes.plans.forms import form_date, form_int
from kam.web.typed import field_value, model_refusal, posted, raise_refusal, refuse

section = Section("people")


@dataclass(frozen=True)
class PeopleAt(At):
    """Where a route of the people runs, and the ``person`` it is about ("": none)."""

    person: str = ""

    def people(self, context: PlanContext, as_of: date | None, personal: bool) -> PeopleView:
        """The people of the plan as of a date (``None``: the plan's own date)."""
        return plan_people.people_of_plan(
            self.book, self.scope, context.plan.id, as_of, include_personal=personal
        )

    def history(self, context: PlanContext, view: PeopleView) -> list[VersionEntry] | None:
        """The versions of the person's profile, the latest first (``None``: no person, or
        not one of the plan's people)."""
        if not self.person or view.entry(self.person) is None:
            return None
        return plan_people.stakeholder_history(self.book, self.scope, context.plan.id, self.person)

    def one(self, response: Response | None = None) -> StakeholderPublic:
        """The person as the API gives it; ``response``, where given, gets the ``ETag`` of
        the person's version."""
        view = self.people(self.context(), None, True)
        entry = view.entry(self.person)
        if entry is None:
            raise LookupError(self.person)
        if response is not None:
            versions.tag(response, entry.stakeholder.version)
        return _public(entry, view.personal_shown)


def _at(request: Request, scope: Scope, key: str, period: str) -> PeopleAt:
    return PeopleAt(request, scope, key, period, section.name)


def _person_at(request: Request, scope: Scope, key: str, period: str, person: str) -> PeopleAt:
    return PeopleAt(request, scope, key, period, section.name, person)


#: The plan a route is about, and the person (in its path).
Here = Annotated[PeopleAt, Depends(_at)]
PersonHere = Annotated[PeopleAt, Depends(_person_at)]


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


class GapPublic(BaseModel):
    """A coverage gap and the sentence that explains it."""

    kind: GapKind
    person_key: str | None
    person_name: str | None
    sentence: str


class VersionPublic(BaseModel):
    """One version of a person's profile."""

    number: int
    valid_from: datetime
    recorded_by: str
    profile: StakeholderCreate


class PeoplePublic(BaseModel):
    """The people of a plan as of a date: the map, its gaps, and one person's history."""

    client_key: str
    period: str
    as_of: date
    editable: bool
    personal_shown: bool
    stale_after_days: int
    stakeholders: list[StakeholderPublic]
    left: list[StakeholderPublic]
    gaps: list[GapPublic]
    history: list[VersionPublic] | None = None


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


@section.api.get("", response_model=PeoplePublic)
def api_people(
    at: Here,
    as_of: Annotated[str, Query(description="a date: the map as it was then")] = "",
    person: Annotated[str, Query(description="a person's key: add that person's history")] = "",
    personal: Annotated[bool, Query(description="include personal notes (editors only)")] = True,
) -> PeoplePublic:
    """The client's stakeholders as the plan shows them, with coverage gaps and stale flags."""
    context = at.context()
    view = at.people(context, _as_of(as_of), personal)
    history = replace(at, person=person).history(context, view)
    shown = view.personal_shown
    return PeoplePublic(
        client_key=at.key,
        period=context.plan.period,
        as_of=view.as_of,
        editable=view.editable,
        personal_shown=shown,
        stale_after_days=view.stale_after_days,
        stakeholders=[_public(e, shown) for e in view.entries],
        left=[_public(e, shown) for e in view.left],
        gaps=[GapPublic(**asdict(g.gap), sentence=g.sentence) for g in view.gaps],
        history=None
        if history is None
        else [
            VersionPublic(
                **{**vars(v), "profile": StakeholderCreate(**_fields(v.profile, shown, ""))}
            )
            for v in history
        ],
    )


@section.pages.get("")
def people_page(at: Here, as_of: str = "", person: str = "") -> Response:
    return _people_page(replace(at, person=person), as_of)


def _people_page(
    at: PeopleAt,
    as_of: str = "",
    typed: tuple[Profile, int] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    """The people's page; ``typed`` (a profile and the version it was typed on) fills the
    chosen person's form in place of the profile recorded, with ``error`` above it."""
    context = at.context()
    view = at.people(context, _as_of(as_of), True)
    history = at.history(context, view)
    chosen = view.entry(at.person) if history is not None else None
    if chosen is not None and typed is not None:
        profile, version = typed
        shown = replace(chosen.stakeholder, profile=profile, version=version)
        chosen = replace(chosen, stakeholder=shown)
    return at.page(
        "plan_people.html",
        context,
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
            "people_url": plan_url(at.key, context.plan.period, section.name),
            "error": error,
        },
        status,
    )


@section.pages.get(".svg")
def people_svg(at: Here, as_of: str = "") -> Response:
    """The relationship map as an SVG file."""
    context = at.context()
    view = at.people(context, _as_of(as_of), False)
    name = f"people-{at.key}-{context.plan.period}-{view.as_of.isoformat()}.svg"
    return download(view.svg, "image/svg+xml", name)


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


def _form_save(at: PeopleAt, form: StakeholderForm) -> Response:
    """Add a person (no ``at.person``) or record a new version of one from the page's
    form: to the person's form (303), or the page again with the form as typed and why it
    was refused (400), or who recorded a version since the one it was typed on (409)."""
    version = versions.form_version(form.version)

    def run(edit: PlanEdit) -> Stakeholder:
        raise_refusal(at.request)
        if not at.person:
            return plan_people.add(edit, profile)
        return plan_people.change(edit, at.person, profile, version)

    try:
        profile = form.profile()
        saved = at.edit(run)
    except ValueError as error:
        return _people_page(at, error=refuse(at.request, error), status=400)
    except StaleVersionError as error:
        typed = (profile, version or 0)  # a stale form named its version
        return _people_page(at, typed=typed, error=str(error), status=409)
    person = quote(saved.person_key, safe="")
    url = f"{at.url()}?person={person}#person"
    return RedirectResponse(url, status_code=303)


#: The page's form, read as a browser sends it.
Form = Annotated[StakeholderForm, Depends(posted(StakeholderForm))]


@section.pages.post("")
def add_person(at: Here, form: Form) -> Response:
    return _form_save(at, form)


@section.api.post("", response_model=StakeholderPublic)
def api_add_person(at: Here, data: StakeholderCreate) -> StakeholderPublic:
    """Add a new person at the client, with the first version of the profile."""
    added = at.api_edit(lambda edit: plan_people.add(edit, _profile(data)))
    return replace(at, person=added.person_key).one()


@section.pages.post("/{person}")
def change_person(at: PersonHere, form: Form) -> Response:
    return _form_save(at, form)


@section.api.put("/{person}", response_model=StakeholderPublic)
def api_change_person(
    at: PersonHere,
    data: StakeholderUpdate,  # type: ignore[valid-type]
    response: Response,
) -> StakeholderPublic:
    """Record a new version of a person's whole profile, every field given (every change
    is kept); If-Match or ``version``: the version it was made on (409 when older)."""
    expected = versions.expected_version(at.request, data.version)  # type: ignore[attr-defined]
    profile = _profile(data)
    at.api_edit(lambda edit: plan_people.change(edit, at.person, profile, expected))
    return at.one(response)


@section.api.patch("/{person}", response_model=StakeholderPublic)
def api_patch_person(
    at: PersonHere,
    patch: StakeholderPatch,  # type: ignore[valid-type]
    response: Response,
) -> StakeholderPublic:
    """Record a new version of a person's profile with the fields given changed, the others
    as they are; If-Match or ``version``: the version it was made on (409 when older)."""

    def run(edit: PlanEdit) -> Stakeholder:
        current = plan_people.current(edit, at.person)
        now = StakeholderCreate(**_fields(current.profile, True, None))
        whole, version = versions.patched_on(
            at.request, StakeholderCreate, now, patch, current.version
        )
        return plan_people.change(edit, at.person, _profile(whole), version)

    at.api_edit(run)
    return at.one(response)


@section.pages.post("/{person}/verified")
def verify_person(at: PersonHere) -> Response:
    at.api_edit(lambda edit: plan_people.verify(edit, at.person))
    return at.back()


@section.api.post("/{person}/verified", response_model=StakeholderPublic)
def api_verify_person(at: PersonHere) -> StakeholderPublic:
    """Record that a person's entry was checked today (a new version, verified today)."""
    at.api_edit(lambda edit: plan_people.verify(edit, at.person))
    return at.one()
