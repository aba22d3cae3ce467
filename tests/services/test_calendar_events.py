"""A large .ics file is read on several cores, and gives what one core reads: the same
events, numbered in the order of the file, and the same event named when one is bad.

The file is small here; :data:`~kam.services.calendar_events.EVENTS_PER_PROCESS` is
lowered so that it is cut into parts, each read in a worker process of its own.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kam.analytics.sources import SourceError
from kam.i18n import use_language
from kam.i18n.languages import language
from kam.services import calendar_events
from kam.services.calendar_events import read_ics

#: The calendar's own time zone, in its header: each part must carry it.
HEADER = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//Calendar//EN\r
BEGIN:VTIMEZONE\r
TZID:Office\r
BEGIN:STANDARD\r
DTSTART:19701025T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
END:STANDARD\r
END:VTIMEZONE\r
"""


def _event(n: int, start: str | None = None) -> str:
    begins = f"DTSTART;TZID=Office:202401{n:02d}T100000\r\n" if start is None else start
    status = "STATUS:CANCELLED\r\n" if n == 8 else ""
    return (
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\n{begins}SUMMARY:Visit {n}\r\n{status}"
        f"ATTENDEE:mailto:p{n}@acme.example\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
        "TRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n"
    )


def _file(path: Path, events: list[str]) -> Path:
    path.write_bytes((HEADER + "".join(events) + "END:VCALENDAR\r\n").encode())
    return path


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar_events, "EVENTS_PER_PROCESS", 3)


@pytest.mark.usefixtures("small_parts")
def test_a_file_cut_in_parts_reads_as_it_reads_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    pool = calendar_events.ProcessPoolExecutor

    def counted(workers: int, **options: Any) -> Any:
        started.append(workers)
        return pool(workers, **options)

    monkeypatch.setattr(calendar_events, "ProcessPoolExecutor", counted)
    path = _file(tmp_path / "big.ics", [_event(n) for n in range(1, 10)])
    warsaw = ZoneInfo("Europe/Warsaw")
    whole = read_ics(path, warsaw, processes=1)
    with use_language(language("pl")):
        parts = read_ics(path, warsaw, processes=2)
    assert [e.row for e in whole] == list(range(1, 10))
    # 10:00 in the calendar's zone (UTC+1) is 09:00 UTC, in every part
    assert [e.start for e in whole] == [datetime(2024, 1, n, 9) for n in range(1, 10)]
    assert whole[7].left_out == "cancelled"
    assert [(e.row, e.start, e.summary, e.attendees) for e in parts] == [
        (e.row, e.start, e.summary, e.attendees) for e in whole
    ]
    assert parts[7].left_out == "odwołane"  # the reader's language, in a worker process
    assert started == [2]  # the file of 9 events was read whole, then in two parts


@pytest.mark.usefixtures("small_parts")
def test_a_bad_event_in_a_later_part_is_named_by_its_place_in_the_file(tmp_path: Path) -> None:
    events = [_event(n) for n in range(1, 10)]
    events[6] = _event(7, start="")  # the seventh event has no start
    path = _file(tmp_path / "bad.ics", events)
    with pytest.raises(SourceError) as refused:
        read_ics(path, ZoneInfo("UTC"), processes=2)
    assert "event 7 has no start" in str(refused.value) and "DTSTART" in str(refused.value)


@pytest.mark.usefixtures("small_parts")
def test_a_file_whose_events_are_not_one_after_another_is_read_whole(tmp_path: Path) -> None:
    events = [_event(n) for n in range(1, 10)]
    events[4] += "BEGIN:VTODO\r\nUID:todo@test\r\nSUMMARY:Call back\r\nEND:VTODO\r\n"
    path = _file(tmp_path / "mixed.ics", events)
    assert calendar_events._split(path.read_bytes()) is None
    assert [e.row for e in read_ics(path, ZoneInfo("UTC"), processes=2)] == list(range(1, 10))
