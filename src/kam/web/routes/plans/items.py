"""The routes of a kind of plan item, from its declaration: form and JSON, add, change, remove.

:func:`item_models` derives a kind's API models (``<Kind>Create``,
``<Kind>Update``, ``<Kind>Public``) and its form model from the kind's
:class:`~kam.domain.items.ItemKind`; :func:`item_routes` gives a section's
routers the six routes of the kind::

    POST   /clients/{key}/plans/{period}/<section>[/<path>]                    add (form)
    POST   /clients/{key}/plans/{period}/<section>[/<path>]/{item_id}          change (form)
    POST   /clients/{key}/plans/{period}/<section>[/<path>]/{item_id}/delete   remove (form)
    POST   /api/clients/{key}/plans/{period}/<section>[/<path>]                add (201)
    PUT    /api/clients/{key}/plans/{period}/<section>[/<path>]/{item_id}      change, whole
    PATCH  /api/clients/{key}/plans/{period}/<section>[/<path>]/{item_id}      change, in part
    DELETE /api/clients/{key}/plans/{period}/<section>[/<path>]/{item_id}      remove (204)

Each change runs in one transaction (:func:`kam.services.plans.items.editing`).
A viewer or a past year gets 403, an unknown plan or item 404; a value refused
answers 400 with the reason (the API) or the section's page again with it (a
form); a form taken goes back to the section's page (303). A PUT gives every
field (one left out answers 422), a PATCH those that change; each item has a
``version``, and a change or removal made on an older one (``If-Match``, the
body's ``version``, a form's hidden field) answers 409 or draws the form again
as typed with who changed the item since (:mod:`kam.web.routes.plans.versions`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, create_model

from kam.domain.items import FieldType, ItemField, ItemKind, ItemValueError, clean_text
from kam.domain.versions import StaleVersionError
from kam.i18n import gettext as _
from kam.services.plans.items import PlanEdit
from kam.web.routes.plans.common import LISTED, At, Page, Section
from kam.web.routes.plans.forms import AnyId, form_date, form_int, form_money, form_percent
from kam.web.routes.plans.versions import (
    expected_version,
    form_version,
    patch_model,
    patched_on,
    tag,
    whole_model,
)
from kam.web.typed import FORM_TEXT_LIMIT, field_of

T = TypeVar("T")

#: What the API says of an owner: a user of the book.
OWNER_DESCRIPTION = (
    "The name of an active user of the book who may see the client (null: none); "
    "any other name answers 422, except the owner the object has."
)
#: The characters a form may send for a field of each type that is not a text.
_FORM_LIMITS = {
    FieldType.SHARE: 20,
    FieldType.MONEY: 40,
    FieldType.INT: 10,
    FieldType.REF: 20,
    FieldType.DATE: 20,
}


def _model_name(kind: ItemKind[Any], role: str) -> str:
    return "".join(part.title() for part in kind.name.split("_")) + role


def _api_field(spec: ItemField) -> tuple[Any, Any]:
    """The type and :func:`~pydantic.Field` of a field in the API's models."""
    asked = spec.asked
    if spec.type is FieldType.USER:
        return str | None, Field(None, max_length=spec.limit, description=OWNER_DESCRIPTION)
    if spec.type in (FieldType.TEXT, FieldType.NOTE):
        if spec.optional:
            return str | None, Field(None, max_length=spec.limit)
        if asked:
            return str, Field(max_length=spec.limit, min_length=spec.minimum or None)
        return str, Field("", max_length=spec.limit)
    if spec.type is FieldType.SHARE:
        return float, Field(ge=0, le=100) if asked else Field(0.0, ge=0, le=100)
    if spec.type is FieldType.MONEY and spec.optional:
        return int | None, Field(None, ge=0)
    if spec.type is FieldType.MONEY:
        return int, Field(ge=0) if asked else Field(0, ge=0)
    if spec.type is FieldType.INT:
        low, high = spec.minimum, spec.limit
        if spec.optional:
            return int | None, Field(None, ge=low, le=high)
        return int, Field(ge=low, le=high) if asked else Field(spec.empty(), ge=low, le=high)
    if spec.type is FieldType.CHOICE and spec.optional:
        return spec.choices | None, None  # type: ignore[operator]
    if spec.type is FieldType.CHOICE:
        return spec.choices, ... if asked else spec.empty()
    if spec.type is FieldType.DATE:
        return (date, ...) if asked else (date | None, None)
    if spec.type is FieldType.BOOL:
        return (bool, ...) if asked else (bool, False)
    if spec.limit:  # a reference with its range of ids
        if asked:
            return int, Field(ge=spec.minimum, le=spec.limit)
        return int | None, Field(None, ge=spec.minimum, le=spec.limit)
    return (int, ...) if asked else (int | None, None)


def _form_field(spec: ItemField) -> tuple[Any, Any]:
    """The type and :func:`~pydantic.Field` of a field in the form model (text as typed)."""
    if spec.type is FieldType.CHOICE and not spec.optional:
        return spec.choices, spec.empty()
    if spec.repeated:
        return list[str], Field(default_factory=list, max_length=spec.limit)
    limit = _FORM_LIMITS.get(spec.type, FORM_TEXT_LIMIT)
    return str, Field(default="", max_length=limit)


def _form_fields(spec: ItemField) -> dict[str, tuple[Any, Any]]:
    """The fields of the form model for ``spec``: its own, or one repeated field per column."""
    if spec.columns:
        return {name: (list[str], Field(default_factory=list)) for name in spec.columns}
    return {spec.name: _form_field(spec)}


def _form_value(spec: ItemField, form: BaseModel) -> Any:
    """A form's text of a field: a field of columns as its rows, the columns' texts each."""
    if not spec.columns:
        return getattr(form, spec.name)
    typed = [getattr(form, name) for name in spec.columns]
    rows = max(len(values) for values in typed)
    return [tuple(v[i] if i < len(v) else "" for v in typed) for i in range(rows)]


def _from_form(spec: ItemField, value: Any) -> Any:
    """A form's value of a field as the domain holds it (:class:`ValueError` when it is not one)."""
    message = _(spec.message) if spec.message else None
    if spec.type is FieldType.ROWS and not spec.repeated and spec.limit is not None:
        clean_text(value, spec.limit)
    if spec.parse is not None:
        return spec.parse(value)
    if spec.type is FieldType.SHARE:
        return form_percent(value)
    if spec.type is FieldType.MONEY:
        return form_money(value)
    if spec.type in (FieldType.INT, FieldType.REF):
        return form_int(value, message)
    if spec.type is FieldType.DATE:
        return form_date(value)
    if spec.type is FieldType.CHOICE and spec.optional:
        return spec.choices(value) if value else None  # type: ignore[misc]
    if spec.type is FieldType.BOOL:
        return bool(value)
    return value


def _from_api(spec: ItemField, value: Any, rows: Rows) -> Any:
    if spec.type is FieldType.ROWS:
        return [rows[spec.name].from_api(row) for row in value]
    return round(value / 100, 8) if spec.type is FieldType.SHARE else value


def _to_api(spec: ItemField, value: Any, rows: Rows) -> Any:
    if spec.type is FieldType.ROWS:
        elements = value.items() if isinstance(value, Mapping) else value
        return [rows[spec.name].to_api(row) for row in elements]
    return round(value * 100, 6) if spec.type is FieldType.SHARE else value


@dataclass(frozen=True)
class RowsModel:
    """How the API gives and takes a field of rows (:attr:`FieldType.ROWS`): ``model`` is
    one row (a model, or a plain type such as ``str``), ``limit`` the most rows (``None``:
    no limit);
    ``from_api`` and ``to_api`` turn a row of the API into the domain's and back."""

    model: type[Any]
    limit: int | None
    from_api: Callable[[Any], Any]
    to_api: Callable[[Any], Any]


#: The fields of rows of a kind, by name.
Rows = Mapping[str, RowsModel]


def _rows_field(rows: RowsModel) -> tuple[Any, Any]:
    """The type and :func:`~pydantic.Field` of a field of rows in the API's models."""
    return list[rows.model], Field(default_factory=list, max_length=rows.limit)  # type: ignore[name-defined]


#: What the API answers an item added or changed with, where it is more than the item:
#: ``(model, answer(at, item))``.
Answer = tuple[type[BaseModel], Callable[[At, Any], BaseModel]]

#: What every API route of a kind answers, where it is the section as it is then:
#: ``(model, answer(at))``.
SectionAnswer = tuple[type[BaseModel], Callable[[At], BaseModel]]

#: How a kind's item is saved where it takes more than its table:
#: ``save(edit, item_id, values)`` (an offering names a product of the book).
Save = Callable[[PlanEdit, int | None, dict[str, Any]], Any]

#: A value the API shows of an item beyond its fields: ``name: (type, value_of(item))``.
Extra = Mapping[str, tuple[Any, Callable[[Any], Any]]]


@dataclass(frozen=True)
class ItemModels(Generic[T]):
    """A kind's models: the API's ``create``, ``update`` (whole), ``patch`` (in part) and
    ``public``, and the ``form``."""

    kind: ItemKind[T]
    create: type[BaseModel]
    update: type[BaseModel]
    patch: type[BaseModel]
    public: type[BaseModel]
    form: type[BaseModel]
    extra: Extra
    rows: Rows

    def from_api(self, body: BaseModel) -> dict[str, Any]:
        """The values of an API body, as the domain holds them (those it has: an item
        added has no field the kind declares ``changed``)."""
        given = [s for s in self.kind.fields if s.api in type(body).model_fields]
        return {s.name: _from_api(s, getattr(body, s.api), self.rows) for s in given}

    def from_form(self, form: BaseModel) -> dict[str, Any]:
        """The values of a form, as the domain holds them (:class:`ValueError` when refused)."""
        values = {}
        for spec in self.kind.fields:
            try:
                values[spec.name] = _from_form(spec, _form_value(spec, form))
            except ItemValueError:
                raise
            except ValueError as error:
                raise ItemValueError(spec.name, str(error)) from None
        return values

    def to_public(self, item: T) -> BaseModel:
        """An item as the API shows it."""
        values = {s.api: _to_api(s, getattr(item, s.name), self.rows) for s in self.kind.fields}
        values.update({name: value_of(item) for name, (_type, value_of) in self.extra.items()})
        for name in ("id", "updated_at", "updated_by", "version"):
            values[name] = getattr(item, name)
        return self.public(**values)


def item_models(
    kind: ItemKind[T],
    *,
    create_doc: str,
    public_doc: str,
    extra: Extra | None = None,
    rows: Rows | None = None,
) -> ItemModels[T]:
    """The API and form models of ``kind``; ``extra`` adds computed values to ``public``,
    ``rows`` says how the API gives and takes the kind's fields of rows.

    ``<Kind>Update`` holds the fields of ``<Kind>Create`` and those the kind declares
    ``changed``, every one required: a change gives the whole item; ``<Kind>Patch``
    holds them all optional (those given change). Both may name the ``version`` they
    were made on; the form carries it too.
    """
    extra, rows = extra or {}, rows or {}
    fields = {
        spec.api: _rows_field(rows[spec.name]) if spec.type is FieldType.ROWS else _api_field(spec)
        for spec in kind.fields
    }
    later = {kind.field(name).api for name in kind.changed}
    added = {name: spec for name, spec in fields.items() if name not in later}
    create = create_model(_model_name(kind, "Create"), __doc__=create_doc, **added)  # type: ignore[call-overload]
    whole = create
    if later:
        whole = create_model(  # type: ignore[call-overload]
            _model_name(kind, "Change"),
            __base__=create,
            **{name: spec for name, spec in fields.items() if name in later},
        )
    update = whole_model(whole, _model_name(kind, "Update"), create_doc)
    patch = patch_model(whole, _model_name(kind, "Patch"), create_doc)
    public = create_model(  # type: ignore[call-overload]
        _model_name(kind, "Public"),
        __base__=whole,
        __doc__=public_doc,
        id=(int, ...),
        **{name: (kind_of, ...) for name, (kind_of, _value) in extra.items()},
        updated_at=(datetime, ...),
        updated_by=(str, ...),
        version=(int, ...),
    )
    form = create_model(  # type: ignore[call-overload]
        _model_name(kind, "Form"),
        __doc__=f"The {kind.name} form of the page: text fields, as a browser sends them.",
        **{name: typed for spec in kind.fields for name, typed in _form_fields(spec).items()},
        version=(str, Field(default="", max_length=12)),
    )
    return ItemModels(kind, create, update, patch, public, form, extra, rows)


@dataclass(frozen=True)
class TypedForm:
    """A form of an item refused, to draw again as it was typed (``request.state.item_form``):
    the ``kind``'s name, the ``item_id`` changed (``None``: an item added), the ``values``
    typed by field name, the ``field`` the reason concerns (empty: none known) and the
    ``message``."""

    kind: str
    item_id: int | None
    values: Mapping[str, str]
    field: str
    message: str


def _typed(value: Any) -> str:
    """A form's value as typed: a repeated field's values one a line."""
    if isinstance(value, list):
        return "\n".join(value)
    return "" if value is None else str(value)


def keep_typed(
    request: Request, kind: str, item_id: int | None, form: BaseModel, error: BaseException
) -> None:
    """Keep a form refused by ``error`` as it was typed, for its page drawn again
    (``request.state.item_form``): ``kind`` names the form, ``item_id`` its item."""
    values = {field: _typed(value) for field, value in form}
    request.state.item_form = TypedForm(kind, item_id, values, field_of(error), str(error))


# --- the routes

#: The API's routes that answer with the item (and so its ``ETag``).
_ANSWERED = ("api_add", "api_change", "api_patch")


def _endpoint(
    run: Callable[..., Any],
    here: Any,
    *,
    item: bool = False,
    body: tuple[str, Any] | None = None,
    answer: bool = False,
    item_type: Any = AnyId,
) -> Callable[..., Any]:
    """``run`` with the signature FastAPI reads: ``at`` (the dependency ``here``)[, item_id]
    [, body][, response] (``answer``: the response, to give its headers; ``item_type``: the
    annotation of ``item_id``)."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter("at", kind, annotation=Annotated[At, Depends(here)])]
    if item:
        parameters.append(inspect.Parameter("item_id", kind, annotation=item_type))
    if body is not None:
        parameters.append(inspect.Parameter(body[0], kind, annotation=body[1]))
    if answer:
        parameters.append(inspect.Parameter("response", kind, annotation=Response))

    def endpoint(**values: Any) -> Any:
        return run(**values)

    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    return endpoint


def item_routes(
    section: Section,
    models: ItemModels[Any],
    *,
    page: Page,
    path: str = "",
    described: Mapping[str, str] | None = None,
    answer: Answer | None = None,
    section_answer: SectionAnswer | None = None,
    verbs: tuple[str, ...] = ("add", "change", "remove"),
    save: Save | None = None,
    listed: bool = False,
    added_status: int = 201,
    item_type: Any = AnyId,
) -> None:
    """Give the routers of ``section`` the form and API routes that add, change and remove
    items of a kind.

    ``path`` is the items' path below the section (``/deals``); ``page(at, error,
    status)`` draws the section's page, here again with the reason a form was refused;
    ``described`` words the API's routes (``api_add``...) where the default does not fit;
    ``answer`` is ``(model, answer(at, item))`` where the API answers an item added or
    changed with more than ``<Kind>Public`` (a deal with its checklist);
    ``section_answer`` is ``(model, answer(at))`` where every API route answers the
    section as it is then (200). ``verbs`` are the routes the kind has (items that cannot
    be changed: ``("add", "remove")``); ``save(edit, item_id, values)`` saves an item
    where its table is not enough. A kind ``listed`` is shown on the section's page by the
    shared table (:data:`~kam.web.routes.plans.common.LISTED`), after what the page shows
    of its own. ``added_status`` is the API's status of an item added, ``item_type`` the
    annotation of the ``{item_id}`` of the paths
    (:data:`~kam.web.routes.plans.forms.ItemId`: an id out of range answers 422). Routes
    are named ``add_<kind>``, ``change_<kind>``, ``remove_<kind>`` and, in the API,
    ``api_`` and the same.
    """
    kind = models.kind
    name = kind.name
    if listed:
        LISTED.setdefault(section.name, []).append((kind, path))

    def saved(edit: PlanEdit, item_id: int | None, values: dict[str, Any]) -> Any:
        if save is not None:
            return save(edit, item_id, values)
        return edit.save(kind, item_id, values)

    def form_save(at: At, form: Any, item_id: int | None = None) -> Response:
        def run(edit: PlanEdit) -> Any:
            if item_id is not None:
                edit.check(kind, item_id, form_version(form.version))
            return saved(edit, item_id, models.from_form(form))

        try:
            at.edit(run)
        except (ValueError, StaleVersionError) as error:
            keep_typed(at.request, name, item_id, form, error)
            return page(at, str(error), 409 if isinstance(error, StaleVersionError) else 400)
        return at.back()

    def form_remove(at: At, item_id: int) -> Response:
        try:
            at.edit(lambda edit: edit.remove(kind, item_id))
        except ValueError as error:
            return page(at, str(error), 400)
        return at.back()

    def api_answer(at: At, item: Any, response: Response) -> BaseModel:
        if section_answer is not None:
            return section_answer[1](at)
        tag(response, item.version)
        if answer is not None:
            return answer[1](at, item)
        return models.to_public(item)

    def api_save(at: At, body: Any, response: Response, item_id: int | None = None) -> BaseModel:
        def run(edit: PlanEdit) -> Any:
            if item_id is not None:
                edit.check(kind, item_id, expected_version(at.request, body.version))
            return saved(edit, item_id, models.from_api(body))

        return api_answer(at, at.api_edit(run), response)

    def api_patch(at: At, item_id: int, body: Any, response: Response) -> BaseModel:
        def run(edit: PlanEdit) -> Any:
            current = models.to_public(edit.item(kind, item_id))
            read_at: int = current.version  # type: ignore[attr-defined]
            whole, version = patched_on(at.request, models.update, current, body, read_at)
            edit.check(kind, item_id, version)
            return saved(edit, item_id, models.from_api(whole))

        return api_answer(at, at.api_edit(run), response)

    def api_remove(at: At, item_id: int) -> Any:
        expected = expected_version(at.request)
        at.api_edit(lambda edit: edit.remove(kind, item_id, expected))
        if section_answer is not None:
            return section_answer[1](at)
        return Response(status_code=204)

    words = name.replace("_", " ")
    described = {
        "api_add": f"Add a {words} to a plan.",
        "api_change": f"Change a {words} of a plan: every field given (If-Match: its version).",
        "api_patch": f"Change the fields given of a {words} of a plan (If-Match: its version).",
        "api_remove": f"Remove a {words} of a plan.",
        **(described or {}),
    }
    public = models.public if answer is None else answer[0]
    added, removed = {"status_code": added_status}, {"status_code": 204}
    if section_answer is not None:
        public, added, removed = section_answer[0], {}, {}
    form = ("form", Annotated[models.form, Form()])
    one = path + "/{item_id}"
    pages, api = section.pages, section.api
    # (router, method, path, name, run, with an item id, body, options of the route)
    routes: tuple[tuple[APIRouter, str, str, str, Callable[..., Any], bool, Any, Any], ...] = (
        (pages, "POST", path, "add", form_save, False, form, {}),
        (pages, "POST", one, "change", form_save, True, form, {}),
        (pages, "POST", one + "/delete", "remove", form_remove, True, None, {}),
        (api, "POST", path, "api_add", api_save, False, ("body", models.create), added),
        (api, "PUT", one, "api_change", api_save, True, ("body", models.update), {}),
        (api, "PATCH", one, "api_patch", api_patch, True, ("body", models.patch), {}),
        (api, "DELETE", one, "api_remove", api_remove, True, None, removed),
    )
    for router, method, route, verb, run, has_item, body, options in routes:
        if verb.removeprefix("api_").replace("patch", "change") not in verbs:
            continue
        if router is api:
            options = {
                "response_model": None if removed and method == "DELETE" else public,
                "description": described[verb],
                **options,
            }
        router.add_api_route(
            route,
            _endpoint(
                run,
                section.at,
                item=has_item,
                body=body,
                answer=verb in _ANSWERED,
                item_type=item_type,
            ),
            methods=[method],
            name=f"{verb}_{name}",
            **options,
        )
