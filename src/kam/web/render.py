"""Rendering: Jinja templates for browsers; the same context as JSON for the API."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from kam import i18n
from kam.domain import cadence
from kam.domain.time_zones import DEFAULT_TIME_ZONE, to_local
from kam.domain.user import ROLE_LABELS, Role
from kam.i18n import formats
from kam.i18n.money import format_money
from kam.services.currency import book_currency
from kam.services.service_policies import every_text
from kam.services.wording import label, policy_text
from kam.web.typed import refusal_of, typed_page

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.add_extension("jinja2.ext.i18n")
TEMPLATES.env.policies["ext.i18n.trimmed"] = True
TEMPLATES.env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
)


@pass_context
def money(context: Context, value: float | int | None) -> str:
    """An amount with the book's currency, as the language writes it (``1 234,50 zł``).

    The currency comes with the page's context (:func:`page` puts it there).
    """
    return "" if value is None else format_money(value, context["currency"])


def amount(value: float | int | None) -> str:
    """An amount as a form's field holds it: two decimals, no currency, as the language has it."""
    return "" if value is None else formats.format_number(value, 2)


def percent(value: float | None, digits: int = 1) -> str:
    """A share as a percentage, as the language writes it."""
    return "" if value is None else formats.format_share(value, digits)


def count(value: int | None) -> str:
    """A whole number with the language's thousands separator."""
    return "" if value is None else formats.format_count(value)


def number(value: float | None, digits: int = 1) -> str:
    """A number with ``digits`` decimals."""
    return "" if value is None else formats.format_number(value, digits)


TEMPLATES.env.filters["money"] = money
TEMPLATES.env.filters["amount"] = amount
TEMPLATES.env.filters["percent"] = percent
TEMPLATES.env.filters["count"] = count
TEMPLATES.env.filters["number"] = number
TEMPLATES.env.filters["date"] = formats.format_date
TEMPLATES.env.filters["datetime"] = formats.format_datetime
TEMPLATES.env.filters["month"] = formats.format_month
TEMPLATES.env.filters["policy"] = policy_text
TEMPLATES.env.filters["every"] = every_text
TEMPLATES.env.filters["policy_rules"] = cadence.policy_text
TEMPLATES.env.globals["languages"] = i18n.LANGUAGES


@pass_context
def local(context: Context, moment: datetime | None) -> datetime | None:
    """A moment the book keeps (UTC) as the clock of the page's user reads it (its time
    zone; UTC for a user who chose none)."""
    return None if moment is None else to_local(moment, user_time_zone(context))


@pass_context
def user_time_zone(context: Context) -> str:
    """The time zone of the page's user (UTC when it chose none)."""
    return getattr(context.get("user"), "time_zone", None) or DEFAULT_TIME_ZONE


TEMPLATES.env.filters["local"] = local
TEMPLATES.env.globals["time_zone"] = user_time_zone
TEMPLATES.env.globals["language"] = lambda: i18n.current().code


def page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """Render a page; the template gets the user, the CSRF token and the book's currency.

    A page answering a form refused shows the form as it was typed
    (:func:`kam.web.typed.typed_page`).
    """
    state = request.state
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "user": getattr(state, "user", None),
            "csrf_token": getattr(state, "csrf_token", ""),
            "currency": currency_of(request),
            **context,
        },
        status_code=status,
    )
    if refusal_of(request) is None:
        return response
    return HTMLResponse(typed_page(request, bytes(response.body).decode()), status_code=status)


def currency_of(request: Request) -> str:
    """The currency of the book the app serves."""
    return book_currency(request.app.state.book)


def role_label(role: Role) -> str:
    """A role's name in the language of the moment."""
    return i18n.gettext(ROLE_LABELS[role])


TEMPLATES.env.globals["role_label"] = role_label
TEMPLATES.env.globals["label"] = label
