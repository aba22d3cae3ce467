"""kam's message catalogues: extracting the messages, updating and compiling them.

The messages are extracted from the Python sources (``_``, ``gettext``,
``ngettext``, ``N_``) and the Jinja templates (``{% trans %}``, ``_()``).
Each language has ``kam/locale/<code>/LC_MESSAGES/kam.po``, the catalogue
translators edit, and ``kam.mo``, its compiled form that kam reads. English is
the language of the sources: its catalogue is filled in from them.

``python -m kam.i18n.catalogues`` (``scripts/translations``) brings every
catalogue up to date with the sources and compiles it; the test suite fails
when a catalogue lacks a message or its compiled form is stale.
"""

from __future__ import annotations

import copy
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from kam.i18n import DEFAULT_LANGUAGE, LANGUAGES

PACKAGE = Path(__file__).resolve().parent.parent
LOCALE = PACKAGE / "locale"

#: How each kind of source file is read for messages.
METHODS = [
    ("i18n/catalogues.py", "ignore"),
    ("store/migrations/**.py", "ignore"),
    ("**.py", "python"),
    ("web/templates/**.html", "jinja2"),
]
OPTIONS = {"web/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def po_path(code: str) -> Path:
    """The editable catalogue of a language."""
    return LOCALE / code / "LC_MESSAGES" / "kam.po"


def mo_path(code: str) -> Path:
    """The compiled catalogue of a language."""
    return LOCALE / code / "LC_MESSAGES" / "kam.mo"


def extract() -> Catalog:
    """Every message of the sources, with where it is used."""
    catalog = Catalog(project="kam", domain="kam", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), METHODS, OPTIONS, keywords=DEFAULT_KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(
            message,
            None,
            [(f"kam/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def read(code: str) -> Catalog:
    """A language's catalogue as it is on disk (empty when there is none)."""
    path = po_path(code)
    if not path.exists():
        return Catalog(locale=code, domain="kam", project="kam")
    with path.open("rb") as file:
        return read_po(file, locale=code, domain="kam")


@dataclass(frozen=True)
class Gap:
    """A message a catalogue lacks, or holds untranslated or marked fuzzy."""

    language: str
    message: str
    problem: str

    def __str__(self) -> str:
        return f"{po_path(self.language).name} ({self.language}): {self.problem}: {self.message!r}"


def _key(message: Message) -> object:
    return (message.id, message.context)


def _translated(message: Message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def gaps(code: str, template: Catalog | None = None) -> Iterator[Gap]:
    """What the catalogue of ``code`` lacks against the sources."""
    template = template if template is not None else extract()
    catalog = read(code)
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        text = message.id if isinstance(message.id, str) else message.id[0]
        if found is None:
            yield Gap(code, text, "missing")
        elif found.fuzzy:
            yield Gap(code, text, "fuzzy")
        elif not _translated(found):
            yield Gap(code, text, "untranslated")


def compiled(code: str) -> bytes:
    """The ``.mo`` bytes of a language's catalogue as it is now."""
    buffer = io.BytesIO()
    write_mo(buffer, read(code), use_fuzzy=False)
    return buffer.getvalue()


def update(code: str, template: Catalog) -> Catalog:
    """The catalogue of ``code`` brought up to date with the sources.

    New messages are added untranslated (English: with the source text);
    messages no longer used are dropped.
    """
    catalog = read(code)
    before = [(m.id, m.context, m.string) for m in catalog if m.id]
    template = copy.deepcopy(template)
    template.creation_date = catalog.creation_date  # the dates move only with the messages
    catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    catalog.project, catalog.version = "kam", ""
    catalog.copyright_holder = "the kam authors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "the kam authors"
    catalog.language_team = LANGUAGES[code]
    catalog.obsolete.clear()
    if code == DEFAULT_LANGUAGE:
        for message in catalog:
            if message.id and not _translated(message):
                message.string = message.id
    if [(m.id, m.context, m.string) for m in catalog if m.id] != before:
        catalog.creation_date = catalog.revision_date = datetime.now(UTC)
    return catalog


def write(code: str, catalog: Catalog) -> None:
    """Write a language's ``.po`` and its compiled ``.mo``."""
    po_path(code).parent.mkdir(parents=True, exist_ok=True)
    with po_path(code).open("wb") as file:
        write_po(file, catalog, width=100, sort_output=False, omit_header=False)
    mo_path(code).write_bytes(compiled(code))


def fill(catalog: Catalog, table: dict[str, str | list[str]]) -> int:
    """Set translations in ``catalog`` from a table of source message to translation.

    A plural message is keyed by its singular and translated by the list of
    the language's forms. Returns how many messages were set.
    """
    filled = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key and key in table:
            value = table[key]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
            filled += 1
    return filled


def main() -> int:
    """Update and compile every catalogue; print what each still lacks.

    ``--fill CODE FILE.json`` also sets translations of ``CODE`` from a JSON
    table (see :func:`fill`).
    """
    tables: dict[str, dict[str, str | list[str]]] = {}
    if "--fill" in sys.argv:
        at = sys.argv.index("--fill")
        code, path = sys.argv[at + 1], Path(sys.argv[at + 2])
        tables[code] = json.loads(path.read_text(encoding="utf-8"))
    template = extract()
    missing = 0
    for code in LANGUAGES:
        catalog = update(code, template)
        if code in tables:
            print(f"{code}: {fill(catalog, tables[code])} translations set")
        write(code, catalog)
        found = list(gaps(code, template))
        missing += len(found)
        print(f"{code}: {len(template) - len(found)} translated, {len(found)} to translate")
    return 1 if missing and "--check" in sys.argv else 0


if __name__ == "__main__":
    raise SystemExit(main())
