"""One skeleton for column-mapped files (ACLED, UCDP, and any format like them).

A column-mapped format is a CSV export with one event a row. Its module gives
a :class:`ColumnMapping`: the columns it needs, the coded columns and their
codes, the date and coordinate columns, and a ``build`` step that turns the
checked columns into native tables (its own notes and mapping tables). This
module does the rest, the same way for every format: read the CSV as text,
require the columns, check the event ids, codes, dates and coordinates, and
collect every problem before building.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from layers.catalogue.errors import CatalogueError
from layers.catalogue.importers.columns import coordinates, integer_codes
from layers.catalogue.importers.dates import parse_dates
from layers.catalogue.importers.native import Importer, Tables, to_catalogue
from layers.catalogue.importers.rows import RowErrors, read_csv_strings, require_columns
from layers.catalogue.model import Catalogue


@dataclass
class Parsed:
    """A column-mapped file after the shared checks, handed to ``build``.

    Attributes
    ----------
    frame
        The file as text (optional columns added as ""), with ``_row``.
    name
        The file name shown in messages.
    errors
        Problems found so far; ``build`` adds its own, then raises them all.
    codes
        Coded column -> its whole-number codes (``Int64``, NA where bad).
    dates
        Date column -> its dates (NaT where bad).
    lat, lon
        The coordinates as floats (NaN where bad).
    defaulted
        Coded columns the file lacked, filled with the mapping's default.
    country
        Each row's reference country, once ``build`` has resolved it.
    """

    frame: pd.DataFrame
    name: str
    errors: RowErrors
    codes: dict[str, pd.Series]
    dates: dict[str, pd.Series]
    lat: pd.Series
    lon: pd.Series
    defaulted: tuple[str, ...] = ()
    country: pd.Series = field(default_factory=lambda: pd.Series(dtype=str))


@dataclass(frozen=True)
class ColumnMapping:
    """What a column-mapped format is.

    Attributes
    ----------
    what
        The format as named in messages ("an ACLED export").
    id_column, id_label
        The event id column and how messages call it ("ACLED's event id").
    required, optional
        Columns the file must have; columns used when present ("" if not).
    signature
        Header names that tell this format apart from other CSV files.
    codes
        Coded column -> (the codes it allows, how messages call it).
    dates
        The date columns.
    lat, lon
        The coordinate columns.
    original_columns
        Native column -> this format's column, for the checker's messages.
    build
        The checked columns to native tables; runs its own checks first and
        raises every problem (``parsed.errors.raise_if_any()``).
    defaults
        Coded column -> the code used when the file lacks that column (its
        notes must say so).
    """

    what: str
    id_column: str
    id_label: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    signature: tuple[str, ...]
    codes: Mapping[str, tuple[tuple[int, ...], str]]
    dates: tuple[str, ...]
    original_columns: Mapping[str, str]
    build: Callable[[Parsed], Tables]
    lat: str = "latitude"
    lon: str = "longitude"
    defaults: Mapping[str, int] = field(default_factory=dict)

    def looks_like(self, header: list[str]) -> bool:
        """Whether a CSV header is that of this format."""
        return all(column in header for column in self.signature)

    @property
    def importer(self) -> Importer:
        """The format as the opener sees it."""
        return Importer(partial(to_tables, mapping=self), self.original_columns)


def to_tables(data: bytes, *, name: str, mapping: ColumnMapping) -> Tables:
    """The native tables of a file in the format *mapping* describes.

    Raises
    ------
    CatalogueErrors
        Every cell that breaks the format, by row and the file's own column.
    """
    frame = read_csv_strings(data, name=name)
    defaulted = tuple(c for c in mapping.defaults if c not in frame)
    for column in defaulted:
        frame[column] = str(mapping.defaults[column])
    require_columns(frame, mapping.required, name=name, what=mapping.what)
    if frame.empty:
        raise CatalogueError(name, "has a header but no events")
    for column in mapping.optional:
        if column not in frame:
            frame[column] = ""
    errors = RowErrors(name)
    rows = frame["_row"]
    errors.add_rows(
        frame[mapping.id_column] == "",
        rows,
        mapping.id_column,
        lambda v: f"is empty; {mapping.id_label} is required",
        frame[mapping.id_column],
    )
    codes = {
        column: integer_codes(frame, column, allowed, errors, what=what)
        for column, (allowed, what) in mapping.codes.items()
    }
    dates = {
        column: parse_dates(frame[column], rows, column, errors)
        for column in mapping.dates
    }
    lat, lon = coordinates(frame, errors, lat=mapping.lat, lon=mapping.lon)
    parsed = Parsed(frame, name, errors, codes, dates, lat, lon, defaulted)
    return mapping.build(parsed)


def read(data: bytes, *, name: str, mapping: ColumnMapping) -> Catalogue:
    """Read a file in the format *mapping* describes as a checked catalogue.

    Raises
    ------
    CatalogueError
        Naming the file, row and column of every problem.
    """
    return to_catalogue(to_tables(data, name=name, mapping=mapping), name=name)
