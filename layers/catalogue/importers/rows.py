"""The rows of an imported table: reading CSV as text, and the errors found in it.

Every importer reads its file as an all-string frame with a ``_row`` column
(the spreadsheet row, header = row 1) and collects its problems in a
:class:`RowErrors`, so the user sees every bad cell at once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from layers.catalogue.errors import CatalogueError, CatalogueErrors
from layers.catalogue.importers.csv_text import decode_csv


def per_value(values: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """*func* of each cell, computed once per distinct value (exports repeat)."""
    distinct = pd.unique(values.astype(str))
    return values.astype(str).map(dict(zip(distinct, map(func, distinct), strict=True)))


@dataclass
class RowErrors:
    """Problems found in one file, collected so the user sees them all at once.

    Attributes
    ----------
    name
        The file name shown in messages.
    unit
        ``"row"`` for tables (spreadsheet rows, header = row 1) or
        ``"feature"`` for vector files (1 = the first feature).
    """

    name: str
    unit: str = "row"
    errors: list[CatalogueError] = field(default_factory=list)

    def add(self, problem: str, *, row: int | None = None, column: str | None = None):
        """Record one problem."""
        self.errors.append(self.error(problem, row=row, column=column))

    def error(
        self, problem: str, *, row: int | None = None, column: str | None = None
    ) -> CatalogueError:
        """One problem as an error (not recorded)."""
        if self.unit == "row" or row is None:
            return CatalogueError(self.name, problem, row=row, column=column)
        return FeatureError(self.name, problem, feature=row, column=column)

    def add_rows(
        self,
        bad: pd.Series,
        rows: pd.Series,
        column: str,
        problem: Callable[[str], str],
        values: pd.Series,
    ) -> None:
        """Record *problem* for every row where *bad* holds (one message each)."""
        for row, value in zip(rows[bad], values[bad], strict=True):
            self.add(problem(str(value)), row=int(row), column=column)

    def raise_if_any(self) -> None:
        """Raise the collected problems, if any.

        Raises
        ------
        CatalogueErrors
            Every problem recorded so far.
        """
        if self.errors:
            raise CatalogueErrors(sorted(self.errors, key=lambda e: e.row or 0))


class FeatureError(CatalogueError):
    """A problem with one feature of a vector file (GeoJSON, GeoPackage, KML).

    Like :class:`CatalogueError`, but the message says "feature N" rather than
    "row N"; ``row`` holds the feature number (1 = the first feature).
    """

    def __init__(
        self, path: str, problem: str, *, feature: int, column: str | None = None
    ) -> None:
        super().__init__(path, problem, row=feature, column=column)
        where = f"{self.path}, feature {feature}"
        if column is not None:
            where += f", column '{column}'"
        self.args = (f"{where}: {problem}",)

    @property
    def where(self) -> str:
        """``<file>, feature <n>, column '<col>'`` (as much as is known)."""
        return str(self.args[0]).split(": ", 1)[0]


def read_csv_strings(data: bytes, *, name: str) -> pd.DataFrame:
    """Read CSV bytes as an all-string frame (empty cells are "").

    Header names are stripped; a ``_row`` column holds the spreadsheet row
    of each record (header = row 1).

    Raises
    ------
    CatalogueError
        If the bytes are not CSV with a header row (in the encodings and
        with the separators ``csv_text.decode_csv`` tells apart).
    """
    text, separator, _ = decode_csv(data, name=name)
    if not text.strip():
        raise CatalogueError(name, "the file is empty; expected a header row")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=False,
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[-1]
        match = re.search(r"line (\d+), saw (\d+)", detail)
        if match:
            raise CatalogueError(
                name,
                f"has {match[2]} cells where the header has fewer; check for "
                "an unquoted comma",
                row=int(match[1]),
            ) from None
        raise CatalogueError(name, f"not valid CSV ({detail})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(lambda s: s.str.strip())
    frame["_row"] = np.arange(2, len(frame) + 2)
    return frame


def require_columns(
    frame: pd.DataFrame, columns: Sequence[str], *, name: str, what: str
) -> None:
    """Raise if *frame* lacks any of *columns*.

    Raises
    ------
    CatalogueError
        Naming the missing columns and the file.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CatalogueError(
            name,
            f"missing column(s) {', '.join(missing)}; {what} needs at least: "
            f"{', '.join(columns)}",
            row=1,  # the header
            column=missing[0],
        )
