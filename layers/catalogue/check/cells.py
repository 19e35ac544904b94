"""Typed, vectorised cell checks; every problem keeps its file, row and column.

A check takes a whole column of text cells, records a problem for each bad cell
in a ``Problems`` collector and returns the typed values (missing or bad cells
as NaN / NaT / null), so one pass reports every bad cell of a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from layers.catalogue.errors import CatalogueError, CatalogueErrors

#: A decimal number in ASCII digits: optional sign, decimal point, exponent.
#: Not accepted: ``3_5.5`` (Python's digit grouping), other scripts' digits,
#: ``inf``, ``nan``, thousands separators, spaces inside.
NUMBER_PATTERN = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
#: How many problems are kept in full (the rest are only counted).
_KEEP = 1_000
#: Longest cell value quoted in a message.
_QUOTE_CHARS = 60


@dataclass(frozen=True)
class Table:
    """One table of text cells and where its rows came from.

    Attributes
    ----------
    name
        The file name shown in errors.
    frame
        The cells, one string column per schema column.
    rows
        The row number of each record, as a spreadsheet counts them.
    columns
        The schema's columns, in order (for sorting problems).
    """

    name: str
    frame: pd.DataFrame
    rows: np.ndarray
    columns: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.frame)

    def arrow(self, column: str) -> pa.Array:
        """The column as an Arrow string array."""
        return pa.array(self.frame[column], type=pa.large_string())


def _quote(value: object) -> str:
    text = str(value)
    text = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)
    if len(text) > _QUOTE_CHARS:
        text = text[: _QUOTE_CHARS - 3] + "..."
    return text


def _shown(
    table: Table,
    positions: np.ndarray,
    keep: np.ndarray,
    column: str | None,
    problem: str,
    values: Iterable[object] | None,
) -> np.ndarray:
    """What ``{value}`` becomes for each problem row (only kept cells are read)."""
    if values is not None:
        return np.asarray(list(values), dtype=object)
    shown = np.full(positions.size, "", dtype=object)
    if column is not None and "{value}" in problem:
        # Only the kept cells become Python strings, not the whole column.
        shown[keep] = table.frame[column].take(positions[keep]).to_numpy(object)
    return shown


class Problems:
    """The problems found in one catalogue (an accumulator used while checking).

    Parameters
    ----------
    tables
        The tables being checked, in the order their problems are listed.
    """

    def __init__(self, tables: Sequence[Table]) -> None:
        self._rank = {t.name: i for i, t in enumerate(tables)}
        self._columns = {
            t.name: {c: i for i, c in enumerate(t.columns)} for t in tables
        }
        self._chunks: list[pd.DataFrame] = []
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(
        self,
        table: Table,
        where: np.ndarray | pd.Series,
        column: str | None,
        problem: str,
        *,
        values: Iterable[object] | None = None,
        details: Iterable[object] | None = None,
    ) -> None:
        """Record *problem* for the rows of *table* where *where* is true.

        Parameters
        ----------
        table
            The table at fault.
        where
            A boolean mask over the table's rows, or an array of positions.
        column
            The column at fault (None: the whole row).
        problem
            The message; ``{value}`` is replaced by the cell's text (or by the
            matching item of *values*).
        values
            What to put in ``{value}`` for each selected row (default: the
            cell of *column*); quoted short, control characters escaped.
        details
            What to put in ``{detail}`` for each selected row, as is.
        """
        where = np.asarray(where)
        positions = np.flatnonzero(where) if where.dtype == bool else where
        if positions.size == 0:
            return
        self._count += positions.size
        rows = table.rows[positions]
        keep = np.argsort(rows, kind="stable")[:_KEEP]
        shown = _shown(table, positions, keep, column, problem, values)
        extra = (
            np.full(positions.size, "", dtype=object)
            if details is None
            else np.asarray(list(details), dtype=object)
        )
        self._chunks.append(
            pd.DataFrame(
                {
                    "rank": self._rank.get(table.name, len(self._rank)),
                    "row": rows[keep],
                    "order": self._columns.get(table.name, {}).get(column, -1),
                    "file": table.name,
                    "column": column,
                    "value": shown[keep],
                    "detail": extra[keep],
                    "problem": problem,
                }
            )
        )

    def add_one(self, error: CatalogueError, *, rank: int = -1) -> None:
        """Record one ready-made problem (a whole file, say)."""
        self._count += 1
        self._chunks.append(
            pd.DataFrame(
                {
                    "rank": [rank],
                    "row": [error.row if error.row is not None else 0],
                    "order": [-1],
                    "file": [error.path],
                    "column": [error.column],
                    "value": [""],
                    "detail": [""],
                    "problem": [error.problem],
                }
            )
        )

    def raise_if_any(self) -> None:
        """Raise every recorded problem as one ``CatalogueErrors``, sorted.

        Raises
        ------
        CatalogueErrors
            If any problem was recorded: sorted by file, row and column.
        """
        if not self._count:
            return
        found = pd.concat(self._chunks, ignore_index=True)
        found = found.sort_values(["rank", "row", "order"], kind="stable").head(_KEEP)
        errors = [
            CatalogueError(
                file,
                problem.replace("{value}", _quote(value)).replace(
                    "{detail}", str(detail)
                ),
                row=int(row) if row else None,
                column=column if isinstance(column, str) else None,
            )
            for file, row, column, value, detail, problem in zip(
                found["file"],
                found["row"],
                found["column"],
                found["value"],
                found["detail"],
                found["problem"],
                strict=True,
            )
        ]
        raise CatalogueErrors(errors, total=self._count)


def _match(array: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(array, pattern).to_numpy(zero_copy_only=False)


def empty(table: Table, column: str) -> np.ndarray:
    """Where *column* is empty."""
    return (table.frame[column] == "").to_numpy()


def required(problems: Problems, table: Table, column: str, expected: str) -> None:
    """Every cell of *column* must have a value."""
    problems.add(table, empty(table, column), column, f"is empty; expected {expected}")


def numbers(
    problems: Problems,
    table: Table,
    column: str,
    *,
    low: float,
    high: float,
    integer: bool = False,
    needed: bool | np.ndarray = True,
    unit: str = "",
) -> np.ndarray:
    """Parse a column of decimal numbers, checking syntax and range.

    Parameters
    ----------
    problems, table, column
        Where to record problems, and the cells.
    low, high
        The inclusive range.
    integer
        Whether the number must be whole.
    needed
        Whether a value is required (a mask: required on those rows).
    unit
        Appended to the range in messages (e.g. `` m``).

    Returns
    -------
    The values as float64; NaN where empty or bad.
    """
    kind = "whole number" if integer else "number"
    expected = f"a {kind} from {_plain(low)} to {_plain(high)}{unit}"
    array = table.arrow(column)
    is_empty = empty(table, column)
    syntax = _match(array, f"^{NUMBER_PATTERN}$")
    must = np.broadcast_to(np.asarray(needed, dtype=bool), is_empty.shape)
    problems.add(table, is_empty & must, column, f"is empty; expected {expected}")
    problems.add(
        table,
        ~syntax & ~is_empty,
        column,
        f"'{{value}}' is not a number; expected {expected}, written with the "
        "digits 0-9, an optional sign, decimal point and exponent",
    )
    clean = pc.if_else(pa.array(syntax), array, pa.scalar(None, pa.large_string()))
    values = clean.cast(pa.float64()).to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        out_of_range = syntax & ~((values >= low) & (values <= high))
    problems.add(
        table, out_of_range, column, f"{{value}} is out of range; expected {expected}"
    )
    values = np.where(syntax & ~out_of_range, values, np.nan)
    if integer:
        fraction = ~np.isnan(values) & (values != np.floor(values))
        problems.add(
            table, fraction, column, f"{{value}} is not whole; expected {expected}"
        )
        values = np.where(fraction, np.nan, values)
    return values


def dates(
    problems: Problems,
    table: Table,
    column: str,
    *,
    earliest: date,
    latest: date,
    needed: bool = True,
    partial: bool = False,
) -> np.ndarray:
    """Parse a column of ISO 8601 calendar dates, checking they exist and are plausible.

    Parameters
    ----------
    problems, table, column
        Where to record problems, and the cells.
    earliest, latest
        The plausible span (inclusive).
    needed
        Whether a value is required.
    partial
        Whether ``YYYY`` and ``YYYY-MM`` are accepted (as their first day).

    Returns
    -------
    The dates as ``datetime64[s]``; NaT where empty or bad.
    """
    form = "YYYY, YYYY-MM or YYYY-MM-DD" if partial else "YYYY-MM-DD"
    expected = f"a date written {form}, from {earliest} to {latest}"
    array = table.arrow(column)
    is_empty = empty(table, column)
    if needed:
        problems.add(table, is_empty, column, f"is empty; expected {expected}")
    full = _full_dates(array) if partial else array
    syntax = _match(full, f"^{DATE_PATTERN}$")
    clean = pc.if_else(_pa_bool(syntax), full, _text("2000-01-01"))
    year, month, day = (
        pc.cast(pc.utf8_slice_codeunits(clean, a, b), pa.int64()).to_numpy()
        for a, b in ((0, 4), (5, 7), (8, 10))
    )
    real = syntax & _is_calendar_day(year, month, day)
    values = _to_datetime64(np.where(real, year, 2000), month, day, real)
    problems.add(
        table,
        ~is_empty & ~syntax,
        column,
        f"'{{value}}' is not a date written {form}; expected {expected}",
    )
    problems.add(
        table,
        syntax & ~real,
        column,
        f"'{{value}}' is not a day of the calendar; expected {expected}",
    )
    low, high = np.datetime64(earliest, "s"), np.datetime64(latest, "s")
    implausible = real & ((values < low) | (values > high))
    problems.add(
        table, implausible, column, f"'{{value}}' is out of range; expected {expected}"
    )
    return np.where(real & ~implausible, values, np.datetime64("NaT", "s"))


def _full_dates(array: pa.Array) -> pa.Array:
    """``YYYY`` and ``YYYY-MM`` as the first day of that year or month."""
    return pc.if_else(
        _pa_bool(_match(array, r"^[0-9]{4}$")),
        pc.binary_join_element_wise(array, _text("-01-01"), _text("")),
        pc.if_else(
            _pa_bool(_match(array, r"^[0-9]{4}-[0-9]{2}$")),
            pc.binary_join_element_wise(array, _text("-01"), _text("")),
            array,
        ),
    )


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _is_calendar_day(
    year: np.ndarray, month: np.ndarray, day: np.ndarray
) -> np.ndarray:
    """Where (year, month, day) is a day of the Gregorian calendar."""
    ok_month = (month >= 1) & (month <= 12)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = _MONTH_DAYS[np.where(ok_month, month, 0)] + (leap & (month == 2))
    return ok_month & (day >= 1) & (day <= days)


def _to_datetime64(
    year: np.ndarray, month: np.ndarray, day: np.ndarray, valid: np.ndarray
) -> np.ndarray:
    """``datetime64[s]`` from calendar parts; NaT where not *valid*."""
    months = (year - 1970) * 12 + np.where(valid, month, 1) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    days = first + (np.where(valid, day, 1) - 1).astype("timedelta64[D]")
    return np.where(valid, days.astype("datetime64[s]"), np.datetime64("NaT", "s"))


def _plain(number: float) -> str:
    """*number* for a message: 2,000,000 rather than 2e+06."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _pa_bool(mask: np.ndarray) -> pa.Array:
    return pa.array(mask, type=pa.bool_())


def choices(
    problems: Problems,
    table: Table,
    column: str,
    allowed: Sequence[str],
    *,
    needed: bool = True,
    rows: np.ndarray | None = None,
    expected: str | None = None,
) -> np.ndarray:
    """Cells (of *rows*, if given) must be one of *allowed*; returns where they are."""
    ok = isin(table.frame[column], allowed)
    if not needed:
        ok |= empty(table, column)
    bad = ~ok if rows is None else (~ok & rows)
    expected = expected or "one of: " + ", ".join(allowed)
    problems.add(table, bad, column, f"'{{value}}' is not allowed; expected {expected}")
    return ok


def unique(problems: Problems, table: Table, column: str) -> None:
    """No value of *column* twice (empty cells are left to ``required``)."""
    cells = table.frame[column]
    repeated = cells.duplicated(keep="first").to_numpy() & ~empty(table, column)
    if not repeated.any():
        return
    first_row = pd.Series(table.rows, index=cells.to_numpy()).groupby(level=0).min()
    problems.add(
        table,
        repeated,
        column,
        f"'{{value}}' is a duplicate (first on row {{detail}}); expected each "
        f"{column} once",
        details=first_row.reindex(cells.to_numpy()[repeated]).to_numpy(),
    )


def isin(cells_: pd.Series | np.ndarray, values: Iterable[object]) -> np.ndarray:
    """Where each cell is one of *values* (vectorised in Arrow)."""
    array = pa.array(cells_, type=pa.large_string())
    if not isinstance(values, (pd.Series, np.ndarray)):
        values = [str(v) for v in values]
    value_set = pa.array(values, type=pa.large_string())
    return pc.is_in(array, value_set=value_set).to_numpy(zero_copy_only=False)


def matches(cells_: pd.Series | np.ndarray, pattern: str) -> np.ndarray:
    """Where each cell matches the RE2 *pattern* (anchor it to match whole)."""
    return _match(pa.array(cells_, type=pa.large_string()), pattern)


def join_items(cells_: pd.Series, separator: str, joiner: str) -> pd.Series:
    """Split every cell on *separator*, drop empty items, join with *joiner*."""
    array = pa.array(cells_, type=pa.large_string())
    lists = pc.split_pattern(array, separator)
    parents = pc.list_parent_indices(lists).to_numpy()
    items = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    keep = pc.not_equal(items, "").to_numpy(zero_copy_only=False)
    counts = np.bincount(parents[keep], minlength=len(array))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    kept_items = items.filter(pa.array(keep)).cast(pa.string())
    if isinstance(kept_items, pa.ChunkedArray):
        kept_items = kept_items.combine_chunks()
    kept = pa.ListArray.from_arrays(pa.array(offsets), kept_items)
    joined = pc.binary_join(kept, joiner)
    return pd.Series(joined.to_pandas(), dtype="str")


def split_items(cells: pd.Series, separator: str) -> tuple[np.ndarray, pd.Series]:
    """Split every cell on *separator* into stripped, non-empty items.

    Returns
    -------
    The position (in *cells*) of each item's cell, and the items.
    """
    array = pa.array(cells, type=pa.large_string())
    lists = pc.split_pattern(array, separator)
    parents = pc.list_parent_indices(lists).to_numpy()
    items = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    keep = pc.not_equal(items, "").to_numpy(zero_copy_only=False)
    return parents[keep], pd.Series(
        items.filter(pa.array(keep)).to_pandas(), dtype="str"
    )
