"""People at a client: who they are and to whom they report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """A person in a client's organisation; ``reports_to`` is another person's key."""

    key: str
    client_key: str
    name: str
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phone: str | None = None
    reports_to: str | None = None
