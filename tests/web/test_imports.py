"""The imports page and its API: upload, map, dry run with every bad row, confirm."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.services.book import Book
from tests.web.conftest import LOGINS, log_in

GOOD = b"client_id,company,potential\nNEW01,New Client One,1000\nNEW02,New Client Two,2500.50\n"
BAD = (
    b"client_id,company,potential\n"
    b"BAD01,Bad One,1000\n"
    b'BAD02,Bad Two,=HYPERLINK("http://x")\n'
    b"BAD03,,12\n"
)


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: these tests change it."""
    return demo_copy


@pytest.fixture(scope="module")
def head(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield log_in(client, LOGINS["head"])


def _upload(client: TestClient, content: bytes, name: str = "clients.csv") -> str:
    answer = client.post(
        "/imports",
        data={"kind": "clients", "profile": ""},
        files={"file": (name, content, "text/csv")},
    )
    assert answer.status_code == 303, answer.text[:300]
    return str(answer.headers["location"])


MAPPING = {"key": "client_id", "name": "company", "potential": "potential"}


def test_the_imports_page_is_for_the_head_and_the_admin(app: FastAPI) -> None:
    for role, status in (("head", 200), ("admin", 200), ("manager", 403), ("viewer", 403)):
        with TestClient(app, follow_redirects=False) as client:
            log_in(client, LOGINS[role])
            assert client.get("/imports").status_code == status, role
            assert client.get("/api/imports").status_code == status, role


def test_the_mapping_page_shows_the_file_columns_prefilled_from_a_profile(
    head: TestClient,
) -> None:
    where = _upload(head, b"customer_id,company_name,country\nZZ1,Zed,Poland\n")
    page = head.get(where + "?profile=northwind-customers")
    assert page.status_code == 200
    assert re.search(r'<option value="company_name" selected>', page.text)
    assert '<option value="country" selected>' in page.text


def test_a_dry_run_lists_every_bad_row_and_imports_nothing(head: TestClient, demo: Book) -> None:
    before = head.get("/api/imports").json()
    where = _upload(head, BAD)
    answer = head.post(where, data={**MAPPING, "action": "check"})
    assert answer.status_code == 400
    assert "2 bad rows" in answer.text
    assert re.search(r"<td class=\"num\">3</td><td>potential</td>", answer.text)
    assert re.search(r"<td class=\"num\">4</td><td>company</td>", answer.text)
    assert head.get("/api/imports").json() == before
    assert head.get("/api/clients/BAD01").status_code == 404
    report = head.get(where + "/report.csv")
    assert report.status_code == 200
    lines = report.text.splitlines()
    assert lines[0] == "file,row,column,value,expected,problem"
    assert any(line.startswith("clients.csv,3,potential,\"'=HYPERLINK") for line in lines)


def test_a_confirmed_import_lands_and_is_logged_under_the_original_name(
    head: TestClient,
) -> None:
    where = _upload(head, GOOD, "my new clients.csv")
    checked = head.post(where, data={**MAPPING, "action": "check"})
    assert checked.status_code == 200 and "no bad row" in checked.text
    assert head.get("/api/clients/NEW01").status_code == 404
    done = head.post(where, data={**MAPPING, "action": "import", "save_profile": "web-clients"})
    assert done.status_code == 303, done.text[:500]
    client = head.get("/api/clients/NEW02").json()["client"]
    assert client["potential"] == 250050
    latest = head.get("/api/imports").json()[0]
    assert (latest["file_name"], latest["user"], latest["status"]) == (
        "my new clients.csv",
        LOGINS["head"],
        "done",
    )
    # the upload is gone once imported: its address and the answer lead to its import's page
    assert done.headers["location"] == f"/imports/log/{latest['id']}"
    assert head.get(where).headers["location"] == done.headers["location"]
    report = head.get(done.headers["location"])
    assert report.status_code == 200 and "Imported (import" in report.text
    assert "web-clients" in head.get("/imports").text  # the mapping was saved as a profile


def test_a_file_of_another_type_is_refused(head: TestClient) -> None:
    answer = head.post(
        "/imports",
        data={"kind": "clients"},
        files={"file": ("run.exe", b"MZ", "application/octet-stream")},
    )
    assert answer.status_code == 400
    assert "expected a CSV, Excel or Parquet file" in answer.text


def test_an_upload_is_seen_only_by_the_user_who_sent_it(head: TestClient, app: FastAPI) -> None:
    where = _upload(head, GOOD)
    with TestClient(app, follow_redirects=False) as admin:
        log_in(admin, LOGINS["admin"])
        assert admin.get(where).status_code == 404
        assert admin.post(where + "/discard").status_code == 404
    assert head.post(where + "/discard").status_code == 303
    assert head.get(where).status_code == 404


def test_an_upload_without_the_csrf_token_is_refused(app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False) as client:
        log_in(client, LOGINS["head"])
        answer = client.post(
            "/imports",
            data={"kind": "clients"},
            files={"file": ("c.csv", GOOD, "text/csv")},
            headers={"X-CSRF-Token": ""},
        )
        assert answer.status_code == 403


def test_the_api_checks_then_imports_a_file(head: TestClient) -> None:
    sales = b"client,date,amount\nNEW01,1998-05-02,100.00\nNEW01,1998-05-03,x\n"
    files = {"file": ("web sales.csv", sales, "text/csv")}
    rejected = head.post("/api/imports", data={"kind": "sales", "dry_run": "true"}, files=files)
    assert rejected.status_code == 422
    body = rejected.json()
    assert body["problem_count"] == 1 and body["problems"][0]["row"] == 3
    assert body["file"] == "web sales.csv" and body["kept"]
    good = b"client,date,amount\nNEW01,1998-05-02,100.00\nNEW01,1998-05-03,50\n"
    files = {"file": ("web sales.csv", good, "text/csv")}
    checked = head.post("/api/imports", data={"kind": "sales"}, files=files)
    assert checked.status_code == 200 and checked.json()["dry_run"]
    assert checked.json()["counts"]["inserted"] == 2
    upload = checked.json()["upload"]
    done = head.post(f"/api/imports/{upload}", data={"options": "{}"})
    assert done.status_code == 200, done.text
    assert done.json()["import_id"] is not None and not done.json()["kept"]
    assert head.get("/api/imports").json()[0]["file_name"] == "web sales.csv"


def test_the_api_refuses_bad_options(head: TestClient) -> None:
    files = {"file": ("c.csv", GOOD, "text/csv")}
    answer = head.post(
        "/api/imports", data={"kind": "clients", "options": '{"join": "x.csv"}'}, files=files
    )
    assert answer.status_code == 422
    answer = head.post("/api/imports", data={"kind": "nothing"}, files=files)
    assert answer.status_code == 422


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (b"NaN", "a number with a decimal point"),
        (b"1e300", "an amount of at most"),
        (b"92233720368547758.07", "an amount of at most"),
        (b'"1,2,3"', "a number with a decimal point"),
    ],
)
def test_a_bad_amount_answers_with_the_row_report_not_sql(
    head: TestClient, amount: bytes, expected: str
) -> None:
    before = head.get("/api/imports").json()
    sales = b"client,date,amount\nNEW01,1998-05-02,100.00\nNEW02,1998-05-03," + amount + b"\n"
    files = {"file": ("bad amounts.csv", sales, "text/csv")}
    answer = head.post("/api/imports", data={"kind": "sales", "dry_run": "false"}, files=files)
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] is None and body["rejected"] and body["counts"]["inserted"] == 0
    [problem] = body["problems"]
    assert (problem["file"], problem["row"], problem["column"]) == ("bad amounts.csv", 3, "amount")
    assert problem["value"] == amount.decode().strip('"')
    assert problem["expected"].startswith(expected)
    assert "SELECT" not in answer.text and "CAST" not in answer.text
    after = head.get("/api/imports").json()
    assert [e for e in after if e["status"] != "rejected"] == [
        e for e in before if e["status"] != "rejected"
    ]


def test_a_page_upload_of_implausible_dates_shows_the_bad_rows(head: TestClient) -> None:
    sales = b"client,date,amount\nNEW01,1998-05-02,100.00\nNEW02,9999-12-31,5.50\n"
    answer = head.post(
        "/imports",
        data={"kind": "sales", "profile": ""},
        files={"file": ("future.csv", sales, "text/csv")},
    )
    assert answer.status_code == 303
    page = head.post(answer.headers["location"], data={"action": "check"})
    assert page.status_code == 400
    assert "9999-12-31" in page.text and "1900-01-01" in page.text
    assert "SELECT" not in page.text


def test_a_dry_run_allowing_outside_dates_shows_them_as_warnings_and_the_dates(
    head: TestClient,
) -> None:
    sales = b"client,date,amount\nNEW01,1998-05-02,100.00\nNEW02,1890-12-31,5.50\n"
    answer = head.post(
        "/imports",
        data={"kind": "sales", "profile": ""},
        files={"file": ("old.csv", sales, "text/csv")},
    )
    page = head.post(
        answer.headers["location"], data={"action": "check", "allow_dates_outside": "true"}
    )
    assert page.status_code == 200, page.text[:500]
    assert "1890-12-31 to 1998-05-02" in page.text
    assert "Warnings (imported all the same)" in page.text and "row 3" in page.text
    api = head.post(
        "/api/imports",
        data={"kind": "sales", "options": '{"allow_dates_outside": true}'},
        files={"file": ("old api.csv", sales, "text/csv")},
    )
    assert api.status_code == 200
    body = api.json()
    assert (body["first_date"], body["last_date"]) == ("1890-12-31", "1998-05-02")
    assert [(w["row"], w["value"]) for w in body["warnings"]] == [(3, "1890-12-31")]
