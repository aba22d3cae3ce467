"""Every message a user reads is in every catalogue, translated, and compiled."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog

from kam.i18n import LANGUAGES
from kam.i18n.catalogues import compiled, extract, gaps, mo_path, read

PLACEHOLDER = re.compile(r"\{[a-z_]*(?:![rs])?(?::[^}]*)?\}|%\([a-z_]+\)[sdf]")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract()


def test_the_sources_have_messages(template: Catalog) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert {"Clients", "Log out", "kam: error: {error}"} <= ids


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_catalogue_lacks_no_message(code: str, template: Catalog) -> None:
    lacking = [str(gap) for gap in gaps(code, template)]
    assert not lacking, (
        f"{len(lacking)} messages lack a translation; run scripts/translations and translate "
        "them:\n" + "\n".join(lacking[:50])
    )


def test_a_message_missing_from_a_catalogue_is_found(template: Catalog) -> None:
    extended = Catalog()
    for message in template:
        if message.id:
            extended.add(message.id, context=message.context)
    extended.add("A message no catalogue has yet")
    assert [(g.message, g.problem) for g in gaps("pl", extended)] == [
        ("A message no catalogue has yet", "missing")
    ]


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_compiled_catalogue_is_up_to_date(code: str) -> None:
    assert mo_path(code).read_bytes() == compiled(code), "run scripts/translations"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_translations_keep_the_placeholders(code: str) -> None:
    """A singular keeps exactly its placeholders; a plural form uses only the source's."""
    wrong = []
    for message in read(code):
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        known = {p for source in sources for p in PLACEHOLDER.findall(source)}
        for text in strings:
            used = set(PLACEHOLDER.findall(text))
            exact = len(sources) == 1
            if (exact and used != known) or (not exact and not used <= known):
                wrong.append((sources[0], text))
    assert not wrong


def test_polish_has_three_plural_forms() -> None:
    catalog = read("pl")
    assert catalog.num_plurals == 3
    for message in catalog:
        if isinstance(message.id, tuple):
            assert len(message.string) == 3 and all(message.string), message.id
