"""A CSV file's text and separator, told from its bytes before any importer.

Spreadsheets save CSV in more than one way: UTF-8 with or without a
byte-order mark, UTF-16 with one ("Unicode text"), Windows-1252 (an older
"CSV" on Windows), and with commas, semicolons (where the comma is the
decimal mark) or tabs between cells. Each of these is read; a text that is
none of them is named for what it seems to be, with the fix.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from layers.catalogue.errors import CatalogueError

#: Separators tried on the header row, the first of the most cells winning.
SEPARATORS = (",", ";", "\t")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
#: Three non-ASCII letters in a row: in Windows-1252 that is rarely Western
#: text, more often another code page (Arabic, Cyrillic) read wrongly.
_FOREIGN_RUN = re.compile(r"[^\x00-\x7f]{3,}")
_SEPARATOR_HINT = re.compile(r"^sep=(.)\r?\n")


class CsvText(NamedTuple):
    """A CSV file decoded: its text, cell separator and encoding's name."""

    text: str
    separator: str
    encoding: str


def decode_text(data: bytes, *, name: str) -> tuple[str, str]:
    """The text of *data* and the name of its encoding.

    Raises
    ------
    CatalogueError
        If it is neither UTF-8, UTF-16 with a byte-order mark nor
        Windows-1252 Western text, naming the byte that cannot be read.
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError as exc:
                raise CatalogueError(
                    name,
                    f"starts as {label} text but byte {exc.start} cannot be "
                    f"read as {label}; save it as CSV (UTF-8)",
                ) from None
    if b"\x00" in data[:4096]:
        raise CatalogueError(
            name,
            "looks like UTF-16 or UTF-32 text without a byte-order mark; "
            "save it as CSV (UTF-8)",
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        bad = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and not _FOREIGN_RUN.search(text):
        return text, "Windows-1252"
    raise CatalogueError(
        name,
        f"not a UTF-8 text file (byte {bad} cannot be read, and the text is not "
        "Western Windows-1252 either); save it as CSV (UTF-8)",
    )


def sniff_separator(header: str) -> str:
    """The separator that splits *header* (the first line) into most cells."""
    counts = [header.count(sep) for sep in SEPARATORS]
    return SEPARATORS[counts.index(max(counts))] if max(counts) else ","


def decode_csv(data: bytes, *, name: str) -> CsvText:
    """The text of a CSV file, its separator and encoding.

    An Excel ``sep=;`` first line is honoured and dropped.

    Raises
    ------
    CatalogueError
        If the encoding cannot be told (see :func:`decode_text`).
    """
    text, encoding = decode_text(data, name=name)
    hint = _SEPARATOR_HINT.match(text)
    if hint:
        return CsvText(text[hint.end() :], hint[1], encoding)
    return CsvText(text, sniff_separator(text[:65_536].split("\n", 1)[0]), encoding)


def header_cells(data: bytes) -> list[str]:
    """The cells of the first line, however the file is encoded (best effort)."""
    head = data[:65_536]
    try:
        text = decode_csv(head, name="").text
    except CatalogueError:
        text = head.decode("utf-8", "replace")
    first = text.split("\n", 1)[0].rstrip("\r")
    separator = sniff_separator(first)
    return [cell.strip().strip('"') for cell in first.split(separator)]
