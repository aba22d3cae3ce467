"""``kam activity import``: a calendar's events as activities, shown first with --dry-run.

On the small book (:func:`tests.web.small_book.small_book`): ALFKI is ``manager``'s; its
buyer Maria Anders has the address maria@alfki.example.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from kam.domain.stakeholder import Person
from kam.store import records
from kam.store.database import transaction
from tests.cli.test_imports_cli import kam
from tests.web.small_book import small_book

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//Calendar//EN
BEGIN:VEVENT
UID:1@test
DTSTART:20240603T080000Z
SUMMARY:Visit at Alfreds
ATTENDEE:mailto:Maria@ALFKI.example
END:VEVENT
BEGIN:VEVENT
UID:2@test
DTSTART:20240604T080000Z
SUMMARY:Team meeting
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    book = small_book(tmp_path / "book")
    with transaction(book.database) as session:
        person = Person("ALFKI-1", "ALFKI", "Maria Anders", email="maria@alfki.example")
        records.upsert(session, [person], datetime(2024, 1, 1))
    book.close()
    monkeypatch.setenv("KAM_USER", "manager")
    return str(tmp_path / "book")


def test_a_dry_run_shows_each_event_then_the_import_keeps_the_matched_once(
    capsys: pytest.CaptureFixture[str], data_dir: str, tmp_path: Path
) -> None:
    path = tmp_path / "calendar.ics"
    path.write_text(ICS, encoding="utf-8")
    book = ("--data-dir", data_dir)
    out, _ = kam(capsys, "activity", "import", str(path), "--dry-run", *book)
    assert out == (
        "2024-06-03 08:00  Visit at Alfreds  -> ALFKI (Alfreds Futterkiste); "
        "theirs: Maria Anders; ours: you\n"
        "2024-06-04 08:00  Team meeting  left out: no attendee is one of the clients' people\n"
        "2 events: 1 would become an activity; nothing kept (dry run).\n"
    )
    out, _ = kam(capsys, "activity", "import", str(path), *book)
    assert out.endswith("2 events: 1 activity imported.\n")
    out, _ = kam(capsys, "activity", "list", *book)
    assert "Visit at Alfreds" in out
    again, _ = kam(capsys, "activity", "import", str(path), *book)
    assert "left out: in the book already" in again
    assert again.endswith("2 events: 0 activities imported.\n")
    _, err = kam(capsys, "activity", "import", str(tmp_path / "none.ics"), *book, status=2)
    assert "none.ics: no such file" in err
