"""Moments kept in UTC, read and typed in a user's time zone, across the changes of the clocks."""

from __future__ import annotations

from datetime import datetime

import pytest

from kam.domain.time_zones import to_local, to_utc, validate_time_zone

WARSAW = "Europe/Warsaw"


def test_ten_o_clock_in_warsaw_in_summer_is_eight_in_utc_and_shown_as_ten_there() -> None:
    # 1 July 2026: summer time in Poland, UTC+2
    kept = to_utc(datetime(2026, 7, 1, 10, 0), WARSAW)
    assert kept == datetime(2026, 7, 1, 8, 0)
    assert to_local(kept, WARSAW) == datetime(2026, 7, 1, 10, 0)
    assert to_local(kept, None) == to_local(kept, "UTC") == datetime(2026, 7, 1, 8, 0)


def test_the_same_clock_time_is_an_hour_apart_in_utc_either_side_of_each_change() -> None:
    # the clocks move forward on 29 March 2026 (02:00 -> 03:00) and back on 25 October
    # (03:00 -> 02:00): winter UTC+1, summer UTC+2
    assert to_utc(datetime(2026, 3, 28, 10, 0), WARSAW) == datetime(2026, 3, 28, 9, 0)
    assert to_utc(datetime(2026, 3, 30, 10, 0), WARSAW) == datetime(2026, 3, 30, 8, 0)
    assert to_utc(datetime(2026, 10, 24, 10, 0), WARSAW) == datetime(2026, 10, 24, 8, 0)
    assert to_utc(datetime(2026, 10, 26, 10, 0), WARSAW) == datetime(2026, 10, 26, 9, 0)
    # the night of the change: 01:30 UTC is 03:30 in Warsaw, 00:59 UTC is 01:59
    assert to_local(datetime(2026, 3, 29, 1, 30), WARSAW) == datetime(2026, 3, 29, 3, 30)
    assert to_local(datetime(2026, 3, 29, 0, 59), WARSAW) == datetime(2026, 3, 29, 1, 59)
    # 02:30 on 25 October comes twice (00:30 and 01:30 UTC): the first is taken
    assert to_utc(datetime(2026, 10, 25, 2, 30), WARSAW) == datetime(2026, 10, 25, 0, 30)
    assert to_local(datetime(2026, 10, 25, 1, 30), WARSAW) == datetime(2026, 10, 25, 2, 30)


def test_a_time_the_clocks_skip_is_refused() -> None:
    with pytest.raises(ValueError, match="2026-03-29 02:30 does not exist in Europe/Warsaw"):
        to_utc(datetime(2026, 3, 29, 2, 30), WARSAW)


@pytest.mark.parametrize("name", ["Europe/Gdansk", "Warsaw", "+02:00", "../etc/passwd", ""])
def test_only_an_iana_time_zone_is_taken(name: str) -> None:
    with pytest.raises(ValueError, match="is not a time zone"):
        validate_time_zone(name)
    assert validate_time_zone("America/New_York") == "America/New_York"
    assert validate_time_zone("UTC") == "UTC"
