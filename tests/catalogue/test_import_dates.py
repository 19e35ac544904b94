"""Dates as files carry them: ISO 8601 with or without a time, slashes, ACLED, UCDP."""

from __future__ import annotations

import pandas as pd
import pytest

from layers.catalogue.importers.dates import parse_dates
from layers.catalogue.importers.rows import RowErrors


def _parse(cells):
    values = pd.Series(cells, dtype=object).astype(str)
    rows = pd.Series(range(2, 2 + len(cells)))
    problems = RowErrors("events.csv")
    parsed = parse_dates(values, rows, "date", problems)
    return parsed, problems


@pytest.mark.parametrize(
    "cell",
    [
        "2019-12-29",
        "2019-12-29T00:00:00Z",
        "2019-12-29T21:30:00+03:00",
        "2019-12-29 00:00:00.000",  # UCDP GED
        "2019/12/29 00:00:00",  # a KML drawn in Google Earth or QGIS
        "2019/12/29",
        "29 December 2019",  # ACLED
        "29/12/2019",  # the day cannot be a month
    ],
)
def test_dates_in_the_forms_files_carry(cell):
    parsed, problems = _parse([cell])
    assert problems.errors == []
    assert parsed.iloc[0] == pd.Timestamp("2019-12-29")


def test_an_ambiguous_order_is_refused_by_name():
    parsed, problems = _parse(["2019-12-29", "03/04/2019", "04.03.2019"])
    assert pd.isna(parsed.iloc[1])
    messages = [str(e) for e in problems.errors]
    assert messages == [
        "events.csv, row 3, column 'date': '03/04/2019' is ambiguous (day/month "
        "or month/day?); expected YYYY-MM-DD or ACLED's '29 December 2019'",
        "events.csv, row 4, column 'date': '04.03.2019' is ambiguous (day/month "
        "or month/day?); expected YYYY-MM-DD or ACLED's '29 December 2019'",
    ]


def test_impossible_dates_are_still_refused():
    _, problems = _parse(["2019/02/30 00:00:00", "31 June 2019"])
    assert [e.row for e in problems.errors] == [2, 3]
    assert all("is not a date" in str(e) for e in problems.errors)
