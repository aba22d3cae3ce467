"""Logging activities with clients from the pages and the API.

Who may see a client reads its activities; who may change it (its account managers, the
head, admins) logs, moves, completes and removes them: a viewer gets 403, a client or an
activity out of sight 404. A form refused draws its page again (My week or the client's
page) with the reason next to the field (400); the API answers 400 with the reason, and
409 for a change made on a version someone else has changed since.

Moments are kept in UTC; a form's day and time are taken in the user's time zone (UTC for
a user who chose none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Annotated, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from kam.domain.activities import LINE_LIMIT, MINUTES_LIMIT, Activity, ActivityStatus
from kam.domain.deal import parse_money
from kam.domain.items import ItemValueError
from kam.domain.time_zones import to_local, to_utc
from kam.i18n import gettext as _
from kam.services import activities, schedule
from kam.services.access import AccessDeniedError, ClientScope
from kam.services.acting import book_as
from kam.services.book import Book
from kam.services.schedule import ClientSchedule
from kam.web.auth import client_scope
from kam.web.render import page
from kam.web.routes.clients import client_page
from kam.web.routes.plans.overview import plan_page
from kam.web.routes.week import LABELS, today_of, utc_now, week_page
from kam.web.typed import FORM_TEXT_LIMIT, field_value, form_text, refuse

router = APIRouter(tags=["activities"])
Scope = Annotated[ClientScope, Depends(client_scope)]
#: The id of an activity in a path (a 32-bit integer, as the databases keep it).
ActivityId = Annotated[int, Path(ge=1, le=2**31 - 1)]
T = TypeVar("T")


def _book(request: Request, scope: ClientScope) -> Book:
    book: Book = request.app.state.book
    return book_as(book, scope.user.name)


def _editing(request: Request, scope: ClientScope) -> Book:
    """The book, for a user whose role may change client data (403 otherwise, before any
    activity is looked up: the answer reveals nothing of the book)."""
    if not scope.can_edit_clients:
        raise HTTPException(403, _("you may not log activities"))
    return _book(request, scope)


def _refused(run: Callable[[], T]) -> T:
    """Run a change: refused access answers 403; :class:`ValueError` and
    :class:`LookupError` pass through."""
    try:
        return run()
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None


def _api(run: Callable[[], T]) -> T:
    """:func:`_refused` for the API: content refused answers 400 with the reason."""
    try:
        return _refused(run)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None


# --- the API


class ActivityIn(BaseModel):
    """An activity as the API takes it: ``at`` in UTC; ``value`` in cents (gifts, events)."""

    kind: str = Field(min_length=1, max_length=40)
    at: datetime
    status: ActivityStatus = ActivityStatus.DONE
    our_people: list[str] = Field(default_factory=list, max_length=50)
    their_people: list[str] = Field(default_factory=list, max_length=50)
    objective: str = Field(default="", max_length=LINE_LIMIT)
    outcome: str = Field(default="", max_length=MINUTES_LIMIT)
    next_step: str = Field(default="", max_length=LINE_LIMIT)
    next_step_owner: str | None = Field(default=None, max_length=100)
    next_step_due: date | None = None
    plan_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    stage_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    value: int | None = Field(default=None, ge=0, le=10**15)

    def activity(self, client_key: str, activity_id: int = 0, version: int = 1) -> Activity:
        """The domain's activity of these values."""
        try:
            at = self.at.astimezone(UTC).replace(tzinfo=None) if self.at.tzinfo else self.at
        except OverflowError:
            raise ItemValueError("at", _("a moment kam cannot keep")) from None
        values = self.model_dump(exclude={"at", "our_people", "their_people", "version"})
        return Activity(
            activity_id,
            client_key,
            at=at,
            our_people=tuple(self.our_people),
            their_people=tuple(self.their_people),
            version=version,
            **values,
        )


class ActivityChange(ActivityIn):
    """An activity's new values, with the version they were read at."""

    version: int = Field(ge=1, le=2**31 - 1)


@router.get("/api/clients/{key}/activities", response_model=ClientSchedule)
def api_client_activities(request: Request, scope: Scope, key: str) -> ClientSchedule:
    """A client's contact history (latest first), what it is owed next under the policy of
    its class, and its people."""
    return schedule.client_schedule(request.app.state.book, scope, key, utc_now().date())


@router.post("/api/clients/{key}/activities", response_model=Activity, status_code=201)
def api_log_activity(request: Request, scope: Scope, key: str, body: ActivityIn) -> Activity:
    """Log an activity of a client (planned or done); with no participant of ours named,
    the caller is."""
    book = _book(request, scope)
    return _api(lambda: activities.log_activity(book, scope, body.activity(key), utc_now()))


@router.put("/api/activities/{activity_id}", response_model=Activity)
def api_change_activity(
    request: Request, scope: Scope, activity_id: ActivityId, body: ActivityChange
) -> Activity:
    """Change an activity (every field); ``version`` is the one read (409 when it changed)."""
    book = _editing(request, scope)
    return _api(
        lambda: activities.change_activity(
            book, scope, body.activity("", activity_id, body.version), utc_now()
        )
    )


@router.delete("/api/activities/{activity_id}", status_code=204)
def api_remove_activity(request: Request, scope: Scope, activity_id: ActivityId) -> Response:
    """Remove an activity."""
    book = _editing(request, scope)
    _api(lambda: activities.remove_activity(book, scope, activity_id))
    return Response(status_code=204)


# --- the forms of My week and of the client's page


def form_day(text: str) -> date:
    """A day from a form's date field."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{text!r} is not a date (YYYY-MM-DD)").format(text=text)) from None


def form_time(text: str) -> time:
    """A time of day from a form's time field."""
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("{text!r} is not a time (HH:MM)").format(text=text)) from None


def _moment(day: date, text: str, zone: str | None) -> datetime:
    """The moment (UTC, as the book keeps it) of a form's day and time, typed in the user's
    time ``zone``; no time given: now for the user's today, else noon of that day."""
    if text.strip():
        local = datetime.combine(day, field_value("at_time", form_time, text))
        try:
            return to_utc(local, zone)
        except ValueError as error:
            raise ItemValueError("at_time", str(error)) from None
    now = utc_now()
    if day == to_local(now, zone).date():
        return now
    return to_utc(datetime.combine(day, time(12)), zone)


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.replace(";", ",").split(",") if name.strip())


def _again(request: Request, scope: ClientScope, back: str, key: str, period: str = "") -> Response:
    """The page the form was on, drawn again with the reason it was refused (400)."""
    if back == "week":
        return week_page(request, scope, status=400)
    if back == "plan" and period:
        return plan_page(request, scope, key, period, status=400)
    return client_page(request, scope, key, status=400)


def _back(back: str, key: str, period: str = "") -> Response:
    """Back to the page the form was on: My week, the client's page or its plan of
    ``period`` (at their contacts)."""
    client = f"/clients/{quote(key, safe='')}"
    if back == "week":
        where = "/week"
    elif back == "plan" and period:
        where = f"{client}/plans/{quote(period, safe='')}#contacts"
    else:
        where = f"{client}#activities"
    return RedirectResponse(where, status_code=303)


Text = Annotated[str, Form(max_length=FORM_TEXT_LIMIT)]
#: The page a form returns to.
Back = Annotated[str, Form(pattern="^(week|client|plan)$")]
#: The period of the plan a form was sent from (with ``back=plan``).
Period = Annotated[str, Form(max_length=20)]


@router.get("/clients/{key}/activities/new", response_class=HTMLResponse, include_in_schema=False)
def log_activity_form(
    request: Request,
    scope: Scope,
    key: str,
    kind: Annotated[str, Query(max_length=40)] = "",
    back: Annotated[str, Query(pattern="^(week|client|plan)$")] = "client",
    form: Annotated[str, Query(max_length=40, pattern=r"^[\w-]*$")] = "log",
    period: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The form to log an activity with the client (``kind`` chosen, returning to ``back``):
    the part My week puts in a row's place when asked (HTMX), or a page of its own."""
    try:
        choices = schedule.log_choices(request.app.state.book, scope, key, today_of(scope))
    except AccessDeniedError as error:
        raise HTTPException(403, str(error)) from None
    context = {
        "c": choices,
        "kind": kind or None,
        "back": back,
        "name": form or "log",
        "summary": None,
        "period": period or None,
        "fragment": bool(request.headers.get("hx-request")),
        **LABELS,
    }
    return page(request, "activity_log.html", context)


@router.post("/clients/{key}/activities", include_in_schema=False)
def log_activity_submit(
    request: Request,
    scope: Scope,
    key: str,
    kind: Annotated[str, Form(max_length=40)],
    day: Annotated[str, Form(max_length=20)],
    back: Back = "client",
    period: Period = "",
    at_time: Annotated[str, Form(max_length=10)] = "",
    status: Annotated[ActivityStatus, Form()] = ActivityStatus.DONE,
    their_people: Annotated[list[str], Form(max_length=50)] = [],  # noqa: B006 - FastAPI's form
    our_people: Text = "",
    objective: Text = "",
    outcome: Text = "",
    next_step: Text = "",
    next_step_owner: Text = "",
    next_step_due: Annotated[str, Form(max_length=20)] = "",
    value: Annotated[str, Form(max_length=40)] = "",
    plan_id: Annotated[str, Form(max_length=12)] = "",
    stage_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Log an activity from My week, the client's page or its plan (one click: kind and
    client are filled in; from the plan it serves the plan, and the stage chosen); refused,
    the page again with the form as typed and the reason (400)."""
    scope.require(key)
    book = _book(request, scope)
    try:
        at = _moment(field_value("day", form_day, day), at_time, scope.user.time_zone)
        activity = Activity(
            0,
            key,
            kind,
            at,
            status,
            our_people=_names(our_people),
            their_people=tuple(p for p in their_people if p),
            objective=form_text("objective", objective, LINE_LIMIT),
            outcome=form_text("outcome", outcome, MINUTES_LIMIT),
            next_step=form_text("next_step", next_step, LINE_LIMIT),
            next_step_owner=form_text("next_step_owner", next_step_owner, 100) or None,
            next_step_due=field_value("next_step_due", _optional_day, next_step_due),
            value=field_value("value", _money, value),
            plan_id=field_value("plan_id", _optional_id, plan_id),
            stage_id=field_value("stage_id", _optional_id, stage_id),
        )
        _refused(lambda: activities.log_activity(book, scope, activity, utc_now()))
    except ValueError as error:
        refuse(request, error)
        return _again(request, scope, back, key, period)
    return _back(back, key, period)


def _optional_id(text: str) -> int | None:
    """An id typed in a form (none when empty); :class:`ValueError` when it is not one."""
    if not text.strip():
        return None
    if not text.strip().isdigit() or not 1 <= int(text) <= 2**31 - 1:
        raise ValueError(_("a whole number"))
    return int(text)


def _optional_day(text: str) -> date | None:
    return form_day(text) if text.strip() else None


def _money(text: str) -> int | None:
    return parse_money(text) if text.strip() else None


@router.get("/activities/{activity_id}/forms", response_class=HTMLResponse, include_in_schema=False)
def planned_activity_forms(
    request: Request,
    scope: Scope,
    activity_id: ActivityId,
    back: Annotated[str, Query(pattern="^(week|client)$")] = "week",
) -> Response:
    """The forms to move a planned activity or log it as done: the part My week puts in a
    row's place when asked (HTMX), or a page of its own; 409 once it is not planned."""
    book = _editing(request, scope)
    kept = activities.get_activity(book, scope, activity_id)
    if kept.status is not ActivityStatus.PLANNED:
        raise HTTPException(409, _("only a planned activity is moved"))
    fragment = bool(request.headers.get("hx-request"))
    context = {"a": kept, "back": back, "fragment": fragment, **LABELS}
    return page(request, "activity_planned.html", context)


@router.post("/activities/{activity_id}/move", include_in_schema=False)
def move_activity_submit(
    request: Request,
    scope: Scope,
    activity_id: ActivityId,
    day: Annotated[str, Form(max_length=20)],
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    back: Back = "week",
    period: Period = "",
    at_time: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Move a planned activity to another day (and time)."""
    book = _editing(request, scope)
    kept = activities.get_activity(book, scope, activity_id)
    try:
        when = _moment(field_value("day", form_day, day), at_time, scope.user.time_zone)
        if kept.status is not ActivityStatus.PLANNED:
            raise ItemValueError("day", _("only a planned activity is moved"))
        moved = replace(kept, at=when, version=version)
        _refused(lambda: activities.change_activity(book, scope, moved, utc_now()))
    except ValueError as error:
        refuse(request, error)
        return _again(request, scope, back, kept.client_key, period)
    return _back(back, kept.client_key, period)


@router.post("/activities/{activity_id}/done", include_in_schema=False)
def complete_activity_submit(
    request: Request,
    scope: Scope,
    activity_id: ActivityId,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    back: Back = "week",
    period: Period = "",
    outcome: Text = "",
    next_step: Text = "",
    next_step_owner: Text = "",
    next_step_due: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Log a planned activity as done, with its outcome and next step, at the moment it
    was planned for (or now, if that is still to come)."""
    book = _editing(request, scope)
    kept = activities.get_activity(book, scope, activity_id)
    try:
        done = replace(
            kept,
            status=ActivityStatus.DONE,
            at=min(kept.at, utc_now()),
            outcome=form_text("outcome", outcome, MINUTES_LIMIT),
            next_step=form_text("next_step", next_step, LINE_LIMIT),
            next_step_owner=form_text("next_step_owner", next_step_owner, 100) or None,
            next_step_due=field_value("next_step_due", _optional_day, next_step_due),
            version=version,
        )
        _refused(lambda: activities.change_activity(book, scope, done, utc_now()))
    except ValueError as error:
        refuse(request, error)
        return _again(request, scope, back, kept.client_key, period)
    return _back(back, kept.client_key, period)
