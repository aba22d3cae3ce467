"""Excel zip bombs on the web: an upload that unpacks past the limit is refused, not parsed."""

from __future__ import annotations

from pathlib import Path

from tests.analytics.test_workbook_limits import bomb
from tests.web.small_book import app_over, client_of, small_book


def test_the_api_and_the_page_refuse_a_workbook_of_210_mb_of_xml_at_the_default_limit(
    tmp_path: Path,
) -> None:
    book = small_book(tmp_path / "book")
    head = client_of(app_over(book), "head")
    content = bomb(tmp_path / "bomb.xlsx", unpacked_mb=210).read_bytes()
    assert len(content) < 1_000_000
    files = {"file": ("bomb.xlsx", content, "application/octet-stream")}
    answer = head.post("/api/imports", data={"kind": "sales", "dry_run": "true"}, files=files)
    assert answer.status_code == 422, answer.text[:300]
    assert "bomb.xlsx" in answer.text and "limit of 200 MB" in answer.text
    assert "excel_max_unpacked_mb" in answer.text
    uploaded = head.post("/imports", data={"kind": "sales", "profile": ""}, files=files)
    mapping = head.get(uploaded.headers["location"])
    assert "limit of 200 MB" in mapping.text
    book.close()
