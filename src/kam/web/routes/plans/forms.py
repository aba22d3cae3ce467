"""The values of a plan's (or a prospect's) forms and paths: dates, amounts, numbers, ids."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Path

from kam.domain.deal import parse_money
from kam.i18n import gettext as _

#: The largest id a row of a plan part can have (a 32-bit integer, as the databases keep it).
ID_MAX = 2**31 - 1


def _item_id(item_id: Annotated[int, Path(ge=1, le=ID_MAX)]) -> int:
    return item_id


def _any_id(item_id: int) -> int:
    return item_id


#: The id of a row in a path (``{item_id}``), from 1 to :data:`ID_MAX` (422 otherwise);
#: a dependency, so that the API's document lists it after the plan's key and period.
ItemId = Annotated[int, Depends(_item_id)]
#: The id of a row in a path, any whole number (one out of range: no such row, 404).
AnyId = Annotated[int, Depends(_any_id)]


# --- form values


def form_date(text: str) -> date | None:
    """A date from a form's date field (empty: none)."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("{text!r} is not a date (YYYY-MM-DD)").format(text=text)) from None


def form_money(text: str) -> int | None:
    """An amount (cents) from a form's field, as the user's language writes it (empty: none)."""
    return parse_money(text) if text.strip() else None


def form_int(text: str, message: str | None = None) -> int | None:
    """A whole number from a form's field (empty: none).

    ``message`` when it is not one (by default: the text is not a whole number).
    """
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        if message is None:
            message = _("{text!r} is not a whole number").format(text=text)
        raise ValueError(message) from None


def form_percent(text: str) -> float:
    """A probability typed as a percentage (``30``, ``12,5``), as a share (0.3, 0.125)."""
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(cleaned) if cleaned else 0.0
    except ValueError:
        raise ValueError(_("{text!r} is not a percentage").format(text=text.strip())) from None
    if not 0 <= value <= 100:
        raise ValueError(_("a probability lies between 0% and 100%"))
    return round(value / 100, 6)
