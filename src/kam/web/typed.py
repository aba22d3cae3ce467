"""A form refused is drawn again as it was typed, with the reason next to the field.

What a browser's form sends is kept (:func:`keep_posted`, for every route:
``request.state.posted``). A form's route may read it with :func:`posted`,
which checks it against the form's model there, not before the route runs, so
that a value the model refuses (a text longer than its field allows) is a
refusal like any other; :func:`form_text` and :func:`field_value` check one
value, naming its field. The route runs its change and, refused, draws its
page again (400) after :func:`refuse` kept the reason and the field it
concerns (``request.state.refused``).

:func:`refill` then fills the page's form that was sent (the one whose action
is the address posted to, and whose hidden fields hold what was sent) with the
values as typed: inputs, text areas, selects and check boxes; the field the
reason concerns is marked invalid (``aria-invalid``) and followed by the
reason, unless the page's template marked it already (a plan item's form,
``request.state.item_form``, is drawn as typed by its template).
"""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import unquote

from fastapi import Request
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from starlette.datastructures import FormData

from kam.domain.items import ItemValueError, clean_text
from kam.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

#: The most characters a form may send for a text: one over a field's own limit is refused
#: with the form drawn again as typed (400), one over this with a bare error page (422).
FORM_TEXT_LIMIT = 100_000


@dataclass(frozen=True)
class Refusal:
    """Why a form was refused: the ``message``, and the ``field`` it concerns ("": none known)."""

    field: str
    message: str


def _reason(error: ErrorDetails) -> str:
    """A refusal of the form's model in the reader's language."""
    given = error.get("input")
    context = error.get("ctx") or {}
    if error["type"] == "string_too_long":
        return _("a text has at most {limit} characters, not {length}").format(
            limit=context.get("max_length"), length=len(str(given))
        )
    if error["type"] == "missing":
        return _("this field is needed")
    return _("{text!r} is not one of the values this field takes").format(text=str(given)[:80])


def model_refusal(error: ValidationError) -> ItemValueError:
    """The first refusal of a form's model, naming its field."""
    first = error.errors()[0]
    location = [str(part) for part in first.get("loc", ()) if not isinstance(part, int)]
    return ItemValueError(location[-1] if location else "", _reason(first))


def _sent(form: FormData) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        values.setdefault(name, []).append(value if isinstance(value, str) else "")
    return values


async def keep_posted(request: Request) -> None:
    """Keep what a browser's form sent (``request.state.posted``), to draw the form again
    as typed when it is refused (the form is read once: FastAPI reads the same)."""
    kind = request.headers.get("content-type", "")
    if request.method == "POST" and kind.startswith("application/x-www-form-urlencoded"):
        request.state.posted = _sent(await request.form())


def posted(model: type[M]) -> Callable[[Request], Awaitable[M]]:
    """A dependency reading a form into ``model``: the values sent are kept for the page
    drawn again, and a value the model refuses is kept as the request's refusal
    (``request.state.model_refusal``, raised by :func:`raise_refusal` where the route
    changes something) while the route gets the values as sent."""

    async def read(request: Request) -> M:
        values = request.state.posted = _sent(await request.form())
        fields: dict[str, Any] = {
            name: sent if _repeated(model, name) else sent[-1] for name, sent in values.items()
        }
        try:
            return model.model_validate(fields)
        except ValidationError as error:
            request.state.model_refusal = model_refusal(error)
            return model.model_construct(**fields)

    return read


def _repeated(model: type[BaseModel], name: str) -> bool:
    found = model.model_fields.get(name)
    return found is not None and getattr(found.annotation, "__origin__", None) is list


def raise_refusal(request: Request) -> None:
    """Refuse the change when the form's model refused a value (:func:`posted`)."""
    refusal = getattr(request.state, "model_refusal", None)
    if refusal is not None:
        raise refusal


def field_value(field: str, read: Callable[[str], T], text: str) -> T:
    """``read(text)``, a refusal naming ``field`` (:class:`~kam.domain.items.ItemValueError`)."""
    try:
        return read(text)
    except ValueError as error:
        raise ItemValueError(field, str(error)) from None


def form_text(field: str, text: str, limit: int) -> str:
    """A text typed into a form's ``field``, trimmed, at most ``limit`` characters (a refusal
    naming the field: :class:`~kam.domain.items.ItemValueError`)."""
    return field_value(field, lambda typed: clean_text(typed, limit), text)


def field_of(error: BaseException) -> str:
    """The field a refusal concerns, where it or an error it was raised from names one."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ItemValueError):
            return seen.field
        seen = seen.__cause__ or seen.__context__
    return ""


def refuse(request: Request, error: BaseException) -> str:
    """Keep why a form was refused for its page drawn again; the reason."""
    request.state.refused = Refusal(field_of(error), str(error))
    return str(error)


# --- drawing the form again


_ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL)
_CONTROL = re.compile(
    r"<input\b[^>]*>|<textarea\b[^>]*>.*?</textarea>|<select\b[^>]*>.*?</select>", re.DOTALL
)
_OPTION = re.compile(r"(<option\b[^>]*>)([^<]*)")
#: Inputs whose value is not typed: left as the page drew them.
_KEPT = {"hidden", "submit", "button", "file", "password"}


def _attributes(tag: str) -> dict[str, str]:
    opening = tag[: tag.index(">") + 1]
    return {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(opening)}


def _with_value(tag: str, value: str) -> str:
    escaped = html.escape(value, quote=True)
    if re.search(r'\svalue="[^"]*"', tag):
        return re.sub(r'\svalue="[^"]*"', lambda _m: f' value="{escaped}"', tag, count=1)
    return tag[:-1].rstrip("/").rstrip() + f' value="{escaped}">'


def _ticked(tag: str, on: bool) -> str:
    tag = re.sub(r"\schecked(?=[\s>/])", "", tag)
    return tag[:-1] + (" checked>" if on else ">")


def _chosen(block: str, value: str) -> str:
    """A select's ``block`` with the option of ``value`` (or of that text) selected."""

    def option(found: re.Match[str]) -> str:
        tag = re.sub(r"\sselected(?=[\s>])", "", found.group(1))
        given = _attributes(tag).get("value", html.unescape(found.group(2)).strip())
        return (tag[:-1] + " selected>" if given == value else tag) + found.group(2)

    return _OPTION.sub(option, block)


def _filled(control: str, sent: Sequence[str], index: int) -> str:
    """``control`` holding the value sent for it (the ``index``-th of its name)."""
    attributes = _attributes(control)
    value = sent[index] if index < len(sent) else ""
    if control.startswith("<textarea"):
        opening = control[: control.index(">") + 1]
        return f"{opening}{html.escape(value, quote=False)}</textarea>"
    if control.startswith("<select"):
        return _chosen(control, value)
    kind = attributes.get("type", "text")
    if kind in ("checkbox", "radio"):
        return _ticked(control, attributes.get("value", "on") in sent)
    return control if kind in _KEPT else _with_value(control, value)


def _marked(control: str, refusal: Refusal, name: str) -> str:
    """``control`` marked invalid and followed by the reason."""
    reason_id = f"refused-{re.sub(r'[^A-Za-z0-9_-]', '-', name)}"
    end = control.index(">")
    opening = control[:end].rstrip("/").rstrip()
    aria = f' aria-invalid="true" aria-describedby="{reason_id}"'
    reason = f' <span class="error" id="{reason_id}">{html.escape(refusal.message)}</span>'
    return opening + aria + control[end:] + reason


def _typed_names(form: str, always: bool = False) -> list[str]:
    """The names of the controls of ``form`` a person types into or chooses in (``always``:
    those a browser always sends, so not the boxes to tick)."""
    names = []
    for found in _CONTROL.finditer(form):
        attributes = _attributes(found.group(0))
        kind = attributes.get("type")
        ticked = always and kind in ("checkbox", "radio")
        if kind not in _KEPT and attributes.get("name") and not ticked:
            names.append(attributes["name"])
    return names


def _fill_form(form: str, sent: Mapping[str, Sequence[str]], refusal: Refusal) -> str:
    """``form`` filled as typed; the field the refusal concerns marked, or the form's only
    field when the refusal names none."""
    typed = _typed_names(form)
    if not refusal.field and len(typed) == 1:
        refusal = Refusal(typed[0], refusal.message)
    seen: dict[str, int] = {}
    marked = False

    def control(found: re.Match[str]) -> str:
        nonlocal marked
        tag = found.group(0)
        attributes = _attributes(tag)
        name = attributes.get("name")
        if name and name not in sent and attributes.get("type") in ("checkbox", "radio"):
            return _ticked(tag, False)  # a box left unticked is not sent
        if not name or name not in sent:
            return tag
        index = seen.get(name, 0)
        seen[name] = index + 1
        tag = _filled(tag, sent[name], index)
        if name == refusal.field and not marked:
            marked = True
            tag = tag if "aria-invalid=" in tag else _marked(tag, refusal, name)
        return tag

    return _CONTROL.sub(control, form)


def _sent_here(form: str, path: str, sent: Mapping[str, Sequence[str]]) -> bool:
    """Whether ``form`` is the one sent: it posts to ``path``, every field it sends always
    was sent, and its hidden fields (but the CSRF token) hold what was sent."""
    opening = _attributes(form)
    posts_here = unquote(opening.get("action", "")) == path  # a client key may be quoted
    if opening.get("method", "get").lower() != "post" or not posts_here:
        return False
    if any(name not in sent for name in _typed_names(form, always=True)):
        return False
    for tag in re.findall(r"<input\b[^>]*>", form):
        hidden = _attributes(tag)
        name = hidden.get("name", "")
        kept = hidden.get("type") == "hidden" and name in sent and name != "csrf_token"
        if kept and hidden.get("value", "") not in sent[name]:
            return False
    return True


def refill(page: str, path: str, sent: Mapping[str, Sequence[str]], refusal: Refusal) -> str:
    """``page`` with its form sent to ``path`` filled as it was typed (``sent``) and the
    field ``refusal`` concerns marked with the reason (the first such form)."""
    done = False

    def form(found: re.Match[str]) -> str:
        nonlocal done
        if done or not _sent_here(found.group(0), path, sent):
            return found.group(0)
        done = True
        return _fill_form(found.group(0), sent, refusal)

    return _FORM.sub(form, page)


def refusal_of(request: Request) -> Refusal | None:
    """Why the form sent on ``request`` was refused: kept by :func:`refuse`, or by a plan
    item's form (``request.state.item_form``); ``None`` when none was."""
    refusal: Refusal | None = getattr(request.state, "refused", None)
    item_form = getattr(request.state, "item_form", None)
    if refusal is None and item_form is not None:
        return Refusal(item_form.field, item_form.message)
    return refusal


def typed_page(request: Request, body: str) -> str:
    """A page answering a form refused on ``request``, its form filled as typed."""
    refusal = refusal_of(request)
    sent: Mapping[str, Sequence[str]] | None = getattr(request.state, "posted", None)
    if refusal is None or sent is None:
        return body
    return refill(body, request.url.path, sent, refusal)
