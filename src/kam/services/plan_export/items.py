"""A kind of plan item as a table of the export document, from the kind's declaration."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kam.domain.items import FieldType, ItemField, ItemKind
from kam.i18n import gettext as _
from kam.services.plan_export.document import Cell, ColumnKind, ExportTable, money

#: How each type of field is shown in a column.
_COLUMN_KINDS = {
    FieldType.TEXT: ColumnKind.TEXT,
    FieldType.NOTE: ColumnKind.TEXT,
    FieldType.INT: ColumnKind.COUNT,
    FieldType.MONEY: ColumnKind.MONEY,
    FieldType.SHARE: ColumnKind.SHARE,
    FieldType.CHOICE: ColumnKind.TEXT,
    FieldType.REF: ColumnKind.TEXT,
    FieldType.DATE: ColumnKind.DATE,
    FieldType.USER: ColumnKind.TEXT,
}


def _cell(spec: ItemField, value: Any, names: Mapping[int, str]) -> Cell:
    if spec.type is FieldType.MONEY:
        return money(value)
    if spec.type is FieldType.CHOICE:
        return _(spec.choice_labels[value])
    if spec.type is FieldType.REF:
        return None if value is None else names.get(value)
    result: Cell = value
    return result


def item_table(
    kind: ItemKind[Any],
    title: str,
    items: Iterable[Any],
    refs: Mapping[str, Mapping[int, str]] | None = None,
    note: str = "",
) -> ExportTable:
    """The items of ``kind`` as a table: one column per exported field, headed by its
    heading in the language of the moment; ``refs`` names the items each reference
    field points to (by id)."""
    refs = refs or {}
    columns = kind.exported
    rows = tuple(
        tuple(_cell(spec, getattr(item, spec.name), refs.get(spec.name, {})) for spec in columns)
        for item in items
    )
    return ExportTable(
        title,
        tuple(_(spec.title) for spec in columns),
        rows,
        note,
        tuple(_COLUMN_KINDS[spec.type] for spec in columns),
    )
