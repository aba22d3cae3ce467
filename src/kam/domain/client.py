"""Clients (accounts), their groups, and what we know of their size and potential."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Client:
    """A firm we sell to, or want to.

    ``key`` is the external key from the firm's ERP or CRM; ``parent_key`` names
    the group (parent client) it belongs to. Money is in cents.
    """

    key: str
    name: str
    parent_key: str | None = None
    industry: str | None = None
    country: str | None = None
    employees: int | None = None
    annual_turnover: int | None = None
    potential: int | None = None
    potential_source: str | None = None
    potential_as_of: date | None = None
    owner: str | None = None


def group_of(client_key: str, parents: dict[str, str | None]) -> str:
    """The top of a client's group: follow parents up to a client without one.

    A cycle in the parents ends at the first client seen again.

    Examples
    --------
    >>> group_of("shop", {"shop": "region", "region": "holding", "holding": None})
    'holding'
    >>> group_of("alone", {})
    'alone'
    """
    seen = {client_key}
    current = client_key
    while (parent := parents.get(current)) and parent not in seen:
        seen.add(parent)
        current = parent
    return current
