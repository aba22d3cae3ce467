"""API models read from the services' views: :class:`ViewPublic`.

An API model that shows what a service's view already carries reads it by
attribute rather than through a mapper that copies it field by field. The API
gives amounts in whole cents under names ending in ``_cents`` where the views
name them without it (``value_cents`` reads ``value``); a field the view names
otherwise says so with ``Field(validation_alias=...)``. The names only change
how a model is read, not the API's document, which shows the fields' own names.
"""

from __future__ import annotations

from typing import Self

from pydantic import AliasChoices, AliasGenerator, BaseModel, ConfigDict


def _read_from(name: str) -> AliasChoices:
    """Where a view holds a field: under its own name, or without the ``_cents`` of an amount."""
    return AliasChoices(name, name.removesuffix("_cents"))


class ViewPublic(BaseModel):
    """An API model made from a service's view (a dataclass) by its attributes.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass
    ... class Total:
    ...     name: str
    ...     value: int
    >>> class TotalPublic(ViewPublic):
    ...     name: str
    ...     value_cents: int
    >>> TotalPublic.of(Total("A", 1200))
    TotalPublic(name='A', value_cents=1200)
    """

    model_config = ConfigDict(
        from_attributes=True,
        populate_by_name=True,
        alias_generator=AliasGenerator(validation_alias=_read_from),
    )

    @classmethod
    def of(cls, view: object) -> Self:
        """The model of ``view``, read by attribute (nested views likewise)."""
        return cls.model_validate(view, from_attributes=True)
