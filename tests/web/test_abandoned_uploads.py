"""Abandoned uploads are removed: when the app starts and before each new upload."""

from __future__ import annotations

import io
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kam.domain.import_log import ImportKind
from kam.services import uploads
from kam.services.book import Book
from tests.web.small_book import app_over, client_of, small_book

CSV = b"client_id,name\nNEW1,New One\n"


def upload(book: Book, when: datetime) -> Path:
    kept = uploads.store_upload(
        book,
        "head",
        ImportKind.CLIENTS,
        "clients.csv",
        io.BytesIO(CSV),
        now=when,
    )
    return uploads.upload_path(book, kept).parent


def test_uploads_older_than_the_setting_go_at_the_next_upload_and_at_start(
    tmp_path: Path,
) -> None:
    book = small_book(tmp_path / "book")
    now = datetime.now()
    old = upload(book, now - timedelta(hours=30))
    cut_short = book.data_dir / "uploads" / ("f" * 32)
    cut_short.mkdir()
    (cut_short / "half.csv").write_bytes(b"client_id")
    stamp = (now - timedelta(hours=30)).timestamp()
    os.utime(cut_short, (stamp, stamp))
    recent = upload(book, now - timedelta(hours=2))
    assert not old.exists() and not cut_short.exists() and recent.exists()
    again = upload(book, now - timedelta(hours=30))
    app_over(book)
    assert not again.exists() and recent.exists()
    head = client_of(app_over(book), "head")
    answer = head.post(
        "/imports",
        data={"kind": "clients", "profile": ""},
        files={"file": ("c.csv", CSV, "text/csv")},
    )
    assert answer.status_code == 303
    book.close()


def test_the_age_is_a_setting() -> None:
    assert uploads.upload_max_age({}) == timedelta(hours=24)
    assert uploads.upload_max_age({"upload_max_age_hours": "0.5"}) == timedelta(minutes=30)
    with pytest.raises(ValueError, match="upload_max_age_hours"):
        uploads.upload_max_age({"upload_max_age_hours": "-1"})
