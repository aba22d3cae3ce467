"""Finding the pages' forms: a walk through the app's links that collects every form that posts.

The form tests (fuzzing, errors shown next to their field) walk the pages of a
copy of the demo book as a browser would, and read each form's controls: their
name, what they hold and the attributes a browser checks (``maxlength``,
``type``, ``inputmode``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from fastapi.testclient import TestClient

#: Pages the walk does not follow: they end the session or only download.
SKIPPED = re.compile(r"/logout|/download|\.csv|\.xlsx|\.pdf|/static/|/api/")
MAX_PAGES = 160
#: The elements that have no end tag.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Control:
    """One named control of a form: its tag, its ``type`` (inputs), its value as the page
    filled it, its attributes, and the options of a select."""

    name: str
    tag: str
    type: str
    value: str
    attrs: dict[str, str]
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    """A form that posts: its ``action``, its controls (the first of each name) and every
    control in order (a table of rows repeats the names)."""

    action: str
    controls: dict[str, Control] = field(default_factory=dict)
    every: list[Control] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, str]:
        """The values a browser would send, one per name."""
        return {name: control.value for name, control in self.controls.items()}

    @property
    def sent(self) -> dict[str, list[str]]:
        """Every value a browser would send, by name: the boxes ticked, every row's field."""
        values: dict[str, list[str]] = {}
        for control in self.every:
            ticked = "checked" in control.attrs
            if control.type not in ("checkbox", "radio") or ticked:
                values.setdefault(control.name, []).append(control.value)
        return values


class Page(HTMLParser):
    """The links and the forms that post of one page, and the ids of its elements' texts."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.texts: dict[str, str] = {}
        self._form: Form | None = None
        self._select: Control | None = None
        self._textarea: Control | None = None
        self._option: tuple[Control, bool] | None = None
        self._open: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag not in _VOID:
            self._open.append((tag, found.get("id", "")))
            if found.get("id"):
                self.texts[found["id"]] = ""
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        elif tag == "form" and found.get("method", "get").lower() == "post":
            self._form = Form(found.get("action", ""))
            self.forms.append(self._form)
        elif self._form is not None and found.get("name"):
            self._control(tag, found)
        if tag == "option" and self._select is not None:
            value = found.get("value", "")
            self._select.options.append(value)
            chosen = len(self._select.options) == 1 or "selected" in found
            if chosen:
                self._select.value = value
            # an option without a value sends its text
            self._option = None if "value" in found else (self._select, chosen)

    def _control(self, tag: str, found: dict[str, str]) -> None:
        assert self._form is not None
        controls = self._form.controls
        name = found["name"]
        kind = found.get("type", "text") if tag == "input" else ""
        default = found.get("value", "on" if kind in ("checkbox", "radio") else "")
        control = Control(name, tag, kind, default if tag == "input" else "", found)
        self._form.every.append(control)
        if tag == "input" and kind in ("checkbox", "radio"):
            if "checked" in found or name not in controls:
                controls[name] = control
        elif tag == "select":
            self._select = control
        elif tag == "textarea":
            self._textarea = control
        controls.setdefault(name, control)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            select, chosen = self._option
            select.options[-1] += data.strip()
            if chosen:
                select.value = select.options[-1]
        for _tag, element in self._open:
            if element:
                self.texts[element] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        if tag in ("option", "select"):
            self._option = None
        elif tag == "textarea":
            self._textarea = None
        while any(opened == tag for opened, _id in self._open):
            if self._open.pop()[0] == tag:
                break


def read_page(html: str) -> Page:
    """The links and forms of a page."""
    page = Page()
    page.feed(html)
    return page


def _shape(path: str) -> str:
    """A page's address with its client (prospect, user) and its numbers taken out: pages of
    one shape carry the same forms."""
    path = re.sub(r"/(clients|prospects|users)/[^/?]+", r"/\1/X", path)
    return re.sub(r"\d+", "N", path)


#: Where a walk starts: the plans' list first, so that it goes through a plan's tabs before
#: the pages of every client.
START = ("/plans", "/", "/portfolio", "/clients", "/imports")


def walk(client: TestClient, start: tuple[str, ...] = START) -> dict[str, tuple[str, Form]]:
    """The forms that post, by action and fields, found on the pages a link leads to from
    ``start``: ``(page, form)`` with the form's action made absolute."""
    queue = list(start)
    shapes = {_shape(p) for p in queue}
    forms: dict[str, tuple[str, Form]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        visited += 1
        answer = client.get(path)
        assert answer.status_code < 500, f"GET {path}: {answer.status_code}"
        if answer.status_code != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        page = read_page(answer.text)
        for form in page.forms:
            form.action = urljoin(path, form.action) if form.action else path
            key = _shape(urlsplit(form.action).path) + "|" + ",".join(sorted(form.controls))
            forms.setdefault(key, (path, form))
        for link in page.links:
            parts = urlsplit(urljoin(path, link))
            if parts.netloc or SKIPPED.search(parts.path):
                continue
            found = parts.path + (f"?{parts.query}" if parts.query else "")
            if _shape(found) not in shapes:
                shapes.add(_shape(found))
                queue.append(found)
    return forms
