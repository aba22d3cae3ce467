"""Writing a benchmark's table into ``bench/README.md``, between its markers."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_readme_table(markdown: str, markers: tuple[str, str], readme: Path = README) -> bool:
    """Put the table between the markers of the README; ``False`` when they are missing."""
    text = readme.read_text()
    begin, end = markers
    if begin not in text or end not in text:
        return False
    before, rest = text.split(begin, 1)
    _, after = rest.split(end, 1)
    readme.write_text(f"{before}{begin}\n{markdown}\n{end}{after}")
    return True
