"""Reminders: the e-mail digest each user chooses, and when it is due.

A user may get a digest of what is overdue and due (contacts owed, next
steps, planned activities) every day, every week (on Mondays) or never.
A digest is sent at most once a day: a run on a day it was sent already
sends nothing, so that running the reminders again is safe.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from kam.i18n import N_


class Digest(StrEnum):
    """How often a user gets the digest."""

    NEVER = "never"
    DAILY = "daily"
    WEEKLY = "weekly"


#: What each choice is called, for people to read.
DIGEST_LABELS: dict[Digest, str] = {
    Digest.NEVER: N_("never"),
    Digest.DAILY: N_("every day"),
    Digest.WEEKLY: N_("every Monday"),
}


def digest_due(digest: Digest, today: date, last_sent: date | None) -> bool:
    """Whether a user's digest is due on ``today``, last sent on ``last_sent``.

    A weekly digest goes on Mondays: the first at the next run after the
    user chose it, then one a week from Monday; one missed (no run that
    Monday) goes at the next run of the week.

    >>> digest_due(Digest.DAILY, date(2026, 12, 7), date(2026, 12, 6))
    True
    >>> digest_due(Digest.DAILY, date(2026, 12, 7), date(2026, 12, 7))
    False
    >>> digest_due(Digest.WEEKLY, date(2026, 12, 7), None)  # a Monday
    True
    >>> digest_due(Digest.WEEKLY, date(2026, 12, 8), date(2026, 11, 30))  # Monday missed
    True
    >>> digest_due(Digest.WEEKLY, date(2026, 12, 9), date(2026, 12, 7))
    False
    """
    if digest is Digest.NEVER or last_sent == today:
        return False
    if last_sent is not None and last_sent > today:
        return False  # a run with an earlier --today than the last one
    if digest is Digest.DAILY:
        return True
    monday = date.fromordinal(today.toordinal() - today.weekday())
    return last_sent is None or last_sent < monday
