"""Products and services we sell, and their groups."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    """A product or service; ``group`` is its product group. ``list_price`` is in cents."""

    key: str
    name: str
    group: str | None = None
    list_price: int | None = None
