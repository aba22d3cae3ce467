"""Rendering: Jinja templates for browsers; the same context as JSON for the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def money(value: float | int | None) -> str:
    """An amount with thousands separators and two decimals."""
    return "" if value is None else f"{value:,.2f}"


def percent(value: float | None, digits: int = 1) -> str:
    """A share as a percentage."""
    return "" if value is None else f"{100 * value:.{digits}f}%"


TEMPLATES.env.filters["money"] = money
TEMPLATES.env.filters["percent"] = percent


def page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """Render a page; the template gets the user and the CSRF token from the request."""
    state = request.state
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "user": getattr(state, "user", None),
            "csrf_token": getattr(state, "csrf_token", ""),
            **context,
        },
        status_code=status,
    )
