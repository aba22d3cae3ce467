"""The declared shape of a kind of plan item: its fields, their limits and their wording.

A plan holds lists of items of several kinds (risks, deliverables, needs...).
Each kind is declared once, as an :class:`ItemKind` over the frozen dataclass
that holds one item, and the layers above follow the declaration: the store
maps rows by it, the services check values with :func:`validate_item`, the web
derives its form and API models, routes and table from it, and the export its
columns.

Values are the domain's own: money in cents, a share from 0 to 1, a choice a
member of its :class:`~enum.StrEnum`, a reference the id of another item of
the same plan (``None``: none), a user the name of a user of the book.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from kam.i18n import N_
from kam.i18n import gettext as _

T = TypeVar("T")

#: The largest amount in cents an item holds (the databases keep 64-bit integers).
AMOUNT_LIMIT = 10**17
#: The most characters of a user's name.
USER_NAME_LIMIT = 100


class FieldType(StrEnum):
    """What a field of an item holds, and so how it is checked, typed in and shown."""

    TEXT = "text"
    """One line of text."""
    NOTE = "note"
    """A longer text, several lines."""
    INT = "int"
    """A whole number from 0 to the field's limit."""
    MONEY = "money"
    """An amount in cents, 0 or more."""
    SHARE = "share"
    """A share from 0 to 1, typed and shown as a percentage."""
    CHOICE = "choice"
    """One member of the field's enumeration."""
    REF = "ref"
    """The id of another item of the plan, or ``None``."""
    DATE = "date"
    """A day, or ``None``."""
    USER = "user"
    """A user of the book, by name, or ``None``: the services check that the name is one
    who may see the plan's client (an owner), chosen in a form from a list."""
    ROWS = "rows"
    """A list of rows kept beside the item (a buy-back schedule), checked by the field's
    ``check`` and typed in a form as the text its ``parse`` reads."""
    BOOL = "bool"
    """Yes or no (a box to tick); no when nothing is given."""


class EditedBy(StrEnum):
    """Who may change the items of a kind (besides being allowed to see the client)."""

    EDITORS = "editors"
    """The head of key accounts, admins and the client's account managers."""
    HEAD = "head"
    """The head of key accounts and admins (the others read the items)."""


@dataclass(frozen=True)
class ItemField:
    """One field of a kind of item.

    ``label`` names it on the form, ``heading`` in tables and exports (the
    label when empty); both are untranslated messages (``N_``). ``limit`` is
    the most characters of a text or the largest whole number (or id: a reference
    with a limit names an id from ``minimum`` to it). ``required``
    is the message for an empty text (``None``: it may be empty); ``needed``
    marks a field the API and the form ask for (every required text is);
    ``optional`` makes an empty text ``None``. ``minimum`` is the smallest
    whole number, or the fewest characters of a text the API takes. ``message``
    says what is wrong when a number is not one or out of range. ``api_name`` is
    the field's name in the JSON API where it differs (``probability_percent``);
    ``none_label`` names the empty choice of a reference. ``check`` checks and
    cleans a value in place of the limits (a competitor's name, a need's
    importance); ``parse`` reads a form's text as the value (rows); a field
    ``repeated`` is sent by a form as one value per element (a multiple
    select), which ``parse`` reads as a list; a field of rows with ``columns`` is
    sent as one repeated field per column (a meeting's pairs: ``ours``,
    ``their_key``, ``their_name``), which ``parse`` reads as a list of rows, each a
    tuple of the columns' texts. An ``optional`` amount, whole number or choice may
    be ``None``; a ``needed`` reference or date may not (``message`` says so).
    """

    name: str
    type: FieldType
    label: str
    limit: int | None = None
    required: str | None = None
    optional: bool = False
    choices: builtins.type[StrEnum] | None = None
    choice_labels: Mapping[Any, str] = field(default_factory=dict)
    default: Any = None
    message: str | None = None
    api_name: str | None = None
    heading: str = ""
    needed: bool = False
    none_label: str = ""
    check: Callable[[Any], Any] | None = None
    minimum: int = 0
    parse: Callable[[Any], Any] | None = None
    repeated: bool = False
    columns: tuple[str, ...] = ()

    @property
    def api(self) -> str:
        """The field's name in the JSON API."""
        return self.api_name or self.name

    @property
    def asked(self) -> bool:
        """Whether the API and the form ask for the field (it has no empty value to fall to)."""
        return self.needed or self.required is not None

    @property
    def title(self) -> str:
        """The field's heading in tables and exports (untranslated)."""
        return self.heading or self.label

    def empty(self) -> Any:
        """The value of the field when nothing is given."""
        if self.default is not None:
            return self.default
        if self.type in (FieldType.TEXT, FieldType.NOTE):
            return None if self.optional else ""
        if self.type in (FieldType.INT, FieldType.MONEY):
            return 0
        if self.type is FieldType.SHARE:
            return 0.0
        if self.type is FieldType.CHOICE:
            assert self.choices is not None
            return next(iter(self.choices))
        if self.type is FieldType.ROWS:
            return ()
        if self.type is FieldType.BOOL:
            return False
        return None


#: The place of an item in its list, for kinds kept in an order; 0 puts a new item last.
POSITION = ItemField(
    "position",
    FieldType.INT,
    N_("Order"),
    10_000,
    message=N_("the order is a whole number from 1 to 10000"),
)


@dataclass(frozen=True)
class ItemKind(Generic[T]):
    """A kind of plan item: the dataclass of one item and its declared fields.

    ``name`` is the kind's name in code and in the API's documents (``risk``);
    ``title`` heads its list on a page, ``add_label`` and ``delete_label`` word
    its buttons, ``empty_label`` an empty list (untranslated messages, ``N_``).
    The record's other fields (``id``, ``plan_id``, ``updated_at``,
    ``updated_by``, ``version``...) are kept by the store, not typed in: ``version``
    counts the item's changes (:mod:`kam.domain.versions`). ``form`` orders
    the fields of the kind's form (all, in the declared order, when empty),
    ``export`` those of its export table (the form's when empty). ``edited_by`` says who
    changes the items, ``refusal`` what the others are told (untranslated, ``N_``);
    the fields ``changed`` are given only when an item is changed, an item added
    taking their empty value (an intervention point is marked open).
    """

    name: str
    record: type[T]
    fields: tuple[ItemField, ...]
    title: str = ""
    add_label: str = ""
    delete_label: str = ""
    empty_label: str = ""
    edited_by: EditedBy = EditedBy.EDITORS
    form: tuple[str, ...] = ()
    export: tuple[str, ...] = ()
    refusal: str = ""
    changed: tuple[str, ...] = ()

    def field(self, name: str) -> ItemField:
        """The field ``name``; :class:`KeyError` when the kind has none."""
        for found in self.fields:
            if found.name == name:
                return found
        raise KeyError(name)

    def _ordered(self, names: tuple[str, ...]) -> tuple[ItemField, ...]:
        return tuple(self.field(name) for name in names) if names else self.fields

    @property
    def form_fields(self) -> tuple[ItemField, ...]:
        """The fields of the kind's form, in order."""
        return self._ordered(self.form)

    @property
    def exported(self) -> tuple[ItemField, ...]:
        """The fields of the kind's export table, in order."""
        return self._ordered(self.export) if self.export else self.form_fields


class ItemValueError(ValueError):
    """A value of an item refused: ``field`` names the field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def clean_text(value: str | None, limit: int, empty: str | None = None) -> str:
    """``value`` trimmed; :class:`ValueError` when longer than ``limit`` or, when ``empty``
    (the message) is given, empty.

    Examples
    --------
    >>> clean_text("  Late approval ", 300)
    'Late approval'
    >>> clean_text(" ", 300, "name the risk")
    Traceback (most recent call last):
    ...
    ValueError: name the risk
    """
    cleaned = (value or "").strip()
    if empty is not None and not cleaned:
        raise ValueError(empty)
    if len(cleaned) > limit:
        raise ValueError(
            _("a text has at most {limit} characters, not {length}").format(
                limit=limit, length=len(cleaned)
            )
        )
    return cleaned


def _checked(spec: ItemField, value: Any) -> Any:
    kind = spec.type
    if kind in (FieldType.TEXT, FieldType.NOTE) and spec.check is not None:
        return spec.check(value or "")
    if spec.check is not None:
        return spec.check(spec.empty() if value is None else value)
    if kind is FieldType.USER:
        return clean_text(value, spec.limit or USER_NAME_LIMIT) or None
    if kind in (FieldType.TEXT, FieldType.NOTE):
        empty = None if spec.required is None else _(spec.required)
        text = clean_text(value, spec.limit or 5000, empty)
        return (text or None) if spec.optional else text
    if value is None and kind in (FieldType.REF, FieldType.DATE) and spec.needed:
        raise ValueError(_(spec.message or N_("choose one of the plan's items")))
    if value is None:
        nullable = kind in (FieldType.REF, FieldType.DATE) or spec.optional
        return None if nullable else spec.empty()
    if kind is FieldType.CHOICE:
        assert spec.choices is not None
        return spec.choices(value)
    if kind is FieldType.MONEY:
        if not 0 <= value < AMOUNT_LIMIT:
            raise ValueError(_("an amount is 0 or more"))
    elif kind is FieldType.SHARE:
        if not 0 <= value <= 1:
            raise ValueError(_(spec.message or N_("a probability lies between 0% and 100%")))
    elif kind is FieldType.REF and spec.limit and not spec.minimum <= value <= spec.limit:
        raise ValueError(_(spec.message or N_("choose one of the plan's items")))
    elif kind is FieldType.INT and not spec.minimum <= value <= (spec.limit or AMOUNT_LIMIT):
        if spec.message:
            raise ValueError(_(spec.message))
        raise ValueError(_("{text!r} is not a whole number").format(text=value))
    return value


def validate_item(kind: ItemKind[Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values of an item of ``kind``, checked and cleaned, one per declared field.

    A field not in ``values`` takes its empty value. Raises :class:`ValueError`
    with the first reason a value is refused: an :class:`ItemValueError`, naming the field.
    """
    checked = {}
    for spec in kind.fields:
        try:
            checked[spec.name] = _checked(spec, values.get(spec.name))
        except ItemValueError:
            raise
        except ValueError as error:
            raise ItemValueError(spec.name, str(error)) from None
    return checked


def values_of(kind: ItemKind[Any], item: Any) -> dict[str, Any]:
    """The values of the declared fields of ``item`` (an item of ``kind``), by name."""
    return {spec.name: getattr(item, spec.name) for spec in kind.fields}
