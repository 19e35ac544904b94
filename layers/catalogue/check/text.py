"""Byte-level checks of text cells: control characters, line breaks, edge spaces.

They read the UTF-8 bytes of whole Arrow columns at once, copying no text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from layers.catalogue.check.cells import Problems, Table


def _match(array: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(array, pattern).to_numpy(zero_copy_only=False)


def _chunks(array: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    """The contiguous pieces of *array* as large strings (no copy of the text)."""
    pieces = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    return [piece.cast(pa.large_string()) for piece in pieces]


def _buffers(piece: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets and the UTF-8 bytes of one large-string array."""
    _, offsets_buffer, data_buffer = piece.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        piece.offset : piece.offset + len(piece) + 1
    ]
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, dtype=np.uint8)
    )
    return offsets, data


def _bytes_matching(array: pa.Array, bad: np.ndarray) -> np.ndarray:
    """Rows of a string *array* holding a byte flagged in the 256-entry *bad*.

    Works chunk by chunk on the bytes themselves, so it copies no text.
    """
    out = []
    for piece in _chunks(array):
        found = np.zeros(len(piece), dtype=bool)
        if len(piece):
            offsets, data = _buffers(piece)
            data = data[offsets[0] : offsets[-1]]
            hits = np.flatnonzero(np.take(bad, data)) + offsets[0]
            if hits.size:
                found[np.searchsorted(offsets, hits, side="right") - 1] = True
        out.append(found)
    return np.concatenate(out) if out else np.zeros(0, dtype=bool)


def may_need_trim(array: pa.Array) -> bool:
    """Whether any string may start or end with white space (a byte test).

    True if a first or last byte is ASCII white space or non-ASCII (which may
    be Unicode white space); False means trimming would change nothing.
    """
    for piece in _chunks(array):
        if len(piece) == 0:
            continue
        offsets, data = _buffers(piece)
        filled = offsets[1:] > offsets[:-1]
        edges = np.concatenate(
            [data[offsets[:-1][filled]], data[offsets[1:][filled] - 1]]
        )
        if _EDGE_BYTES[edges].any():
            return True
    return False


def _byte_table(values: Iterable[int]) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(values)] = True
    return table


#: C0 controls but tab and line breaks, and DEL, as UTF-8 bytes.
_CONTROL_BYTES = _byte_table([*range(0, 9), 11, 12, *range(14, 32), 127])
#: Tab and line breaks.
_BREAK_BYTES = _byte_table([9, 10, 13])
#: Bytes at the edge of a cell that may be (part of) white space.
_EDGE_BYTES = _byte_table([9, 10, 11, 12, 13, 32, *range(128, 256)])
#: Any byte that may start a problem: all of the above and 0xC2.
_SUSPECT_BYTES = _byte_table([*range(0, 32), 127, 0xC2])
#: C1 controls (U+0080 to U+009F) are 0xC2 0x80..0x9F in UTF-8.
_C1_PATTERN = r"[\x{80}-\x{9f}]"


def control_characters(
    problems: Problems, table: Table, *, multiline: Sequence[str] = ()
) -> None:
    """No control characters anywhere; tab and line breaks only in *multiline*.

    Scans the bytes of each column at once; a regex runs only on columns
    holding a 0xC2 byte (where C1 controls would be).
    """
    for column in table.columns:
        array = table.arrow(column)
        if not _bytes_matching(array, _SUSPECT_BYTES).any():
            continue
        bad = _bytes_matching(array, _CONTROL_BYTES)
        if _bytes_matching(array, _byte_table([0xC2])).any():
            bad |= _match(array, _C1_PATTERN)
        problems.add(
            table,
            bad,
            column,
            "'{value}' holds a control character; expected printable text",
        )
        if column not in multiline:
            breaks = _bytes_matching(array, _BREAK_BYTES) & ~bad
            problems.add(
                table,
                breaks,
                column,
                "'{value}' holds a tab or line break; expected one line of text",
            )
