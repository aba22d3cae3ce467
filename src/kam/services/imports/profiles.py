"""Saved column mappings: profiles in the book, and profiles shipped with kam (TOML files).

A profile is a kind of import and its options by name, as on the command
line without the dashes (``client``, ``date``, ``line_key``, ``join``...). A
profile in the book wins over a shipped one of the same name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from kam.domain.import_log import ImportKind, ImportRecord
from kam.i18n import gettext as _
from kam.services.book import Book
from kam.services.imports.common import now
from kam.store import import_log
from kam.store.database import transaction


@dataclass(frozen=True)
class Profile:
    """A named column mapping for one kind of import."""

    name: str
    kind: ImportKind
    options: dict[str, Any]
    source: str  # "book" or "shipped"
    description: str = ""


def shipped_profiles() -> dict[str, Profile]:
    """The profiles shipped with kam (``kam/profiles/*.toml``), by name."""
    found: dict[str, Profile] = {}
    folder = resources.files("kam").joinpath("profiles")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        name = entry.name.removesuffix(".toml")
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        found[name] = Profile(
            name,
            ImportKind(data["kind"]),
            dict(data.get("options", {})),
            "shipped",
            str(data.get("description", "")),
        )
    return found


def load_profile(book: Book, name: str) -> Profile:
    """A profile by name: the book's, else a shipped one."""
    with transaction(book.database) as session:
        saved = import_log.get_profile(session, name)
    if saved is not None:
        return Profile(name, saved[0], saved[1], "book")
    shipped = shipped_profiles()
    if name in shipped:
        return shipped[name]
    with transaction(book.database) as session:
        names = sorted({n for n, _, _ in import_log.list_profiles(session)} | set(shipped))
    raise ValueError(
        _("no profile {name!r}; profiles are: {listed}").format(name=name, listed=", ".join(names))
    )


def save_profile(book: Book, name: str, kind: ImportKind, options: dict[str, Any]) -> None:
    """Save (or replace) a profile in the book."""
    with transaction(book.database) as session:
        import_log.save_profile(session, name, kind, options, now())


def list_profiles(book: Book) -> list[Profile]:
    """Every profile: the book's, then the shipped ones it does not hide, by name."""
    with transaction(book.database) as session:
        saved = [
            Profile(name, kind, options, "book")
            for name, kind, options in import_log.list_profiles(session)
        ]
    names = {p.name for p in saved}
    shipped = [p for name, p in shipped_profiles().items() if name not in names]
    return sorted([*saved, *shipped], key=lambda p: p.name)


def import_history(book: Book, limit: int = 100) -> list[ImportRecord]:
    """The import log, newest first."""
    with transaction(book.database) as session:
        return import_log.list_imports(session, limit)
