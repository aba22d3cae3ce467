"""Which text encoding a file is in, from its bytes.

Files reach kam from Excel and accounting systems in whatever encoding the
machine that wrote them used. kam tells apart:

* UTF-16 with a byte order mark, and UTF-8 with or without one;
* Windows-1252 (Western Europe: German, French, Spanish, English; ISO-8859-1
  text is read the same way);
* Windows-1250 (Central Europe: Polish, Czech) and ISO-8859-2, the older
  Polish standard.

UTF-8 is tried first and strictly: other text is practically never valid
UTF-8 by chance. Otherwise each single-byte candidate decodes the bytes and
the decodings are compared by how plausible their non-ASCII characters are:
a letter of the Polish, German, French, Spanish or Nordic alphabets counts
for a candidate, a symbol glued to letters (``£ukasz``, ``Micha³``,
``¦l±zak``) counts against it, and so does a Polish ``ś ć ź ń`` before a
vowel, which Polish spelling never writes (``Seńor`` is ``Señor``). A byte a
code page does not define excludes it; for ISO-8859-2, so do the control
codes 0x80 to 0x9F, which Windows-1250 uses for ``ś ź Ś Ź Ť``.

When the candidates tie (every byte decodes to an equally likely letter, as
German ``ä ö ü ß`` do in all three), Windows-1252 is taken, then
Windows-1250: where they decode alike the choice changes nothing, and a
Polish file nearly always holds ``ł ą ś`` or ``ż``, which only Windows-1250
reads as letters. An explicit encoding (``--encoding``) always overrides
the detection.

Examples
--------
>>> detect_encoding("Łukasz Żółć;12,50\\n".encode("cp1250"))
'cp1250'
>>> detect_encoding("Ślązak;Kraków\\n".encode("iso8859_2"))
'iso8859_2'
>>> detect_encoding("Señor Niño;Café Éclair\\n".encode("cp1252"))
'cp1252'
>>> detect_encoding("Jürgen Müller;Straße\\n".encode("cp1252"))
'cp1252'
>>> detect_encoding("Łódź".encode("utf-8"))
'utf-8'
>>> detect_encoding(b"\\xff\\xfeA\\x00")
'utf-16'
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

#: The single-byte encodings kam chooses among, in the order ties go.
CANDIDATES = ("cp1252", "cp1250", "iso8859_2")

#: How much of a file the detection reads: the head, and beyond it, when the
#: head is plain ASCII, the first block with other bytes.
SAMPLE_BYTES = 1 << 16
_SCAN_BYTES = 64 << 20
_BLOCK = 1 << 20

#: Letters of the alphabets kam's files are written in; any other letter is
#: neither for nor against a decoding.
_LETTERS = frozenset(
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"  # Polish
    "äöüßÄÖÜ"  # German
    "éèêëàâçîïôûùÉÈÊËÀÂÇÎÏÔÛÙ"  # French
    "ñáíúÑÁÍÚ"  # Spanish
    "ãõÃÕåøÅØ"  # Portuguese, Nordic
)
#: Polish writes these before a vowel as si, ci, zi, ni; ``ń`` before a vowel
#: is a Spanish ``ñ`` read in the wrong code page.
_SOFT = frozenset("śćźńŚĆŹŃ")
_VOWELS = frozenset("aeiouyąęóáéíúüAEIOUYĄĘÓÁÉÍÚÜ")
#: Spanish writes ``ñ`` only before a vowel; before anything else it is a
#: Polish ``ń`` (Gdańsk, Poznań) read in the wrong code page.
_ENYE = frozenset("ñÑ")
#: Letters only Polish has, and the digraphs that make a word look Polish:
#: ``ę`` in ``Brzęczyszczykiewicz`` is Polish, ``ê`` in ``Crêpe`` French.
_POLISH = frozenset("ąćęłńśźżĄĆĘŁŃŚŹŻ")
_POLISH_DIGRAPHS = ("sz", "cz", "rz", "dz", "w")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
#: How many telling characters are weighed: far more than a decision needs.
_TELLING = 1000
#: Punctuation that may touch a word in any of these languages.
_WORD_MARKS = frozenset("'\u2019\u2018\u201a„“”«»\u2013—-…·¿¡")


def detect_encoding(sample: bytes) -> str:
    """The encoding of ``sample``, the first bytes of a text (or a part of it).

    Returns ``'utf-8'`` (also for UTF-8 with a byte order mark, which
    Python's ``utf-8`` decoding passes through and DuckDB skips),
    ``'utf-16'`` (with a byte order mark), or one of :data:`CANDIDATES`.
    Plain ASCII is ``'utf-8'``.

    >>> detect_encoding(b"client;amount\\n")
    'utf-8'
    >>> detect_encoding("Gdańsk;Łódź".encode("cp1250"))
    'cp1250'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut at the end
            return _best_single_byte(sample)
    return "utf-8"


def detect_file_encoding(path: Path) -> str:
    """The encoding of the text file at ``path``: :func:`detect_encoding` of a sample.

    The sample is the file's head; when the head is plain ASCII, the first
    block further on that is not is read instead (up to 64 MiB into the
    file), so that a file whose first accented name sits deep down is still
    read right.
    """
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
        if not head.isascii():
            return detect_encoding(head)
        scanned = len(head)
        while scanned < _SCAN_BYTES and (block := handle.read(_BLOCK)):
            scanned += len(block)
            if not block.isascii():
                return detect_encoding(_whole_lines(block))
    return "utf-8"


def _whole_lines(block: bytes) -> bytes:
    """``block`` without its first and last partial lines (a character may be cut there)."""
    start = block.find(b"\n") + 1
    end = block.rfind(b"\n")
    return block[start:end] if 0 < start <= end else block


def _best_single_byte(sample: bytes) -> str:
    texts: dict[str, str] = {}
    for encoding in CANDIDATES:
        if encoding == "iso8859_2" and any(0x80 <= b <= 0x9F for b in sample):
            continue  # control codes there: Windows-1250 text, not ISO-8859-2
        try:
            texts[encoding] = sample.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start < len(sample) - 4:
                continue
            texts[encoding] = sample[: error.start].decode(encoding)
    if len(texts) < 2:
        return next(iter(texts), CANDIDATES[0])  # none: reading will name the bad byte
    # Only bytes the candidates read differently can tell them apart.
    telling = bytes(b for b in range(0x80, 0x100) if len(_readings(b, texts)) > 1)
    pattern = re.compile(b"[" + re.escape(telling) + b"]") if telling else None
    places = [m.start() for m in pattern.finditer(sample)][:_TELLING] if pattern else []
    scores = {encoding: _score(text, places) for encoding, text in texts.items()}
    return max(scores, key=lambda encoding: scores[encoding])  # first of equals wins


def _readings(byte: int, texts: dict[str, str]) -> set[str]:
    return {bytes([byte]).decode(encoding, errors="replace") for encoding in texts}


def plausibility(text: str) -> int:
    """How much ``text`` reads like words of kam's languages: the higher, the likelier.

    Only characters outside ASCII count, as ASCII reads the same in every
    candidate: +2 for a letter of the alphabets kam expects (+1 more for a
    letter only Polish has, in a word spelled with Polish digraphs), -3 for a
    symbol glued to a letter, for a Polish ``ś ć ź ń`` before a vowel and for
    a Spanish ``ñ`` before anything else.

    >>> plausibility("Łukasz Żółć"), plausibility("£ukasz ¯ó³æ")
    (11, -7)
    >>> plausibility("Señor"), plausibility("Seńor")
    (2, -3)
    >>> plausibility("Gdańsk"), plausibility("Gdañsk")
    (2, -3)
    """
    return _score(text, [found.start() for found in _NON_ASCII.finditer(text)])


def _score(text: str, places: list[int]) -> int:
    """:func:`plausibility` counted over the characters at ``places`` only."""
    score = 0
    last = len(text) - 1
    for i in places:
        if i > last:
            break
        char = text[i]
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i < last else " "
        if char in _LETTERS:
            if (char in _SOFT and after in _VOWELS) or (char in _ENYE and after not in _VOWELS):
                score -= 3
            elif char in _POLISH and _polish_word(text, i):
                score += 3
            else:
                score += 2
        elif (
            not char.isalpha() and char not in _WORD_MARKS and (before.isalpha() or after.isalpha())
        ):
            score -= 3
    return score


def _polish_word(text: str, i: int) -> bool:
    """Whether the word around ``text[i]`` has a Polish digraph in it."""
    start, end = i, i + 1
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    word = text[start:end].lower()
    return any(digraph in word for digraph in _POLISH_DIGRAPHS)
