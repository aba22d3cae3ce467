"""Classification settings: who may read and change them, the preview, saving and classifying."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kam.domain.classes import MIGRATION_STATES, NO_CLASS
from kam.services.book import Book
from kam.store import class_history
from kam.store.database import transaction
from tests.web.conftest import LOGINS, log_in

COUNT = {"policy": "count", "cutoffs": "10%,40%", "by": "revenue", "period": "", "groups": False}


@pytest.fixture(scope="module")
def demo(demo_copy: Book) -> Book:
    """A copy of the demo book: these tests change it."""
    return demo_copy


@pytest.fixture(scope="module")
def head(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as client:
        yield log_in(client, LOGINS["head"])


def test_the_settings_are_for_the_head_and_the_admin_only(app: FastAPI) -> None:
    for role, status in (("head", 200), ("admin", 200), ("manager", 403), ("viewer", 403)):
        with TestClient(app, follow_redirects=False) as client:
            log_in(client, LOGINS[role])
            assert client.get("/settings/classification").status_code == status, role
            assert client.get("/api/settings/classification").status_code == status, role
            preview = client.post("/api/settings/classification/preview", json=COUNT)
            assert preview.status_code == status, role
            assert client.put("/api/settings/classification", json=COUNT).status_code == status


def test_the_preview_counts_equal_the_changes_of_a_real_classification(
    head: TestClient, demo: Book
) -> None:
    preview = head.post("/api/settings/classification/preview", json=COUNT).json()
    latest_id = preview["latest"]["id"]
    assert preview["changes"] > 0
    saved = head.put("/api/settings/classification?classify=true", json=COUNT)
    assert saved.status_code == 200, saved.text
    run_id = saved.json()["run"]["id"]
    assert saved.json()["run"]["taken_by"] == LOGINS["head"]
    with transaction(demo.database) as session:
        old = class_history.get_run(session, latest_id)
        new = class_history.get_run(session, run_id)
        assert old is not None and new is not None
        before = {s.client_key: s.abc_class for s in class_history.snapshots_of(session, old)}
        after = {s.client_key: s.abc_class for s in class_history.snapshots_of(session, new)}
    counts = {b: dict.fromkeys(MIGRATION_STATES, 0) for b in MIGRATION_STATES}
    for key in set(before) | set(after):
        counts[before.get(key, NO_CLASS)][after.get(key, NO_CLASS)] += 1
    assert preview["matrix"] == counts
    assert preview["changes"] == sum(
        n for b, row in counts.items() for a, n in row.items() if a != b
    )


def test_saving_writes_the_settings_file_and_keeps_its_other_settings(
    head: TestClient, demo: Book
) -> None:
    path = demo.data_dir / "settings.toml"
    path.write_text('engine = "duckdb"\n', encoding="utf-8")
    answer = head.put("/api/settings/classification", json={**COUNT, "period": "1997"})
    assert answer.status_code == 200 and answer.json()["run"] is None
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert written["engine"] == "duckdb"
    assert (written["policy"], written["cutoffs"], written["period"]) == (
        "count",
        "0.1,0.4",
        "1997",
    )
    assert head.get("/api/settings/classification").json()["period"] == "1997"


def test_bad_settings_are_refused_with_the_reason(head: TestClient) -> None:
    answer = head.put("/api/settings/classification", json={**COUNT, "cutoffs": "0.9,0.5"})
    assert answer.status_code == 422
    answer = head.post(
        "/api/settings/classification/preview", json={**COUNT, "period": "next year"}
    )
    assert answer.status_code == 422 and "period" in answer.json()["detail"]


def test_the_page_previews_and_saves_through_its_form(head: TestClient) -> None:
    form = {
        "policy": "pareto",
        "cutoffs": "0.7,0.9",
        "by": "revenue",
        "period": "",
        "groups": "false",
    }
    preview = head.post(
        "/settings/classification/preview", data=form, headers={"HX-Request": "true"}
    )
    assert preview.status_code == 200
    assert "would change class" in preview.text and "<table" in preview.text
    assert "<html" not in preview.text
    saved = head.post("/settings/classification", data=form)
    assert saved.status_code == 200 and "Saved to settings.toml." in saved.text
    assert 'value="0.7,0.9"' in head.get("/settings/classification").text


def test_a_change_without_the_csrf_token_is_refused(head: TestClient) -> None:
    answer = head.put("/api/settings/classification", json=COUNT, headers={"X-CSRF-Token": ""})
    assert answer.status_code == 403
