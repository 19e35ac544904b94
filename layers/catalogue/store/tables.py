"""Catalogue tables in and out of files: CSV (the editable form) and Parquet.

Tables here are all-string frames, one column per schema column, exactly as a
spreadsheet shows the cells. Structural problems (encoding, header, ragged rows,
unclosed quotes) are raised with file and row; what the cells mean is checked by
``layers.catalogue.model``.
"""

from __future__ import annotations

import csv
import io
import mmap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from geo.safe import CSV_PROTECTED, csv_cell
from layers.catalogue.errors import CatalogueError, CatalogueErrors

#: Column holding the row number to report (spreadsheet rows, header = row 1).
ROW = "_row"
#: pyarrow reads in blocks; a row longer than a block is read with a bigger one.
_BLOCK_SIZE = 1 << 24
#: How many structural problems are listed for one file before giving up.
_MAX_STRUCTURE_ERRORS = 50
#: The header is parsed from this much of the start of the file (or all of it).
_HEADER_CHARS = 1 << 20


def _decode(data: bytes, name: str, columns: Sequence[str]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogueError(
            name,
            f"byte {exc.start + 1} (line {line}) is not UTF-8; expected a CSV file "
            f"saved as UTF-8 with a header row: {', '.join(columns)}",
            row=line,
        ) from exc


def _header(text: str, name: str, columns: Sequence[str]) -> list[str]:
    """The header cells, checked: every column once, none missing."""
    try:
        header = next(csv.reader(io.StringIO(text), strict=True), [])
    except csv.Error as exc:
        raise CatalogueError(
            name, f"the header is not valid CSV ({exc})", row=1
        ) from None
    header = [h.strip() for h in header]
    errors = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(header, start=1):
        if cell in seen and cell:
            errors.append(
                CatalogueError(
                    name,
                    f"the header names this column twice (cells {seen[cell]} and "
                    f"{position}); expected each column once",
                    row=1,
                    column=cell,
                )
            )
        seen.setdefault(cell, position)
    missing = [c for c in columns if c not in seen]
    if missing:
        errors.append(
            CatalogueError(
                name,
                f"missing column(s) {', '.join(missing)}; the header must name: "
                f"{', '.join(columns)}",
                row=1,
            )
        )
    if errors:
        raise CatalogueErrors(errors)
    return header


def _header_of(
    head: bytes, path: Path, start: int, name: str, columns: Sequence[str]
) -> list[str]:
    """The checked header, decoding only its line (or the whole file if need be)."""
    end = head.find(b"\n", start)
    if end != -1:
        first = _decode(head[start:end], name, columns)
        try:
            return _header(first, name, columns)
        except CatalogueError:
            pass  # perhaps a quoted line break in the header: read it whole below
    return _header(_decode(path.read_bytes()[start:], name, columns), name, columns)


def _records_with_rows(
    text: str, name: str, width: int
) -> tuple[list[list[str]], list[int]]:
    """Every record after the header with its row, by the csv module.

    The slow path: used when a file has blank lines (pyarrow would skip them
    and shift the row numbers) or when pyarrow cannot parse it, to say where.
    """
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    rows: list[int] = []
    errors: list[CatalogueError] = []
    row = 0
    try:
        while True:
            start_line = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                errors.append(
                    CatalogueError(
                        name,
                        f"not valid CSV from line {start_line} ({exc}); expected "
                        'cells separated by commas, quotes doubled inside a "quoted" '
                        "cell and every quote closed",
                        row=row + 1,
                    )
                )
                break
            row += 1
            if row == 1:
                continue
            if not "".join(record).strip():
                continue  # a blank line: a spreadsheet row with nothing in it
            if len(record) != width:
                errors.append(
                    CatalogueError(
                        name,
                        f"has {len(record)} cells; expected {width}, one per "
                        "column of the header (quote cells that hold commas)",
                        row=row,
                    )
                )
                if len(errors) >= _MAX_STRUCTURE_ERRORS:
                    break
                continue
            records.append(record)
            rows.append(row)
    finally:
        csv.field_size_limit(previous)
    if errors:
        raise CatalogueErrors(errors)
    return records, rows


def _parse_fast(path: Path, width: int) -> pa.Table | None:
    names = [f"c{i}" for i in range(width)]
    block = _BLOCK_SIZE
    size = path.stat().st_size
    while True:
        try:
            table = pacsv.read_csv(
                str(path),
                read_options=pacsv.ReadOptions(
                    column_names=names, skip_rows=1, block_size=block, encoding="utf8"
                ),
                # An empty line is a row to a spreadsheet: rather than skip it
                # (and misnumber every row after it), keep it as an empty row.
                parse_options=pacsv.ParseOptions(
                    newlines_in_values=True, ignore_empty_lines=False
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.large_string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    null_values=[],
                    check_utf8=True,
                ),
            )
        except pa.ArrowInvalid as exc:
            if "straddling" in str(exc) and block < size:
                block = size + 1
                continue
            return None
        if block < size and _carriage_return_in_cells(path, table):
            # pyarrow drops the "\n" of a quoted "\r\n" that a block boundary
            # splits; a file whose cells hold "\r" is read as one block.
            block = size + 1
            continue
        return table


def _carriage_return_in_cells(path: Path, table: pa.Table) -> bool:
    """Whether a cell of *table* (read from *path*) holds a carriage return.

    The file is searched first (``memchr`` over a memory map): most files
    have no carriage return at all, or only at line ends, which never reach
    a cell.
    """
    with (
        path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        if data.find(b"\r") < 0:
            return False
    return any(
        pc.any(pc.match_substring(column, "\r")).as_py() for column in table.columns
    )


def read_csv_table(
    path: Path,
    columns: Sequence[str],
    *,
    name: str | None = None,
    optional: Sequence[str] = (),
) -> pd.DataFrame:
    """Read one catalogue CSV as an all-string frame.

    Parameters
    ----------
    path
        The file.
    columns
        The columns it must have (others are ignored).
    name
        The name to show in errors (default: *path*).
    optional
        Columns read too when the header names them (after *columns*).

    Returns
    -------
    One string column per entry of *columns*, cells stripped of surrounding
    spaces and of the apostrophe that protects a formula-like text
    (``geo.safe.csv_cell``); a ``_row`` column with the spreadsheet row when
    the file has blank lines (otherwise row = position + 2).

    Raises
    ------
    CatalogueError
        If the file is missing, not UTF-8 text, empty, or not CSV with the
        columns (naming the row for ragged rows and unclosed quotes).
    """
    name = str(path) if name is None else name
    if not path.is_file():
        raise CatalogueError(
            name,
            f"file not found; expected a CSV file with the header row: "
            f"{', '.join(columns)}",
            row=1,
        )
    with path.open("rb") as handle:
        head = handle.read(_HEADER_CHARS + 3)
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if not head[start:].strip() and len(head) <= _HEADER_CHARS:
        raise CatalogueError(
            name,
            f"the file is empty; expected a header row: {', '.join(columns)}",
            row=1,
        )
    header = _header_of(head, path, start, name, columns)
    columns = [*columns, *(c for c in optional if c in header)]
    wanted = [header.index(c) for c in columns]
    # pyarrow reads the file itself (no copy in Python) and checks UTF-8; on
    # any problem the csv module reads it again to say where the problem is.
    table = _parse_fast(path, len(header))
    if table is not None:
        frame = pd.DataFrame(
            {
                c: table.column(i).to_pandas()
                for c, i in zip(columns, wanted, strict=True)
            }
        )
        # An empty line reads as a row of empty cells: skip it, keep the rows.
        blank = np.ones(len(frame), dtype=bool)
        for column in table.column_names:
            blank &= pc.equal(table.column(column), "").to_numpy()
        del table  # the frame holds the same Arrow buffers
        pa.default_memory_pool().release_unused()
        if blank.any():
            frame[ROW] = np.arange(len(frame), dtype=np.int64) + 2
            frame = frame[~blank].reset_index(drop=True)
    else:
        data = path.read_bytes()
        text = _decode(data[start:], name, columns)
        records, rows = _records_with_rows(text, name, len(header))
        frame = pd.DataFrame(
            {
                c: pd.Series([r[i] for r in records], dtype="str")
                for c, i in zip(columns, wanted, strict=True)
            }
        )
        frame[ROW] = np.asarray(rows, dtype=np.int64)
    for column in columns:  # undo write_csv_table's formula protection
        # The regex runs only on the few cells starting with an apostrophe.
        quoted = frame[column].str.startswith("'").to_numpy(dtype=bool)
        if quoted.any():
            frame.loc[quoted, column] = frame[column][quoted].str.replace(
                CSV_PROTECTED.pattern, "", n=1, regex=True
            )
    return frame


#: Cells ``csv_cell`` may change all start like this (no letter, digit or space).
_MAY_NEED_PROTECTION = "^[^A-Za-z0-9 ]"


def _protected(cells: pd.Series) -> pa.Array:
    """The cells as text, through ``csv_cell`` where they may start a formula."""
    text = cells.astype("str").fillna("")
    array = pa.array(text, type=pa.string())
    suspect = pc.match_substring_regex(array, _MAY_NEED_PROTECTION)
    where = np.flatnonzero(suspect.to_numpy(zero_copy_only=False))
    if where.size == 0:
        return array
    values = np.asarray(array.to_pandas(), dtype=object)
    values[where] = [csv_cell(v) for v in values[where]]
    return pa.array(values, type=pa.string())


def write_csv_table(frame: pd.DataFrame, path: Path, columns: Sequence[str]) -> Path:
    """Write an all-string table as CSV (UTF-8, header, quotes where needed).

    This is the one place the project writes catalogue CSV.

    Parameters
    ----------
    frame
        The table; *columns* are written, in that order, as strings.
    path
        The file to write.
    columns
        The columns to write.

    Returns
    -------
    *path*.
    """
    # No cell may run as a spreadsheet formula (geo.safe.csv_cell); the reader
    # takes the protective apostrophe off again (read_csv_table).
    table = pa.table({c: _protected(frame[c]) for c in columns})
    pacsv.write_csv(
        table,
        str(path),
        write_options=pacsv.WriteOptions(quoting_style="needed"),
    )
    return path


def write_parquet_table(table: pa.Table, path: Path) -> Path:
    """Write one table as Parquet (zstd-compressed)."""
    pq.write_table(table, str(path), compression="zstd")
    return path


def read_parquet_table(
    path: Path,
    columns: Sequence[str],
    *,
    name: str | None = None,
    optional: Sequence[str] = (),
) -> pa.Table:
    """Read one catalogue Parquet file, checking it has *columns*.

    Raises
    ------
    CatalogueError
        If the file is missing, not Parquet, or lacks a column.
    """
    name = str(path) if name is None else name
    if not path.is_file():
        raise CatalogueError(name, "file not found; expected a Parquet table", row=1)
    try:
        schema = pq.read_schema(str(path))
    except (pa.ArrowInvalid, OSError) as exc:
        raise CatalogueError(
            name, f"not a readable Parquet file ({exc}); expected Parquet", row=1
        ) from None
    missing = [c for c in columns if c not in schema.names]
    if missing:
        raise CatalogueError(
            name,
            f"missing column(s) {', '.join(missing)}; expected: {', '.join(columns)}",
            row=1,
        )
    columns = [*columns, *(c for c in optional if c in schema.names)]
    try:
        return pq.read_table(str(path), columns=list(columns))
    except (pa.ArrowInvalid, OSError) as exc:
        raise CatalogueError(
            name, f"not a readable Parquet file ({exc}); expected Parquet", row=1
        ) from None


def strings(table: pa.Table, columns: Sequence[str]) -> pd.DataFrame:
    """Cast every column of *table* to text, as the CSV form would hold it."""
    out = {}
    for column in columns:
        array = table.column(column)
        if pa.types.is_timestamp(array.type):
            array = array.cast(pa.date32())
        text = array.cast(pa.string()).fill_null("")
        out[column] = text.to_pandas()
    return pd.DataFrame(out)
