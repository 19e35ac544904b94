"""Partial files: the valid rows of an imported table, and every refused row.

A file with some bad rows is not thrown away whole, and nothing is dropped
silently: :func:`read_valid_rows` returns the catalogue of the rows that pass
every check together with the table of refused rows (row number, column,
value, reason), for the command line (``--skip-bad-rows``) and the page's
"Load the N valid rows" button. Only row-by-row formats (ACLED, UCDP GED)
can be read in part; a problem with the file as a whole (a missing column,
an unreadable file) still refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from layers.catalogue import read_catalogue
from layers.catalogue.boundary import reading
from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.importers.rows import read_csv_strings
from layers.catalogue.model import Catalogue
from layers.catalogue.open import detect, read_bytes
from layers.catalogue.reference import Reference

#: Columns of the refused-rows table.
REFUSED_COLUMNS = ("row", "column", "value", "reason")
#: Formats read row by row, whose bad rows can be set aside.
ROW_FORMATS = ("acled", "ucdp")
#: Rounds of checking: a row set aside can only uncover problems in others
#: when the checker stopped listing early, so a few rounds are enough.
MAX_ROUNDS = 10


@dataclass(frozen=True)
class PartialRead:
    """What was read from a file with some bad rows.

    Attributes
    ----------
    catalogue
        The catalogue of the valid rows.
    refused
        One line per problem: ``row`` (the file's row, header = 1),
        ``column``, ``value`` (the cell as the file has it) and ``reason``.
    rows
        How many data rows the file has.
    data
        The valid rows as a file of the same format (the bytes read last).
    """

    catalogue: Catalogue
    refused: pd.DataFrame
    rows: int
    data: bytes = b""

    @property
    def refused_rows(self) -> int:
        """How many distinct rows were refused."""
        return int(self.refused["row"].nunique())

    def summary(self) -> str:
        """``"N rows read, M refused"``."""
        return f"{self.rows} rows read, {self.refused_rows} refused"


def _refusals(errors: CatalogueErrors, frame: pd.DataFrame) -> pd.DataFrame:
    by_row = frame.set_index("_row")
    lines = []
    for error in errors.errors:
        row, column = int(error.row or 0), error.column or ""
        value = ""
        if row in by_row.index and column in by_row.columns:
            value = str(by_row.at[row, column])
        lines.append((row, column, value, error.problem))
    return pd.DataFrame(lines, columns=list(REFUSED_COLUMNS))


def read_valid_rows(
    data: bytes, *, name: str, reference: Reference | None = None
) -> PartialRead:
    """Read the rows of *data* that pass every check; list the others.

    Raises
    ------
    CatalogueError
        If the file cannot be read in part (not a row-by-row format, a
        problem with the file as a whole) or no row is valid.
    """
    with reading(name):
        kind = detect(data, name=name)
        frame = read_csv_strings(data, name=name) if kind in ROW_FORMATS else None
    refused = pd.DataFrame(columns=list(REFUSED_COLUMNS))
    kept = frame
    for _ in range(MAX_ROUNDS):
        try:
            current = data if kept is frame or kept is None else _without(kept)
            catalogue = read_bytes(current, name=name, reference=reference)
        except CatalogueErrors as exc:
            if frame is None or kept is None:
                raise
            found = _in_file_rows(_refusals(exc, kept), kept)
            if (found["row"] < 2).any():
                raise  # a problem with the file as a whole
            refused = pd.concat([refused, found], ignore_index=True)
            kept = kept[~kept["_row"].isin(found["row"])]
            if kept.empty:
                raise CatalogueError(name, "no row is valid; " + str(exc)) from None
            continue
        rows = len(frame) if frame is not None else len(catalogue.events)
        return PartialRead(catalogue, refused.reset_index(drop=True), rows, current)
    raise CatalogueError(name, "still has bad rows after setting aside the others")


def _without(kept: pd.DataFrame) -> bytes:
    """The kept rows as CSV text again (the file's own columns, renumbered)."""
    columns = [c for c in kept.columns if c != "_row"]
    return kept[columns].to_csv(index=False).encode("utf-8")


def _in_file_rows(found: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """Refusals numbered by the original file's rows, not the rewritten one's."""
    original = kept["_row"].to_numpy()
    position = found["row"].to_numpy() - 2
    inside = (position >= 0) & (position < len(original))
    found = found.copy()
    found.loc[inside, "row"] = original[position[inside]]
    found.loc[~inside, "row"] = np.where(found.loc[~inside, "row"] < 2, 0, -1)
    by_row = kept.set_index("_row")
    for k in found.index[inside]:  # one per problem, never per row of the file
        column = found.at[k, "column"]
        if column in by_row.columns:
            found.at[k, "value"] = str(by_row.at[found.at[k, "row"], column])
    return found


def read_path(
    path: Path, *, skip_bad_rows: bool
) -> tuple[Catalogue, PartialRead | None]:
    """Read a catalogue path; with *skip_bad_rows*, a file's valid rows only.

    Raises
    ------
    CatalogueError
        As ``read_catalogue`` (without *skip_bad_rows*, or for a folder), or
        as :func:`read_valid_rows`.
    """
    if not skip_bad_rows or Path(path).is_dir():
        return read_catalogue(path), None
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogueError(str(path), f"cannot be read ({exc.strerror})") from None
    partial = read_valid_rows(data, name=str(path))
    return partial.catalogue, partial


def report_lines(partial: PartialRead) -> list[str]:
    """The summary, then one line per refused row (for the command line)."""
    lines = [partial.summary()]
    for row in partial.refused.itertuples(index=False):
        lines.append(f"refused row {row.row}, column '{row.column}': {row.reason}")
    return lines
