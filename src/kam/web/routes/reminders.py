"""Reminders: each user's e-mail digest and private calendar feed, and an activity's .ics.

Every signed-in user chooses its own digest and makes or ends its own
feed. The feed's address is the only key to it (calendar programs cannot
log in): it is shown once, and opens the calendar of an active user only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kam.domain.reminders import DIGEST_LABELS, Digest
from kam.domain.time_zones import DEFAULT_TIME_ZONE, time_zone_names
from kam.domain.user import User
from kam.i18n import gettext as _
from kam.services import calendar, reminders, users
from kam.web.auth import book_of, current_user, now
from kam.web.render import page
from kam.web.typed import FORM_TEXT_LIMIT, refuse

router = APIRouter(tags=["reminders"])
Caller = Annotated[User, Depends(current_user)]
CALENDAR = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class RemindersPublic:
    """The caller's reminders: its digest, whether mail is set up, since when its feed is,
    and the time zone it reads and types dates and times in."""

    digest: Digest
    mail_ready: bool
    feed_made: datetime | None
    time_zone: str = DEFAULT_TIME_ZONE


@dataclass(frozen=True)
class TimeZoneUpdate:
    """The IANA time zone the caller reads and types dates and times in (empty: UTC)."""

    time_zone: str


@dataclass(frozen=True)
class DigestUpdate:
    """How often the caller gets the digest."""

    digest: Digest


@dataclass(frozen=True)
class FeedCreated:
    """A new calendar feed: subscribe to ``path`` on this server; shown once."""

    path: str


def _state(request: Request, user: User) -> RemindersPublic:
    book = book_of(request)
    return RemindersPublic(
        reminders.digest_choice(book, user),
        reminders.mail_ready(book),
        calendar.feed_of(book, user).made,
        user.time_zone or DEFAULT_TIME_ZONE,
    )


def _page(
    request: Request, user: Caller, feed_url: str | None = None, status: int = 200
) -> Response:
    context = {
        "state": _state(request, user),
        "choices": [(d.value, _(DIGEST_LABELS[d])) for d in Digest],
        "feed_url": feed_url,
        "zones": time_zone_names(),
    }
    response = page(request, "reminders.html", context, status=status)
    if feed_url:
        response.headers["Cache-Control"] = "no-store"
    return response


def _feed_path(secret: str) -> str:
    return f"/calendar/{secret}.ics"


@router.get("/reminders", response_class=HTMLResponse, include_in_schema=False)
def reminders_page(request: Request, user: Caller) -> Response:
    return _page(request, user)


@router.post("/reminders/digest", include_in_schema=False)
def digest_submit(
    request: Request, user: Caller, digest: Annotated[str, Form(max_length=10)]
) -> Response:
    try:
        chosen = Digest(digest)
    except ValueError:
        raise HTTPException(400, _("choose never, daily or weekly")) from None
    reminders.choose_digest(book_of(request), user, chosen)
    return RedirectResponse("/reminders", status_code=303)


@router.post("/reminders/time-zone", include_in_schema=False)
def time_zone_submit(
    request: Request, user: Caller, time_zone: Annotated[str, Form(max_length=FORM_TEXT_LIMIT)] = ""
) -> Response:
    """Choose the caller's time zone; one that is not, the page again with the reason (400)."""
    try:
        users.set_time_zone(book_of(request), user.name, time_zone)
    except ValueError as error:
        refuse(request, error)
        return _page(request, user, status=400)
    return RedirectResponse("/reminders", status_code=303)


@router.post("/reminders/feed", response_class=HTMLResponse, include_in_schema=False)
def feed_submit(request: Request, user: Caller) -> Response:
    secret = calendar.make_feed(book_of(request), user, now())
    return _page(request, user, str(request.base_url).rstrip("/") + _feed_path(secret))


@router.post("/reminders/feed/end", include_in_schema=False)
def feed_end_submit(request: Request, user: Caller) -> Response:
    calendar.end_feed(book_of(request), user)
    return RedirectResponse("/reminders", status_code=303)


@router.get("/api/reminders", response_model=RemindersPublic)
def api_reminders(request: Request, user: Caller) -> RemindersPublic:
    """The caller's digest, whether the book can send mail, and since when its feed is."""
    return _state(request, user)


@router.put("/api/reminders/digest", response_model=RemindersPublic)
def api_change_digest(request: Request, user: Caller, body: DigestUpdate) -> RemindersPublic:
    """Choose how often the caller gets the e-mail digest."""
    reminders.choose_digest(book_of(request), user, body.digest)
    return _state(request, user)


@router.put("/api/reminders/time-zone", response_model=RemindersPublic)
def api_change_time_zone(request: Request, user: Caller, body: TimeZoneUpdate) -> RemindersPublic:
    """Choose the IANA time zone the caller reads and types dates and times in on the pages
    (``Europe/Warsaw``; empty: UTC); 400 for a name that is not a time zone. The API keeps
    answering moments in UTC."""
    try:
        zone = users.set_time_zone(book_of(request), user.name, body.time_zone)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
    return _state(request, replace(user, time_zone=zone))


@router.post("/api/reminders/feed", response_model=FeedCreated, status_code=201)
def api_make_feed(request: Request, user: Caller) -> FeedCreated:
    """A new calendar feed for the caller (the one it had stops working); its address is
    in this answer and nowhere else."""
    return FeedCreated(_feed_path(calendar.make_feed(book_of(request), user, now())))


@router.delete("/api/reminders/feed", status_code=204, response_class=Response)
def api_end_feed(request: Request, user: Caller) -> Response:
    """Stop the caller's calendar feed."""
    if not calendar.end_feed(book_of(request), user):
        raise HTTPException(404, _("you have no calendar feed"))
    return Response(status_code=204)


@router.get("/calendar/{secret}.ics", include_in_schema=False)
def feed(request: Request, secret: str) -> Response:
    """A user's calendar, opened by its secret address alone."""
    book = book_of(request)
    user = calendar.feed_user(book, secret)
    if user is None:
        raise LookupError(secret)
    return Response(calendar.feed_calendar(book, user, now()), media_type=CALENDAR)


@router.get("/activities/{activity_id}.ics", include_in_schema=False)
def activity_ics(request: Request, user: Caller, activity_id: int) -> Response:
    """An activity the caller may see, as an .ics file for its calendar."""
    if not 0 < activity_id < 2**63:  # no id is out of the database's integer range
        raise LookupError(activity_id)
    body = calendar.activity_calendar(book_of(request), user, activity_id, now())
    return Response(
        body,
        media_type=CALENDAR,
        headers={"Content-Disposition": f'attachment; filename="activity-{activity_id}.ics"'},
    )
