"""Whole and partial changes in the API, and the version they were made on.

Every object people edit carries a ``version`` (:mod:`kam.domain.versions`).
The API changes one whole with PUT (every field given: a field left out
answers 422 naming it, nothing is filled in silently) or in part with PATCH
(only the fields given change). Either may name the version it was made on,
in an ``If-Match`` header (``"3"``, as the ``ETag`` of the object's answers
gives it) or in the body's ``version`` (the header first); a change made on an older version
answers 409 Conflict with who changed the object since
(:class:`~kam.domain.versions.StaleVersionError`). A form carries the version
it was drawn with in a hidden field ``version``.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, TypeVar, get_type_hints

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError, create_model
from pydantic_core import PydanticUndefined

from kam.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)

#: The field of a change's body naming the version it was made on.
VERSION_FIELD: tuple[Any, Any] = (
    int | None,
    Field(
        default=None,
        ge=1,
        description="The version the change was made on (or If-Match): 409 when it is older.",
    ),
)


def _fields(model: type[BaseModel], default: Any) -> dict[str, tuple[Any, Any]]:
    """The fields of ``model`` with their checks, each with the default ``default``."""
    fields = {}
    for name, info in model.model_fields.items():
        if name == "version":
            continue
        changed = copy.copy(info)
        changed.default, changed.default_factory = default, None
        fields[name] = (info.annotation, changed)
    return fields


def whole_model(
    model: type[BaseModel], name: str, doc: str, versioned: bool = True
) -> type[BaseModel]:
    """A model of ``model``'s fields, every one required (a PUT), and (``versioned``) the
    ``version``."""
    version = {"version": VERSION_FIELD} if versioned else {}
    return create_model(  # type: ignore[call-overload,no-any-return]
        name, __doc__=doc, **_fields(model, PydanticUndefined), **version
    )


def model_of(record: type[Any], name: str) -> type[BaseModel]:
    """A model of the fields of the dataclass ``record``, with its defaults."""
    hints = get_type_hints(record)
    return create_model(  # type: ignore[call-overload,no-any-return]
        name, **{f.name: (hints[f.name], f.default) for f in dataclasses.fields(record)}
    )


def patch_model(model: type[BaseModel], name: str, doc: str) -> type[BaseModel]:
    """A model of ``model``'s fields, each optional (a PATCH: those given change), and the
    ``version``; a field given as null where the object cannot hold null answers 422."""
    return create_model(  # type: ignore[call-overload,no-any-return]
        name, __doc__=doc, **_fields(model, None), version=VERSION_FIELD
    )


def patched(whole: type[M], current: BaseModel, patch: BaseModel) -> M:
    """The whole object a ``patch`` makes of ``current`` (as the API shows it): its
    fields, with those the patch gives over them (422 when the result is refused)."""
    names = {name for name in whole.model_fields if name != "version"}
    values = current.model_dump(include=names)
    values.update(patch.model_dump(include=names, exclude_unset=True))
    try:
        return whole.model_validate(values)
    except ValidationError as error:
        raise RequestValidationError(error.errors()) from None


def patched_on(
    request: Request, whole: type[M], current: BaseModel, patch: BaseModel, version: int
) -> tuple[M, int]:
    """What a PATCH makes of ``current``, read at its ``version``: the whole object
    (:func:`patched`) and the version the change was made on, the one ``If-Match`` or the
    patch's ``version`` names, else ``version``."""
    changed = patched(whole, current, patch)
    expected = expected_version(request, getattr(patch, "version", None))
    return changed, version if expected is None else expected


def expected_version(request: Request, given: int | None = None) -> int | None:
    """The version a change was made on: the ``If-Match`` header's (``"3"``, ``W/"3"``),
    else the body's ``given``; ``None`` when neither names one (or ``If-Match: *``).

    A header that names no version answers 400.
    """
    header = request.headers.get("if-match", "").strip()
    if not header or header == "*":
        return given
    text = header.removeprefix("W/").strip('"')
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        raise HTTPException(400, _('If-Match names a version, such as "3"'))
    return int(text)


def form_version(text: str) -> int | None:
    """The version a form was drawn with (its hidden field; empty or not a number: none)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else None


def tag(response: Response, version: int) -> None:
    """Give an answer about an object the ``ETag`` of its version."""
    response.headers["ETag"] = f'"{version}"'
