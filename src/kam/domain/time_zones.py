"""Time zones: the moments the book keeps in UTC, read and written in a user's own zone.

The book keeps every moment as a naive UTC ``datetime``; a user sees and types them in the
IANA time zone it chose (``Europe/Warsaw``), UTC when it chose none.

Examples
--------
>>> from datetime import datetime
>>> to_utc(datetime(2026, 7, 1, 10, 0), "Europe/Warsaw")  # summer: UTC+2
datetime.datetime(2026, 7, 1, 8, 0)
>>> to_local(datetime(2026, 1, 15, 9, 0), "Europe/Warsaw")  # winter: UTC+1
datetime.datetime(2026, 1, 15, 10, 0)
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from kam.i18n import gettext as _

#: The zone of a user who chose none.
DEFAULT_TIME_ZONE = "UTC"


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@cache
def time_zone_names() -> tuple[str, ...]:
    """The IANA time zones a user may choose, sorted."""
    return tuple(sorted(available_timezones() | {DEFAULT_TIME_ZONE}))


def validate_time_zone(name: str) -> str:
    """The IANA time zone ``name`` (spaces around it dropped); :class:`ValueError` for a
    name that is not one.

    >>> validate_time_zone(" Europe/Warsaw ")
    'Europe/Warsaw'
    >>> validate_time_zone("Europe/Gdansk")
    Traceback (most recent call last):
    ...
    ValueError: 'Europe/Gdansk' is not a time zone (a name such as Europe/Warsaw or UTC)
    """
    text = name.strip()
    if text not in time_zone_names():
        raise ValueError(
            _("{name!r} is not a time zone (a name such as Europe/Warsaw or UTC)").format(name=text)
        )
    try:
        _zone(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            _("{name!r} is not a time zone (a name such as Europe/Warsaw or UTC)").format(name=text)
        ) from None
    return text


def to_local(moment: datetime, zone: str | None) -> datetime:
    """A moment the book keeps (naive, UTC) as the clock in ``zone`` reads it (naive)."""
    return (
        moment.replace(tzinfo=UTC).astimezone(_zone(zone or DEFAULT_TIME_ZONE)).replace(tzinfo=None)
    )


def to_utc(local: datetime, zone: str | None) -> datetime:
    """A moment typed in ``zone`` (naive) as the book keeps it (naive, UTC).

    A time the clocks skip (02:30 on the night they move forward) raises
    :class:`ValueError`; one they pass twice (02:30 on the night they move back) is the
    first of the two.

    >>> to_utc(datetime(2026, 3, 29, 1, 30), "Europe/Warsaw")  # before the change: UTC+1
    datetime.datetime(2026, 3, 29, 0, 30)
    >>> to_utc(datetime(2026, 3, 29, 3, 30), "Europe/Warsaw")  # after it: UTC+2
    datetime.datetime(2026, 3, 29, 1, 30)
    >>> to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Warsaw")  # twice: the first, UTC+2
    datetime.datetime(2026, 10, 25, 0, 30)
    """
    name = zone or DEFAULT_TIME_ZONE
    moment = local.replace(tzinfo=_zone(name)).astimezone(UTC).replace(tzinfo=None)
    if to_local(moment, name) != local:
        raise ValueError(
            _("{time} does not exist in {zone}: the clocks move forward then").format(
                time=local.strftime("%Y-%m-%d %H:%M"), zone=name
            )
        )
    return moment
