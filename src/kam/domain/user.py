"""The people who use kam, and their roles."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kam.i18n import N_


class Role(StrEnum):
    """What a user may do."""

    ADMIN = "admin"
    HEAD = "head"
    MANAGER = "manager"
    VIEWER = "viewer"


#: What each role is called, for people to read.
ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("administrator"),
    Role.HEAD: N_("head of key accounts"),
    Role.MANAGER: N_("account manager"),
    Role.VIEWER: N_("viewer"),
}


@dataclass(frozen=True)
class User:
    """A user of kam; the password hash is kept by the store, never here.

    A user that is not ``active`` was deactivated: it cannot log in, and its
    sessions and tokens were ended. ``time_zone`` is the IANA zone it reads and types
    dates and times in (``None``: UTC).
    """

    name: str
    role: Role
    full_name: str | None = None
    email: str | None = None
    language: str | None = None
    active: bool = True
    time_zone: str | None = None
