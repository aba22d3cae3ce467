"""Each import has a page of its own, reached from the import log and kept with its report."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.services.book import Book
from tests.web.conftest import LOGINS, log_in

GOOD = b"client_id,company,potential\nLOG01,Logged One,1000\nLOG02,Logged Two,2500\n"
BAD = b"client_id,company,potential\nLOG03,Logged Three,1000\nLOG04,Logged Four,lots\n"
MAPPING = {"key": "client_id", "name": "company", "potential": "potential"}


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: these tests change it."""
    return demo_copy


@pytest.fixture(scope="module")
def head(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield log_in(client, LOGINS["head"])


def _upload(client: TestClient, content: bytes, name: str) -> str:
    answer = client.post(
        "/imports", data={"kind": "clients"}, files={"file": (name, content, "text/csv")}
    )
    assert answer.status_code == 303, answer.text[:300]
    return str(answer.headers["location"])


def test_a_finished_import_has_a_page_that_survives_a_reload(head: TestClient) -> None:
    where = _upload(head, GOOD, "logged.csv")
    done = head.post(where, data={**MAPPING, "action": "import"}, headers={"HX-Request": "true"})
    assert done.status_code == 200
    target = done.headers["HX-Redirect"]
    assert re.fullmatch(r"/imports/log/\d+", target)
    for _reload in range(2):
        page = head.get(target)
        assert page.status_code == 200
        assert "logged.csv" in page.text and "Imported (import" in page.text
        assert re.search(r"<dt>inserted</dt><dd>2</dd>", page.text)
    # the upload's own address leads there too
    assert head.get(where).headers["location"] == target
    api = head.get("/api" + target).json()
    assert api["record"]["file_name"] == "logged.csv"
    assert api["report"]["counts"]["inserted"] == 2 and api["report"]["upload"] in where


def test_every_row_of_the_import_log_links_to_its_page(head: TestClient) -> None:
    log = head.get("/api/imports").json()
    page = head.get("/imports").text
    links = set(re.findall(r'href="/imports/log/(\d+)"', page))
    assert links == {str(entry["id"]) for entry in log}
    for entry in log:
        one = head.get(f"/imports/log/{entry['id']}")
        assert one.status_code == 200 and entry["file_name"] in one.text


def test_an_import_made_before_reports_were_kept_shows_what_the_log_holds(
    head: TestClient,
) -> None:
    first = head.get("/api/imports").json()[-1]  # the demo's own, made without the web
    page = head.get(f"/imports/log/{first['id']}").text
    assert "the log holds its counts only" in page
    assert f"<dt>inserted</dt><dd>{first['counts']['inserted']:,}</dd>" in page


def test_a_rejected_import_keeps_its_bad_rows_in_its_report(head: TestClient) -> None:
    where = _upload(head, BAD, "logged bad.csv")
    rejected = head.post(where, data={**MAPPING, "action": "import"})
    assert rejected.status_code == 400
    entry = head.get("/api/imports").json()[0]
    assert (entry["file_name"], entry["status"]) == ("logged bad.csv", "rejected")
    head.post(f"{where}/discard")
    page = head.get(f"/imports/log/{entry['id']}").text
    assert "nothing was imported" in page and "lots" in page
    assert "report.csv" not in page  # the upload (and its full report) is gone


def test_an_unknown_import_is_not_found_and_only_book_managers_see_any(
    app: FastAPI, head: TestClient
) -> None:
    assert head.get("/imports/log/999999").status_code == 404
    assert head.get("/api/imports/log/999999").status_code == 404
    assert head.get(f"/imports/log/{2**70}").status_code == 422
    with TestClient(app, follow_redirects=False) as manager:
        log_in(manager, LOGINS["manager"])
        assert manager.get("/imports/log/1").status_code == 403
        assert manager.get("/api/imports/log/1").status_code == 403
