"""Dates as files carry them: ISO 8601 with or without a time, ACLED's forms.

An order that could be read two ways (``03/04/2019``) is refused by name,
never guessed.
"""

from __future__ import annotations

import pandas as pd

from layers.catalogue.importers.rows import RowErrors

#: Date formats tried in turn on the cells the previous ones could not read.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d-%B-%Y",
    "%d %b %Y",
    "%d/%m/%Y",
    "%Y/%m/%d",
    "%Y%m%d",
)


def parse_dates(
    values: pd.Series, rows: pd.Series, column: str, problems: RowErrors
) -> pd.Series:
    """Dates from text (ISO 8601, or ACLED's "29 December 2019" forms).

    A time part after the date (UCDP's ``2019-12-29 00:00:00.000``) is ignored.
    """
    text = values.str.strip()
    # ISO 8601 with or without a time, and 2019/12/29 00:00:00 (Google Earth,
    # QGIS): the date part only.
    iso = text.str.extract(r"^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ].*)?$", expand=True)
    text = (iso[0] + "-" + iso[1] + "-" + iso[2]).fillna(text)
    ambiguous = _ambiguous_order(text)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    problems.add_rows(
        ambiguous,
        rows,
        column,
        lambda v: (
            f"'{v}' is ambiguous (day/month or month/day?); expected YYYY-MM-DD "
            "or ACLED's '29 December 2019'"
        ),
        values,
    )
    for fmt in DATE_FORMATS:
        todo = parsed.isna() & (text != "") & ~ambiguous
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    problems.add_rows(
        parsed.isna() & ~ambiguous,
        rows,
        column,
        lambda v: (
            f"'{v}' is not a date; expected YYYY-MM-DD or ACLED's '29 December 2019'"
            if v
            else "is empty; a date is required"
        ),
        values,
    )
    return parsed


def _ambiguous_order(text: pd.Series) -> pd.Series:
    # 03/04/2019 reads as 3 April or 4 March: refused, never guessed.
    parts = text.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}$", expand=True)
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    return ((first <= 12) & (second <= 12) & (first != second)).fillna(False)


def iso_dates(values: pd.Series) -> pd.Series:
    """Datetimes as ``YYYY-MM-DD`` text ("" where missing)."""
    return values.dt.strftime("%Y-%m-%d").fillna("")
