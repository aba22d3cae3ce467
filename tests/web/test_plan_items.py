"""A kind of plan item from its declaration alone: the store's table, the six routes, the
models and the shared list on the section's page, on a kind only this test declares."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import Response
from fastapi.testclient import TestClient
from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kam.domain.items import FieldType, ItemField, ItemKind
from kam.services import plans
from kam.services.book import Book
from kam.store.plans.items import ItemTable
from kam.web.routes.plans.common import At, Section
from kam.web.routes.plans.items import item_models, item_routes
from tests.web.conftest import LOGINS, PlanBook, app_over

KEY = "DRACD"  # the manager's client; the viewer sees it
PERIOD = plans.current_period()
PAGE = f"/clients/{KEY}/plans/{PERIOD}/reminders"
API = f"/api{PAGE}"


@dataclass(frozen=True)
class Reminder:
    id: int
    plan_id: int
    text: str
    due: date | None
    updated_at: datetime
    updated_by: str
    version: int = 1


REMINDER = ItemKind(
    "reminder",
    Reminder,
    (
        ItemField("text", FieldType.TEXT, "Reminder", 200, required="say what to remember"),
        ItemField("due", FieldType.DATE, "Due date"),
    ),
    title="Reminders",
    add_label="Add a reminder",
    delete_label="Delete this reminder",
    empty_label="No reminder yet.",
)


class _Base(DeclarativeBase):
    pass


class ReminderRow(_Base):
    __tablename__ = "test_plan_reminders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer, index=True)
    text: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)


ItemTable(REMINDER, ReminderRow)


def _page(at: At, error: str = "", status: int = 200) -> Response:
    return at.page("plan_base.html", at.context(), {}, status)


SECTION = Section("reminders")


def _page_of(at: Annotated[At, Depends(SECTION.at)]) -> Response:
    return _page(at)


def _section() -> Section:
    SECTION.pages.add_api_route("", _page_of)
    models = item_models(REMINDER, create_doc="A reminder.", public_doc="A reminder as kept.")
    item_routes(SECTION, models, page=_page, listed=True)
    return SECTION


@pytest.fixture(scope="module")
def demo(
    plan_book: Callable[[Mapping[str, str]], PlanBook],
) -> Iterator[Book]:
    """A copy of the demo book with this year's plan of KEY and the reminders' table."""
    book = plan_book({KEY: ""}).book
    _Base.metadata.create_all(book.database)
    yield book


@pytest.fixture(scope="module")
def app(demo: Book) -> FastAPI:
    """The app over the copy, with the reminders' routes."""
    app = app_over(demo)
    section = _section()
    app.include_router(section.pages)
    app.include_router(section.api)
    return app


def test_a_declared_kind_is_added_changed_and_removed_through_the_api(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    answer = manager.post(API, json={"text": " Call back ", "due": "2026-12-24"})
    assert answer.status_code == 201
    added = answer.json()
    assert (added["text"], added["due"], added["updated_by"]) == (
        "Call back",
        "2026-12-24",
        LOGINS["manager"],
    )
    whole = {"text": "Call back soon", "due": None}
    changed = manager.put(f"{API}/{added['id']}", json=whole).json()
    assert (changed["text"], changed["due"], changed["version"]) == ("Call back soon", None, 2)
    assert manager.post(API, json={"text": " "}).status_code == 400
    assert manager.put(f"{API}/{2**31}", json={"text": "x", "due": None}).status_code == 404
    assert manager.delete(f"{API}/{added['id']}").status_code == 204
    assert manager.delete(f"{API}/{added['id']}").status_code == 404
    assert login("viewer").post(API, json={"text": "x"}).status_code == 403


def test_a_listed_kind_is_shown_and_edited_on_the_section_s_page(
    login: Callable[[str], TestClient],
) -> None:
    manager = login("manager")
    assert "No reminder yet." in manager.get(PAGE).text
    answer = manager.post(PAGE, data={"text": "Send the offer", "due": "2026-12-31"})
    assert answer.status_code == 303
    page = manager.get(PAGE).text
    assert "Reminders" in page and "Send the offer" in page and "Delete this reminder" in page
    assert manager.post(PAGE, data={"text": "Refused", "due": "soon"}).status_code == 400
    assert "Refused" not in manager.get(PAGE).text
    viewer = login("viewer").get(PAGE).text
    assert "Send the offer" in viewer and "Delete this reminder" not in viewer
    [item] = manager.get(PAGE).text.split('id="reminder-')[1:2]
    item_id = item.split('"')[0]
    assert manager.post(f"{PAGE}/{item_id}/delete").status_code == 303
    assert "Send the offer" not in manager.get(PAGE).text
