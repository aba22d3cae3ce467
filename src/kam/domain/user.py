"""The people who use kam, and their roles."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a user may do."""

    ADMIN = "admin"
    HEAD = "head"
    MANAGER = "manager"
    VIEWER = "viewer"


@dataclass(frozen=True)
class User:
    """A user of kam; the password hash is kept by the store, never here."""

    name: str
    role: Role
    full_name: str | None = None
    email: str | None = None
