"""My week (a user's schedule within its scope) and the team (the head's view).

My week lists what is overdue, then due this week and next, each with a form to log it
as done in one click (kind and client filled in) or, planned, to move it; then the next
steps due, the activities planned and the A clients nobody has met for too long. The
team page gives compliance per class and per manager, a manager x week grid, the key
clients out of cadence and the next steps overdue: the head of key accounts and admins
only. Each page has its JSON twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from kam.domain.activities import kind_label
from kam.domain.cadence import OWED_LABELS, DueStatus, Owed
from kam.domain.time_zones import to_local
from kam.domain.user import Role, User
from kam.i18n import gettext as _
from kam.services.access import ClientScope
from kam.services.schedule import LogChoices, Team, Week, log_choices, team_of, week_of
from kam.web.auth import allow, client_scope
from kam.web.render import page

router = APIRouter(tags=["schedule"])
#: The most rows of each list of My week and the team page; the counts say how many in all,
#: and ``/api/week`` and ``/api/team`` give up to :data:`~kam.services.schedule.LIST_LIMIT`.
PAGE_ROWS = 25
Scope = Annotated[ClientScope, Depends(client_scope)]
Head = Annotated[User, Depends(allow(Role.HEAD, Role.ADMIN))]


def utc_now() -> datetime:
    """The moment, in UTC and naive, as the book keeps moments."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def today_of(scope: ClientScope) -> date:
    """Today as the user's clock reads it (in its time zone)."""
    return to_local(utc_now(), scope.user.time_zone).date()


def owed_by_label(by: str) -> str:
    """Who owes a contact, in the reader's language."""
    return _(OWED_LABELS[Owed(by)]) if by in {o.value for o in Owed} else by


@lru_cache(maxsize=8192)
def log_href(key: str, kind: str, form: str, back: str = "week") -> str:
    """Where the form to log a ``kind`` of contact with client ``key`` loads from (see
    ``/clients/{key}/activities/new``); ``form`` names it on the page it returns to.
    (Kept: the same rows come back on every visit of a page.)"""
    query = urlencode({"back": back, "kind": kind, "form": form})
    return f"/clients/{quote(key)}/activities/new?{query}"


#: What the schedule's templates share.
LABELS: dict[str, Any] = {
    "log_href": log_href,
    "kind_label": kind_label,
    "owed_by_label": owed_by_label,
    "overdue_status": DueStatus.OVERDUE,
}


@router.get("/api/week", response_model=Week)
def api_week(request: Request, scope: Scope) -> Week:
    """The caller's week: contacts owed (overdue, due this week and next), next steps due,
    activities planned, and the A clients nobody has met for longer than their policy allows;
    as of the caller's today (in its time zone)."""
    return week_of(request.app.state.book, scope, today_of(scope))


#: The paths of the forms of a planned activity (its id): one refused is drawn in its row.
_PLANNED_FORM = re.compile(r"/activities/(\d+)/(?:move|done)")


@dataclass(frozen=True)
class RefusedLog:
    """The form to log an activity refused on this request: its name on the page and what
    it offers, so that the page draws it again, as it was typed, in its row."""

    name: str
    choices: LogChoices


def refused_log(request: Request, scope: ClientScope) -> RefusedLog | None:
    """The form to log an activity that the request sent and that was refused, if any."""
    sent = getattr(request.state, "posted", None)
    key = request.path_params.get("key")
    if not sent or not key or request.url.path != f"/clients/{key}/activities":
        return None
    names = sent.get("form") or [""]
    return RefusedLog(names[0], log_choices(request.app.state.book, scope, key, today_of(scope)))


@router.get("/week", response_class=HTMLResponse, include_in_schema=False)
def week_page(request: Request, scope: Scope, status: int = 200, full: bool = False) -> Response:
    """My week: the first :data:`PAGE_ROWS` of each list, or with ``full`` as many as the
    API gives (``status``: 400 when it answers a form of it refused, drawn in full). Each
    row's form to log a contact is loaded when asked for (see
    ``/clients/{key}/activities/new``), but the one refused, drawn in its row as it was
    typed; so are a planned activity's forms to move it or log it as done
    (``/activities/{id}/forms``)."""
    week = week_of(request.app.state.book, scope, today_of(scope))
    rows = None if full or status == 400 else PAGE_ROWS
    shown = replace(
        week,
        overdue=week.overdue[:rows],
        due_this_week=week.due_this_week[:rows],
        due_next_week=week.due_next_week[:rows],
        next_steps=week.next_steps[:rows],
        planned=week.planned[:rows],
        unmet=week.unmet[:rows],
    )
    again = refused_log(request, scope) if status == 400 else None
    planned = _PLANNED_FORM.fullmatch(request.url.path) if status == 400 else None
    context = {
        "w": shown,
        "again": again,
        "again_planned": int(planned.group(1)) if planned else None,
        "full": rows is None,
        **LABELS,
    }
    return page(request, "week.html", context, status=status)


@router.get("/api/team", response_model=Team)
def api_team(request: Request, _head: Head, scope: Scope) -> Team:
    """The team (the head of key accounts and admins): compliance per class and manager over
    the last 90 days and the year, a manager x week grid, key clients out of cadence and
    the next steps overdue; as of the caller's today (in its time zone)."""
    return team_of(request.app.state.book, scope, today_of(scope))


@router.get("/team", response_class=HTMLResponse, include_in_schema=False)
def team_page(request: Request, _head: Head, scope: Scope) -> Response:
    """The team (the head and admins): the first :data:`PAGE_ROWS` of each list, and how
    many there are in all."""
    team = team_of(request.app.state.book, scope, today_of(scope))
    shown = replace(
        team,
        out_of_cadence=team.out_of_cadence[:PAGE_ROWS],
        steps_overdue=team.steps_overdue[:PAGE_ROWS],
    )
    return page(request, "team.html", {"t": shown, **LABELS})
